import * as P from '../../core/primitives.js';
import { formatShape } from '../../core/shape.js';
import type { Tensor } from '../../core/tensor.js';
import { ShapeError } from '../../errors.js';
import type { Config } from '../../serialization/registry.js';
import { registerClass } from '../../serialization/registry.js';
import { option } from '../../utils/args.js';
import type { Spelled } from '../../utils/options.js';
import { optionNames } from '../../utils/options.js';
import type { DataFormat } from '../flatten.js';
import type { CallOptions, LayerArgs, SymbolicShape } from '../layer.js';
import { LAYER_OPTIONS, Layer } from '../layer.js';
import { layerLabel } from '../validation.js';
import { dataFormatOption, intPair, pairOfPairs, spatialAxes } from './spatial.js';
import { checkSpatialRank } from './zero_padding.js';

/** Crops the spatial axes; the gradient pads it back with zeros (slice's rule). */
abstract class Cropping extends Layer {
  abstract readonly cropping: readonly (readonly [number, number])[];
  abstract readonly dataFormat: DataFormat;

  /** The cropped shape; a spatial size that would drop to 0 or below is a ShapeError (Keras refuses it too). */
  private cropped(shape: readonly (number | null)[]): (number | null)[] {
    checkSpatialRank(this, shape, this.cropping.length, this.dataFormat);
    const axes = spatialAxes(this.dataFormat, shape.length);
    return shape.map((d, i) => {
      const k = axes.indexOf(i);
      if (k < 0 || d === null) return d;
      const [before, after] = this.cropping[k]!;
      if (before + after >= d) {
        throw new ShapeError(
          `${layerLabel(this)}: cropping ${JSON.stringify(this.cropping)} removes ${before + after} of ${d} entries along axis ${i} ` +
            `of input shape ${formatShape(shape)}; expected a total crop below ${d} per axis`,
        );
      }
      return d - before - after;
    });
  }

  override build(inputShape: SymbolicShape): void {
    this.cropped(inputShape);
    super.build(inputShape);
  }

  call(x: Tensor, _options: CallOptions): Tensor {
    const size = this.cropped(x.shape) as number[];
    const axes = spatialAxes(this.dataFormat, x.rank);
    const begin = x.shape.map((_, i) => (axes.includes(i) ? this.cropping[axes.indexOf(i)]![0] : 0));
    return P.slice(x, begin, size);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return this.cropped(inputShape);
  }
}

export interface Cropping1DArgs extends LayerArgs {
  /** Entries to remove at the start and end of the steps axis: an int (both ends) or `[start, end]`. Default `[1, 1]`. */
  cropping?: number | readonly [number, number];
}

/**
 * Crops the steps axis of `[batch, steps, channels]`.
 *
 * ```ts
 * kiln.layers.cropping1d({ cropping: [1, 2] }).apply(kiln.ones([2, 6, 4])).shape; // [2, 3, 4]
 * ```
 */
export class Cropping1D extends Cropping {
  static override readonly className = 'Cropping1D';
  static override readonly optionNames = optionNames<Cropping1DArgs>({ ...LAYER_OPTIONS, cropping: true });
  readonly cropping: [[number, number]];
  readonly dataFormat: DataFormat = 'channels_last';

  constructor(args: Spelled<Cropping1DArgs> = {}) {
    super(args);
    this.cropping = [intPair(this, 'cropping', option(args, 'cropping') ?? 1, 0)];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), cropping: [...this.cropping[0]] };
  }
}
registerClass(Cropping1D, { module: 'keras.layers' });

export interface Cropping2DArgs extends LayerArgs {
  /** An int (all sides), `[h, w]` (symmetric per axis), or `[[top, bottom], [left, right]]`. Default 0. */
  cropping?: number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];
  dataFormat?: DataFormat | null;
}

/**
 * Crops the height and width of an image batch.
 *
 * ```ts
 * kiln.layers.cropping2d({ cropping: [[1, 0], [2, 2]] }).apply(kiln.ones([1, 8, 8, 3])).shape; // [1, 7, 4, 3]
 * ```
 */
export class Cropping2D extends Cropping {
  static override readonly className = 'Cropping2D';
  static override readonly optionNames = optionNames<Cropping2DArgs>({ ...LAYER_OPTIONS, cropping: true, dataFormat: true });
  readonly cropping: [[number, number], [number, number]];
  readonly dataFormat: DataFormat;

  constructor(args: Spelled<Cropping2DArgs> = {}) {
    super(args);
    this.cropping = pairOfPairs(this, 'cropping', option(args, 'cropping') ?? 0);
    this.dataFormat = dataFormatOption(this, option(args, 'dataFormat'));
  }

  override getConfig(): Config {
    return { ...super.getConfig(), cropping: this.cropping.map((p) => [...p]), data_format: this.dataFormat };
  }
}
registerClass(Cropping2D, { module: 'keras.layers' });
