import { formatShape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { ShapeError, ValueError } from '../errors.js';
import { tensor } from '../ops/creation.js';
import { registerMetric } from './registry.js';
import type { MetricInput, View } from './input.js';
import { broadcaster, Scratch, sizeOfShape, squeezeOrExpand, toView } from './input.js';
import type { MetricArgs } from './metric.js';
import { divideNoNan, Metric } from './metric.js';

/**
 * Keras's `reduce_to_samplewise_values` followed by the sums `Mean` accumulates, on flat data:
 * values are averaged down to the weight's rank, multiplied by the (broadcast) weight, then
 * averaged per sample. Returns [Σ weighted values, Σ weights]; with no weight, the count is the
 * number of samples (1 for a scalar).
 */
export function weightedTotals(
  values: ArrayLike<number>,
  vshape: number[],
  weight: View | null,
  where: string,
  reduce: 'mean' | 'sum' = 'mean',
): [number, number] {
  const size = sizeOfShape(vshape);
  const mean = reduce === 'mean';
  if (!weight) {
    if (vshape.length === 0) return [values[0]!, 1];
    const n = vshape[0]!;
    if (n === 0) return [0, 0];
    const block = size / n;
    let total = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < block; j++) s += values[i * block + j]!;
      total += mean ? s / block : s;
    }
    return [total, n];
  }
  const [vs, ws] = squeezeOrExpand(vshape, weight.shape);
  const rank = ws.length;
  const reduced = vs.slice(0, rank);
  const bc = vs.length >= rank ? broadcaster(ws, reduced) : null;
  if (!bc) {
    throw new ShapeError(`${where}: sampleWeight of shape ${formatShape(weight.shape)} does not broadcast to the per-sample values of shape ${formatShape(vshape)}`);
  }
  const outer = sizeOfShape(reduced);
  const block = outer === 0 ? 0 : size / outer;
  const perSample = rank <= 1 || !mean ? 1 : sizeOfShape(reduced.slice(1));
  let total = 0;
  let count = 0;
  for (let i = 0; i < outer; i++) {
    let s = 0;
    for (let j = 0; j < block; j++) s += values[i * block + j]!;
    const w = weight.data[bc(i)]!;
    total += (mean ? s / block : s) * w;
    count += w;
  }
  return [total / perSample, count / perSample];
}

/**
 * The (weighted) sum of the values given (Keras `Sum`).
 *
 * ```ts
 * const m = new kiln.metrics.Sum();
 * m.updateState([1, 3, 5, 7], [1, 1, 0, 0]);
 * m.result(); // 4
 * ```
 */
export class Sum extends Metric {
  static override readonly className = 'Sum';
  private total: Float64Array;

  constructor(args: MetricArgs = {}) {
    super(args, 'sum');
    [this.total] = this.defineState([{ name: 'total', shape: [] }]);
  }

  override updateState(values: MetricInput, sampleWeight?: MetricInput | null): void {
    const v = toView(values, 'values', `metric '${this.name}'`);
    const w = sampleWeight == null ? null : toView(sampleWeight, 'sampleWeight', `metric '${this.name}'`);
    const [total] = weightedTotals(v.data, v.shape, w, `metric '${this.name}'`, 'sum');
    this.total[0] += total;
  }

  override result(): number {
    return this.total[0]!;
  }
}

/**
 * The (weighted) running mean of the values given (Keras `Mean`): total / count. The trainer uses
 * it for the loss shown in the progress bar. Note the argument order: values, then weights.
 *
 * ```ts
 * const m = new kiln.metrics.Mean();
 * m.updateState([1, 3, 5, 7]);
 * m.updateState([2], [0.5]);
 * m.result(); // (16 + 1) / 4.5
 * ```
 */
export class Mean extends Metric {
  static override readonly className: string = 'Mean';
  protected totals: Float64Array;

  constructor(args: MetricArgs = {}, defaultName = 'mean') {
    super(args, defaultName);
    this.defineState([{ name: 'total', shape: [] }, { name: 'count', shape: [] }]);
    this.totals = this.state; // [total, count]
  }

  override updateState(values: MetricInput, sampleWeight?: MetricInput | null): void {
    const v = toView(values, 'values', `metric '${this.name}'`);
    this.accumulate(v.data, v.shape, sampleWeight);
  }

  /** Adds per-sample values (any shape; averaged per sample) with optional weights. */
  protected accumulate(values: ArrayLike<number>, shape: number[], sampleWeight?: MetricInput | null): void {
    this.accumulateView(values, shape, sampleWeight == null ? null : toView(sampleWeight, 'sampleWeight', `metric '${this.name}'`));
  }

  protected accumulateView(values: ArrayLike<number>, shape: number[], w: View | null): void {
    const [total, count] = weightedTotals(values, shape, w, `metric '${this.name}'`);
    this.totals[0] += total;
    this.totals[1] += count;
  }

  override result(): number {
    return divideNoNan(this.totals[0]!, this.totals[1]!);
  }
}

/** The per-sample values of one batch, in a reused buffer. */
export interface SampleValues {
  data: Float64Array;
  shape: number[];
}

/**
 * Base of the built-in metrics that average a per-sample value of (yTrue, yPred), like Keras's
 * `MeanMetricWrapper` subclasses (accuracies, MAE, MSE, crossentropies).
 */
export abstract class SampleMeanMetric extends Mean {
  protected readonly scratch = new Scratch();

  /** The per-sample values of a batch (into `this.scratch`), Keras's metric function. */
  protected abstract values(yTrue: View, yPred: View): SampleValues;

  override updateState(yTrue: MetricInput, yPred?: MetricInput, sampleWeight?: MetricInput | null): void {
    if (yPred === undefined) throw new ValueError(`metric '${this.name}': updateState needs yTrue and yPred`);
    const where = `metric '${this.name}'`;
    const v = this.values(toView(yTrue, 'yTrue', where), toView(yPred, 'yPred', where));
    this.accumulate(v.data, v.shape, sampleWeight);
  }
}

/**
 * Averages any per-sample function of (yTrue, yPred) written with kiln ops (Keras
 * `MeanMetricWrapper`). It has no config form: a function cannot be saved in a model file.
 *
 * ```ts
 * const maxErr = new kiln.metrics.MeanMetricWrapper(
 *   (t, p) => kiln.max(kiln.abs(kiln.sub(t, p)), -1), { name: 'max_error' });
 * maxErr.updateState([[1, 2]], [[1, 4]]);
 * maxErr.result(); // 2
 * ```
 */
export class MeanMetricWrapper extends Mean {
  static override readonly className: string = 'MeanMetricWrapper';

  constructor(
    readonly fn: (yTrue: Tensor, yPred: Tensor) => Tensor,
    args: MetricArgs = {},
  ) {
    if (typeof fn !== 'function') throw new ValueError(`MeanMetricWrapper: fn must be a function, found ${typeof fn}`);
    super(args, fn.name || undefined);
  }

  override updateState(yTrue: MetricInput, yPred?: MetricInput, sampleWeight?: MetricInput | null): void {
    if (yPred === undefined) throw new ValueError(`metric '${this.name}': updateState needs yTrue and yPred`);
    const out = this.fn(tensor(yTrue), tensor(yPred));
    this.accumulate(out.dataSync(), [...out.shape], sampleWeight);
  }

  /** A wrapped function has no config form, so there is nothing to rebuild from. */
  static override fromConfig(): never {
    throw new ValueError('MeanMetricWrapper.fromConfig: a metric function cannot be restored from a config; pass the function again');
  }
}

registerMetric(Sum);
registerMetric(Mean);
