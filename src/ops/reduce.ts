import * as P from '../core/primitives.js';
import { normalizeAxes } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import type { TensorLike } from './creation.js';
import { asTensor, div, exp, log, mul, square, sub, add } from './math.js';

/**
 * Reductions. `axis` is a number, a list, or omitted (all axes); `keepDims` keeps reduced axes as size 1.
 *
 * ```ts
 * kiln.sum(kiln.tensor([[1, 2], [3, 4]]), 0);        // [4, 6]
 * kiln.mean(x, -1, true);                            // shape [..., 1]
 * ```
 */
function reduceKeep(op: 'sum' | 'max' | 'min' | 'prod', x: TensorLike, axis?: number | number[], keepDims = false): Tensor {
  const t = asTensor(x);
  const out = P.reduce(op, t, axis);
  return keepDims ? P.reshape(out, keptShape(t, axis)) : out;
}

function keptShape(t: Tensor, axis?: number | number[]): number[] {
  const axes = normalizeAxes(axis, t.rank);
  return t.shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

export const sum = (x: TensorLike, axis?: number | number[], keepDims = false) => reduceKeep('sum', x, axis, keepDims);
export const max = (x: TensorLike, axis?: number | number[], keepDims = false) => reduceKeep('max', x, axis, keepDims);
export const min = (x: TensorLike, axis?: number | number[], keepDims = false) => reduceKeep('min', x, axis, keepDims);
export const prod = (x: TensorLike, axis?: number | number[], keepDims = false) => reduceKeep('prod', x, axis, keepDims);

/** Arithmetic mean over `axis` (float32 result, also for int32 input). */
export function mean(x: TensorLike, axis?: number | number[], keepDims = false): Tensor {
  const t = P.cast(asTensor(x), 'float32');
  const axes = normalizeAxes(axis, t.rank);
  const count = axes.reduce((n, a) => n * t.shape[a]!, 1);
  return div(sum(t, axis, keepDims), count);
}

/** Population variance (divides by N, like Keras's `ops.var` and batch normalization). */
export function variance(x: TensorLike, axis?: number | number[], keepDims = false): Tensor {
  const t = P.cast(asTensor(x), 'float32');
  const centered = sub(t, mean(t, axis, true));
  return mean(square(centered), axis, keepDims);
}

/** log(Σ exp(x)) computed stably by shifting with the max. */
export function logSumExp(x: TensorLike, axis?: number | number[], keepDims = false): Tensor {
  const t = asTensor(x);
  // The shift is a constant for the gradient, so cut it from the graph: the result is exact either way.
  const m = P.reduce('max', t, axis);
  const shift = P.reshape(P.stopGradient(m), keptShape(t, axis));
  const s = log(sum(exp(sub(t, shift)), axis, true));
  const out = add(s, shift);
  return keepDims ? out : P.reshape(out, t.shape.filter((_, i) => !normalizeAxes(axis, t.rank).includes(i)));
}

export const argMax = (x: TensorLike, axis = -1) => P.argMax(asTensor(x), axis);
export const argMin = (x: TensorLike, axis = -1) => P.argMax(mul(asTensor(x), -1), axis);
