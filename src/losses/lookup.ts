import { ValueError } from '../errors.js';
import type { CustomLosses, CustomNames, NamesOf, Spellings } from '../serialization/names.js';
import { NameTable } from '../serialization/names.js';
import type { SerializedObject } from '../serialization/registry.js';
import { deserialize, serialize } from '../serialization/registry.js';
import {
  BinaryCrossentropy, CategoricalCrossentropy, Huber, LogCosh, MeanAbsoluteError, MeanAbsolutePercentageError,
  MeanSquaredError, SparseCategoricalCrossentropy,
} from './classes.js';
import { Loss } from './loss.js';
import type { LossFunction } from './wrapper.js';
import { LOSS_FUNCTIONS, LossFunctionWrapper } from './wrapper.js';

/** A loss as `compile` takes it (`getLoss` also takes any string). */
export type LossIdentifier = LossName | Loss | LossFunction | (new () => Loss) | SerializedObject;

/**
 * Loss names: the Keras function name first (snake_case), then Keras's aliases; lookup ignores
 * case and underscores, so the tfjs camelCase ('meanSquaredError') and Keras class names
 * ('MeanSquaredError') resolve to the same entry.
 */
const BUILTIN_LOSSES = [
  [['sparse_categorical_crossentropy'], SparseCategoricalCrossentropy],
  [['categorical_crossentropy'], CategoricalCrossentropy],
  [['binary_crossentropy', 'bce'], BinaryCrossentropy],
  [['mean_squared_error', 'mse'], MeanSquaredError],
  [['mean_absolute_error', 'mae'], MeanAbsoluteError],
  [['mean_absolute_percentage_error', 'mape'], MeanAbsolutePercentageError],
  [['huber', 'huber_loss'], Huber],
  [['log_cosh', 'logcosh'], LogCosh],
] as const;
const BUILTIN = new NameTable<new () => Loss>('loss');
for (const [names, cls] of BUILTIN_LOSSES) BUILTIN.add(names, cls);

/** The built-in loss names (Keras function names and aliases). */
export type BuiltinLossName = NamesOf<typeof BUILTIN_LOSSES>;
/** A loss name: a built-in one ('mean_squared_error', 'meanSquaredError', 'MeanSquaredError', 'mse') or one declared in `CustomLosses`. */
export type LossName = Spellings<BuiltinLossName> | CustomNames<CustomLosses>;

const BUILTIN_CLASSES = new Set<unknown>([
  SparseCategoricalCrossentropy, CategoricalCrossentropy, BinaryCrossentropy, MeanSquaredError,
  MeanAbsoluteError, MeanAbsolutePercentageError, Huber, LogCosh, LossFunctionWrapper,
]);

function isLossClass(x: unknown): x is new () => Loss {
  return typeof x === 'function' && x.prototype instanceof Loss;
}

/**
 * Resolves a loss identifier to a `Loss`: a Keras name ('sparse_categorical_crossentropy', 'mse',
 * 'mae', 'mape', 'bce', 'logcosh'), a tfjs name ('meanSquaredError'), a Keras class name
 * ('SparseCategoricalCrossentropy'), a `Loss` instance (returned as is), a `Loss` subclass, a plain
 * function `(yTrue, yPred) => Tensor` (wrapped), or a `{ class_name, config }` object.
 * Names give the loss with its default options. Unknown names throw UnknownNameError.
 *
 * ```ts
 * kiln.losses.getLoss('sparse_categorical_crossentropy');
 * kiln.losses.getLoss({ class_name: 'CategoricalCrossentropy', config: { from_logits: true } });
 * kiln.losses.getLoss((yTrue, yPred) => kiln.mean(kiln.abs(kiln.sub(yTrue, yPred)), -1));
 * ```
 */
export function getLoss(identifier: LossIdentifier | string): Loss {
  if (identifier instanceof Loss) return identifier;
  if (typeof identifier === 'string') return new (BUILTIN.get(identifier, 'getLoss'))();
  if (isLossClass(identifier)) return new identifier();
  if (typeof identifier === 'function') return new LossFunctionWrapper(identifier as LossFunction);
  if (identifier && typeof identifier === 'object' && typeof identifier.class_name === 'string') {
    // Keras writes a bare built-in function as { class_name: 'function', config: 'mean_squared_error' }.
    if (identifier.class_name === 'function' && typeof (identifier.config as unknown) === 'string') {
      return new LossFunctionWrapper(LOSS_FUNCTIONS.get(identifier.config as unknown as string, 'getLoss').fn);
    }
    const obj = deserialize(identifier, 'getLoss', 'keras.losses');
    if (!(obj instanceof Loss)) {
      throw new ValueError(`getLoss: class '${identifier.class_name}' is not a Loss`);
    }
    return obj;
  }
  throw new ValueError(
    `getLoss: expected a loss name, a Loss, a function (yTrue, yPred) => Tensor, or {class_name, config}; found ${
      identifier === null ? 'null' : typeof identifier
    }`,
  );
}

/** The names `getLoss` accepts (Keras spellings; tfjs camelCase forms are accepted too). */
export function lossNames(): string[] {
  return BUILTIN.names();
}

/**
 * The config form of a loss, as Keras 3 writes it:
 * `{ module: 'keras.losses', class_name, config, registered_name: null }` for built-ins.
 *
 * ```ts
 * kiln.losses.serializeLoss(new kiln.losses.Huber({ delta: 2 }));
 * // { module: 'keras.losses', class_name: 'Huber', config: { name: 'huber_loss', reduction: 'sum_over_batch_size', delta: 2 }, registered_name: null }
 * ```
 */
export function serializeLoss(loss: Loss): SerializedObject {
  const s = serialize(loss);
  if (!BUILTIN_CLASSES.has(loss.constructor)) return s;
  return { module: 'keras.losses', class_name: s.class_name, config: s.config, registered_name: null };
}
