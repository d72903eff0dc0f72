import type { Tensor } from '../core/tensor.js';
import { ValueError } from '../errors.js';
import type { Config } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import { option } from '../utils/args.js';
import { checkFromLogits, checkLabelSmoothing } from './checks.js';
import type { CrossentropyArgs, SparseCrossentropyArgs } from './crossentropy.js';
import { binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy } from './crossentropy.js';
import type { LossOptions } from './loss.js';
import { Loss } from './loss.js';
import type { HuberArgs } from './regression.js';
import { checkDelta, huber, logCosh, meanAbsoluteError, meanAbsolutePercentageError, meanSquaredError } from './regression.js';

/**
 * The built-in loss classes, registered under their Keras 3 class names with Keras's configs
 * (`keras/src/losses/losses.py`): `{ name, reduction }` plus each loss's own options.
 */

function checkAxis(axis: unknown, where: string): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis)) throw new ValueError(`${where}: axis must be an integer, found ${JSON.stringify(axis)}`);
  return axis;
}

export type CrossentropyOptions = LossOptions & CrossentropyArgs;

/** Shared by the categorical and binary crossentropy classes, whose options and configs agree. */
abstract class CrossentropyLoss extends Loss {
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;

  constructor(options: CrossentropyOptions, defaultName: string) {
    super(options, defaultName);
    this.fromLogits = checkFromLogits(option(options, 'fromLogits') ?? false, this.name);
    this.labelSmoothing = checkLabelSmoothing(option(options, 'labelSmoothing') ?? 0, this.name);
    this.axis = checkAxis(option(options, 'axis') ?? -1, this.name);
  }

  protected get args(): CrossentropyArgs {
    return { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis };
  }

  override getConfig(): Config {
    return { ...super.getConfig(), from_logits: this.fromLogits, label_smoothing: this.labelSmoothing, axis: this.axis };
  }
}

const CE_KEYS: readonly string[] = ['from_logits', 'label_smoothing', 'axis'];

/**
 * Crossentropy for one-hot (or soft) targets over `numClasses` outputs.
 *
 * ```ts
 * const loss = new kiln.losses.CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 });
 * loss.apply(yOneHot, logits); // scalar mean over the batch
 * ```
 */
export class CategoricalCrossentropy extends CrossentropyLoss {
  static override readonly className = 'CategoricalCrossentropy';
  constructor(options: CrossentropyOptions = {}) {
    super(options, 'categorical_crossentropy');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return categoricalCrossentropy(yTrue, yPred, this.args);
  }
  static override readonly configKeys: readonly string[] = CE_KEYS;
}

/**
 * Crossentropy for 0/1 targets (one or more independent binary outputs per sample).
 *
 * ```ts
 * const loss = new kiln.losses.BinaryCrossentropy({ fromLogits: true });
 * loss.apply(kiln.tensor([[1], [0]]), kiln.tensor([[2.5], [-1]]));
 * ```
 */
export class BinaryCrossentropy extends CrossentropyLoss {
  static override readonly className = 'BinaryCrossentropy';
  constructor(options: CrossentropyOptions = {}) {
    super(options, 'binary_crossentropy');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return binaryCrossentropy(yTrue, yPred, this.args);
  }
  static override readonly configKeys: readonly string[] = CE_KEYS;
}

export type SparseCrossentropyOptions = LossOptions & SparseCrossentropyArgs;

/**
 * Crossentropy for integer class labels (`[n]` or `[n, 1]`, int32 or whole-number float32).
 *
 * ```ts
 * const loss = new kiln.losses.SparseCategoricalCrossentropy({ fromLogits: true });
 * loss.apply(kiln.tensor([0, 2], undefined, 'int32'), logits);
 * ```
 */
export class SparseCategoricalCrossentropy extends Loss {
  static override readonly className = 'SparseCategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly ignoreClass: number | null;
  readonly axis: number;

  constructor(options: SparseCrossentropyOptions = {}) {
    super(options, 'sparse_categorical_crossentropy');
    this.fromLogits = checkFromLogits(option(options, 'fromLogits') ?? false, this.name);
    const ignoreClass = option<number | null>(options, 'ignoreClass') ?? null;
    if (ignoreClass !== null && !Number.isInteger(ignoreClass)) {
      throw new ValueError(`${this.name}: ignore_class must be an integer or null, found ${JSON.stringify(ignoreClass)}`);
    }
    this.ignoreClass = ignoreClass;
    this.axis = checkAxis(option(options, 'axis') ?? -1, this.name);
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return sparseCategoricalCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits, ignoreClass: this.ignoreClass, axis: this.axis });
  }
  override getConfig(): Config {
    return { ...super.getConfig(), from_logits: this.fromLogits, ignore_class: this.ignoreClass, axis: this.axis };
  }
  static override readonly configKeys: readonly string[] = ['from_logits', 'ignore_class', 'axis'];
}

/**
 * Mean squared error. `new kiln.losses.MeanSquaredError().apply([[1], [0]], [[0.9], [0.2]])` → 0.025.
 */
export class MeanSquaredError extends Loss {
  static override readonly className = 'MeanSquaredError';
  constructor(options: LossOptions = {}) {
    super(options, 'mean_squared_error');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return meanSquaredError(yTrue, yPred);
  }
  static override readonly configKeys: readonly string[] = [];
}

/** Mean absolute error. `new kiln.losses.MeanAbsoluteError().apply([1, 0.3, 1], [1.9, 0.3, 1.8])` → 0.5667. */
export class MeanAbsoluteError extends Loss {
  static override readonly className = 'MeanAbsoluteError';
  constructor(options: LossOptions = {}) {
    super(options, 'mean_absolute_error');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return meanAbsoluteError(yTrue, yPred);
  }
  static override readonly configKeys: readonly string[] = [];
}

/** Mean absolute percentage error. `new kiln.losses.MeanAbsolutePercentageError().apply([100, 200, 300], [90, 210, 310])` → 6.111. */
export class MeanAbsolutePercentageError extends Loss {
  static override readonly className = 'MeanAbsolutePercentageError';
  constructor(options: LossOptions = {}) {
    super(options, 'mean_absolute_percentage_error');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return meanAbsolutePercentageError(yTrue, yPred);
  }
  static override readonly configKeys: readonly string[] = [];
}

export type HuberOptions = LossOptions & HuberArgs;

/** Huber loss. `new kiln.losses.Huber({ delta: 1 }).apply([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])` → 0.155. */
export class Huber extends Loss {
  static override readonly className = 'Huber';
  readonly delta: number;
  constructor(options: HuberOptions = {}) {
    super(options, 'huber_loss');
    this.delta = checkDelta(option(options, 'delta') ?? 1.0, this.name);
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return huber(yTrue, yPred, { delta: this.delta });
  }
  override getConfig(): Config {
    return { ...super.getConfig(), delta: this.delta };
  }
  static override readonly configKeys: readonly string[] = ['delta'];
}

/** log(cosh(error)). `new kiln.losses.LogCosh().apply([[0, 1], [0, 0]], [[1, 1], [0, 0]])` → 0.108. */
export class LogCosh extends Loss {
  static override readonly className = 'LogCosh';
  constructor(options: LossOptions = {}) {
    super(options, 'log_cosh');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return logCosh(yTrue, yPred);
  }
  static override readonly configKeys: readonly string[] = [];
}

for (const cls of [
  CategoricalCrossentropy, BinaryCrossentropy, SparseCategoricalCrossentropy,
  MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError, Huber, LogCosh,
]) {
  registerClass(cls, { module: 'keras.losses' });
}
