import { ValueError } from '../errors.js';
import type { Config } from '../serialization/registry.js';
import { registerMetric } from './registry.js';
import { option } from '../utils/args.js';
import type { View } from './input.js';
import { argmaxRow, checkLabel, sameShape, shapeMismatch, sizeOfShape, squeezeOrExpand } from './input.js';
import type { MetricArgs } from './metric.js';
import type { SampleValues } from './reduction.js';
import { SampleMeanMetric } from './reduction.js';

// Accuracy metrics, after keras/src/metrics/accuracy_metrics.py: each turns a batch into one 0/1
// value per sample and keeps a (weighted) running mean of them.

/** Labels and predictions of the same shape once a trailing 1 is squeezed away (Keras rule). */
function alignedShapes(metric: string, yTrue: View, yPred: View): number[] {
  const [t, p] = squeezeOrExpand(yTrue.shape, yPred.shape);
  if (!sameShape(t, p)) throw shapeMismatch(metric, 'yTrue', yTrue.shape, 'yPred', yPred.shape, 'expected yTrue and yPred of the same shape');
  return t;
}

/**
 * How often predictions equal labels exactly (Keras `Accuracy`). In `compile`, the string
 * 'accuracy' picks binary, categorical or sparse categorical accuracy instead (see `resolveMetric`).
 *
 * ```ts
 * const m = new kiln.metrics.Accuracy();
 * m.updateState([[1], [2], [3], [4]], [[0], [2], [3], [4]]);
 * m.result(); // 0.75
 * ```
 */
export class Accuracy extends SampleMeanMetric {
  static override readonly className: string = 'Accuracy';
  override readonly direction = 'up' as const;

  constructor(args: MetricArgs = {}) {
    super(args, 'accuracy');
  }

  protected values(yTrue: View, yPred: View): SampleValues {
    const shape = alignedShapes(this.name, yTrue, yPred);
    const n = sizeOfShape(shape);
    const out = this.scratch.get(n);
    for (let i = 0; i < n; i++) out[i] = yTrue.data[i] === yPred.data[i] ? 1 : 0;
    return { data: out, shape };
  }
}

/** Options of `BinaryAccuracy`. */
export interface BinaryAccuracyArgs extends MetricArgs {
  /** A prediction counts as 1 when it is strictly above this. Default 0.5. */
  threshold?: number;
}

/**
 * How often thresholded predictions (`yPred > threshold`) equal 0/1 labels (Keras `BinaryAccuracy`).
 *
 * ```ts
 * const m = new kiln.metrics.BinaryAccuracy();
 * m.updateState([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]);
 * m.result(); // 0.75
 * ```
 */
export class BinaryAccuracy extends SampleMeanMetric {
  static override readonly className = 'BinaryAccuracy';
  override readonly direction = 'up' as const;
  readonly threshold: number;

  constructor(args: BinaryAccuracyArgs = {}) {
    super(args, 'binary_accuracy');
    this.threshold = option<number>(args, 'threshold') ?? 0.5;
    if (typeof this.threshold !== 'number' || !Number.isFinite(this.threshold)) {
      throw new ValueError(`BinaryAccuracy '${this.name}': threshold must be a finite number, found ${JSON.stringify(this.threshold)}`);
    }
  }

  protected values(yTrue: View, yPred: View): SampleValues {
    const shape = alignedShapes(this.name, yTrue, yPred);
    const n = sizeOfShape(shape);
    const out = this.scratch.get(n);
    const t = Math.fround(this.threshold); // Keras compares in float32
    for (let i = 0; i < n; i++) out[i] = yTrue.data[i] === (yPred.data[i]! > t ? 1 : 0) ? 1 : 0;
    return { data: out, shape };
  }

  override getConfig(): Config {
    return { ...super.getConfig(), threshold: this.threshold };
  }
}

/**
 * How often the argmax of the predictions matches the argmax of one-hot labels (Keras
 * `CategoricalAccuracy`). Ties go to the first index, like argmax.
 *
 * ```ts
 * const m = new kiln.metrics.CategoricalAccuracy();
 * m.updateState([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
 * m.result(); // 0.5
 * ```
 */
export class CategoricalAccuracy extends SampleMeanMetric {
  static override readonly className = 'CategoricalAccuracy';
  override readonly direction = 'up' as const;

  constructor(args: MetricArgs = {}) {
    super(args, 'categorical_accuracy');
  }

  protected values(yTrue: View, yPred: View): SampleValues {
    if (yPred.shape.length === 0 || !sameShape(yTrue.shape, yPred.shape)) {
      throw shapeMismatch(this.name, 'yTrue', yTrue.shape, 'yPred', yPred.shape, 'expected one-hot yTrue shaped like yPred [batch, classes] (integer labels need sparse_categorical_accuracy)');
    }
    const c = yPred.shape[yPred.shape.length - 1]!;
    const shape = yPred.shape.slice(0, -1);
    const rows = sizeOfShape(shape);
    const out = this.scratch.get(rows);
    for (let r = 0; r < rows; r++) out[r] = argmaxRow(yTrue.data, r * c, c) === argmaxRow(yPred.data, r * c, c) ? 1 : 0;
    return { data: out, shape };
  }
}

/** Squeezes a trailing 1 off sparse labels shaped like the predictions ([N, 1] beside [N, C]). */
function sparseLabelShape(metric: string, yTrue: View, yPred: View): number[] {
  let t = yTrue.shape;
  if (yPred.shape.length === 0) throw shapeMismatch(metric, 'yTrue', yTrue.shape, 'yPred', yPred.shape, 'expected yPred [batch, classes]');
  if (t.length === yPred.shape.length && t[t.length - 1] === 1) t = t.slice(0, -1);
  if (!sameShape(t, yPred.shape.slice(0, -1))) {
    throw shapeMismatch(metric, 'yTrue', yTrue.shape, 'yPred', yPred.shape, 'expected integer labels yTrue [batch] (or [batch, 1]) beside yPred [batch, classes]');
  }
  return t;
}

/**
 * How often the argmax of the predictions equals integer labels (Keras
 * `SparseCategoricalAccuracy`). Labels must be integers in [0, classes).
 *
 * ```ts
 * const m = new kiln.metrics.SparseCategoricalAccuracy();
 * m.updateState([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]);
 * m.result(); // 0.5
 * ```
 */
export class SparseCategoricalAccuracy extends SampleMeanMetric {
  static override readonly className = 'SparseCategoricalAccuracy';
  override readonly direction = 'up' as const;

  constructor(args: MetricArgs = {}) {
    super(args, 'sparse_categorical_accuracy');
  }

  protected values(yTrue: View, yPred: View): SampleValues {
    const shape = sparseLabelShape(this.name, yTrue, yPred);
    const c = yPred.shape[yPred.shape.length - 1]!;
    const rows = sizeOfShape(shape);
    const out = this.scratch.get(rows);
    for (let r = 0; r < rows; r++) {
      const label = checkLabel(this.name, yTrue.data[r]!, c, r);
      out[r] = label === argmaxRow(yPred.data, r * c, c) ? 1 : 0;
    }
    return { data: out, shape };
  }
}

registerMetric(Accuracy);
registerMetric(BinaryAccuracy);
registerMetric(CategoricalAccuracy);
registerMetric(SparseCategoricalAccuracy);
