import { formatShape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { ShapeError, ValueError } from '../errors.js';
import * as ops from '../ops/index.js';
import { roundHalfEven } from '../core/special.js';

/**
 * Turns `classWeight` (class index → weight) into one sample weight per row of `yTrue`, by Keras's
 * rule (`keras/src/trainers/data_adapters/data_adapter_utils.py`, `class_weight_to_sample_weights`):
 * sparse labels `[n]` index the table directly; `[n, 1]` labels (binary, or sparse with a trailing
 * axis) use the rounded label value; one-hot/categorical `[n, numClasses]` labels use their argmax.
 * Classes missing from the table weigh 1. `outputShape` is the model output's shape (batch axis
 * may be null); its last axis gives the number of classes (1 means binary: classes 0 and 1), and
 * every key must be one of them.
 *
 * ```ts
 * const y = kiln.tensor([0, 1, 1, 2], undefined, 'int32');
 * kiln.losses.classWeightToSampleWeight(y, { 0: 1, 1: 0.5, 2: 4 }, [null, 3]); // [1, 0.5, 0.5, 4]
 * ```
 */
export function classWeightToSampleWeight(
  yTrue: Tensor,
  classWeight: Record<number, number>,
  outputShape: readonly (number | null)[],
): Tensor {
  const numClasses = classCount(outputShape);
  const table = checkClassWeight(classWeight, numClasses);
  if (yTrue.rank < 1 || yTrue.rank > 2) {
    throw new ShapeError(`class_weight: y of shape ${formatShape(yTrue.shape)} is not supported; expected [n], [n, 1] or [n, numClasses]`);
  }
  const last = yTrue.rank === 2 ? yTrue.shape[1]! : 1;
  if (last !== 1 && numClasses !== null && last !== numClasses) {
    throw new ShapeError(
      `class_weight: y of shape ${formatShape(yTrue.shape)} does not fit the model output ${formatShape(outputShape)}; ` +
        `expected [n], [n, 1] or [n, ${numClasses}]`,
    );
  }
  const classes = (last === 1 ? ops.reshape(yTrue, [-1]) : ops.argMax(yTrue, -1)).dataSync();
  const weights = new Float32Array(classes.length);
  for (let i = 0; i < classes.length; i++) {
    weights[i] = table.get(roundHalfEven(classes[i]!)) ?? 1;
  }
  return ops.fromValues(weights, [weights.length]);
}

/** Classes of a model output: its last dimension, 2 for a single (binary) unit, null when unknown. */
function classCount(outputShape: readonly (number | null)[]): number | null {
  if (!Array.isArray(outputShape) || outputShape.length === 0) {
    throw new ShapeError(`class_weight: expected the model output shape (e.g. [null, 10]), found ${JSON.stringify(outputShape)}`);
  }
  const last = outputShape[outputShape.length - 1];
  if (last === null || last === undefined) return null;
  return last === 1 ? 2 : last;
}

/** Checks keys (integer class indices within the output's classes) and weights (finite, ≥ 0). */
function checkClassWeight(classWeight: unknown, numClasses: number | null): Map<number, number> {
  if (!classWeight || typeof classWeight !== 'object' || Array.isArray(classWeight)) {
    throw new ValueError(`class_weight: expected an object mapping class indices to weights, e.g. {0: 1, 1: 5}; found ${JSON.stringify(classWeight)}`);
  }
  const entries = classWeight instanceof Map ? [...classWeight.entries()] : Object.entries(classWeight);
  const table = new Map<number, number>();
  for (const [key, value] of entries) {
    const k = Number(key);
    if (String(key).trim() === '' || !Number.isInteger(k)) {
      throw new ValueError(`class_weight: key ${JSON.stringify(key)} is not an integer class index`);
    }
    if (k < 0 || (numClasses !== null && k >= numClasses)) {
      const range = numClasses === null ? 'class indices are >= 0' : `the model output has classes 0..${numClasses - 1}`;
      throw new ValueError(`class_weight: key ${k} is not a class of this model (${range})`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new ValueError(`class_weight: weight for class ${k} must be a finite number >= 0, found ${JSON.stringify(value)}`);
    }
    table.set(k, value);
  }
  return table;
}
