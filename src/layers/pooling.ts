import type { Padding } from '../core/conv_geometry.js';
import { pool2dInfo } from '../core/conv_geometry.js';
import * as P from '../core/primitives.js';
import type { Tensor } from '../core/tensor.js';
import type { Config } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import { option } from '../utils/args.js';
import type { Spelled } from '../utils/options.js';
import { optionNames } from '../utils/options.js';
import type { DataFormat } from './flatten.js';
import type { CallOptions, LayerArgs, SymbolicShape } from './layer.js';
import { LAYER_OPTIONS, Layer } from './layer.js';
import {
  assembleShape, checkRank, convOutputLength, dataFormatOption, fromChannelsLast, paddingOption, spatialDims, toChannelsLast, tupleOption,
} from './conv_options.js';
import { layerLabel } from './validation.js';

export interface PoolingArgs extends LayerArgs {
  /** Window size: one number for every spatial axis, or one per axis (default 2). */
  poolSize?: number | readonly number[];
  /** Default: the pool size (non-overlapping windows). */
  strides?: number | readonly number[] | null;
  padding?: Padding;
  dataFormat?: DataFormat | null;
}

const POOLING_OPTIONS = optionNames<PoolingArgs>({ ...LAYER_OPTIONS, poolSize: true, strides: true, padding: true, dataFormat: true });

/**
 * Max or average pooling over 1 or 2 spatial axes, on the 2-D pooling primitives (a 1-D input
 * [N, L, C] is pooled as the image [N, 1, L, C]). Padded positions take no part: 'same' average
 * pooling divides each window by its count of real inputs, as TensorFlow does.
 */
abstract class Pooling extends Layer {
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: Padding;
  readonly dataFormat: DataFormat;

  constructor(args: PoolingArgs, readonly rank: 1 | 2, readonly mode: 'max' | 'avg') {
    super(args);
    this.poolSize = tupleOption(this, args, 'poolSize', rank, 2);
    this.strides = option(args, 'strides') == null ? [...this.poolSize] : tupleOption(this, args, 'strides', rank);
    this.padding = paddingOption(this, args);
    this.dataFormat = dataFormatOption(this, args);
  }

  call(inputs: Tensor, _options: CallOptions): Tensor {
    checkRank(this, inputs.shape, this.rank + 2);
    let x = toChannelsLast(inputs.dtype === 'float32' ? inputs : P.cast(inputs, 'float32'), this.dataFormat);
    if (this.rank === 1) x = P.reshape(x, [x.shape[0]!, 1, x.shape[1]!, x.shape[2]!]);
    const two = (v: number[]): [number, number] => (this.rank === 1 ? [1, v[0]!] : [v[0]!, v[1]!]);
    const info = pool2dInfo(x.shape, { poolSize: two(this.poolSize), strides: two(this.strides), padding: this.padding }, layerLabel(this));
    let y = this.mode === 'max' ? P.maxPool2d(x, info) : P.avgPool2d(x, info);
    if (this.rank === 1) y = P.reshape(y, [y.shape[0]!, y.shape[2]!, y.shape[3]!]);
    return fromChannelsLast(y, this.dataFormat);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    checkRank(this, inputShape, this.rank + 2);
    const spatial = spatialDims(inputShape, this.dataFormat).map((d, i) => convOutputLength(d, this.poolSize[i]!, this.strides[i]!, 1, this.padding, layerLabel(this)));
    const channels = this.dataFormat === 'channels_last' ? inputShape[inputShape.length - 1]! : inputShape[1]!;
    return assembleShape(inputShape[0] ?? null, spatial, channels, this.dataFormat);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), pool_size: [...this.poolSize], padding: this.padding, strides: [...this.strides], data_format: this.dataFormat };
  }
}

/**
 * The largest value of each window of an image batch.
 *
 * ```ts
 * kiln.layers.maxPooling2d({ poolSize: 2 }); // halves height and width
 * ```
 */
export class MaxPooling2D extends Pooling {
  static override readonly className = 'MaxPooling2D';
  static override readonly optionNames = POOLING_OPTIONS;
  constructor(args: Spelled<PoolingArgs> = {}) {
    super(args as PoolingArgs, 2, 'max');
  }
}

/** The mean of each window of an image batch. */
export class AveragePooling2D extends Pooling {
  static override readonly className = 'AveragePooling2D';
  static override readonly optionNames = POOLING_OPTIONS;
  constructor(args: Spelled<PoolingArgs> = {}) {
    super(args as PoolingArgs, 2, 'avg');
  }
}

/** The largest value of each window of a sequence batch [batch, steps, channels]. */
export class MaxPooling1D extends Pooling {
  static override readonly className = 'MaxPooling1D';
  static override readonly optionNames = POOLING_OPTIONS;
  constructor(args: Spelled<PoolingArgs> = {}) {
    super(args as PoolingArgs, 1, 'max');
  }
}

/** The mean of each window of a sequence batch [batch, steps, channels]. */
export class AveragePooling1D extends Pooling {
  static override readonly className = 'AveragePooling1D';
  static override readonly optionNames = POOLING_OPTIONS;
  constructor(args: Spelled<PoolingArgs> = {}) {
    super(args as PoolingArgs, 1, 'avg');
  }
}

for (const cls of [MaxPooling2D, AveragePooling2D, MaxPooling1D, AveragePooling1D]) registerClass(cls, { module: 'keras.layers' });
