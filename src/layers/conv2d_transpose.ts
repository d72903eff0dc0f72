import { conv2dTransposeInfo } from '../core/conv_geometry.js';
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
import { positiveIntOption, rejectOption } from './conv_options.js';
import { layerLabel, rejectConstraints } from './validation.js';

export interface Conv2DTransposeArgs extends BaseConvArgs {
  filters: number;
  /** Extra rows/columns at the bottom/right of the output; only null (the default) for now. */
  outputPadding?: null;
  kernelInitializer?: InitializerIdentifier | Initializer;
  kernelRegularizer?: RegularizerIdentifier | Regularizer | null;
  kernelConstraint?: null;
}

/**
 * Output length of a transposed convolution along one axis (Keras's rule without output padding):
 * 'same' gives in·stride; 'valid' gives in·stride + max(effective kernel − stride, 0).
 */
function transposeLength(size: number | null, k: number, stride: number, dilation: number, padding: string): number | null {
  if (size === null) return null;
  const eff = (k - 1) * dilation + 1;
  return padding === 'same' ? size * stride : size * stride + Math.max(eff - stride, 0);
}

/**
 * Transposed 2-D convolution (sometimes called deconvolution): the input gradient of a Conv2D run
 * forwards, so strides upsample. The kernel has Keras's layout `[kh, kw, filters, inChannels]`
 * (output channels before input channels — a Conv2D kernel read the other way), bias `[filters]`.
 *
 * ```ts
 * kiln.layers.conv2dTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }); // doubles h and w
 * ```
 */
export class Conv2DTranspose extends BaseConv {
  static override readonly className = 'Conv2DTranspose';
  static override readonly optionNames = optionNames<Conv2DTransposeArgs>({
    ...BASE_CONV_OPTIONS, filters: true, outputPadding: true, kernelInitializer: true, kernelRegularizer: true, kernelConstraint: true,
  });
  readonly filters: number;
  readonly kernelInitializer: InitializerIdentifier | Initializer;
  readonly kernelRegularizer: Regularizer | null;
  kernel: Variable | null = null;

  constructor(args: Spelled<Conv2DTransposeArgs>) {
    super(args as Conv2DTransposeArgs, 2);
    this.filters = positiveIntOption(this, args, 'filters');
    this.kernelInitializer = this.initializerOption(args, 'kernelInitializer', 'glorot_uniform');
    this.kernelRegularizer = this.regularizerOption(args, 'kernelRegularizer');
    rejectConstraints(this, args, ['kernelConstraint']);
    rejectOption(this, args, 'outputPadding', 'explicit output padding');
  }

  protected buildKernels(channels: number): void {
    this.kernel = this.addWeight('kernel', [...this.kernelSize, this.filters, channels], this.kernelInitializer, { regularizer: this.kernelRegularizer });
  }

  protected outputChannels(): number {
    return this.filters;
  }

  protected override outputLength(size: number | null, i: number): number | null {
    return transposeLength(size, this.kernelSize[i]!, this.strides[i]!, this.dilationRate[i]!, this.padding);
  }

  protected convolve(x: Tensor, g: ConvGeometry2D): Tensor {
    const [n, h, w] = x.shape as [number, number, number, number];
    const out = [n, transposeLength(h, g.kernel[0], g.strides[0], g.dilations[0], g.padding)!, transposeLength(w, g.kernel[1], g.strides[1], g.dilations[1], g.padding)!, this.filters];
    const info = conv2dTransposeInfo(x.shape, this.kernel!.shape, out, { strides: g.strides, dilations: g.dilations, padding: g.padding }, layerLabel(this));
    return P.conv2dBackpropInput(x, this.kernel!, info);
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      filters: this.filters,
      output_padding: null,
      kernel_initializer: serializeInitializer(this.kernelInitializer),
      kernel_regularizer: serializeRegularizer(this.kernelRegularizer),
      kernel_constraint: null,
    };
  }
}

registerClass(Conv2DTranspose, { module: 'keras.layers' });
