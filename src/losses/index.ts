/**
 * Losses, Keras 3 style: `Loss` classes whose `apply(yTrue, yPred, sampleWeight?)` weights and
 * reduces per-sample losses; lower-camel factories of the same objects; and the per-sample
 * functions under `kiln.losses.functions` (the naming rule: src/losses/factories.ts).
 *
 * ```ts
 * const loss = kiln.losses.sparseCategoricalCrossentropy({ fromLogits: true }); // a SparseCategoricalCrossentropy
 * loss.apply(labels, logits); // scalar
 * const perSample = kiln.losses.functions.sparseCategoricalCrossentropy(labels, logits, { fromLogits: true }); // [n]
 * kiln.losses.getLoss('mse');
 * ```
 */
export { Loss, getLossMask, setLossMask } from './loss.js';
export type { LossOptions } from './loss.js';
export { reduceWeightedValues, squeezeOrExpandToSameRank, standardizeReduction } from './reduction.js';
export type { Reduction } from './reduction.js';
export { EPSILON } from './crossentropy.js';
export type { CrossentropyArgs, SparseCrossentropyArgs } from './crossentropy.js';
export {
  binaryCrossentropy, categoricalCrossentropy, huber, logCosh, meanAbsoluteError, meanAbsolutePercentageError, meanSquaredError,
  sparseCategoricalCrossentropy,
} from './factories.js';
export * as functions from './functions.js';
export type { HuberArgs } from './regression.js';
export {
  BinaryCrossentropy, CategoricalCrossentropy, Huber, LogCosh, MeanAbsoluteError, MeanAbsolutePercentageError,
  MeanSquaredError, SparseCategoricalCrossentropy,
} from './classes.js';
export type { CrossentropyOptions, HuberOptions, SparseCrossentropyOptions } from './classes.js';
export { LossFunctionWrapper } from './wrapper.js';
export type { LossFunction } from './wrapper.js';
export { getLoss, lossNames, serializeLoss } from './lookup.js';
export type { BuiltinLossName, LossIdentifier, LossName } from './lookup.js';
export { classWeightToSampleWeight } from './class_weight.js';
