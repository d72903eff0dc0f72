import * as P from '../../core/primitives.js';
import { formatShape } from '../../core/shape.js';
import type { Tensor } from '../../core/tensor.js';
import { ShapeError, ValueError } from '../../errors.js';
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

// SELU's constants (Klambauer et al., 2017): the fixed point of mean 0 and variance 1.
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
/** The value SELU saturates to for large negative inputs: a dropped unit is set to it. */
const ALPHA_PRIME = -SELU_ALPHA * SELU_SCALE;

export interface AlphaDropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop, in [0, 1). */
  rate: number;
  /** Shape of the mask, broadcast against the input (`null` takes the input's size), as Dropout's. */
  noiseShape?: readonly (number | null)[] | null;
  /** Gives the layer its own random stream (otherwise kiln's seeded 'dropout' stream). */
  seed?: number | null;
}

/**
 * Dropout for self-normalizing (SELU) networks. Setting dropped units to 0 would shift the mean
 * and variance SELU keeps at 0 and 1; instead they are set to SELU's negative saturation value
 * α' = −λα, and the result is mapped back by an affine a·x + b with
 * a = ((1 − rate)(1 + rate·α'²))^(−1/2) and b = −a·α'·rate, which restores mean 0 and variance 1
 * for standardized inputs. Identity at inference.
 *
 * ```ts
 * kiln.layers.alphaDropout({ rate: 0.1 });
 * ```
 */
export class AlphaDropout extends Layer {
  static override readonly className = 'AlphaDropout';
  static override readonly optionNames = optionNames<AlphaDropoutArgs>({ ...LAYER_OPTIONS, rate: true, noiseShape: true, seed: true });
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  private readonly random: LayerRandom;

  constructor(args: Spelled<AlphaDropoutArgs>) {
    super(args);
    this.rate = rateOption(this, args);
    const noiseShape = option<unknown>(args, 'noiseShape') ?? null;
    if (noiseShape !== null && !(Array.isArray(noiseShape) && noiseShape.every((d) => d === null || (Number.isInteger(d) && d > 0)))) {
      throw new ValueError(`${layerLabel(this)}: noise_shape must be a list of positive integers or null, found ${show(noiseShape)}`);
    }
    this.noiseShape = noiseShape === null ? null : [...(noiseShape as (number | null)[])];
    this.random = new LayerRandom(this, args, 'dropout');
  }

  get seed(): number | null {
    return this.random.seed;
  }

  private maskShape(inputShape: readonly number[]): number[] {
    if (!this.noiseShape) return [...inputShape];
    const shape = this.noiseShape.map((d, i) => d ?? inputShape[i]!);
    if (shape.length !== inputShape.length || shape.some((d, i) => d !== 1 && d !== inputShape[i])) {
      throw new ShapeError(`${layerLabel(this)}: noise_shape ${formatShape(this.noiseShape)} does not broadcast to the input shape ${formatShape(inputShape)}`);
    }
    return shape;
  }

  call(x: Tensor, { training }: CallOptions): Tensor {
    if (!training || this.rate === 0) return x;
    const shape = this.maskShape(x.shape);
    const stream = this.random.stream;
    const a = 1 / Math.sqrt((1 - this.rate) * (1 + this.rate * ALPHA_PRIME ** 2));
    const b = -a * ALPHA_PRIME * this.rate;
    // y = a·(x·keep + α'·(1 − keep)) + b = x·(a·keep) + (a·α'·(1 − keep) + b): one multiply, one add.
    const size = shape.reduce((p, d) => p * d, 1);
    const scale = new Float32Array(size);
    const shift = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const keep = stream.uniform() >= this.rate;
      scale[i] = keep ? a : 0;
      shift[i] = keep ? b : a * ALPHA_PRIME + b;
    }
    const xf = x.dtype === 'float32' ? x : P.cast(x, 'float32');
    return P.binary('add', P.binary('mul', xf, fromValues(scale, shape)), fromValues(shift, shape));
  }

  override getConfig(): Config {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed, noise_shape: this.noiseShape ? [...this.noiseShape] : null };
  }
}
registerClass(AlphaDropout, { module: 'keras.layers' });
