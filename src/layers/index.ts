/**
 * The layers namespace: classes (`new kiln.layers.Dense({...})`) and tfjs-style factories
 * (`kiln.layers.dense({...})`). Options are accepted in tfjs camelCase or Keras snake_case.
 *
 * ```ts
 * const model = kiln.sequential([
 *   kiln.layers.input({ shape: [20] }),
 *   kiln.layers.dense({ units: 64, activation: 'relu' }),
 *   kiln.layers.batchNormalization(),
 *   kiln.layers.dropout({ rate: 0.2 }),
 *   kiln.layers.dense({ units: 1 }),
 * ]);
 * ```
 */
import { registerClass } from '../serialization/registry.js';
import type { Spelled } from '../utils/options.js';
import type { ActivationArgs } from './activation.js';
import { Activation } from './activation.js';
import type { BatchNormalizationArgs } from './batch_normalization.js';
import { BatchNormalization } from './batch_normalization.js';
import type { DenseArgs } from './dense.js';
import { Dense } from './dense.js';
import type { DropoutArgs } from './dropout.js';
import { Dropout } from './dropout.js';
import type { FlattenArgs } from './flatten.js';
import { Flatten } from './flatten.js';
import type { InputLayerArgs } from './input_layer.js';
import { InputLayer } from './input_layer.js';
import type { LayerNormalizationArgs } from './layer_normalization.js';
import { LayerNormalization } from './layer_normalization.js';
import type { LeakyReLUArgs } from './leaky_relu.js';
import { LeakyReLU } from './leaky_relu.js';

export { Layer } from './layer.js';
export type { CallOptions, LayerArgs, SymbolicShape } from './layer.js';
export { Dense, Activation, Dropout, Flatten, LeakyReLU, BatchNormalization, LayerNormalization, InputLayer };
export type { DenseArgs, ActivationArgs, DropoutArgs, FlattenArgs, LeakyReLUArgs, BatchNormalizationArgs, LayerNormalizationArgs, InputLayerArgs };
export type { DataFormat } from './flatten.js';
export { input } from './input_layer.js';
export type { InputArgs } from './input_layer.js';

// Dense lives in the lead's dense.ts; every other built-in registers itself in its own module.
registerClass(Dense, { module: 'keras.layers' });

/**
 * A fully connected layer.
 *
 * ```ts
 * kiln.layers.dense({ units: 10, activation: 'softmax' });
 * ```
 */
export function dense(args: Spelled<DenseArgs>): Dense {
  return new Dense(args);
}

/**
 * Applies an activation function.
 *
 * ```ts
 * kiln.layers.activation({ activation: 'relu' });
 * ```
 */
export function activation(args: Spelled<ActivationArgs>): Activation {
  return new Activation(args);
}

/**
 * Drops a fraction `rate` of inputs while training.
 *
 * ```ts
 * kiln.layers.dropout({ rate: 0.5 });
 * ```
 */
export function dropout(args: Spelled<DropoutArgs>): Dropout {
  return new Dropout(args);
}

/**
 * Flattens each sample to one dimension.
 *
 * ```ts
 * kiln.layers.flatten();
 * ```
 */
export function flatten(args: Spelled<FlattenArgs> = {}): Flatten {
  return new Flatten(args);
}

/**
 * Leaky ReLU with slope `negativeSlope` (tfjs: `alpha`) for negative inputs.
 *
 * ```ts
 * kiln.layers.leakyReLU({ negativeSlope: 0.1 });
 * ```
 */
export function leakyReLU(args: Spelled<LeakyReLUArgs> = {}): LeakyReLU {
  return new LeakyReLU(args);
}

/**
 * Batch normalization (batch statistics while training, moving statistics at inference).
 *
 * ```ts
 * kiln.layers.batchNormalization({ momentum: 0.9 });
 * ```
 */
export function batchNormalization(args: Spelled<BatchNormalizationArgs> = {}): BatchNormalization {
  return new BatchNormalization(args);
}

/**
 * Layer normalization over the last axis (or `axis`).
 *
 * ```ts
 * kiln.layers.layerNormalization({ epsilon: 1e-5 });
 * ```
 */
export function layerNormalization(args: Spelled<LayerNormalizationArgs> = {}): LayerNormalization {
  return new LayerNormalization(args);
}

/**
 * An input layer, as tfjs's `tf.layers.inputLayer` (same as `kiln.layers.input`).
 *
 * ```ts
 * kiln.layers.inputLayer({ inputShape: [784] });
 * ```
 */
export function inputLayer(args: Spelled<InputLayerArgs>): InputLayer {
  return new InputLayer(args);
}

// ---- convolution and pooling (branch conv) --------------------------------------------------
export { Conv1D, Conv2D } from './conv.js';
export type { ConvArgs } from './conv.js';
export { BaseConv } from './base_conv.js';
export type { BaseConvArgs } from './base_conv.js';
export { MaxPooling2D, AveragePooling2D, MaxPooling1D, AveragePooling1D } from './pooling.js';
export type { PoolingArgs } from './pooling.js';
export { GlobalAveragePooling2D, GlobalMaxPooling2D, GlobalAveragePooling1D, GlobalMaxPooling1D } from './global_pooling.js';
export type { GlobalPoolingArgs } from './global_pooling.js';
export { DepthwiseConv2D } from './depthwise_conv2d.js';
export type { DepthwiseConv2DArgs } from './depthwise_conv2d.js';
export { SeparableConv2D } from './separable_conv2d.js';
export type { SeparableConv2DArgs } from './separable_conv2d.js';
export { Conv2DTranspose } from './conv2d_transpose.js';
export type { Conv2DTransposeArgs } from './conv2d_transpose.js';
export {
  conv2d, conv1d, maxPooling2d, averagePooling2d, maxPooling1d, averagePooling1d,
  globalAveragePooling2d, globalMaxPooling2d, globalAveragePooling1d, globalMaxPooling1d,
  depthwiseConv2d, separableConv2d, conv2dTranspose,
} from './conv_factories.js';
