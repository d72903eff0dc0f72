import { formatShape } from '../core/shape.js';
import { ShapeError, ValueError } from '../errors.js';
import type { Config } from '../serialization/registry.js';
import { registerMetric } from './registry.js';
import { option } from '../utils/args.js';
import type { MetricInput, View } from './input.js';
import { argmaxRow, broadcaster, checkLabel, shapeMismatch, toView } from './input.js';
import type { MetricArgs } from './metric.js';
import { Metric } from './metric.js';

/** Options of `ConfusionMatrix`. */
export interface ConfusionMatrixArgs extends MetricArgs {
  /** Number of classes (rows and columns). Required. */
  numClasses: number;
  /** With 2 classes, a single-column prediction above this is class 1. Default 0.5. */
  threshold?: number;
}

/**
 * A streaming, weighted confusion matrix (kiln's; Keras has only the `confusion_matrix` function
 * in metrics_utils, whose layout this follows): `result()[i][j]` is the weight of samples whose
 * true class is i and predicted class j.
 *
 * Labels: integers [batch] or [batch, 1], or one-hot/probabilities [batch, numClasses] (argmax).
 * Predictions: [batch, numClasses] scores (argmax; ties to the first), integer classes [batch]
 * or [batch, 1], or, with numClasses = 2, one probability per sample (`> threshold` is class 1).
 *
 * ```ts
 * const cm = new kiln.metrics.ConfusionMatrix({ numClasses: 3 });
 * cm.updateState([0, 1, 2, 2], [[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.1, 0.6, 0.3], [0, 0, 1]]);
 * cm.result(); // [[1, 0, 0], [0, 1, 0], [0, 1, 1]]
 * ```
 */
export class ConfusionMatrix extends Metric {
  static override readonly className = 'ConfusionMatrix';
  readonly numClasses: number;
  readonly threshold: number;
  private readonly counts: Float64Array;

  constructor(args: ConfusionMatrixArgs) {
    super(args ?? {}, 'confusion_matrix');
    const n = option<number>(args, 'numClasses');
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
      throw new ValueError(`ConfusionMatrix '${this.name}': numClasses must be a positive integer, found ${JSON.stringify(n)}`);
    }
    this.numClasses = n;
    this.threshold = option<number>(args, 'threshold') ?? 0.5;
    [this.counts] = this.defineState([{ name: 'confusion_matrix', shape: [n, n] }]);
  }

  /** Class of each sample: argmax over a [batch, C] input, or the integer given per sample. */
  private classes(v: View, what: 'yTrue' | 'yPred', rows: number): (r: number) => number {
    const c = this.numClasses;
    const s = v.shape;
    if (s.length === 2 && s[1] === c && c > 1) return (r) => argmaxRow(v.data, r * c, c);
    if (s.length === 1 || (s.length === 2 && s[1] === 1)) {
      if (what === 'yPred' && c === 2) {
        const t = Math.fround(this.threshold);
        return (r) => (v.data[r]! > t ? 1 : 0);
      }
      return (r) => checkLabel(this.name, v.data[r]!, c, r);
    }
    throw new ShapeError(`metric '${this.name}': ${what} must be [batch], [batch, 1] or [batch, ${c}], found ${formatShape(s)} (for ${rows} samples)`);
  }

  override updateState(yTrue: MetricInput, yPred?: MetricInput, sampleWeight?: MetricInput | null): void {
    const where = `metric '${this.name}'`;
    if (yPred === undefined) throw new ValueError(`${where}: updateState needs yTrue and yPred`);
    const t = toView(yTrue, 'yTrue', where);
    const p = toView(yPred, 'yPred', where);
    const rows = t.shape[0] ?? 0;
    if (t.shape.length === 0 || p.shape.length === 0 || p.shape[0] !== rows) {
      throw shapeMismatch(this.name, 'yTrue', t.shape, 'yPred', p.shape, 'expected yTrue and yPred with the same batch size');
    }
    const trueClass = this.classes(t, 'yTrue', rows);
    const predClass = this.classes(p, 'yPred', rows);
    let weight: (r: number) => number = () => 1;
    if (sampleWeight != null) {
      const w = toView(sampleWeight, 'sampleWeight', where);
      const ws = w.shape.length === 2 && w.shape[1] === 1 ? [w.shape[0]!] : w.shape;
      const bc = broadcaster(ws, [rows]);
      if (!bc) throw new ShapeError(`${where}: sampleWeight must be one weight per sample [${rows}], found ${formatShape(w.shape)}`);
      weight = (r) => w.data[bc(r)]!;
    }
    for (let r = 0; r < rows; r++) this.counts[trueClass(r) * this.numClasses + predClass(r)] += weight(r);
  }

  /** The matrix: rows are true classes, columns predicted classes. */
  override result(): number[][] {
    const c = this.numClasses;
    return Array.from({ length: c }, (_, i) => Array.from(this.counts.subarray(i * c, (i + 1) * c)));
  }

  override getConfig(): Config {
    return { ...super.getConfig(), num_classes: this.numClasses, threshold: this.threshold };
  }
}

registerMetric(ConfusionMatrix);
