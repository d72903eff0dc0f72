/**
 * The per-sample loss functions, as Keras's `keras.losses.binary_crossentropy(y_true, y_pred)`:
 * `(yTrue, yPred, options?) → Tensor` of one loss per sample, unreduced and unweighted. They live
 * under `kiln.losses.functions` because the lower-camel names in `kiln.losses` are factories of
 * configured Loss objects (the naming rule: see src/losses/factories.ts).
 *
 * ```ts
 * const perSample = kiln.losses.functions.sparseCategoricalCrossentropy([0, 1], logits, { fromLogits: true }); // [2]
 * ```
 */
export { binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy } from './crossentropy.js';
export { huber, logCosh, meanAbsoluteError, meanAbsolutePercentageError, meanSquaredError } from './regression.js';
