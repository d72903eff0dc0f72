import { conv2dInfo } from '../core/conv_geometry.js';
import * as P from '../core/primitives.js';
import type { Tensor, Variable } from '../core/tensor.js';
import { ShapeError } from '../errors.js';
import type { Initializer, InitializerIdentifier } from '../initializers/index.js';
import { serializeInitializer } from '../initializers/index.js';
import type { Regularizer, RegularizerIdentifier } from '../regularizers/index.js';
import { serializeRegularizer } from '../regularizers/index.js';
import type { Config } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import type { Spelled } from '../utils/options.js';
import { optionNames } from '../utils/options.js';
import type { BaseConvArgs, ConvGeometry2D } from './base_conv.js';
import { BASE_CONV_OPTIONS, BaseConv } from './base_conv.js';
import { positiveIntOption } from './conv_options.js';
import { layerLabel, rejectConstraints } from './validation.js';

export interface ConvArgs extends BaseConvArgs {
  /** Output channels. */
  filters: number;
  /** Splits the channels into this many independent convolutions (input channels and filters must divide by it). */
  groups?: number;
  kernelInitializer?: InitializerIdentifier | Initializer;
  kernelRegularizer?: RegularizerIdentifier | Regularizer | null;
  kernelConstraint?: null;
}

const CONV_OPTIONS = optionNames<ConvArgs>({ ...BASE_CONV_OPTIONS, filters: true, groups: true, kernelInitializer: true, kernelRegularizer: true, kernelConstraint: true });

/**
 * A plain (optionally grouped) convolution; Conv1D and Conv2D differ only in rank. The kernel has
 * Keras's layout `[...kernelSize, inChannels / groups, filters]`, the bias `[filters]`.
 */
abstract class Conv extends BaseConv {
  readonly filters: number;
  readonly groups: number;
  readonly kernelInitializer: InitializerIdentifier | Initializer;
  readonly kernelRegularizer: Regularizer | null;
  kernel: Variable | null = null;

  constructor(args: Spelled<ConvArgs>, rank: 1 | 2, paddings?: readonly string[]) {
    super(args as ConvArgs, rank, paddings);
    this.filters = positiveIntOption(this, args, 'filters');
    this.groups = positiveIntOption(this, args, 'groups', 1);
    if (this.filters % this.groups !== 0) {
      throw new ShapeError(`${layerLabel(this)}: filters (${this.filters}) must be divisible by groups (${this.groups})`);
    }
    this.kernelInitializer = this.initializerOption(args, 'kernelInitializer', 'glorot_uniform');
    this.kernelRegularizer = this.regularizerOption(args, 'kernelRegularizer');
    rejectConstraints(this, args, ['kernelConstraint']);
  }

  protected buildKernels(channels: number): void {
    if (channels % this.groups !== 0) {
      throw new ShapeError(`${layerLabel(this)}: input channels (${channels}) must be divisible by groups (${this.groups})`);
    }
    this.kernel = this.addWeight('kernel', [...this.kernelSize, channels / this.groups, this.filters], this.kernelInitializer, { regularizer: this.kernelRegularizer });
  }

  protected outputChannels(): number {
    return this.filters;
  }

  protected convolve(x: Tensor, g: ConvGeometry2D): Tensor {
    const k = this.kernel!;
    const kernel = this.rank === 1 ? P.reshape(k, [1, ...k.shape]) : k;
    return P.conv2d(x, kernel, conv2dInfo(x.shape, kernel.shape, { strides: g.strides, dilations: g.dilations, padding: g.padding, groups: this.groups }, layerLabel(this)));
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      filters: this.filters,
      groups: this.groups,
      kernel_initializer: serializeInitializer(this.kernelInitializer),
      kernel_regularizer: serializeRegularizer(this.kernelRegularizer),
      kernel_constraint: null,
    };
  }
}

/**
 * 2-D convolution over images [batch, height, width, channels] (or channels first).
 *
 * ```ts
 * kiln.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] });
 * ```
 */
export class Conv2D extends Conv {
  static override readonly className = 'Conv2D';
  static override readonly optionNames = CONV_OPTIONS;
  constructor(args: Spelled<ConvArgs>) {
    super(args, 2);
  }
}

/**
 * 1-D convolution over sequences [batch, steps, channels]; padding may also be 'causal' (output t
 * sees inputs up to t only).
 *
 * ```ts
 * kiln.layers.conv1d({ filters: 8, kernelSize: 5, padding: 'causal', inputShape: [100, 3] });
 * ```
 */
export class Conv1D extends Conv {
  static override readonly className = 'Conv1D';
  static override readonly optionNames = CONV_OPTIONS;
  constructor(args: Spelled<ConvArgs>) {
    super(args, 1, ['same', 'valid', 'causal']);
  }
}

registerClass(Conv2D, { module: 'keras.layers' });
registerClass(Conv1D, { module: 'keras.layers' });
