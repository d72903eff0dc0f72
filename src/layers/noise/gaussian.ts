import * as P from '../../core/primitives.js';
import type { Tensor } from '../../core/tensor.js';
import { ValueError } from '../../errors.js';
import { fromValues } from '../../ops/creation.js';
import type { Config } from '../../serialization/registry.js';
import { registerClass } from '../../serialization/registry.js';
import { option } from '../../utils/args.js';
import type { Spelled } from '../../utils/options.js';
import { optionNames } from '../../utils/options.js';
import type { CallOptions, LayerArgs } from '../layer.js';
import { LAYER_OPTIONS, Layer } from '../layer.js';
import { layerLabel, show } from '../validation.js';
import { LayerRandom, rateOption } from './seeded.js';

/** Normal draws as a tensor of `shape`: mean + stddev · N(0, 1), from `random`'s stream. */
function normalNoise(random: LayerRandom, shape: readonly number[], mean: number, stddev: number): Tensor {
  const stream = random.stream;
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = mean + stddev * stream.normal();
  return fromValues(values, shape);
}

const asFloat = (x: Tensor) => (x.dtype === 'float32' ? x : P.cast(x, 'float32'));

export interface GaussianNoiseArgs extends LayerArgs {
  /** Standard deviation of the additive zero-mean noise. */
  stddev: number;
  /** Gives the layer its own random stream (otherwise kiln's seeded 'dropout' stream). */
  seed?: number | null;
}

/**
 * Adds zero-mean Gaussian noise with standard deviation `stddev` while training (a regularizer
 * and a cheap data augmentation for real-valued inputs). Identity at inference.
 *
 * ```ts
 * kiln.layers.gaussianNoise({ stddev: 0.1 });
 * ```
 */
export class GaussianNoise extends Layer {
  static override readonly className = 'GaussianNoise';
  static override readonly optionNames = optionNames<GaussianNoiseArgs>({ ...LAYER_OPTIONS, stddev: true, seed: true });
  readonly stddev: number;
  private readonly random: LayerRandom;

  constructor(args: Spelled<GaussianNoiseArgs>) {
    super(args);
    const stddev = option<unknown>(args, 'stddev');
    if (typeof stddev !== 'number' || !Number.isFinite(stddev) || stddev < 0) {
      throw new ValueError(`${layerLabel(this)}: stddev is required, a finite number >= 0, found ${show(stddev)}`);
    }
    this.stddev = stddev;
    this.random = new LayerRandom(this, args, 'dropout');
  }

  get seed(): number | null {
    return this.random.seed;
  }

  call(x: Tensor, { training }: CallOptions): Tensor {
    if (!training || this.stddev === 0) return x;
    return P.binary('add', asFloat(x), normalNoise(this.random, x.shape, 0, this.stddev));
  }

  override getConfig(): Config {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed };
  }
}
registerClass(GaussianNoise, { module: 'keras.layers' });

export interface GaussianDropoutArgs extends LayerArgs {
  /** Drop probability, in [0, 1): the noise has standard deviation sqrt(rate / (1 - rate)). */
  rate: number;
  /** Gives the layer its own random stream (otherwise kiln's seeded 'dropout' stream). */
  seed?: number | null;
}

/**
 * Multiplies its inputs by Gaussian noise of mean 1 and standard deviation sqrt(rate / (1 − rate))
 * while training: the same mean and variance as inverted dropout's mask at that rate, but
 * continuous (Srivastava et al., 2014, section 10). Identity at inference.
 *
 * ```ts
 * kiln.layers.gaussianDropout({ rate: 0.2 });
 * ```
 */
export class GaussianDropout extends Layer {
  static override readonly className = 'GaussianDropout';
  static override readonly optionNames = optionNames<GaussianDropoutArgs>({ ...LAYER_OPTIONS, rate: true, seed: true });
  readonly rate: number;
  private readonly random: LayerRandom;

  constructor(args: Spelled<GaussianDropoutArgs>) {
    super(args);
    this.rate = rateOption(this, args);
    this.random = new LayerRandom(this, args, 'dropout');
  }

  get seed(): number | null {
    return this.random.seed;
  }

  call(x: Tensor, { training }: CallOptions): Tensor {
    if (!training || this.rate === 0) return x;
    const stddev = Math.sqrt(this.rate / (1 - this.rate));
    return P.binary('mul', asFloat(x), normalNoise(this.random, x.shape, 1, stddev));
  }

  override getConfig(): Config {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
registerClass(GaussianDropout, { module: 'keras.layers' });
