import type { Tensor } from '../core/tensor.js';
import { ValueError } from '../errors.js';
import type { TensorLike } from '../ops/creation.js';
import * as ops from '../ops/index.js';
import { option } from '../utils/args.js';
import { alignedPair } from './checks.js';
import { EPSILON } from './crossentropy.js';

/**
 * Regression losses, each averaged over the last axis so the result has one value per sample
 * (Keras: `keras/src/losses/losses.py`). Inputs are aligned like Keras (`[n]` targets meet `[n, 1]`
 * predictions) and must then have equal shapes.
 */

/**
 * Mean squared error per sample: `mean((yTrue − yPred)², axis=-1)`.
 *
 * ```ts
 * kiln.losses.functions.meanSquaredError([[1, 0]], [[0.5, 0.5]]); // [0.25]
 * ```
 */
export function meanSquaredError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = alignedPair(yTrue, yPred, 'mean_squared_error');
  return ops.mean(ops.square(ops.sub(t, p)), -1);
}

/**
 * Mean absolute error per sample: `mean(|yTrue − yPred|, axis=-1)`.
 *
 * ```ts
 * kiln.losses.functions.meanAbsoluteError([[1, 0.3]], [[1.9, 0.3]]); // [0.45]
 * ```
 */
export function meanAbsoluteError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = alignedPair(yTrue, yPred, 'mean_absolute_error');
  return ops.mean(ops.abs(ops.sub(t, p)), -1);
}

/**
 * Mean absolute percentage error per sample: `100 · mean(|yTrue − yPred| / max(|yTrue|, ε))`,
 * with ε = 1e-7 guarding zero targets, as in Keras.
 *
 * ```ts
 * kiln.losses.functions.meanAbsolutePercentageError([[100, 200, 300]], [[90, 210, 310]]); // [6.111]
 * ```
 */
export function meanAbsolutePercentageError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = alignedPair(yTrue, yPred, 'mean_absolute_percentage_error');
  const ratio = ops.abs(ops.div(ops.sub(t, p), ops.maximum(ops.abs(t), EPSILON)));
  return ops.mul(ops.mean(ratio, -1), 100);
}

export interface HuberArgs {
  /** Where the loss turns from quadratic to linear. Default 1.0. */
  delta?: number;
}

export function checkDelta(delta: unknown, where: string): number {
  if (typeof delta !== 'number' || !Number.isFinite(delta) || delta <= 0) {
    throw new ValueError(`${where}: delta must be a finite number > 0, found ${JSON.stringify(delta)}`);
  }
  return delta;
}

/**
 * Huber loss per sample: for error e = yPred − yTrue, `½e²` where |e| ≤ delta and
 * `delta·|e| − ½delta²` beyond; averaged over the last axis.
 *
 * ```ts
 * kiln.losses.functions.huber([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]); // [0.18, 0.13]
 * kiln.losses.functions.huber(y, p, { delta: 2 });
 * ```
 */
export function huber(yTrue: TensorLike, yPred: TensorLike, args: HuberArgs = {}): Tensor {
  const delta = checkDelta(option(args, 'delta') ?? 1.0, 'huber');
  const [t, p] = alignedPair(yTrue, yPred, 'huber');
  const error = ops.sub(p, t);
  const absError = ops.abs(error);
  const quadratic = ops.mul(ops.square(error), 0.5);
  const linear = ops.sub(ops.mul(absError, delta), 0.5 * delta * delta);
  return ops.mean(ops.where(ops.lessEqual(absError, delta), quadratic, linear), -1);
}

/**
 * log(cosh(yPred − yTrue)) averaged over the last axis: like half the squared error for small
 * errors and like |error| − log 2 for large ones.
 *
 * ```ts
 * kiln.losses.functions.logCosh([[0, 1], [0, 0]], [[1, 1], [0, 0]]); // [0.217, 0]
 * ```
 */
export function logCosh(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = alignedPair(yTrue, yPred, 'log_cosh');
  // log cosh x = |x| + log1p(exp(−2|x|)) − log 2. Keras writes x + softplus(−2x) − log 2, the same
  // value; this form never exponentiates a positive number and, being built from |x| alone, gets the
  // gradient at x = 0 right (0) where relu/abs subgradients would give 1.
  const a = ops.abs(ops.sub(p, t));
  const value = ops.sub(ops.add(a, ops.log1p(ops.exp(ops.mul(a, -2)))), Math.LN2);
  return ops.mean(value, -1);
}
