import type { DType } from '../core/dtype.js';
import type { RandomStream } from '../core/random.js';
import type { Tensor } from '../core/tensor.js';
import { ValueError } from '../errors.js';
import type { Config } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import type { SeedArgs } from './initializer.js';
import { RandomInitializer, numberOption } from './initializer.js';

/**
 * Random initializers with fixed parameters (`keras/src/initializers/random_initializers.py`).
 * All draw from kiln's seeded 'init' stream unless given their own integer seed.
 */

/**
 * A normal sample cut to [mean − 2·stddev, mean + 2·stddev] by redrawing values outside it —
 * the method of Keras 3's `random.truncated_normal` (TensorFlow's and the NumPy backend's). The
 * result's standard deviation is about 0.88 × `stddev` (see VarianceScaling's correction).
 */
export function truncatedNormalDraw(r: RandomStream, mean: number, stddev: number): number {
  for (;;) {
    const z = r.normal();
    if (z >= -2 && z <= 2) return mean + stddev * z;
  }
}

export interface RandomUniformArgs extends SeedArgs {
  minval?: number;
  maxval?: number;
}

/**
 * Uniform values in [minval, maxval); Keras 3's defaults are −0.05 and 0.05.
 *
 * ```ts
 * new kiln.initializers.RandomUniform({ minval: -1, maxval: 1 }).call([10, 10]);
 * ```
 */
export class RandomUniform extends RandomInitializer {
  static override readonly className = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;
  constructor(args: RandomUniformArgs = {}) {
    super(args);
    this.minval = numberOption(args, 'minval', -0.05, 'RandomUniform');
    this.maxval = numberOption(args, 'maxval', 0.05, 'RandomUniform');
    if (!(this.maxval >= this.minval)) {
      throw new ValueError(`RandomUniform: maxval must be >= minval, found minval ${this.minval} and maxval ${this.maxval}`);
    }
  }
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const { minval, maxval } = this;
    return this.sample(shape, dtype, (r) => minval + (maxval - minval) * r.uniform());
  }
  override getConfig(): Config {
    return { ...super.getConfig(), minval: this.minval, maxval: this.maxval };
  }
}

export interface RandomNormalArgs extends SeedArgs {
  mean?: number;
  stddev?: number;
}

function checkStddev(stddev: number, where: string): void {
  if (stddev < 0) throw new ValueError(`${where}: stddev must be >= 0, found ${stddev}`);
}

/**
 * Normal values; Keras 3's defaults are mean 0 and stddev 0.05.
 *
 * ```ts
 * new kiln.initializers.RandomNormal({ stddev: 0.01 }).call([4, 4]);
 * ```
 */
export class RandomNormal extends RandomInitializer {
  static override readonly className = 'RandomNormal';
  readonly mean: number;
  readonly stddev: number;
  constructor(args: RandomNormalArgs = {}) {
    super(args);
    this.mean = numberOption(args, 'mean', 0, 'RandomNormal');
    this.stddev = numberOption(args, 'stddev', 0.05, 'RandomNormal');
    checkStddev(this.stddev, 'RandomNormal');
  }
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const { mean, stddev } = this;
    return this.sample(shape, dtype, (r) => mean + stddev * r.normal());
  }
  override getConfig(): Config {
    return { ...super.getConfig(), mean: this.mean, stddev: this.stddev };
  }
}

/**
 * Normal values redrawn until within two standard deviations of the mean (defaults: mean 0,
 * stddev 0.05, as in Keras 3).
 *
 * ```ts
 * new kiln.initializers.TruncatedNormal({ stddev: 0.02 }).call([768, 768]);
 * ```
 */
export class TruncatedNormal extends RandomInitializer {
  static override readonly className = 'TruncatedNormal';
  readonly mean: number;
  readonly stddev: number;
  constructor(args: RandomNormalArgs = {}) {
    super(args);
    this.mean = numberOption(args, 'mean', 0, 'TruncatedNormal');
    this.stddev = numberOption(args, 'stddev', 0.05, 'TruncatedNormal');
    checkStddev(this.stddev, 'TruncatedNormal');
  }
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const { mean, stddev } = this;
    return this.sample(shape, dtype, (r) => truncatedNormalDraw(r, mean, stddev));
  }
  override getConfig(): Config {
    return { ...super.getConfig(), mean: this.mean, stddev: this.stddev };
  }
}

registerClass(RandomUniform, { module: 'keras.initializers' });
registerClass(RandomNormal, { module: 'keras.initializers' });
registerClass(TruncatedNormal, { module: 'keras.initializers' });
