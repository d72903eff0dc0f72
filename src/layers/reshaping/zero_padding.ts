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

/** Checks the rank (batch, spatial axes, channels) of a padding or cropping layer's input. */
export function checkSpatialRank(layer: Layer, shape: readonly (number | null)[], spatial: number, format: DataFormat): void {
  if (shape.length !== spatial + 2) {
    const names = spatial === 1 ? 'steps' : 'height, width';
    const layout = format === 'channels_last' ? `[batch, ${names}, channels]` : `[batch, channels, ${names}]`;
    throw new ShapeError(`${layerLabel(layer)}: expected input of rank ${spatial + 2} ${layout}, found shape ${formatShape(shape)}`);
  }
}

/** Zero padding of the spatial axes; the gradient is the matching slice (pad's rule). */
abstract class ZeroPadding extends Layer {
  abstract readonly padding: readonly (readonly [number, number])[];
  abstract readonly dataFormat: DataFormat;

  override build(inputShape: SymbolicShape): void {
    checkSpatialRank(this, inputShape, this.padding.length, this.dataFormat);
    super.build(inputShape);
  }

  call(x: Tensor, _options: CallOptions): Tensor {
    checkSpatialRank(this, x.shape, this.padding.length, this.dataFormat);
    const axes = spatialAxes(this.dataFormat, x.rank);
    const pads = x.shape.map((_, i) => (axes.includes(i) ? this.padding[axes.indexOf(i)]! : ([0, 0] as const)));
    return P.pad(x, pads);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    checkSpatialRank(this, inputShape, this.padding.length, this.dataFormat);
    const axes = spatialAxes(this.dataFormat, inputShape.length);
    return inputShape.map((d, i) => {
      const p = axes.indexOf(i);
      return p < 0 || d === null ? d : d + this.padding[p]![0] + this.padding[p]![1];
    });
  }
}

export interface ZeroPadding1DArgs extends LayerArgs {
  /** Zeros to add at the start and end of the steps axis: an int (both ends) or `[start, end]`. Default 1. */
  padding?: number | readonly [number, number];
  dataFormat?: DataFormat | null;
}

/**
 * Pads the steps axis of `[batch, steps, channels]` with zeros.
 *
 * ```ts
 * kiln.layers.zeroPadding1d({ padding: [1, 2] }).apply(kiln.ones([2, 3, 4])).shape; // [2, 6, 4]
 * ```
 */
export class ZeroPadding1D extends ZeroPadding {
  static override readonly className = 'ZeroPadding1D';
  static override readonly optionNames = optionNames<ZeroPadding1DArgs>({ ...LAYER_OPTIONS, padding: true, dataFormat: true });
  readonly padding: [[number, number]];
  readonly dataFormat: DataFormat;

  constructor(args: Spelled<ZeroPadding1DArgs> = {}) {
    super(args);
    this.padding = [intPair(this, 'padding', option(args, 'padding') ?? 1, 0)];
    this.dataFormat = dataFormatOption(this, option(args, 'dataFormat'));
  }

  override getConfig(): Config {
    return { ...super.getConfig(), padding: [...this.padding[0]], data_format: this.dataFormat };
  }
}
registerClass(ZeroPadding1D, { module: 'keras.layers' });

export interface ZeroPadding2DArgs extends LayerArgs {
  /** An int (all sides), `[h, w]` (top = bottom = h, left = right = w), or `[[top, bottom], [left, right]]`. Default 1. */
  padding?: number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];
  dataFormat?: DataFormat | null;
}

/**
 * Pads the height and width of an image batch with zeros.
 *
 * ```ts
 * kiln.layers.zeroPadding2d({ padding: [[1, 0], [2, 2]] }).apply(kiln.ones([1, 4, 4, 3])).shape; // [1, 5, 8, 3]
 * ```
 */
export class ZeroPadding2D extends ZeroPadding {
  static override readonly className = 'ZeroPadding2D';
  static override readonly optionNames = optionNames<ZeroPadding2DArgs>({ ...LAYER_OPTIONS, padding: true, dataFormat: true });
  readonly padding: [[number, number], [number, number]];
  readonly dataFormat: DataFormat;

  constructor(args: Spelled<ZeroPadding2DArgs> = {}) {
    super(args);
    this.padding = pairOfPairs(this, 'padding', option(args, 'padding') ?? 1);
    this.dataFormat = dataFormatOption(this, option(args, 'dataFormat'));
  }

  override getConfig(): Config {
    return { ...super.getConfig(), padding: this.padding.map((p) => [...p]), data_format: this.dataFormat };
  }
}
registerClass(ZeroPadding2D, { module: 'keras.layers' });
