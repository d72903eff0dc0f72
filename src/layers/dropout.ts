import { formatShape } from '../core/shape.js';
import * as P from '../core/primitives.js';
import { RandomStream, randomStream } from '../core/random.js';
import type { Tensor } from '../core/tensor.js';
import { ShapeError, ValueError } from '../errors.js';
import { fromValues } from '../ops/creation.js';
import type { Config } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import { option } from '../utils/args.js';
import type { Spelled } from '../utils/options.js';
import { optionNames } from '../utils/options.js';
import type { CallOptions, LayerArgs } from './layer.js';
import { LAYER_OPTIONS, Layer } from './layer.js';
import { layerLabel, numberOption, show } from './validation.js';

export interface DropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop, in [0, 1]. */
  rate: number;
  /**
   * Shape of the mask, broadcast against the input: `[null, 1, null]` on `[batch, time, features]`
   * drops the same features at every time step. `null` takes the input's size.
   */
  noiseShape?: readonly (number | null)[] | null;
  /** Gives this layer its own random stream; without it masks come from kiln's seeded 'dropout' stream. */
  seed?: number | null;
}

/**
 * Randomly sets a fraction `rate` of its inputs to 0 during training and scales the others by
 * `1 / (1 - rate)`, so the expected sum is unchanged ("inverted" dropout). At inference it is the
 * identity. Masks come from the 'dropout' random stream, so `kiln.setSeed` makes them reproducible.
 *
 * ```ts
 * kiln.setSeed(1);
 * const drop = kiln.layers.dropout({ rate: 0.5 });
 * drop.apply(kiln.ones([2, 4]), { training: true }); // about half 0, the rest 2
 * drop.apply(kiln.ones([2, 4]));                     // unchanged
 * ```
 */
export class Dropout extends Layer {
  static override readonly className = 'Dropout';
  // Per-timestep (or elementwise) layers keep a sequence's mask for the layers after them, as in Keras.
  override supportsMasking = true;
  static override readonly optionNames = optionNames<DropoutArgs>({ ...LAYER_OPTIONS, rate: true, noiseShape: true, seed: true });
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  readonly seed: number | null;
  /** A private stream when `seed` is given (Keras gives such a layer its own SeedGenerator). */
  private readonly stream: RandomStream | null;

  constructor(args: Spelled<DropoutArgs>) {
    super(args);
    const rate = option<unknown>(args, 'rate');
    if (rate === undefined || rate === null) throw new ValueError(`${layerLabel(this)}: rate is required (a number in [0, 1]), found ${show(rate)}`);
    this.rate = numberOption(this, args, 'rate', 0, { min: 0, max: 1 });
    this.noiseShape = this.checkNoiseShape(option(args, 'noiseShape') ?? null);
    const seed = option<number | null>(args, 'seed') ?? null;
    if (seed !== null && !Number.isInteger(seed)) throw new ValueError(`${layerLabel(this)}: seed must be an integer or null, found ${show(seed)}`);
    this.seed = seed;
    this.stream = seed === null ? null : new RandomStream(seed, 'dropout');
  }

  private checkNoiseShape(noiseShape: unknown): (number | null)[] | null {
    if (noiseShape === null) return null;
    const ok = Array.isArray(noiseShape) && noiseShape.every((d) => d === null || (Number.isInteger(d) && d > 0));
    if (!ok) throw new ValueError(`${layerLabel(this)}: noise_shape must be a list of positive integers or null, found ${show(noiseShape)}`);
    return [...(noiseShape as (number | null)[])];
  }

  call(x: Tensor, { training }: CallOptions): Tensor {
    if (!training || this.rate === 0) return x;
    const shape = this.maskShape(x.shape);
    const keep = 1 - this.rate;
    // rate 1 drops everything; 0 (not 1/0) keeps the output finite, as Keras's `where` does.
    const scale = keep > 0 ? 1 / keep : 0;
    const stream = this.stream ?? randomStream('dropout');
    const mask = new Float32Array(shape.reduce((a, b) => a * b, 1));
    // Keep an element when u >= rate, u uniform in [0, 1): probability exactly 1 - rate.
    for (let i = 0; i < mask.length; i++) mask[i] = stream.uniform() >= this.rate ? scale : 0;
    const m = fromValues(mask, shape);
    return P.binary('mul', x.dtype === 'float32' ? x : P.cast(x, 'float32'), m);
  }

  /** The concrete mask shape: noise_shape with nulls filled from the input, checked to broadcast. */
  private maskShape(inputShape: readonly number[]): number[] {
    if (!this.noiseShape) return [...inputShape];
    const shape = this.noiseShape.map((d, i) => d ?? inputShape[i]!);
    const ok = shape.length === inputShape.length && shape.every((d, i) => d === 1 || d === inputShape[i]);
    if (!ok) {
      throw new ShapeError(
        `${layerLabel(this)}: noise_shape ${formatShape(this.noiseShape)} does not broadcast to the input shape ${formatShape(inputShape)} (each dim must be 1, null or equal)`,
      );
    }
    return shape;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed, noise_shape: this.noiseShape ? [...this.noiseShape] : null };
  }
}
registerClass(Dropout, { module: 'keras.layers' });
