import { conv2dInfo } from '../core/conv_geometry.js';
import * as P from '../core/primitives.js';
import type { Tensor, Variable } from '../core/tensor.js';
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

export interface DepthwiseConv2DArgs extends BaseConvArgs {
  /** Output channels per input channel (default 1). */
  depthMultiplier?: number;
  depthwiseInitializer?: InitializerIdentifier | Initializer;
  depthwiseRegularizer?: RegularizerIdentifier | Regularizer | null;
  depthwiseConstraint?: null;
}

/**
 * The depthwise convolution of x [N, H, W, C] with a kernel [kh, kw, C, M]: output channel c·M + m
 * is channel c convolved with kernel[:, :, c, m]. That is a grouped convolution with C groups and
 * the kernel read as [kh, kw, 1, C·M] (the same elements, row-major), so it runs on conv2d itself.
 */
export function depthwiseConv2d(x: Tensor, kernel: Tensor, g: ConvGeometry2D, where: string): Tensor {
  const [kh, kw, c, m] = kernel.shape as [number, number, number, number];
  const k = P.reshape(kernel, [kh, kw, 1, c * m]);
  return P.conv2d(x, k, conv2dInfo(x.shape, k.shape, { strides: g.strides, dilations: g.dilations, padding: g.padding, groups: c }, where));
}

/**
 * Depthwise 2-D convolution: each input channel convolved with its own `depthMultiplier` filters,
 * no mixing across channels. Kernel `[kh, kw, channels, depthMultiplier]` (Keras layout, weight
 * 'depthwise_kernel'), bias `[channels·depthMultiplier]`.
 *
 * ```ts
 * kiln.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' });
 * ```
 */
export class DepthwiseConv2D extends BaseConv {
  static override readonly className = 'DepthwiseConv2D';
  static override readonly optionNames = optionNames<DepthwiseConv2DArgs>({
    ...BASE_CONV_OPTIONS, depthMultiplier: true, depthwiseInitializer: true, depthwiseRegularizer: true, depthwiseConstraint: true,
  });
  readonly depthMultiplier: number;
  readonly depthwiseInitializer: InitializerIdentifier | Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  /**
   * The depthwise kernel. The weight is named 'depthwise_kernel' (Keras 2's and TensorFlow.js's
   * name): tfjs model.json files match weights by name, while .keras and .h5 files match them by
   * position, so this name reads and writes all three.
   */
  kernel: Variable | null = null;

  constructor(args: Spelled<DepthwiseConv2DArgs>) {
    super(args as DepthwiseConv2DArgs, 2);
    this.depthMultiplier = positiveIntOption(this, args, 'depthMultiplier', 1);
    this.depthwiseInitializer = this.initializerOption(args, 'depthwiseInitializer', 'glorot_uniform');
    this.depthwiseRegularizer = this.regularizerOption(args, 'depthwiseRegularizer');
    rejectConstraints(this, args, ['depthwiseConstraint']);
  }

  protected buildKernels(channels: number): void {
    this.kernel = this.addWeight('depthwise_kernel', [...this.kernelSize, channels, this.depthMultiplier], this.depthwiseInitializer, { regularizer: this.depthwiseRegularizer });
  }

  protected outputChannels(channels: number): number {
    return channels * this.depthMultiplier;
  }

  protected convolve(x: Tensor, g: ConvGeometry2D): Tensor {
    return depthwiseConv2d(x, this.kernel!, g, layerLabel(this));
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      depth_multiplier: this.depthMultiplier,
      depthwise_initializer: serializeInitializer(this.depthwiseInitializer),
      depthwise_regularizer: serializeRegularizer(this.depthwiseRegularizer),
      depthwise_constraint: null,
    };
  }
}

registerClass(DepthwiseConv2D, { module: 'keras.layers' });
