import type { Tensor } from '../core/tensor.js';
import { UnknownNameError, ValueError } from '../errors.js';
import type { Config } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import { NameTable } from '../serialization/names.js';
import { binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy } from './crossentropy.js';
import type { LossOptions } from './loss.js';
import { Loss } from './loss.js';
import { squeezeOrExpandToSameRank } from './reduction.js';
import { huber, logCosh, meanAbsoluteError, meanAbsolutePercentageError, meanSquaredError } from './regression.js';

/** A loss as a plain function: per-sample losses from targets and predictions. */
export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

/**
 * The built-in loss functions by Keras name (plus Keras's short aliases and tfjs's camelCase
 * spellings, which the table's lookup folds together). The first name of each row is the Keras
 * name written to configs.
 */
export const LOSS_FUNCTIONS = new NameTable<{ name: string; fn: LossFunction }>('loss function');
const def = (names: string[], fn: LossFunction) => LOSS_FUNCTIONS.add(names, { name: names[0]!, fn });
// The exported functions themselves (their option arguments default), so a wrapper around
// `kiln.losses.functions.huber` is recognised as the built-in when it is serialized.
def(['sparse_categorical_crossentropy'], sparseCategoricalCrossentropy);
def(['categorical_crossentropy'], categoricalCrossentropy);
def(['binary_crossentropy', 'bce'], binaryCrossentropy);
def(['mean_squared_error', 'mse'], meanSquaredError);
def(['mean_absolute_error', 'mae'], meanAbsoluteError);
def(['mean_absolute_percentage_error', 'mape'], meanAbsolutePercentageError);
def(['huber', 'huber_loss'], huber);
def(['log_cosh', 'logcosh'], logCosh);

/** The Keras name of a built-in loss function, or null for a user function. */
function builtinName(fn: LossFunction): string | null {
  for (const name of LOSS_FUNCTIONS.names()) if (LOSS_FUNCTIONS.get(name).fn === fn) return name;
  return null;
}

/**
 * Turns a plain loss function into a `Loss` (Keras's `LossFunctionWrapper`): `call` aligns the
 * ranks of `yTrue` and `yPred` like Keras, then calls the function; `apply` weights and reduces.
 *
 * ```ts
 * const cubic = new kiln.losses.LossFunctionWrapper(
 *   (t, p) => kiln.mean(kiln.abs(kiln.pow(kiln.sub(p, t), 3)), -1), { name: 'cubic' });
 * cubic.apply(kiln.tensor([[0]]), kiln.tensor([[2]])); // 8
 * ```
 */
export class LossFunctionWrapper extends Loss {
  static override readonly className = 'LossFunctionWrapper';
  readonly fn: LossFunction;

  constructor(fn: LossFunction, options: LossOptions = {}) {
    if (typeof fn !== 'function') throw new ValueError(`LossFunctionWrapper: fn must be a function (yTrue, yPred) => Tensor, found ${typeof fn}`);
    super(options, builtinName(fn) ?? (fn.name || 'loss'));
    this.fn = fn;
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
    return this.fn(t, p);
  }

  /** Built-in functions are written as Keras writes them; a user function only by its name. */
  override getConfig(): Config {
    const name = builtinName(this.fn);
    const fn = name
      ? { module: 'keras.losses', class_name: 'function', config: name, registered_name: 'function' }
      : (this.fn.name || null);
    return { ...super.getConfig(), fn };
  }

  /** Rebuilds wrappers of built-in functions; user functions cannot be restored from a file. */
  static override fromConfig(config: Config): LossFunctionWrapper {
    const { fn, ...rest } = config as Config & { fn?: unknown };
    const fnName = typeof fn === 'string' ? fn : (fn as { config?: unknown } | null)?.config;
    if (typeof fnName !== 'string' || !LOSS_FUNCTIONS.has(fnName)) {
      throw new UnknownNameError(
        `LossFunctionWrapper.fromConfig: cannot restore loss function ${JSON.stringify(fn)}; a saved file never carries code. ` +
          `Known: ${LOSS_FUNCTIONS.names().join(', ')}. Pass the function again when compiling.`,
      );
    }
    return new LossFunctionWrapper(LOSS_FUNCTIONS.get(fnName).fn, rest as LossOptions);
  }
}

registerClass(LossFunctionWrapper, { module: 'keras.losses' });
