import type { Spelled } from '../utils/options.js';
import type { ConvArgs } from './conv.js';
import { Conv1D, Conv2D } from './conv.js';
import type { Conv2DTransposeArgs } from './conv2d_transpose.js';
import { Conv2DTranspose } from './conv2d_transpose.js';
import type { DepthwiseConv2DArgs } from './depthwise_conv2d.js';
import { DepthwiseConv2D } from './depthwise_conv2d.js';
import type { SeparableConv2DArgs } from './separable_conv2d.js';
import { SeparableConv2D } from './separable_conv2d.js';
import type { GlobalPoolingArgs } from './global_pooling.js';
import { GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D } from './global_pooling.js';
import type { PoolingArgs } from './pooling.js';
import { AveragePooling1D, AveragePooling2D, MaxPooling1D, MaxPooling2D } from './pooling.js';

/**
 * tfjs-style factories for the convolution and pooling layers (`kiln.layers.conv2d({...})`).
 *
 * ```ts
 * const model = kiln.sequential([
 *   kiln.layers.conv2d({ filters: 6, kernelSize: 5, activation: 'relu', inputShape: [28, 28, 1] }),
 *   kiln.layers.maxPooling2d({ poolSize: 2 }),
 *   kiln.layers.flatten(),
 *   kiln.layers.dense({ units: 10, activation: 'softmax' }),
 * ]);
 * ```
 */
export const conv2d = (args: Spelled<ConvArgs>): Conv2D => new Conv2D(args);
export const conv1d = (args: Spelled<ConvArgs>): Conv1D => new Conv1D(args);
export const maxPooling2d = (args: Spelled<PoolingArgs> = {}): MaxPooling2D => new MaxPooling2D(args);
export const averagePooling2d = (args: Spelled<PoolingArgs> = {}): AveragePooling2D => new AveragePooling2D(args);
export const maxPooling1d = (args: Spelled<PoolingArgs> = {}): MaxPooling1D => new MaxPooling1D(args);
export const averagePooling1d = (args: Spelled<PoolingArgs> = {}): AveragePooling1D => new AveragePooling1D(args);
export const globalAveragePooling2d = (args: Spelled<GlobalPoolingArgs> = {}): GlobalAveragePooling2D => new GlobalAveragePooling2D(args);
export const globalMaxPooling2d = (args: Spelled<GlobalPoolingArgs> = {}): GlobalMaxPooling2D => new GlobalMaxPooling2D(args);
export const globalAveragePooling1d = (args: Spelled<GlobalPoolingArgs> = {}): GlobalAveragePooling1D => new GlobalAveragePooling1D(args);
export const globalMaxPooling1d = (args: Spelled<GlobalPoolingArgs> = {}): GlobalMaxPooling1D => new GlobalMaxPooling1D(args);
export const depthwiseConv2d = (args: Spelled<DepthwiseConv2DArgs>): DepthwiseConv2D => new DepthwiseConv2D(args);
export const separableConv2d = (args: Spelled<SeparableConv2DArgs>): SeparableConv2D => new SeparableConv2D(args);
export const conv2dTranspose = (args: Spelled<Conv2DTransposeArgs>): Conv2DTranspose => new Conv2DTranspose(args);
