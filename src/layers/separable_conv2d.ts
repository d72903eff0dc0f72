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
import { depthwiseConv2d } from './depthwise_conv2d.js';
import { layerLabel, rejectConstraints } from './validation.js';

export interface SeparableConv2DArgs extends BaseConvArgs {
  filters: number;
  depthMultiplier?: number;
  depthwiseInitializer?: InitializerIdentifier | Initializer;
  pointwiseInitializer?: InitializerIdentifier | Initializer;
  depthwiseRegularizer?: RegularizerIdentifier | Regularizer | null;
  pointwiseRegularizer?: RegularizerIdentifier | Regularizer | null;
  depthwiseConstraint?: null;
  pointwiseConstraint?: null;
}

/**
 * Depthwise separable 2-D convolution: a depthwise convolution (strides, padding and dilation
 * apply here) followed by a 1×1 convolution mixing the channels, then bias and activation.
 * Weights (Keras layout): depthwise_kernel `[kh, kw, channels, depthMultiplier]`, pointwise_kernel
 * `[1, 1, channels·depthMultiplier, filters]`, bias `[filters]`.
 *
 * ```ts
 * kiln.layers.separableConv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' });
 * ```
 */
export class SeparableConv2D extends BaseConv {
  static override readonly className = 'SeparableConv2D';
  static override readonly optionNames = optionNames<SeparableConv2DArgs>({
    ...BASE_CONV_OPTIONS, filters: true, depthMultiplier: true, depthwiseInitializer: true, pointwiseInitializer: true,
    depthwiseRegularizer: true, pointwiseRegularizer: true, depthwiseConstraint: true, pointwiseConstraint: true,
  });
  readonly filters: number;
  readonly depthMultiplier: number;
  readonly depthwiseInitializer: InitializerIdentifier | Initializer;
  readonly pointwiseInitializer: InitializerIdentifier | Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly pointwiseRegularizer: Regularizer | null;
  depthwiseKernel: Variable | null = null;
  pointwiseKernel: Variable | null = null;

  constructor(args: Spelled<SeparableConv2DArgs>) {
    super(args as SeparableConv2DArgs, 2);
    this.filters = positiveIntOption(this, args, 'filters');
    this.depthMultiplier = positiveIntOption(this, args, 'depthMultiplier', 1);
    this.depthwiseInitializer = this.initializerOption(args, 'depthwiseInitializer', 'glorot_uniform');
    this.pointwiseInitializer = this.initializerOption(args, 'pointwiseInitializer', 'glorot_uniform');
    this.depthwiseRegularizer = this.regularizerOption(args, 'depthwiseRegularizer');
    this.pointwiseRegularizer = this.regularizerOption(args, 'pointwiseRegularizer');
    rejectConstraints(this, args, ['depthwiseConstraint', 'pointwiseConstraint']);
  }

  protected buildKernels(channels: number): void {
    const m = this.depthMultiplier;
    this.depthwiseKernel = this.addWeight('depthwise_kernel', [...this.kernelSize, channels, m], this.depthwiseInitializer, { regularizer: this.depthwiseRegularizer });
    this.pointwiseKernel = this.addWeight('pointwise_kernel', [1, 1, channels * m, this.filters], this.pointwiseInitializer, { regularizer: this.pointwiseRegularizer });
  }

  protected outputChannels(): number {
    return this.filters;
  }

  protected convolve(x: Tensor, g: ConvGeometry2D): Tensor {
    const depthwise = depthwiseConv2d(x, this.depthwiseKernel!, g, layerLabel(this));
    const pw = this.pointwiseKernel!;
    return P.conv2d(depthwise, pw, conv2dInfo(depthwise.shape, pw.shape, {}, layerLabel(this)));
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      filters: this.filters,
      depth_multiplier: this.depthMultiplier,
      depthwise_initializer: serializeInitializer(this.depthwiseInitializer),
      pointwise_initializer: serializeInitializer(this.pointwiseInitializer),
      depthwise_regularizer: serializeRegularizer(this.depthwiseRegularizer),
      pointwise_regularizer: serializeRegularizer(this.pointwiseRegularizer),
      depthwise_constraint: null,
      pointwise_constraint: null,
    };
  }
}

registerClass(SeparableConv2D, { module: 'keras.layers' });
