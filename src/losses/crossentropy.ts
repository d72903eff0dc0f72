import { recallLogits } from '../core/logits.js';
import * as P from '../core/primitives.js';
import { formatShape, shapesEqual } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { ShapeError, ValueError } from '../errors.js';
import type { TensorLike } from '../ops/creation.js';
import * as ops from '../ops/index.js';
import { option } from '../utils/args.js';
import { alignedPair, checkFromLogits, checkLabelSmoothing, checkSparseLabels, classAxis } from './checks.js';
import { setLossMask } from './loss.js';
import { squeezeOrExpandToSameRank } from './reduction.js';

/** Keras's `backend.epsilon()`: probabilities are clipped to [EPSILON, 1 − EPSILON] before the log. */
export const EPSILON = 1e-7;

export interface CrossentropyArgs {
  /** `yPred` holds logits (unnormalized scores) instead of probabilities. Default false. */
  fromLogits?: boolean;
  /** Smooths the targets towards uniform by this amount, in [0, 1]. Default 0. */
  labelSmoothing?: number;
  /** The class axis (categorical) or the axis averaged over (binary). Default -1. */
  axis?: number;
}

export interface SparseCrossentropyArgs {
  fromLogits?: boolean;
  /** A label value whose entries do not count (e.g. -1 or 255 for "void" pixels). Default null. */
  ignoreClass?: number | null;
  /** The class axis of `yPred`. Default -1. */
  axis?: number;
}

/** Moves `axis` to the end, so the last-axis softmax primitives can work on it. */
function axisToLast(x: Tensor, axis: number): Tensor {
  if (axis === x.rank - 1) return x;
  const perm = x.shape.map((_, i) => i).filter((i) => i !== axis);
  return ops.transpose(x, [...perm, axis]);
}

/**
 * log-probabilities over the last axis. Logits go through the fused, stable log-softmax;
 * probabilities are renormalized to sum to 1 and clipped to [ε, 1 − ε] first, as Keras does
 * (`keras/src/backend/numpy/nn.py`), so a probability of exactly 0 or 1 gives a finite loss.
 */
function logProbabilities(pred: Tensor, fromLogits: boolean): Tensor {
  if (fromLogits) return ops.logSoftmax(pred);
  const normalized = ops.div(pred, ops.sum(pred, -1, true));
  return ops.log(ops.clipByValue(normalized, EPSILON, 1 - EPSILON));
}

/**
 * Categorical crossentropy per sample: `-Σ yTrue · log(yPred)` over the class axis, for one-hot
 * (or soft) targets. With `labelSmoothing` ls the targets become `yTrue·(1 − ls) + ls / numClasses`.
 * Keras: `keras/src/losses/losses.py` `categorical_crossentropy`.
 *
 * ```ts
 * kiln.losses.functions.categoricalCrossentropy([[0, 1, 0]], [[0.05, 0.95, 0]]); // [0.0513]
 * kiln.losses.functions.categoricalCrossentropy(yOneHot, logits, { fromLogits: true, labelSmoothing: 0.1 });
 * ```
 */
export function categoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, args: CrossentropyArgs = {}): Tensor {
  const where = 'categorical_crossentropy';
  const fromLogits = checkFromLogits(option(args, 'fromLogits') ?? false, where);
  const smoothing = checkLabelSmoothing(option(args, 'labelSmoothing') ?? 0, where);
  let [t, p] = alignedPair(yTrue, yPred, where);
  const axis = classAxis(option(args, 'axis') ?? -1, p.rank, where);
  if (smoothing > 0) t = ops.add(ops.mul(t, 1 - smoothing), smoothing / p.shape[axis]!);
  t = axisToLast(t, axis);
  p = axisToLast(p, axis);
  // A softmax output's own logits give the exact, unclipped loss (Keras 3 on TensorFlow does the same).
  const logits = fromLogits ? p : recallLogits(p, 'softmax');
  return ops.neg(ops.sum(ops.mul(t, logits ? ops.logSoftmax(logits) : logProbabilities(p, false)), -1));
}

/**
 * Sparse categorical crossentropy per sample: `-log(yPred[label])`, for integer class labels
 * (int32, or float32 holding whole numbers) of shape `[n]` or `[n, 1]` against `[n, numClasses]`
 * predictions. Labels outside [0, numClasses) are a ValueError. With `ignoreClass`, entries with
 * that label give 0 and do not count in the average. Keras: `sparse_categorical_crossentropy`.
 *
 * ```ts
 * kiln.losses.functions.sparseCategoricalCrossentropy([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]); // [0.0513, 2.303]
 * kiln.losses.functions.sparseCategoricalCrossentropy(labels, logits, { fromLogits: true });
 * ```
 */
