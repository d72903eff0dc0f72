import type { Tensor } from '../core/tensor.js';
import { ValueError } from '../errors.js';
import type { TensorLike } from '../ops/creation.js';
import { asTensor, cast } from '../ops/math.js';
import type { Config, Serializable } from '../serialization/registry.js';
import { constructFromConfig } from '../serialization/registry.js';
import { option } from '../utils/args.js';
import { toSnakeCase } from '../utils/naming.js';
import type { Reduction } from './reduction.js';
import { reduceWeightedValues, standardizeReduction } from './reduction.js';

/** Options every loss accepts (camelCase or Keras snake_case). */
export interface LossOptions {
  /** Defaults to the loss's Keras name, e.g. 'sparse_categorical_crossentropy'. */
  name?: string;
  /** Defaults to 'sum_over_batch_size'. */
  reduction?: Reduction;
}

// Keras attaches a mask to a loss tensor (`backend.set_keras_mask`) when some entries must not
// count, e.g. labels equal to `ignore_class`. kiln tensors carry no mask field, so the mask rides
// beside the tensor here; a WeakMap lets both be collected together.
const masks = new WeakMap<Tensor, Tensor>();

/** Marks which entries of a per-sample loss tensor count (1) and which are ignored (0). */
export function setLossMask(losses: Tensor, mask: Tensor): void {
  masks.set(losses, mask);
}

export function getLossMask(losses: Tensor): Tensor | null {
  return masks.get(losses) ?? null;
}

/**
 * The base of every loss, following Keras 3's contract: `call(yTrue, yPred)` returns per-sample
 * losses (one per sample, or per timestep/pixel), and `apply(yTrue, yPred, sampleWeight?)` — Keras's
 * `__call__` — weights them and reduces them per `reduction`. Subclasses set a static `className`
 * (the Keras class name) and implement `call`.
 *
 * ```ts
 * class MeanCubicError extends kiln.losses.Loss {
 *   static override readonly className = 'MeanCubicError';
 *   call(yTrue: kiln.Tensor, yPred: kiln.Tensor) {
 *     return kiln.mean(kiln.abs(kiln.pow(kiln.sub(yPred, yTrue), 3)), -1);
 *   }
 * }
 * kiln.registerClass(MeanCubicError);
 * new MeanCubicError().apply(kiln.tensor([[1, 2]]), kiln.tensor([[1, 4]])); // 4
 * ```
 */
export abstract class Loss implements Serializable {
  static readonly className: string = 'Loss';
  /**
   * The config keys this loss reads besides name and reduction. When set (the built-ins set it),
   * `fromConfig` refuses any other key; null (the default, for user classes) checks nothing.
   */
  static readonly configKeys: readonly string[] | null = null;
  readonly name: string;
  readonly reduction: Reduction;

  constructor(options: LossOptions = {}, defaultName?: string) {
    const className = (new.target as unknown as { className: string }).className;
    const name = option<string>(options, 'name') ?? defaultName ?? toSnakeCase(className);
    if (typeof name !== 'string' || !name) throw new ValueError(`${className}: name must be a non-empty string, found ${JSON.stringify(name)}`);
    this.name = name;
    this.reduction = standardizeReduction(readReduction(options), `${className} '${name}'`);
  }

  /** Per-sample losses: `yPred`'s shape without its last (class/feature) axis, typically `[batch]`. */
  abstract call(yTrue: Tensor, yPred: Tensor): Tensor;

  /**
   * The loss value (Keras's `__call__`): per-sample losses from `call`, multiplied by
   * `sampleWeight` (aligned like Keras: `[n]` or `[n, 1]` weights for `[n]` losses), then reduced.
   *
   * ```ts
   * const mse = new kiln.losses.MeanSquaredError();
   * mse.apply(kiln.tensor([[0], [1]]), kiln.tensor([[1], [1]]), kiln.tensor([2, 1])); // (2·1 + 1·0) / 2 = 1
   * ```
   */
  apply(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): Tensor {
    // Like Keras, both arrive as float32: integer labels (exact up to 2^24) included.
    const losses = this.call(cast(asTensor(yTrue), 'float32'), cast(asTensor(yPred), 'float32'));
    const weights = sampleWeight === undefined || sampleWeight === null ? null : asTensor(sampleWeight);
    return reduceWeightedValues(losses, weights, getLossMask(losses), this.reduction, this.name);
  }

  /**
   * Rebuilds a loss from `getConfig()` output: `new this(config)` (Keras's default `from_config`),
   * after checking the keys against `configKeys`.
   */
  static fromConfig(config: Config): Loss {
    if (this.configKeys) checkConfigKeys(config, this.configKeys, this.className);
    return constructFromConfig<Loss>(this, config);
  }

  /** Keras's config: `{ name, reduction }` plus each loss's own options, in snake_case. */
  getConfig(): Config {
    return { name: this.name, reduction: this.reduction };
  }
}

/**
 * Reads `reduction` from options or a config. Keras 2 configs say 'auto', which Keras 3 dropped;
 * it meant the default, so old files still load.
 */
function readReduction(options: LossOptions): unknown {
  const r = option<unknown>(options, 'reduction');
  return r === 'auto' ? 'sum_over_batch_size' : r;
}

/** Config keys a loss's `fromConfig` tolerates without using: Keras's dtype, and `fn` from older files. */
const TOLERATED = new Set(['name', 'reduction', 'dtype', 'fn']);

/** Refuses config keys a loss does not know, so a typo never silently falls back to a default. */
export function checkConfigKeys(config: Config, known: readonly string[], className: string): void {
  for (const key of Object.keys(config)) {
    if (!TOLERATED.has(key) && !known.includes(key)) {
      throw new ValueError(`${className}.fromConfig: unknown config key '${key}'; expected ${[...TOLERATED, ...known].join(', ')}`);
    }
  }
}
