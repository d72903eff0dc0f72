import { construct } from '../serialization/construct.js';
import {
  BinaryCrossentropy, CategoricalCrossentropy, Huber, LogCosh, MeanAbsoluteError, MeanAbsolutePercentageError,
  MeanSquaredError, SparseCategoricalCrossentropy,
} from './classes.js';

/*
 * kiln's naming rule, the same in losses, metrics, optimizers, initializers and regularizers (as
 * tfjs's `tf.train.adam()` / `tf.initializers.glorotUniform()` and Keras's classes):
 * - `new kiln.losses.BinaryCrossentropy(config)`: the class;
 * - `kiln.losses.binaryCrossentropy(config)`: its lower-camel factory, returning the same configured object;
 * - plain functions of tensors live under a separate name: `kiln.losses.functions.binaryCrossentropy(yTrue, yPred)`.
 * Configs take camelCase or Keras snake_case keys.
 */

/** `new BinaryCrossentropy(config)`: `kiln.losses.binaryCrossentropy({ fromLogits: true })`. */
export const binaryCrossentropy = (config?: ConstructorParameters<typeof BinaryCrossentropy>[0]) => construct(BinaryCrossentropy, config);
/** `new CategoricalCrossentropy(config)`. */
export const categoricalCrossentropy = (config?: ConstructorParameters<typeof CategoricalCrossentropy>[0]) => construct(CategoricalCrossentropy, config);
/** `new SparseCategoricalCrossentropy(config)`. */
export const sparseCategoricalCrossentropy = (config?: ConstructorParameters<typeof SparseCategoricalCrossentropy>[0]) =>
  construct(SparseCategoricalCrossentropy, config);
/** `new MeanSquaredError(config)`. */
export const meanSquaredError = (config?: ConstructorParameters<typeof MeanSquaredError>[0]) => construct(MeanSquaredError, config);
/** `new MeanAbsoluteError(config)`. */
export const meanAbsoluteError = (config?: ConstructorParameters<typeof MeanAbsoluteError>[0]) => construct(MeanAbsoluteError, config);
/** `new MeanAbsolutePercentageError(config)`. */
export const meanAbsolutePercentageError = (config?: ConstructorParameters<typeof MeanAbsolutePercentageError>[0]) =>
  construct(MeanAbsolutePercentageError, config);
/** `new Huber(config)`. */
export const huber = (config?: ConstructorParameters<typeof Huber>[0]) => construct(Huber, config);
/** `new LogCosh(config)`. */
export const logCosh = (config?: ConstructorParameters<typeof LogCosh>[0]) => construct(LogCosh, config);
