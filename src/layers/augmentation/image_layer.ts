import * as P from '../../core/primitives.js';
import type { RandomStream } from '../../core/random.js';
import { formatShape } from '../../core/shape.js';
import type { Tensor } from '../../core/tensor.js';
import { ShapeError, ValueError } from '../../errors.js';
import type { Config } from '../../serialization/registry.js';
import { option } from '../../utils/args.js';
import type { DataFormat } from '../flatten.js';
import type { CallOptions, SymbolicShape } from '../layer.js';
import { Layer } from '../layer.js';
import { LayerRandom } from '../noise/seeded.js';
import { dataFormatOption } from '../reshaping/spatial.js';
import { layerLabel, show } from '../validation.js';
import type { FillMode, Interpolation } from './affine.js';
import { FILL_MODES, INTERPOLATIONS } from './affine.js';

/**
 * The common part of the image augmentation layers (Keras 3's random image preprocessing layers):
 * active only while training (identity at inference, so a deployed model sees the real image),
 * drawing from the seeded random streams (see `LayerRandom`), on batches `[batch, height, width,
 * channels]` — or one unbatched image `[height, width, channels]`, or channels-first with
 * `data_format`. Subclasses see only float NHWC batches in `augment`.
 */
export abstract class RandomImageLayer extends Layer {
  readonly dataFormat: DataFormat;
  protected readonly random: LayerRandom;

  /** `readsFormat`: whether the class takes data_format (Keras's RandomContrast does not). */
  constructor(args: object, readsFormat: boolean) {
    super(args);
    this.random = new LayerRandom(this, args, (this.constructor as typeof Layer).className);
    this.dataFormat = readsFormat ? dataFormatOption(this, option(args, 'dataFormat')) : 'channels_last';
  }

  get seed(): number | null {
    return this.random.seed;
  }

  /** Transforms a float NHWC batch with draws from `stream`. */
  protected abstract augment(x: Tensor, stream: RandomStream): Tensor;

  private checkRank(shape: readonly (number | null)[]): void {
    if (shape.length !== 3 && shape.length !== 4) {
      const layout = this.dataFormat === 'channels_last' ? '[batch, height, width, channels]' : '[batch, channels, height, width]';
      throw new ShapeError(`${layerLabel(this)}: expected images of rank 4 ${layout} or one image of rank 3, found shape ${formatShape(shape)}`);
    }
  }

  override build(inputShape: SymbolicShape): void {
    this.checkRank(inputShape);
    super.build(inputShape);
  }

  call(x: Tensor, { training }: CallOptions): Tensor {
    this.checkRank(x.shape);
    if (!training) return x;
    const unbatched = x.rank === 3;
    let y = x.dtype === 'float32' ? x : P.cast(x, 'float32');
    if (unbatched) y = P.reshape(y, [1, ...y.shape]);
    if (this.dataFormat === 'channels_first') y = P.transpose(y, [0, 2, 3, 1]);
    y = this.augment(y, this.random.stream);
    if (this.dataFormat === 'channels_first') y = P.transpose(y, [0, 3, 1, 2]);
    return unbatched ? P.reshape(y, y.shape.slice(1)) : y;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), seed: this.seed };
  }
}

/** The fill options of the geometric layers (rotation, zoom, translation), read and checked once. */
export interface FillOptions {
  fillMode: FillMode;
  interpolation: Interpolation;
  fillValue: number;
}

export function fillOptions(layer: Layer, args: object): FillOptions {
  const fillMode = option<unknown>(args, 'fillMode') ?? 'reflect';
  if (!FILL_MODES.includes(fillMode as FillMode)) {
    throw new ValueError(`${layerLabel(layer)}: fill_mode must be one of ${FILL_MODES.map((m) => `'${m}'`).join(', ')}, found ${show(fillMode)}`);
  }
  const interpolation = option<unknown>(args, 'interpolation') ?? 'bilinear';
  if (!INTERPOLATIONS.includes(interpolation as Interpolation)) {
    throw new ValueError(`${layerLabel(layer)}: interpolation must be 'bilinear' or 'nearest', found ${show(interpolation)}`);
  }
  const fillValue = option<unknown>(args, 'fillValue') ?? 0;
  if (typeof fillValue !== 'number' || !Number.isFinite(fillValue)) {
    throw new ValueError(`${layerLabel(layer)}: fill_value must be a finite number, found ${show(fillValue)}`);
  }
  return { fillMode: fillMode as FillMode, interpolation: interpolation as Interpolation, fillValue };
}

/**
 * A uniform draw in [lo, hi): exactly lo when the range is empty, so a factor of 0 is an exact
 * identity. The draw is taken either way, so the stream advances the same for any factor.
 */
export function uniformIn(stream: RandomStream, [lo, hi]: readonly [number, number]): number {
  const u = stream.uniform();
  return lo === hi ? lo : lo + (hi - lo) * u;
}
