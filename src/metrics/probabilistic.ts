import { formatShape } from '../core/shape.js';
import { ShapeError, ValueError } from '../errors.js';
import type { Config } from '../serialization/registry.js';
import { registerMetric } from './registry.js';
import { option } from '../utils/args.js';
import type { MetricInput, View } from './input.js';
import { broadcaster, checkLabel, sameShape, Scratch, shapeMismatch, sizeOfShape, squeezeOrExpand, toView } from './input.js';
import type { MetricArgs } from './metric.js';
import { EPSILON } from './metric.js';
import type { SampleValues } from './reduction.js';
import { SampleMeanMetric } from './reduction.js';

// Crossentropy metrics, after keras/src/metrics/probabilistic_metrics.py and the loss functions
// they wrap (keras/src/losses/losses.py; backend formulas from keras/src/backend/numpy/nn.py).
// Probabilities are clipped to [1e-7, 1 - 1e-7] in float32, as Keras does.

const LO = Math.fround(EPSILON);
const HI = Math.fround(1 - EPSILON);
const clip = (p: number) => Math.min(Math.max(p, LO), HI);

function checkAxis(cls: string, axis: unknown): number {
  if (axis !== -1) throw new ValueError(`${cls}: only axis -1 is supported, found ${JSON.stringify(axis)}`);
  return -1;
}

/** Options of the crossentropy metrics. */
export interface CrossentropyArgs extends MetricArgs {
  /** Predictions are logits (no sigmoid/softmax applied). Default false. */
  fromLogits?: boolean;
  /** Moves one-hot/binary targets toward uniform by this much. Default 0. */
  labelSmoothing?: number;
  axis?: number;
}

/**
 * Mean binary crossentropy over the last axis (Keras `BinaryCrossentropy` metric).
 *
 * ```ts
 * const m = new kiln.metrics.BinaryCrossentropy();
 * m.updateState([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]);
 * m.result(); // ≈ 0.8149
 * ```
 */
export class BinaryCrossentropy extends SampleMeanMetric {
  static override readonly className = 'BinaryCrossentropy';
  override readonly direction = 'down' as const;
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;

  constructor(args: CrossentropyArgs = {}) {
    super(args, 'binary_crossentropy');
    this.fromLogits = option<boolean>(args, 'fromLogits') ?? false;
    this.labelSmoothing = option<number>(args, 'labelSmoothing') ?? 0;
  }

  protected values(yTrue: View, yPred: View): SampleValues {
    const [ts, ps] = squeezeOrExpand(yTrue.shape, yPred.shape);
    if (!sameShape(ts, ps)) throw shapeMismatch(this.name, 'yTrue', yTrue.shape, 'yPred', yPred.shape, 'expected yTrue and yPred of the same shape');
    const shape = ts.slice(0, -1);
    const last = ts.length === 0 ? 1 : ts[ts.length - 1]!;
    const rows = sizeOfShape(shape);
    const out = this.scratch.get(rows);
    const ls = this.labelSmoothing;
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let j = 0; j < last; j++) {
        const t = yTrue.data[r * last + j]! * (1 - ls) + 0.5 * ls;
        const x = yPred.data[r * last + j]!;
        if (this.fromLogits) s += Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x)));
        else {
          const p = clip(x);
          s -= t * Math.log(p) + (1 - t) * Math.log(1 - p);
        }
      }
      out[r] = s / last;
    }
    return { data: out, shape };
  }

  override getConfig(): Config {
    return { ...super.getConfig(), from_logits: this.fromLogits, label_smoothing: this.labelSmoothing };
  }
}

/** −Σ target·log(prob) for one row, with probabilities renormalized (or log-softmax of logits). */
function rowCrossentropy(pred: ArrayLike<number>, off: number, c: number, fromLogits: boolean, target: (j: number) => number): number {
  let s = 0;
  if (fromLogits) {
    let m = -Infinity;
    for (let j = 0; j < c; j++) m = Math.max(m, pred[off + j]!);
    let z = 0;
    for (let j = 0; j < c; j++) z += Math.exp(pred[off + j]! - m);
    const lse = m + Math.log(z);
    for (let j = 0; j < c; j++) {
      const t = target(j);
      if (t !== 0) s -= t * (pred[off + j]! - lse);
    }
    return s;
  }
  let total = 0;
  for (let j = 0; j < c; j++) total += pred[off + j]!;
  for (let j = 0; j < c; j++) {
    const t = target(j);
    if (t !== 0) s -= t * Math.log(clip(pred[off + j]! / total));
  }
  return s;
}

/**
 * Categorical crossentropy against one-hot (or soft) labels (Keras `CategoricalCrossentropy` metric).
 *
 * ```ts
 * const m = new kiln.metrics.CategoricalCrossentropy();
 * m.updateState([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]);
 * m.result(); // (−log 0.95 − log 0.1) / 2 ≈ 1.1769
 * ```
 */
export class CategoricalCrossentropy extends SampleMeanMetric {
  static override readonly className = 'CategoricalCrossentropy';
  override readonly direction = 'down' as const;
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;

  constructor(args: CrossentropyArgs = {}) {
    super(args, 'categorical_crossentropy');
    this.fromLogits = option<boolean>(args, 'fromLogits') ?? false;
    this.labelSmoothing = option<number>(args, 'labelSmoothing') ?? 0;
    this.axis = checkAxis('CategoricalCrossentropy', option(args, 'axis') ?? -1);
  }

