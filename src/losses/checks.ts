import { formatShape, normalizeAxis, shapesEqual } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { ShapeError, ValueError } from '../errors.js';
import type { TensorLike } from '../ops/creation.js';
import { asTensor, cast } from '../ops/math.js';
import { squeezeOrExpandToSameRank } from './reduction.js';

/**
 * Argument checks shared by the loss functions. Broadcasting would silently turn mismatched
 * `y_true`/`y_pred` into a plausible-looking number (`[n, 1]` vs `[n, 10]` gives `[n, 10]`), so
 * every loss insists on matching shapes once Keras's rank alignment has run.
 */

/** Converts both inputs to float32 tensors, aligns their ranks like Keras, and requires equal shapes. */
export function alignedPair(yTrue: TensorLike, yPred: TensorLike, where: string): [Tensor, Tensor] {
  const t0 = cast(asTensor(yTrue), 'float32');
  const p0 = cast(asTensor(yPred), 'float32');
  const [t, p] = squeezeOrExpandToSameRank(t0, p0);
  if (!shapesEqual(t.shape, p.shape)) {
    throw new ShapeError(
      `${where}: y_true of shape ${formatShape(t0.shape)} does not match y_pred of shape ${formatShape(p0.shape)} ` +
        '(after aligning ranks they must be equal)',
    );
  }
  if (p.rank < 1) {
    throw new ShapeError(`${where}: y_true and y_pred need rank >= 1 (a batch axis), found scalars`);
  }
  return [t, p];
}

/** A class axis of `yPred` as a non-negative index, with a ValueError naming `axis`. */
export function classAxis(axis: unknown, rank: number, where: string): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis)) {
    throw new ValueError(`${where}: axis must be an integer, found ${JSON.stringify(axis)}`);
  }
  return normalizeAxis(axis, rank, `${where}: axis`);
}

export function checkLabelSmoothing(labelSmoothing: unknown, where: string): number {
  if (typeof labelSmoothing !== 'number' || !(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new ValueError(`${where}: label_smoothing must be a number in [0, 1], found ${JSON.stringify(labelSmoothing)}`);
  }
  return labelSmoothing;
}

export function checkFromLogits(fromLogits: unknown, where: string): boolean {
  if (typeof fromLogits !== 'boolean') {
    throw new ValueError(`${where}: from_logits must be true or false, found ${JSON.stringify(fromLogits)}`);
  }
  return fromLogits;
}

/**
 * Checks sparse labels: int32, or float32 holding whole numbers, each in [0, numClasses) or equal
 * to `ignoreClass`. Out-of-range labels would otherwise one-hot to all zeros and give a loss of 0.
 * Reads the labels (not the predictions), so it does not touch the gradient graph.
 */
export function checkSparseLabels(labels: Tensor, numClasses: number, ignoreClass: number | null, where: string): void {
  const v = labels.dataSync();
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (x === ignoreClass) continue;
    if (!Number.isInteger(x)) {
      throw new ValueError(`${where}: y_true label ${x} at position ${i} is not an integer class index (valid range [0, ${numClasses}))`);
    }
    if (x < 0 || x >= numClasses) {
      throw new ValueError(
        `${where}: y_true label ${x} at position ${i} is out of range [0, ${numClasses}) for y_pred with ${numClasses} classes`,
      );
    }
  }
}
