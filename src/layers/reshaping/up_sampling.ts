import * as P from '../../core/primitives.js';
import type { Tensor } from '../../core/tensor.js';
import { ValueError } from '../../errors.js';
import { fromValues } from '../../ops/creation.js';
import type { Config } from '../../serialization/registry.js';
import { registerClass } from '../../serialization/registry.js';
import { option } from '../../utils/args.js';
import type { Spelled } from '../../utils/options.js';
import { optionNames } from '../../utils/options.js';
import type { DataFormat } from '../flatten.js';
import type { CallOptions, LayerArgs, SymbolicShape } from '../layer.js';
import { LAYER_OPTIONS, Layer } from '../layer.js';
import { layerLabel, show } from '../validation.js';
import { dataFormatOption, intPair, spatialAxes } from './spatial.js';
import { checkSpatialRank } from './zero_padding.js';

export type UpSamplingInterpolation = 'nearest' | 'bilinear';

/**
 * Scales one axis up by the integer `factor`, as gathers of input rows so the gradient (a
 * scatter-add back onto the source rows) comes from the primitives' rules.
 * - nearest: output row o copies input row ⌊o / factor⌋ (every row repeated `factor` times);
 * - bilinear: half-pixel centres, as Keras 3's `ops.image.resize` (TensorFlow's `tf.image.resize`):
 *   output row o samples the input at (o + ½)/factor − ½, blending its two neighbours, with
 *   positions beyond the first or last row clamped to it.
 */
function upsampleAxis(x: Tensor, axis: number, factor: number, interpolation: UpSamplingInterpolation): Tensor {
  if (factor === 1) return x;
  const n = x.shape[axis]!;
  const out = n * factor;
  if (interpolation === 'nearest') {
    const idx = Int32Array.from({ length: out }, (_, o) => Math.floor(o / factor));
    return P.gather(x, fromValues(idx, [out]), axis, false);
  }
  const lo = new Int32Array(out);
  const hi = new Int32Array(out);
  const w = new Float32Array(out);
  for (let o = 0; o < out; o++) {
    const src = (o + 0.5) / factor - 0.5;
    const f = Math.floor(src);
    lo[o] = Math.min(Math.max(f, 0), n - 1);
    hi[o] = Math.min(Math.max(f + 1, 0), n - 1);
    w[o] = src - f;
  }
  // The weights vary along `axis` only; shaped [.., out, 1, ..] they broadcast over the other axes.
  const wShape = x.shape.map((d, i) => (i === axis ? out : 1));
  const wHi = fromValues(w, wShape);
  const wLo = fromValues(Float32Array.from(w, (v) => 1 - v), wShape);
  const a = P.gather(x, fromValues(lo, [out]), axis, false);
  const b = P.gather(x, fromValues(hi, [out]), axis, false);
  return P.binary('add', P.binary('mul', a, wLo), P.binary('mul', b, wHi));
}

/** Shared by UpSampling1D and 2D: one integer factor per spatial axis. */
abstract class UpSampling extends Layer {
  abstract readonly factors: readonly number[];
  abstract readonly dataFormat: DataFormat;
  abstract readonly interpolation: UpSamplingInterpolation;

  override build(inputShape: SymbolicShape): void {
    checkSpatialRank(this, inputShape, this.factors.length, this.dataFormat);
    super.build(inputShape);
  }

  call(x: Tensor, _options: CallOptions): Tensor {
    checkSpatialRank(this, x.shape, this.factors.length, this.dataFormat);
    if (x.dtype !== 'float32') x = P.cast(x, 'float32');
    const axes = spatialAxes(this.dataFormat, x.rank);
    return axes.reduce((y, axis, k) => upsampleAxis(y, axis, this.factors[k]!, this.interpolation), x);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    checkSpatialRank(this, inputShape, this.factors.length, this.dataFormat);
    const axes = spatialAxes(this.dataFormat, inputShape.length);
    return inputShape.map((d, i) => (axes.includes(i) && d !== null ? d * this.factors[axes.indexOf(i)]! : d));
  }
}

export interface UpSampling1DArgs extends LayerArgs {
  /** How many times to repeat each step (default 2). */
  size?: number;
}

/**
 * Repeats each step of `[batch, steps, features]` `size` times.
 *
 * ```ts
 * kiln.layers.upSampling1d({ size: 3 }).apply(kiln.ones([2, 4, 5])).shape; // [2, 12, 5]
 * ```
 */
export class UpSampling1D extends UpSampling {
  static override readonly className = 'UpSampling1D';
  static override readonly optionNames = optionNames<UpSampling1DArgs>({ ...LAYER_OPTIONS, size: true });
  readonly size: number;
  readonly factors: readonly number[];
  readonly dataFormat: DataFormat = 'channels_last';
  readonly interpolation: UpSamplingInterpolation = 'nearest';

  constructor(args: Spelled<UpSampling1DArgs> = {}) {
    super(args);
    const size = option<unknown>(args, 'size') ?? 2;
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) throw new ValueError(`${layerLabel(this)}: size must be an integer >= 1, found ${show(size)}`);
    this.size = size;
    this.factors = [size];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), size: this.size };
  }
}
registerClass(UpSampling1D, { module: 'keras.layers' });

export interface UpSampling2DArgs extends LayerArgs {
  /** The up-sampling factors for rows and columns: an int (both) or `[rows, cols]`. Default 2. */
  size?: number | readonly [number, number];
  dataFormat?: DataFormat | null;
  /**
   * `'nearest'` (default: repeats rows and columns) or `'bilinear'` (half-pixel centres, as Keras 3;
   * tfjs's layer instead uses the older corner-aligned sampling, so its bilinear output differs).
   */
  interpolation?: UpSamplingInterpolation;
}

/**
 * Scales the height and width of an image batch up by integer factors.
 *
 * ```ts
 * kiln.layers.upSampling2d({ size: [2, 3], interpolation: 'bilinear' }).apply(kiln.ones([1, 4, 4, 3])).shape; // [1, 8, 12, 3]
 * ```
 */
export class UpSampling2D extends UpSampling {
  static override readonly className = 'UpSampling2D';
  static override readonly optionNames = optionNames<UpSampling2DArgs>({ ...LAYER_OPTIONS, size: true, dataFormat: true, interpolation: true });
  readonly size: [number, number];
  readonly dataFormat: DataFormat;
  readonly interpolation: UpSamplingInterpolation;

  get factors(): readonly number[] {
    return this.size;
  }

  constructor(args: Spelled<UpSampling2DArgs> = {}) {
    super(args);
    this.size = intPair(this, 'size', option(args, 'size') ?? 2, 1);
    this.dataFormat = dataFormatOption(this, option(args, 'dataFormat'));
    const interpolation = option<unknown>(args, 'interpolation') ?? 'nearest';
    if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
      throw new ValueError(`${layerLabel(this)}: interpolation must be 'nearest' or 'bilinear', found ${show(interpolation)}`);
    }
    this.interpolation = interpolation;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), size: [...this.size], data_format: this.dataFormat, interpolation: this.interpolation };
  }
}
registerClass(UpSampling2D, { module: 'keras.layers' });