  protected values(yTrue: View, yPred: View): SampleValues {
    if (yPred.shape.length === 0 || !sameShape(yTrue.shape, yPred.shape)) {
      throw shapeMismatch(this.name, 'yTrue', yTrue.shape, 'yPred', yPred.shape, 'expected one-hot yTrue shaped like yPred [batch, classes]');
    }
    const c = yPred.shape[yPred.shape.length - 1]!;
    const shape = yPred.shape.slice(0, -1);
    const rows = sizeOfShape(shape);
    const out = this.scratch.get(rows);
    const ls = this.labelSmoothing;
    for (let r = 0; r < rows; r++) {
      out[r] = rowCrossentropy(yPred.data, r * c, c, this.fromLogits, (j) => yTrue.data[r * c + j]! * (1 - ls) + ls / c);
    }
    return { data: out, shape };
  }

  override getConfig(): Config {
    return { ...super.getConfig(), from_logits: this.fromLogits, label_smoothing: this.labelSmoothing, axis: this.axis };
  }
}

/** Options of `SparseCategoricalCrossentropy`. */
export interface SparseCrossentropyArgs extends MetricArgs {
  fromLogits?: boolean;
  /** Samples with this label are left out (weight 0). */
  ignoreClass?: number | null;
  axis?: number;
}

/**
 * Categorical crossentropy against integer labels (Keras `SparseCategoricalCrossentropy` metric).
 *
 * ```ts
 * const m = new kiln.metrics.SparseCategoricalCrossentropy();
 * m.updateState([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]);
 * m.result(); // ≈ 1.1769
 * ```
 */
export class SparseCategoricalCrossentropy extends SampleMeanMetric {
  static override readonly className = 'SparseCategoricalCrossentropy';
  override readonly direction = 'down' as const;
  readonly fromLogits: boolean;
  readonly ignoreClass: number | null;
  readonly axis: number;
  private readonly mask = new Scratch();

  constructor(args: SparseCrossentropyArgs = {}) {
    super(args, 'sparse_categorical_crossentropy');
    this.fromLogits = option<boolean>(args, 'fromLogits') ?? false;
    this.ignoreClass = option<number | null>(args, 'ignoreClass') ?? null;
    this.axis = checkAxis('SparseCategoricalCrossentropy', option(args, 'axis') ?? -1);
  }

  protected values(yTrue: View, yPred: View): SampleValues {
    let ts = yTrue.shape;
    if (yPred.shape.length === 0) throw shapeMismatch(this.name, 'yTrue', yTrue.shape, 'yPred', yPred.shape, 'expected yPred [batch, classes]');
    if (ts.length === yPred.shape.length && ts[ts.length - 1] === 1) ts = ts.slice(0, -1);
    if (!sameShape(ts, yPred.shape.slice(0, -1))) {
      throw shapeMismatch(this.name, 'yTrue', yTrue.shape, 'yPred', yPred.shape, 'expected integer labels yTrue [batch] (or [batch, 1]) beside yPred [batch, classes]');
    }
    const c = yPred.shape[yPred.shape.length - 1]!;
    const rows = sizeOfShape(ts);
    const out = this.scratch.get(rows);
    for (let r = 0; r < rows; r++) {
      const y = yTrue.data[r]!;
      if (this.ignoreClass !== null && y === this.ignoreClass) {
        out[r] = 0;
        continue;
      }
      const label = checkLabel(this.name, y, c, r);
      out[r] = rowCrossentropy(yPred.data, r * c, c, this.fromLogits, (j) => (j === label ? 1 : 0));
    }
    return { data: out, shape: ts };
  }

  override updateState(yTrue: MetricInput, yPred?: MetricInput, sampleWeight?: MetricInput | null): void {
    if (this.ignoreClass === null) return super.updateState(yTrue, yPred, sampleWeight);
    const where = `metric '${this.name}'`;
    if (yPred === undefined) throw new ValueError(`${where}: updateState needs yTrue and yPred`);
    const t = toView(yTrue, 'yTrue', where);
    const v = this.values(t, toView(yPred, 'yPred', where));
    // Keras masks ignored samples: their weight becomes 0 (apply_mask with reduction 'sum').
    const n = sizeOfShape(v.shape);
    const w = this.mask.get(n);
    let at: (k: number) => number = () => 0;
    let sw: ArrayLike<number> | null = null;
    if (sampleWeight != null) {
      const wv = toView(sampleWeight, 'sampleWeight', where);
      const [, wshape] = squeezeOrExpand(v.shape, wv.shape);
      const bc = broadcaster(wshape, v.shape);
      if (!bc) throw new ShapeError(`${where}: sampleWeight of shape ${formatShape(wv.shape)} does not broadcast to ${formatShape(v.shape)}`);
      at = bc;
      sw = wv.data;
    }
    for (let k = 0; k < n; k++) w[k] = (t.data[k] === this.ignoreClass ? 0 : 1) * (sw ? sw[at(k)]! : 1);
    this.accumulateView(v.data, v.shape, { data: w, shape: v.shape });
  }

  override getConfig(): Config {
    return { ...super.getConfig(), from_logits: this.fromLogits, ignore_class: this.ignoreClass, axis: this.axis };
  }
}

registerMetric(BinaryCrossentropy);
registerMetric(CategoricalCrossentropy);
registerMetric(SparseCategoricalCrossentropy);
