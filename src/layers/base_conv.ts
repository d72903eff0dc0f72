import type { Activation, ActivationName } from '../activations/index.js';
import { getActivation, serializeActivation } from '../activations/index.js';
import type { Padding } from '../core/conv_geometry.js';
import * as P from '../core/primitives.js';
import type { Tensor, Variable } from '../core/tensor.js';
import type { Initializer, InitializerIdentifier } from '../initializers/index.js';
import { getInitializer, serializeInitializer } from '../initializers/index.js';
import type { Regularizer, RegularizerIdentifier } from '../regularizers/index.js';
import { getRegularizer, serializeRegularizer } from '../regularizers/index.js';
import type { Config } from '../serialization/registry.js';
import { option } from '../utils/args.js';
import type { DataFormat } from './flatten.js';
import type { CallOptions, LayerArgs, SymbolicShape } from './layer.js';
import { LAYER_OPTIONS, Layer } from './layer.js';
import {
  assembleShape, channelsOf, checkRank, convOutputLength, dataFormatOption, fromChannelsLast, paddingOption, spatialDims, toChannelsLast, tupleOption,
} from './conv_options.js';
import { layerLabel, rejectConstraints, resolveNamed } from './validation.js';

/** Options every convolution layer shares (Keras BaseConv's, less the kernel's own). */
export interface BaseConvArgs extends LayerArgs {
  /** The window size: one number for every spatial axis, or one per axis. */
  kernelSize: number | readonly number[];
  strides?: number | readonly number[];
  /** 'valid' (default) or 'same'; Conv1D also takes 'causal' (left padding only). */
  padding?: Padding | 'causal';
  dataFormat?: DataFormat | null;
  dilationRate?: number | readonly number[];
  activation?: ActivationName | Activation | null;
  useBias?: boolean;
  biasInitializer?: InitializerIdentifier | Initializer;
  biasRegularizer?: RegularizerIdentifier | Regularizer | null;
  biasConstraint?: null;
}

export const BASE_CONV_OPTIONS = {
  ...LAYER_OPTIONS, kernelSize: true, strides: true, padding: true, dataFormat: true, dilationRate: true, activation: true, useBias: true,
  biasInitializer: true, biasRegularizer: true, biasConstraint: true,
} as const;

/** The 2-D geometry a subclass convolves with (a 1-D layer's is [1, k] etc.). */
export interface ConvGeometry2D {
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  padding: Padding;
}

/**
 * The shared part of Conv1D, Conv2D, DepthwiseConv2D, SeparableConv2D and Conv2DTranspose: option
 * parsing, data formats, the 1-D-as-2-D reshape, causal padding, bias, activation and the common
 * Keras config. A subclass creates its weights in `buildKernels(channels)` and computes the
 * bias-free product of one NHWC batch in `convolve`. Everything runs on the 2-D primitives: a 1-D
 * input [N, L, C] is the image [N, 1, L, C].
 */
export abstract class BaseConv extends Layer {
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: Padding | 'causal';
  readonly dataFormat: DataFormat;
  readonly dilationRate: number[];
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly biasInitializer: InitializerIdentifier | Initializer;
  readonly biasRegularizer: Regularizer | null;
  bias: Variable | null = null;

  constructor(args: BaseConvArgs, readonly rank: 1 | 2, paddings: readonly string[] = ['same', 'valid']) {
    super(args);
    this.kernelSize = tupleOption(this, args, 'kernelSize', rank);
    this.strides = tupleOption(this, args, 'strides', rank, 1);
    this.padding = paddingOption(this, args, paddings) as Padding | 'causal';
    this.dataFormat = dataFormatOption(this, args);
    this.dilationRate = tupleOption(this, args, 'dilationRate', rank, 1);
    this.activation = resolveNamed(this, 'activation', () => getActivation(option(args, 'activation')));
    this.useBias = option<boolean>(args, 'useBias') ?? true;
    this.biasInitializer = this.initializerOption(args, 'biasInitializer', 'zeros');
    this.biasRegularizer = this.regularizerOption(args, 'biasRegularizer');
    rejectConstraints(this, args, ['biasConstraint']);
  }

