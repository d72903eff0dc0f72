import { formatShape, shapesEqual } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { ShapeError, ValueError } from '../errors.js';
import * as ops from '../ops/index.js';

/**
 * How a `Loss` turns per-sample losses into the value it returns — Keras 3's set
 * (`keras/src/losses/loss.py`, `standardize_reduction`):
 * - `'sum_over_batch_size'` (default) and `'mean'`: sum of the weighted losses divided by the
 *   number of loss elements (not by the sum of the weights);
 * - `'mean_with_sample_weight'`: sum of the weighted losses divided by the sum of the weights;
 * - `'sum'`: the sum of the weighted losses;
 * - `'none'` or `null`: the weighted per-sample losses, unreduced.
 */
export type Reduction = 'sum_over_batch_size' | 'sum' | 'mean' | 'mean_with_sample_weight' | 'none' | null;

const REDUCTIONS: readonly Reduction[] = ['sum_over_batch_size', 'sum', 'mean', 'mean_with_sample_weight', 'none', null];

/** Checks a reduction name; `where` names the loss in the error. */
export function standardizeReduction(reduction: unknown, where = 'Loss'): Reduction {
  if (reduction === undefined) return 'sum_over_batch_size';
  if (!REDUCTIONS.includes(reduction as Reduction)) {
    throw new ValueError(
      `${where}: invalid reduction ${JSON.stringify(reduction)}; expected one of ${REDUCTIONS.map((r) => JSON.stringify(r)).join(', ')}`,
    );
  }
  return reduction as Reduction;
}

/**
 * Keras's `squeeze_or_expand_to_same_rank`: when two tensors' ranks differ by exactly one and the
 * longer one ends in a size-1 axis, that axis is squeezed — except that a rank-1 partner is
 * expanded instead (with `expandRank1`), so `[n]` labels meet `[n, 1]` predictions as `[n, 1]`.
 * Any other rank difference is left alone (the caller's shape check reports it).
 *
 * ```ts
 * const [a, b] = squeezeOrExpandToSameRank(kiln.zeros([4]), kiln.zeros([4, 1])); // [4, 1] and [4, 1]
 * ```
 */
export function squeezeOrExpandToSameRank(x1: Tensor, x2: Tensor, expandRank1 = true): [Tensor, Tensor] {
  const r1 = x1.rank;
  const r2 = x2.rank;
  if (r1 === r2 + 1 && x1.shape[r1 - 1] === 1) {
    if (r2 === 1 && expandRank1) x2 = ops.expandDims(x2, -1);
    else x1 = ops.squeeze(x1, -1);
  } else if (r2 === r1 + 1 && x2.shape[r2 - 1] === 1) {
    if (r1 === 1 && expandRank1) x1 = ops.expandDims(x1, -1);
    else x2 = ops.squeeze(x2, -1);
  }
  return [x1, x2];
}

/** `a / b`, but 0 where `b` is 0 (Keras's `divide_no_nan`); safe for gradients too. */
function divideNoNan(a: Tensor, b: Tensor): Tensor {
  const zero = ops.equal(b, 0);
  return ops.where(zero, 0, ops.div(a, ops.where(zero, 1, b)));
}

/**
 * Merges a mask (1 = counts, 0 = ignored, e.g. from `ignoreClass`) into the sample weights. For
 * the averaging reductions the kept entries are scaled by total/valid, so the average runs over
 * the valid entries only (Keras's `apply_mask`).
 */
function applyMask(sampleWeight: Tensor | null, mask: Tensor | null, reduction: Reduction): Tensor | null {
  if (!mask) return sampleWeight;
  let floatMask = ops.cast(mask, 'float32');
  if (reduction === 'mean' || reduction === 'sum_over_batch_size') {
    const valid = ops.sum(floatMask);
    floatMask = ops.mul(floatMask, divideNoNan(ops.scalar(mask.size), valid));
  }
  if (!sampleWeight) return floatMask;
  const [m, w] = squeezeOrExpandToSameRank(floatMask, sampleWeight);
  return ops.mul(w, m);
}

/**
 * Lines sample weights up with the per-sample losses: Keras's rank alignment first; then, beyond
 * Keras, weights whose shape is a leading part of the losses' shape (`[n]` weights for `[n, t]`
 * losses) get trailing size-1 axes, so they weight samples instead of broadcasting against the
 * wrong axis. Anything that would not broadcast to exactly the losses' shape is a ShapeError.
 */
function alignWeights(values: Tensor, weights: Tensor, where: string): [Tensor, Tensor] {
  let [v, w] = squeezeOrExpandToSameRank(values, weights);
  if (w.rank < v.rank && shapesEqual(w.shape, v.shape.slice(0, w.rank))) {
    w = ops.reshape(w, [...w.shape, ...new Array<number>(v.rank - w.rank).fill(1)]);
  }
  const ok =
    w.rank <= v.rank && w.shape.every((d, i) => d === 1 || d === v.shape[v.rank - w.rank + i]);
  if (!ok) {
    throw new ShapeError(
      `${where}: sample_weight of shape ${formatShape(weights.shape)} does not broadcast to the per-sample losses of shape ${formatShape(values.shape)}`,
    );
  }
  return [v, w];
}

/**
 * Weights and reduces per-sample losses (Keras's `reduce_weighted_values`). Sample weights are
 * aligned to the losses, multiplied in, and the result reduced per `reduction`.
 *
 * ```ts
 * reduceWeightedValues(kiln.tensor([1, 2, 3]), kiln.tensor([1, 0, 1]), null, 'sum_over_batch_size'); // (1 + 3) / 3
 * ```
 */
export function reduceWeightedValues(
  values: Tensor,
  sampleWeight: Tensor | null,
  mask: Tensor | null,
  reduction: Reduction,
  where = 'loss',
): Tensor {
  let weights = applyMask(sampleWeight ? ops.cast(sampleWeight, 'float32') : null, mask, reduction);
  if (weights) {
    [values, weights] = alignWeights(values, weights, where);
    values = ops.mul(values, weights);
  }
  if (reduction === null || reduction === 'none' || values.rank === 0) return values;
  // Keras hands back an empty [0] tensor here; a scalar 0 keeps the result a scalar for the trainer.
  if (values.size === 0) return ops.scalar(0);
  const total = ops.sum(values);
  if (reduction === 'sum') return total;
  if (reduction === 'mean_with_sample_weight' && weights) return divideNoNan(total, ops.sum(weights));
  // The count is a known positive number here, so a plain division is divide_no_nan's answer.
  return ops.div(total, values.size);
}
