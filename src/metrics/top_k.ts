import { ValueError } from '../errors.js';
import type { Config } from '../serialization/registry.js';
import { registerMetric } from './registry.js';
import { option } from '../utils/args.js';
import type { View } from './input.js';
import { argmaxRow, checkLabel, sameShape, shapeMismatch, sizeOfShape } from './input.js';
import type { MetricArgs } from './metric.js';
import type { SampleValues } from './reduction.js';
import { SampleMeanMetric } from './reduction.js';

// Top-k accuracies, after keras/src/metrics/accuracy_metrics.py and `in_top_k` in
// keras/src/backend/*/math.py.

/**
 * Whether class `target` is among the k largest of a row. Keras's `in_top_k`: a class is in the
 * top k when fewer than k scores are strictly larger, so ties at the boundary all count as in.
 * A NaN score at the target counts as -Infinity.
 */
function inTopK(data: ArrayLike<number>, offset: number, n: number, target: number, k: number): boolean {
  let v = data[offset + target]!;
  if (v !== v) v = -Infinity;
  let greater = 0;
  for (let j = 0; j < n; j++) if (data[offset + j]! > v) greater++;
  return greater < k;
}

function checkK(cls: string, k: unknown): number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) throw new ValueError(`${cls}: k must be a positive integer, found ${JSON.stringify(k)}`);
  return k;
}

/** Options of the top-k accuracies. */
export interface TopKArgs extends MetricArgs {
  /** How many of the largest predictions count as a hit. Default 5. */
  k?: number;
}

/**
 * How often the one-hot label's class is among the k largest predictions (Keras
 * `TopKCategoricalAccuracy`, k = 5 by default; ties at the boundary count as hits).
 *
 * ```ts
 * const m = new kiln.metrics.TopKCategoricalAccuracy({ k: 1 });
 * m.updateState([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
 * m.result(); // 0.5
 * ```
 */
export class TopKCategoricalAccuracy extends SampleMeanMetric {
  static override readonly className = 'TopKCategoricalAccuracy';
  override readonly direction = 'up' as const;
  readonly k: number;

  constructor(args: TopKArgs = {}) {
    super(args, 'top_k_categorical_accuracy');
    this.k = checkK('TopKCategoricalAccuracy', option(args, 'k') ?? 5);
  }

  protected values(yTrue: View, yPred: View): SampleValues {
    if (yPred.shape.length === 0 || !sameShape(yTrue.shape, yPred.shape)) {
      throw shapeMismatch(this.name, 'yTrue', yTrue.shape, 'yPred', yPred.shape, 'expected one-hot yTrue shaped like yPred [batch, classes]');
    }
    const c = yPred.shape[yPred.shape.length - 1]!;
    const shape = yPred.shape.slice(0, -1);
    const rows = sizeOfShape(shape);
    const out = this.scratch.get(rows);
    for (let r = 0; r < rows; r++) out[r] = inTopK(yPred.data, r * c, c, argmaxRow(yTrue.data, r * c, c), this.k) ? 1 : 0;
    return { data: out, shape };
  }

  override getConfig(): Config {
    return { ...super.getConfig(), k: this.k };
  }
}

/** Options of `SparseTopKCategoricalAccuracy`. */
export interface SparseTopKArgs extends TopKArgs {
  /** yPred holds class ids sorted best first (not scores): a hit is the label among the first k. */
  fromSortedIds?: boolean;
}

/**
 * How often integer labels are among the k largest predictions (Keras
 * `SparseTopKCategoricalAccuracy`, k = 5 by default; ties at the boundary count as hits).
 *
 * ```ts
 * const m = new kiln.metrics.SparseTopKCategoricalAccuracy({ k: 1 });
 * m.updateState([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
 * m.result(); // 0.5
 * ```
 */
export class SparseTopKCategoricalAccuracy extends SampleMeanMetric {
  static override readonly className = 'SparseTopKCategoricalAccuracy';
  override readonly direction = 'up' as const;
  readonly k: number;
  readonly fromSortedIds: boolean;

  constructor(args: SparseTopKArgs = {}) {
    super(args, 'sparse_top_k_categorical_accuracy');
    this.k = checkK('SparseTopKCategoricalAccuracy', option(args, 'k') ?? 5);
    this.fromSortedIds = option<boolean>(args, 'fromSortedIds') ?? false;
  }

  protected values(yTrue: View, yPred: View): SampleValues {
    // Keras flattens labels to [-1] and predictions to [-1, classes]; the values keep yTrue's shape.
    const c = yPred.shape[yPred.shape.length - 1] ?? 0;
    const rows = sizeOfShape(yTrue.shape);
    if (yPred.shape.length < 1 || rows * c !== sizeOfShape(yPred.shape) || (rows > 0 && c === 0)) {
      throw shapeMismatch(this.name, 'yTrue', yTrue.shape, 'yPred', yPred.shape, 'expected integer labels yTrue [batch] (or [batch, 1]) beside yPred [batch, classes]');
    }
    const out = this.scratch.get(rows);
    for (let r = 0; r < rows; r++) {
      if (this.fromSortedIds) {
        let hit = 0;
        for (let j = 0; j < Math.min(this.k, c); j++) if (yPred.data[r * c + j] === yTrue.data[r]) hit = 1;
        out[r] = hit;
      } else {
        out[r] = inTopK(yPred.data, r * c, c, checkLabel(this.name, yTrue.data[r]!, c, r), this.k) ? 1 : 0;
      }
    }
    return { data: out, shape: [...yTrue.shape] };
  }

  override getConfig(): Config {
    const config: Config = { ...super.getConfig(), k: this.k };
    if (this.fromSortedIds) config['from_sorted_ids'] = true; // Keras writes it only when set
    return config;
  }
}

registerMetric(TopKCategoricalAccuracy);
registerMetric(SparseTopKCategoricalAccuracy);
