import { formatShape } from '../../core/shape.js';
import * as P from '../../core/primitives.js';
import type { Tensor } from '../../core/tensor.js';
import { ShapeError } from '../../errors.js';
import { fromValues } from '../../ops/creation.js';
import type { Config } from '../../serialization/registry.js';
import { registerClass } from '../../serialization/registry.js';
import { option } from '../../utils/args.js';
import type { Spelled } from '../../utils/options.js';
import { optionNames } from '../../utils/options.js';
import type { DataFormat } from '../flatten.js';
import type { CallOptions, LayerArgs, SymbolicShape } from '../layer.js';
import { LAYER_OPTIONS, Layer } from '../layer.js';
import { dataFormatOption } from '../reshaping/spatial.js';
import { layerLabel } from '../validation.js';
import { LayerRandom, rateOption } from './seeded.js';

/**
 * Dropout of whole channels (feature maps): one keep/drop draw per sample and channel, shared by
 * every position. Neighbouring positions of a convolutional feature map are strongly correlated, so
 * element-wise dropout barely regularizes them; dropping the whole map does (Tompson et al., 2015).
 * Kept channels are scaled by 1/(1 - rate), as Dropout. Identity at inference.
 */
abstract class SpatialDropout extends Layer {
  abstract readonly spatialRank: number;
  readonly rate: number;
  readonly dataFormat: DataFormat;
  protected readonly random: LayerRandom;

  /** `readsFormat`: whether the class has a data_format option (Keras's SpatialDropout1D has none). */
  constructor(args: object, readsFormat: boolean) {
    super(args);
    this.rate = rateOption(this, args);
    this.random = new LayerRandom(this, args, 'dropout');
    this.dataFormat = readsFormat ? dataFormatOption(this, option(args, 'dataFormat')) : 'channels_last';
  }

  get seed(): number | null {
    return this.random.seed;
  }

  private checkRank(shape: readonly (number | null)[]): void {
    const rank = this.spatialRank + 2;
    if (shape.length !== rank) throw new ShapeError(`${layerLabel(this)}: expected input of rank ${rank}, found shape ${formatShape(shape)}`);
  }

  override build(inputShape: SymbolicShape): void {
    this.checkRank(inputShape);
    super.build(inputShape);
  }

  call(x: Tensor, { training }: CallOptions): Tensor {
    this.checkRank(x.shape);
    if (!training || this.rate === 0) return x;
    const channelAxis = this.dataFormat === 'channels_last' ? x.rank - 1 : 1;
    // The mask is [batch, 1, …, channels] (or [batch, channels, 1, …]): it broadcasts over positions.
    const maskShape = x.shape.map((d, i) => (i === 0 || i === channelAxis ? d : 1));
    const stream = this.random.stream;
    const scale = 1 / (1 - this.rate);
    const mask = new Float32Array(maskShape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < mask.length; i++) mask[i] = stream.uniform() >= this.rate ? scale : 0;
    return P.binary('mul', x.dtype === 'float32' ? x : P.cast(x, 'float32'), fromValues(mask, maskShape));
  }

  override getConfig(): Config {
    // Keras 3's SpatialDropout writes no `trainable` and its constructor refuses one (3.16 fails
    // to load a file that has it), so it is left out here too.
    const { trainable: _trainable, ...base } = super.getConfig();
    return { ...base, rate: this.rate, seed: this.seed };
  }
}

export interface SpatialDropout1DArgs extends LayerArgs {
  /** Fraction of the channels to drop, in [0, 1). */
  rate: number;
  /** Gives the layer its own random stream (otherwise kiln's seeded 'dropout' stream). */
  seed?: number | null;
}

/**
 * Drops whole channels of `[batch, steps, channels]` while training.
 *
 * ```ts
 * kiln.layers.spatialDropout1d({ rate: 0.2 });
 * ```
 */
export class SpatialDropout1D extends SpatialDropout {
  static override readonly className = 'SpatialDropout1D';
  static override readonly optionNames = optionNames<SpatialDropout1DArgs>({ ...LAYER_OPTIONS, rate: true, seed: true });
  readonly spatialRank = 1;

  constructor(args: Spelled<SpatialDropout1DArgs>) {
    super(args, false);
  }
}
registerClass(SpatialDropout1D, { module: 'keras.layers' });

export interface SpatialDropout2DArgs extends SpatialDropout1DArgs {
  /** Where the channels are: `'channels_last'` (default, NHWC) or `'channels_first'`. */
  dataFormat?: DataFormat | null;
}

/**
 * Drops whole feature maps of an image batch while training.
 *
 * ```ts
 * kiln.layers.spatialDropout2d({ rate: 0.25 });
 * ```
 */
export class SpatialDropout2D extends SpatialDropout {
  static override readonly className = 'SpatialDropout2D';
  static override readonly optionNames = optionNames<SpatialDropout2DArgs>({ ...LAYER_OPTIONS, rate: true, seed: true, dataFormat: true });
  readonly spatialRank = 2;

  constructor(args: Spelled<SpatialDropout2DArgs>) {
    super(args, true);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), data_format: this.dataFormat };
  }
}
registerClass(SpatialDropout2D, { module: 'keras.layers' });