export function sparseCategoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, args: SparseCrossentropyArgs = {}): Tensor {
  const where = 'sparse_categorical_crossentropy';
  const fromLogits = checkFromLogits(option(args, 'fromLogits') ?? false, where);
  const ignoreClass = option<number | null>(args, 'ignoreClass') ?? null;
  if (ignoreClass !== null && !Number.isInteger(ignoreClass)) {
    throw new ValueError(`${where}: ignore_class must be an integer or null, found ${JSON.stringify(ignoreClass)}`);
  }
  const t0 = ops.asTensor(yTrue);
  let p = ops.cast(ops.asTensor(yPred), 'float32');
  if (p.rank < 1) throw new ShapeError(`${where}: y_pred needs rank >= 1 (a class axis), found a scalar`);
  // The class wrapper's rank alignment, then Keras's squeeze of a size-1 class axis in the labels.
  let [t] = squeezeOrExpandToSameRank(t0, p);
  const axis = classAxis(option(args, 'axis') ?? -1, p.rank, where);
  if (t.rank === p.rank && t.shape[axis] === 1) t = ops.squeeze(t, axis);
  const expected = p.shape.filter((_, i) => i !== axis);
  if (!shapesEqual(t.shape, expected)) {
    throw new ShapeError(
      `${where}: y_true of shape ${formatShape(t0.shape)} does not match y_pred of shape ${formatShape(p.shape)}; ` +
        `labels must have y_pred's shape without the class axis, ${formatShape(expected)} (or with a trailing 1)`,
    );
  }
  const numClasses = p.shape[axis]!;
  checkSparseLabels(t, numClasses, ignoreClass, where);
  // The fused kernel: from logits, or from a softmax output's own logits (Keras 3's _keras_logits).
  const logits = axis === p.rank - 1 ? (fromLogits ? p : recallLogits(p, 'softmax')) : null;
  if (logits && ignoreClass === null) return P.sparseSoftmaxCrossEntropy(logits, ops.cast(t, 'int32'));
  p = axisToLast(p, axis);
  let valid: Tensor | null = null;
  if (ignoreClass !== null) {
    valid = ops.notEqual(t, ignoreClass);
    t = ops.where(valid, t, 0);
    // Ignored rows get a harmless uniform row (Keras zeroes them, which for probabilities is 0/0 in
    // the renormalization); their loss is masked to 0 below either way.
    p = ops.where(ops.expandDims(valid, -1), p, 1);
  }
  const oneHot = ops.oneHot(ops.cast(t, 'int32'), numClasses);
  let losses = ops.neg(ops.sum(ops.mul(oneHot, logProbabilities(p, fromLogits)), -1));
  if (valid) {
    losses = ops.where(valid, losses, 0);
    setLossMask(losses, valid);
  }
  return losses;
}

/**
 * Binary crossentropy, averaged over `axis` (the last by default): for each element
 * `-(y·log(p) + (1 − y)·log(1 − p))`. Probabilities are clipped to [ε, 1 − ε]; logits use the
 * stable form `softplus(x) − x·y`, finite for any logit. With `labelSmoothing` ls the targets
 * become `y·(1 − ls) + 0.5·ls`. Keras: `binary_crossentropy`.
 *
 * ```ts
 * kiln.losses.functions.binaryCrossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]); // [0.916, 0.714]
 * kiln.losses.functions.binaryCrossentropy(y, logits, { fromLogits: true });
 * ```
 */
export function binaryCrossentropy(yTrue: TensorLike, yPred: TensorLike, args: CrossentropyArgs = {}): Tensor {
  const where = 'binary_crossentropy';
  const fromLogits = checkFromLogits(option(args, 'fromLogits') ?? false, where);
  const smoothing = checkLabelSmoothing(option(args, 'labelSmoothing') ?? 0, where);
  let [t, p] = alignedPair(yTrue, yPred, where);
  const axis = classAxis(option(args, 'axis') ?? -1, p.rank, where);
  if (smoothing > 0) t = ops.add(ops.mul(t, 1 - smoothing), 0.5 * smoothing);
  const logits = fromLogits ? p : recallLogits(p, 'sigmoid');
  const elementwise = logits ? sigmoidCrossentropyWithLogits(t, logits) : probabilityBce(t, p);
  return ops.mean(elementwise, axis);
}

function probabilityBce(t: Tensor, p: Tensor): Tensor {
  const clipped = ops.clipByValue(p, EPSILON, 1 - EPSILON);
  const pos = ops.mul(t, ops.log(clipped));
  const neg = ops.mul(ops.sub(1, t), ops.log(ops.sub(1, clipped)));
  return ops.neg(ops.add(pos, neg));
}

/**
 * `softplus(x) − x·z`, with softplus written as `x/2 + (|x|/2 + log1p(exp(−|x|)))`. The bracket is
 * even in x, so its kink-free value and the zero subgradient of |x| at 0 agree, and the gradient at
 * x = 0 comes out as the true 1/2 − z. (The usual `max(x, 0) + log1p(exp(−|x|))` gets 0 − z there,
 * because relu's and abs's subgradients at 0 do not add up — and logits of exactly 0 are what a
 * zero-initialized output layer produces.)
 */
function sigmoidCrossentropyWithLogits(z: Tensor, x: Tensor): Tensor {
  const absX = ops.abs(x);
  const even = ops.add(ops.mul(absX, 0.5), ops.log1p(ops.exp(ops.neg(absX))));
  return ops.sub(ops.add(ops.mul(x, 0.5), even), ops.mul(x, z));
}