  protected initializerOption(args: object, camel: string, fallback: InitializerIdentifier): InitializerIdentifier | Initializer {
    const id = option<InitializerIdentifier | Initializer | null>(args, camel) ?? fallback;
    resolveNamed(this, camel, () => getInitializer(id));
    return id;
  }

  protected regularizerOption(args: object, camel: string): Regularizer | null {
    return resolveNamed(this, camel, () => getRegularizer(option(args, camel)));
  }

  /** Creates the kernels for inputs of `channels` channels. */
  protected abstract buildKernels(channels: number): void;
  /** The output channels for inputs of `channels`. */
  protected abstract outputChannels(channels: number): number;
  /** The bias-free output for an NHWC batch. */
  protected abstract convolve(x: Tensor, geometry: ConvGeometry2D): Tensor;

  override build(inputShape: SymbolicShape): void {
    checkRank(this, inputShape, this.rank + 2);
    const channels = channelsOf(this, inputShape, this.dataFormat);
    this.buildKernels(channels);
    if (this.useBias) this.bias = this.addWeight('bias', [this.outputChannels(channels)], this.biasInitializer, { regularizer: this.biasRegularizer });
    super.build(inputShape);
  }

  /** The 2-D geometry of this layer (1-D layers convolve a height-1 image). */
  protected geometry(): ConvGeometry2D {
    const two = (v: number[], one: number): [number, number] => (this.rank === 1 ? [one, v[0]!] : [v[0]!, v[1]!]);
    // Causal padding is applied by `call` as explicit left padding; the convolution is then 'valid'.
    return { kernel: two(this.kernelSize, 1), strides: two(this.strides, 1), dilations: two(this.dilationRate, 1), padding: this.padding === 'same' ? 'same' : 'valid' };
  }

  call(inputs: Tensor, _options: CallOptions): Tensor {
    checkRank(this, inputs.shape, this.rank + 2);
    let x = toChannelsLast(inputs.dtype === 'float32' ? inputs : P.cast(inputs, 'float32'), this.dataFormat);
    if (this.rank === 1) {
      if (this.padding === 'causal') x = P.pad(x, [[0, 0], [(this.kernelSize[0]! - 1) * this.dilationRate[0]!, 0], [0, 0]]);
      x = P.reshape(x, [x.shape[0]!, 1, x.shape[1]!, x.shape[2]!]);
    }
    let y = this.convolve(x, this.geometry());
    if (this.bias) y = P.binary('add', y, this.bias);
    y = this.activation.fn(y);
    if (this.rank === 1) y = P.reshape(y, [y.shape[0]!, y.shape[2]!, y.shape[3]!]);
    return fromChannelsLast(y, this.dataFormat);
  }

  /** The output length along spatial axis `i` (Conv2DTranspose overrides it). */
  protected outputLength(size: number | null, i: number): number | null {
    return convOutputLength(size, this.kernelSize[i]!, this.strides[i]!, this.dilationRate[i]!, this.padding, layerLabel(this));
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    checkRank(this, inputShape, this.rank + 2);
    const spatial = spatialDims(inputShape, this.dataFormat).map((d, i) => this.outputLength(d, i));
    return assembleShape(inputShape[0] ?? null, spatial, this.outputChannels(channelsOf(this, inputShape, this.dataFormat)), this.dataFormat);
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      kernel_size: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      data_format: this.dataFormat,
      dilation_rate: [...this.dilationRate],
      activation: serializeActivation(this.activation),
      use_bias: this.useBias,
      bias_initializer: serializeInitializer(this.biasInitializer),
      bias_regularizer: serializeRegularizer(this.biasRegularizer),
      activity_regularizer: serializeRegularizer(this.activityRegularizer),
      bias_constraint: null,
    };
  }
}
