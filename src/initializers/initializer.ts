import type { DType } from '../core/dtype.js';
import { checkDType } from '../core/dtype.js';
import { RandomStream, randomStream } from '../core/random.js';
import { checkShape, sizeOf } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { DTypeError, ValueError } from '../errors.js';
import { fromValues } from '../ops/creation.js';
import type { Config, Serializable } from '../serialization/registry.js';
import { constructFromConfig } from '../serialization/registry.js';
import { option } from '../utils/args.js';

/**
 * Makes the initial value of a weight (Keras 3 `keras.initializers.Initializer`).
 * Subclasses set `static className` to the Keras class name and implement `call` and, when they
 * have options, `getConfig` (the inherited `fromConfig` calls the constructor with the config).
 *
 * ```ts
 * const w = new kiln.initializers.GlorotUniform().call([784, 64]);
 * ```
 */
export abstract class Initializer implements Serializable {
  static readonly className: string;

  /** Rebuilds an initializer from `getConfig()` output: `new this(config)`, as Keras's default `from_config`. */
  static fromConfig(config: Config): Initializer {
    return constructFromConfig<Initializer>(this, config);
  }

  abstract call(shape: readonly number[], dtype?: DType): Tensor;
  getConfig(): Config {
    return {};
  }
}

/** Checks a requested shape and dtype; `where` names the initializer in messages. */
export function checkRequest(shape: readonly number[], dtype: DType, where: string): void {
  checkShape([...shape], where);
  checkDType(dtype, where);
}

/** Options shared by the random initializers. */
export interface SeedArgs {
  /**
   * null (default): draw from kiln's seeded 'init' stream, so `kiln.setSeed` makes runs
   * reproducible and each call gives new values. An integer: every call gives the same values
   * (Keras 3's meaning of an integer seed).
   */
  seed?: number | null;
}

/**
 * Base of the random initializers: holds the seed and picks the random stream for each call.
 */
export abstract class RandomInitializer extends Initializer {
  readonly seed: number | null;

  constructor(args: SeedArgs = {}) {
    super();
    const seed = option<number | null>(args, 'seed') ?? null;
    if (seed !== null && !Number.isInteger(seed)) {
      throw new ValueError(`${(this.constructor as typeof Initializer).className}: seed must be an integer or null, found ${JSON.stringify(seed)}`);
    }
    this.seed = seed;
  }

  /** The global 'init' stream, or a fresh stream from the fixed seed (same values every call). */
  protected stream(): RandomStream {
    return this.seed === null ? randomStream('init') : new RandomStream(this.seed, 'init');
  }

  protected checkFloatRequest(shape: readonly number[], dtype: DType): void {
    const name = (this.constructor as typeof Initializer).className;
    checkRequest(shape, dtype, name);
    if (dtype !== 'float32') throw new DTypeError(`${name}: random initializers make float32 weights, found dtype '${dtype}'`);
  }

  /** Fills a float32 tensor of `shape` with `draw()`; random values in int32 make no sense. */
  protected sample(shape: readonly number[], dtype: DType, draw: (r: RandomStream) => number): Tensor {
    this.checkFloatRequest(shape, dtype);
    const r = this.stream();
    const v = new Float32Array(sizeOf(shape));
    for (let i = 0; i < v.length; i++) v[i] = draw(r);
    return fromValues(v, shape, 'float32');
  }

  override getConfig(): Config {
    return { seed: this.seed };
  }
}

/** Reads a finite number option (camelCase or snake_case) with a default, or throws a ValueError. */
export function numberOption(args: object | undefined, camel: string, fallback: number, where: string): number {
  const v = option<number>(args, camel) ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new ValueError(`${where}: ${camel} must be a finite number, found ${JSON.stringify(v)}`);
  }
  return v;
}
