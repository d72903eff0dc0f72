import type { Tensor } from '../core/tensor.js';
import * as ops from '../ops/index.js';

/**
 * Gradient clipping as Keras 3 does it (`keras/src/optimizers/base_optimizer.py`). Everything stays
 * in tensor ops — no value is read back to JavaScript — so a backend can run a step without syncing.
 */

/**
 * Rescales `g` so its L2 norm is at most `clipnorm`: `g * clipnorm / max(‖g‖, clipnorm)`.
 * A zero gradient stays zero (the divisor is then `clipnorm`, never 0).
 *
 * ```ts
 * clipByNorm(kiln.tensor([3, 4]), 1).arraySync(); // [0.6, 0.8]
 * ```
 */
export function clipByNorm(g: Tensor, clipnorm: number): Tensor {
  const norm = ops.sqrt(ops.sum(ops.square(g)));
  return ops.div(ops.mul(g, clipnorm), ops.maximum(norm, clipnorm));
}

/** The L2 norm of all the tensors taken together, as a scalar tensor: `globalNorm([tensor([3]), tensor([4])]).item() // 5`. */
export function globalNorm(gs: readonly Tensor[]): Tensor {
  let total: Tensor = ops.scalar(0);
  for (const g of gs) total = ops.add(total, ops.sum(ops.square(g)));
  return ops.sqrt(total);
}

/**
 * Scales every tensor by the same factor so that their global norm is at most `clipnorm`.
 * As in Keras, a non-finite global norm turns every gradient into NaN rather than passing it on
 * (`scale + (norm - norm)` is NaN for an infinite norm), so a blow-up is visible instead of silent.
 *
 * ```ts
 * clipByGlobalNorm([kiln.tensor([3]), kiln.tensor([4])], 1); // [[0.6], [0.8]]
 * ```
 */
export function clipByGlobalNorm(gs: readonly Tensor[], clipnorm: number): Tensor[] {
  const norm = globalNorm(gs);
  const scaleFinite = ops.mul(ops.minimum(ops.reciprocal(norm), 1 / clipnorm), clipnorm);
  const scale = ops.add(scaleFinite, ops.sub(norm, norm));
  return gs.map((g) => ops.mul(g, scale));
}

/** Limits every element to `[-clipvalue, clipvalue]`. */
export function clipByValueSymmetric(g: Tensor, clipvalue: number): Tensor {
  return ops.clipByValue(g, -clipvalue, clipvalue);
}
