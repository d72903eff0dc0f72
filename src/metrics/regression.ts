import { ValueError } from '../errors.js';
import { registerMetric } from './registry.js';
import type { MetricInput, View } from './input.js';
import { sameShape, Scratch, shapeMismatch, sizeOfShape, squeezeOrExpand, toView } from './input.js';
import type { MetricArgs } from './metric.js';
import { EPSILON } from './metric.js';
import type { SampleValues } from './reduction.js';
import { Mean, SampleMeanMetric } from './reduction.js';

// Regression metrics, after keras/src/metrics/regression_metrics.py and the loss functions in
// keras/src/losses/losses.py they wrap. Like Keras, the error is averaged over the LAST axis per
// sample first: labels and predictions of shape [batch, 1] (a model's usual output) give one value
// per sample, while two rank-1 arrays [batch] give one value for the whole batch, so each such
// batch then counts once in the running mean, whatever its size (a Keras quirk kept on purpose).

/** Aligns shapes (squeezing a trailing 1) and averages `f(t, p)` over the last axis. */
function lastAxisMean(m: { name: string }, out: (n: number) => Float64Array, yTrue: View, yPred: View, f: (t: number, p: number) => number): SampleValues {
  const [ts, ps] = squeezeOrExpand(yTrue.shape, yPred.shape);
  if (!sameShape(ts, ps)) throw shapeMismatch(m.name, 'yTrue', yTrue.shape, 'yPred', yPred.shape, 'expected yTrue and yPred of the same shape');
  const shape = ts.slice(0, -1);
  const last = ts.length === 0 ? 1 : ts[ts.length - 1]!;
  const rows = sizeOfShape(shape);
  const data = out(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < last; j++) s += f(yTrue.data[r * last + j]!, yPred.data[r * last + j]!);
    data[r] = last === 0 ? NaN : s / last;
  }
  return { data, shape };
}

/**
 * Mean of `(yTrue - yPred)²` (Keras `MeanSquaredError`).
 *
 * ```ts
 * const m = new kiln.metrics.MeanSquaredError();
 * m.updateState([[0, 1], [0, 0]], [[1, 1], [0, 0]]);
 * m.result(); // (0.5 + 0) / 2 = 0.25
 * ```
 */
export class MeanSquaredError extends SampleMeanMetric {
  static override readonly className = 'MeanSquaredError';
  override readonly direction = 'down' as const;
  constructor(args: MetricArgs = {}) {
    super(args, 'mean_squared_error');
  }
  protected values(yTrue: View, yPred: View): SampleValues {
    return lastAxisMean(this, (n) => this.scratch.get(n), yTrue, yPred, (t, p) => (t - p) * (t - p));
  }
}

/**
 * Mean of `|yTrue - yPred|` (Keras `MeanAbsoluteError`).
 *
 * ```ts
 * const m = new kiln.metrics.MeanAbsoluteError();
 * m.updateState([[0, 1], [0, 0]], [[1, 1], [0, 0]]);
 * m.result(); // 0.25
 * ```
 */
export class MeanAbsoluteError extends SampleMeanMetric {
  static override readonly className = 'MeanAbsoluteError';
  override readonly direction = 'down' as const;
  constructor(args: MetricArgs = {}) {
    super(args, 'mean_absolute_error');
  }
  protected values(yTrue: View, yPred: View): SampleValues {
    return lastAxisMean(this, (n) => this.scratch.get(n), yTrue, yPred, (t, p) => Math.abs(t - p));
  }
}

/**
 * Mean of `100·|yTrue - yPred| / max(|yTrue|, 1e-7)` (Keras `MeanAbsolutePercentageError`).
 *
 * ```ts
 * const m = new kiln.metrics.MeanAbsolutePercentageError();
 * m.updateState([[2], [4]], [[1], [5]]);
 * m.result(); // (50 + 25) / 2 = 37.5
 * ```
 */
export class MeanAbsolutePercentageError extends SampleMeanMetric {
  static override readonly className = 'MeanAbsolutePercentageError';
  override readonly direction = 'down' as const;
  constructor(args: MetricArgs = {}) {
    super(args, 'mean_absolute_percentage_error');
  }
  protected values(yTrue: View, yPred: View): SampleValues {
    const eps = Math.fround(EPSILON);
    return lastAxisMean(this, (n) => this.scratch.get(n), yTrue, yPred, (t, p) => (100 * Math.abs(t - p)) / Math.max(Math.abs(t), eps));
  }
}

/**
 * Mean of `(log(1 + yTrue) - log(1 + yPred))²`, both clipped at 1e-7 first (Keras
 * `MeanSquaredLogarithmicError`).
 *
 * ```ts
 * const m = new kiln.metrics.MeanSquaredLogarithmicError();
 * m.updateState([[0, 1]], [[1, 1]]);
 * m.result(); // (log 2)² / 2
 * ```
 */
export class MeanSquaredLogarithmicError extends SampleMeanMetric {
  static override readonly className = 'MeanSquaredLogarithmicError';
  override readonly direction = 'down' as const;
  constructor(args: MetricArgs = {}) {
    super(args, 'mean_squared_logarithmic_error');
  }
  protected values(yTrue: View, yPred: View): SampleValues {
    const eps = Math.fround(EPSILON);
    return lastAxisMean(this, (n) => this.scratch.get(n), yTrue, yPred, (t, p) => {
      const d = Math.log(Math.max(t, eps) + 1) - Math.log(Math.max(p, eps) + 1);
      return d * d;
    });
  }
}

/**
 * Square root of the running mean of `(yPred - yTrue)²` (Keras `RootMeanSquaredError`). Unlike
 * MSE it averages every element per sample (no last-axis step), so rank-1 inputs count per element.
 *
 * ```ts
 * const m = new kiln.metrics.RootMeanSquaredError();
 * m.updateState([[0, 1], [0, 0]], [[1, 1], [0, 0]]);
 * m.result(); // sqrt(0.25) = 0.5
 * ```
 */
export class RootMeanSquaredError extends Mean {
  static override readonly className = 'RootMeanSquaredError';
  override readonly direction = 'down' as const;
  private readonly buffer = new Scratch();

  constructor(args: MetricArgs = {}) {
    super(args, 'root_mean_squared_error');
  }

  override updateState(yTrue: MetricInput, yPred?: MetricInput, sampleWeight?: MetricInput | null): void {
    const where = `metric '${this.name}'`;
    const t = toView(yTrue, 'yTrue', where);
    if (yPred === undefined) throw new ValueError(`${where}: updateState needs yTrue and yPred`);
    const p = toView(yPred, 'yPred', where);
    const [ts, ps] = squeezeOrExpand(t.shape, p.shape);
    if (!sameShape(ts, ps)) throw shapeMismatch(this.name, 'yTrue', t.shape, 'yPred', p.shape, 'expected yTrue and yPred of the same shape');
    const n = sizeOfShape(ts);
    const sq = this.buffer.get(n);
    for (let i = 0; i < n; i++) sq[i] = (p.data[i]! - t.data[i]!) ** 2;
    this.accumulate(sq, ts, sampleWeight);
  }

  override result(): number {
    return Math.sqrt(super.result());
  }
}

registerMetric(MeanSquaredError);
registerMetric(MeanAbsoluteError);
registerMetric(MeanAbsolutePercentageError);
registerMetric(MeanSquaredLogarithmicError);
registerMetric(RootMeanSquaredError);
