/**
 * Losses, Keras 3 style: functions that return per-sample losses, and `Loss` classes whose
 * `apply(yTrue, yPred, sampleWeight?)` weights and reduces them.
 *
 * ```ts
 * const perSample = kiln.losses.sparseCategoricalCrossentropy(labels, logits, { fromLogits: true }); // [n]
 * const loss = new kiln.losses.SparseCategoricalCrossentropy({ fromLogits: true });
 * loss.apply(labels, logits); // scalar
 * kiln.losses.getLoss('mse');
 * ```
 */
export { Loss, getLossMask, setLossMask } from './loss.js';
export type { LossOptions } from './loss.js';
export { reduceWeightedValues, squeezeOrExpandToSameRank, standardizeReduction } from './reduction.js';
export type { Reduction } from './reduction.js';
export { EPSILON, binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy } from './crossentropy.js';
export type { CrossentropyArgs, SparseCrossentropyArgs } from './crossentropy.js';
export { huber, logCosh, meanAbsoluteError, meanAbsolutePercentageError, meanSquaredError } from './regression.js';
export type { HuberArgs } from './regression.js';
export {
  BinaryCrossentropy, CategoricalCrossentropy, Huber, LogCosh, MeanAbsoluteError, MeanAbsolutePercentageError,
  MeanSquaredError, SparseCategoricalCrossentropy,
} from './classes.js';
export type { CrossentropyOptions, HuberOptions, SparseCrossentropyOptions } from './classes.js';
export { LossFunctionWrapper } from './wrapper.js';
export type { LossFunction } from './wrapper.js';
export { getLoss, lossNames, serializeLoss } from './lookup.js';
export type { LossIdentifier } from './lookup.js';
export { classWeightToSampleWeight } from './class_weight.js';
