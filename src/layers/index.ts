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
 * An input layer, as tfjs's `tf.layers.inputLayer` (`kiln.input` gives its symbolic output, as `keras.Input`).
 *
 * ```ts
 * kiln.layers.inputLayer({ inputShape: [784] });
 * ```
 */
export function inputLayer(args: Spelled<InputLayerArgs>): InputLayer {
  return new InputLayer(args);
}

// ── Merge layers (functional API) ───────────────────────────────────────────
export { Add, Subtract, Multiply, Average, Maximum, Minimum, Merge } from './merge/merge.js';
export type { MergeArgs } from './merge/merge.js';
export { Concatenate } from './merge/concatenate.js';
export type { ConcatenateArgs } from './merge/concatenate.js';
export { Dot } from './merge/dot.js';
export type { DotArgs } from './merge/dot.js';
export { KerasTensor } from './keras_tensor.js';
import { Add, Average, Maximum, Minimum, Multiply, Subtract } from './merge/merge.js';
import type { MergeArgs } from './merge/merge.js';
import { Concatenate } from './merge/concatenate.js';
import type { ConcatenateArgs } from './merge/concatenate.js';
import { Dot } from './merge/dot.js';
import type { DotArgs } from './merge/dot.js';

/** Sums a list of inputs: `kiln.layers.add().apply([a, b])`. */
export function add(args: Spelled<MergeArgs> = {}): Add {
  return new Add(args);
}
/** `a - b` of two inputs: `kiln.layers.subtract().apply([a, b])`. */
export function subtract(args: Spelled<MergeArgs> = {}): Subtract {
  return new Subtract(args);
}
/** The elementwise product of a list of inputs: `kiln.layers.multiply().apply([a, b])`. */
export function multiply(args: Spelled<MergeArgs> = {}): Multiply {
  return new Multiply(args);
}
/** The elementwise mean of a list of inputs: `kiln.layers.average().apply([a, b])`. */
export function average(args: Spelled<MergeArgs> = {}): Average {
  return new Average(args);
}
/** The elementwise maximum of a list of inputs: `kiln.layers.maximum().apply([a, b])`. */
export function maximum(args: Spelled<MergeArgs> = {}): Maximum {
  return new Maximum(args);
}
/** The elementwise minimum of a list of inputs: `kiln.layers.minimum().apply([a, b])`. */
export function minimum(args: Spelled<MergeArgs> = {}): Minimum {
  return new Minimum(args);
}
/** Joins a list of inputs along `axis` (default -1): `kiln.layers.concatenate().apply([a, b])`. */
export function concatenate(args: Spelled<ConcatenateArgs> = {}): Concatenate {
  return new Concatenate(args);
}
/** Sample-wise dot product of two inputs: `kiln.layers.dot({ axes: 1 }).apply([a, b])`. */
export function dot(args: Spelled<DotArgs>): Dot {
  return new Dot(args);
}

// ── Preprocessing ───────────────────────────────────────────────────────────
export { Rescaling } from './rescaling.js';
export type { RescalingArgs } from './rescaling.js';
import { Rescaling } from './rescaling.js';
import type { RescalingArgs } from './rescaling.js';

/** `x * scale + offset` (Keras's Rescaling): `kiln.layers.rescaling({ scale: 1 / 255 })`. */
export function rescaling(args: Spelled<RescalingArgs>): Rescaling {
  return new Rescaling(args);
}

// ── Sequence layers: embedding, masking, recurrent layers and their wrappers (issue 11) ──
import type { EmbeddingArgs } from './embedding.js';
import { Embedding } from './embedding.js';
import type { MaskingArgs } from './masking.js';
import { Masking } from './masking.js';
import type { SimpleRNNArgs } from './recurrent/simple_rnn.js';
import { SimpleRNN } from './recurrent/simple_rnn.js';
import type { LSTMArgs } from './recurrent/lstm.js';
import { LSTM } from './recurrent/lstm.js';
import type { GRUArgs } from './recurrent/gru.js';
import { GRU } from './recurrent/gru.js';
import type { BidirectionalArgs } from './recurrent/bidirectional.js';
import { Bidirectional } from './recurrent/bidirectional.js';
import type { TimeDistributedArgs } from './recurrent/time_distributed.js';
import { TimeDistributed } from './recurrent/time_distributed.js';

export { Embedding, Masking, SimpleRNN, LSTM, GRU, Bidirectional, TimeDistributed };
export { Recurrent } from './recurrent/rnn.js';
export type { EmbeddingArgs, MaskingArgs, SimpleRNNArgs, LSTMArgs, GRUArgs, BidirectionalArgs, TimeDistributedArgs };
export type { RecurrentArgs, RecurrentCallOptions } from './recurrent/rnn.js';
export type { MergeMode } from './recurrent/bidirectional.js';

/** Integer indices → dense vectors: `kiln.layers.embedding({ inputDim: 1000, outputDim: 16, maskZero: true })`. */
export const embedding = (args: Spelled<EmbeddingArgs>): Embedding => new Embedding(args);
/** Masks timesteps whose features all equal maskValue: `kiln.layers.masking({ maskValue: 0 })`. */
export const masking = (args: Spelled<MaskingArgs> = {}): Masking => new Masking(args);
/** A fully connected RNN: `kiln.layers.simpleRNN({ units: 16 })`. */
export const simpleRNN = (args: Spelled<SimpleRNNArgs>): SimpleRNN => new SimpleRNN(args);
/** Long short-term memory: `kiln.layers.lstm({ units: 32, returnSequences: true })`. */
export const lstm = (args: Spelled<LSTMArgs>): LSTM => new LSTM(args);
/** Gated recurrent unit: `kiln.layers.gru({ units: 32, resetAfter: true })`. */
export const gru = (args: Spelled<GRUArgs>): GRU => new GRU(args);
/** Both directions of a recurrent layer: `kiln.layers.bidirectional({ layer: kiln.layers.lstm({ units: 8 }) })`. */
export const bidirectional = (args: Spelled<BidirectionalArgs>): Bidirectional => new Bidirectional(args);
/** A layer applied to every timestep: `kiln.layers.timeDistributed({ layer: kiln.layers.dense({ units: 4 }) })`. */
export const timeDistributed = (args: Spelled<TimeDistributedArgs>): TimeDistributed => new TimeDistributed(args);

// ── Shape, noise and image augmentation layers (issue 11) ───────────────────
export { Reshape } from './reshaping/reshape.js';
export type { ReshapeArgs } from './reshaping/reshape.js';
export { Permute } from './reshaping/permute.js';
export type { PermuteArgs } from './reshaping/permute.js';
export { RepeatVector } from './reshaping/repeat_vector.js';
export type { RepeatVectorArgs } from './reshaping/repeat_vector.js';
export { UpSampling1D, UpSampling2D } from './reshaping/up_sampling.js';
export type { UpSampling1DArgs, UpSampling2DArgs, UpSamplingInterpolation } from './reshaping/up_sampling.js';
export { ZeroPadding1D, ZeroPadding2D } from './reshaping/zero_padding.js';
export type { ZeroPadding1DArgs, ZeroPadding2DArgs } from './reshaping/zero_padding.js';
export { Cropping1D, Cropping2D } from './reshaping/cropping.js';
export type { Cropping1DArgs, Cropping2DArgs } from './reshaping/cropping.js';
export { SpatialDropout1D, SpatialDropout2D } from './noise/spatial_dropout.js';
export type { SpatialDropout1DArgs, SpatialDropout2DArgs } from './noise/spatial_dropout.js';
export { GaussianNoise, GaussianDropout } from './noise/gaussian.js';
export type { GaussianNoiseArgs, GaussianDropoutArgs } from './noise/gaussian.js';
export { AlphaDropout } from './noise/alpha_dropout.js';
export type { AlphaDropoutArgs } from './noise/alpha_dropout.js';
export { RandomFlip } from './augmentation/random_flip.js';
export type { RandomFlipArgs, FlipMode } from './augmentation/random_flip.js';
export { RandomRotation } from './augmentation/random_rotation.js';
export type { RandomRotationArgs } from './augmentation/random_rotation.js';
export { RandomZoom } from './augmentation/random_zoom.js';
export type { RandomZoomArgs } from './augmentation/random_zoom.js';
export { RandomTranslation } from './augmentation/random_translation.js';
export type { RandomTranslationArgs } from './augmentation/random_translation.js';
export { RandomContrast } from './augmentation/random_contrast.js';
export type { RandomContrastArgs } from './augmentation/random_contrast.js';
export type { FillMode, Interpolation } from './augmentation/affine.js';
export type { Factor } from './augmentation/factor.js';
import * as reshaping from './reshaping/reshape.js';
import * as permuting from './reshaping/permute.js';
import * as repeating from './reshaping/repeat_vector.js';
import * as upSampling from './reshaping/up_sampling.js';
import * as zeroPadding from './reshaping/zero_padding.js';
import * as cropping from './reshaping/cropping.js';
import * as spatialDropout from './noise/spatial_dropout.js';
import * as gaussian from './noise/gaussian.js';
import * as alpha from './noise/alpha_dropout.js';
import * as flip from './augmentation/random_flip.js';
import * as rotation from './augmentation/random_rotation.js';
import * as zoom from './augmentation/random_zoom.js';
import * as translation from './augmentation/random_translation.js';
import * as contrast from './augmentation/random_contrast.js';

/** Reshapes each sample (one -1 inferred): `kiln.layers.reshape({ targetShape: [-1, 4] })`. */
export function reshape(args: Spelled<reshaping.ReshapeArgs>): reshaping.Reshape {
  return new reshaping.Reshape(args);
}
/** Permutes sample axes, 1-based: `kiln.layers.permute({ dims: [2, 1] })`. */
export function permute(args: Spelled<permuting.PermuteArgs>): permuting.Permute {
  return new permuting.Permute(args);
}
/** `[batch, f]` → `[batch, n, f]`: `kiln.layers.repeatVector({ n: 3 })`. */
export function repeatVector(args: Spelled<repeating.RepeatVectorArgs>): repeating.RepeatVector {
  return new repeating.RepeatVector(args);
}
/** Repeats steps: `kiln.layers.upSampling1d({ size: 2 })`. */
export function upSampling1d(args: Spelled<upSampling.UpSampling1DArgs> = {}): upSampling.UpSampling1D {
  return new upSampling.UpSampling1D(args);
}
/** Scales images up: `kiln.layers.upSampling2d({ size: 2, interpolation: 'bilinear' })`. */
export function upSampling2d(args: Spelled<upSampling.UpSampling2DArgs> = {}): upSampling.UpSampling2D {
  return new upSampling.UpSampling2D(args);
}
/** Pads steps with zeros: `kiln.layers.zeroPadding1d({ padding: [1, 2] })`. */
export function zeroPadding1d(args: Spelled<zeroPadding.ZeroPadding1DArgs> = {}): zeroPadding.ZeroPadding1D {
  return new zeroPadding.ZeroPadding1D(args);
}
/** Pads images with zeros: `kiln.layers.zeroPadding2d({ padding: [[1, 0], [2, 2]] })`. */
export function zeroPadding2d(args: Spelled<zeroPadding.ZeroPadding2DArgs> = {}): zeroPadding.ZeroPadding2D {
  return new zeroPadding.ZeroPadding2D(args);
}
/** Crops steps: `kiln.layers.cropping1d({ cropping: [1, 1] })`. */
export function cropping1d(args: Spelled<cropping.Cropping1DArgs> = {}): cropping.Cropping1D {
  return new cropping.Cropping1D(args);
}
/** Crops images: `kiln.layers.cropping2d({ cropping: [[2, 2], [4, 4]] })`. */
export function cropping2d(args: Spelled<cropping.Cropping2DArgs> = {}): cropping.Cropping2D {
  return new cropping.Cropping2D(args);
}
/** Drops whole channels of sequences while training: `kiln.layers.spatialDropout1d({ rate: 0.2 })`. */
export function spatialDropout1d(args: Spelled<spatialDropout.SpatialDropout1DArgs>): spatialDropout.SpatialDropout1D {
  return new spatialDropout.SpatialDropout1D(args);
}
/** Drops whole feature maps while training: `kiln.layers.spatialDropout2d({ rate: 0.2 })`. */
export function spatialDropout2d(args: Spelled<spatialDropout.SpatialDropout2DArgs>): spatialDropout.SpatialDropout2D {
  return new spatialDropout.SpatialDropout2D(args);
}
/** Additive Gaussian noise while training: `kiln.layers.gaussianNoise({ stddev: 0.1 })`. */
export function gaussianNoise(args: Spelled<gaussian.GaussianNoiseArgs>): gaussian.GaussianNoise {
  return new gaussian.GaussianNoise(args);
}
/** Multiplicative Gaussian noise while training: `kiln.layers.gaussianDropout({ rate: 0.2 })`. */
export function gaussianDropout(args: Spelled<gaussian.GaussianDropoutArgs>): gaussian.GaussianDropout {
  return new gaussian.GaussianDropout(args);
}
/** SELU-preserving dropout while training: `kiln.layers.alphaDropout({ rate: 0.1 })`. */
export function alphaDropout(args: Spelled<alpha.AlphaDropoutArgs>): alpha.AlphaDropout {
  return new alpha.AlphaDropout(args);
}
/** Random image flips while training: `kiln.layers.randomFlip({ mode: 'horizontal' })`. */
export function randomFlip(args: Spelled<flip.RandomFlipArgs> = {}): flip.RandomFlip {
  return new flip.RandomFlip(args);
}
/** Random image rotations while training: `kiln.layers.randomRotation({ factor: 0.1 })`. */
export function randomRotation(args: Spelled<rotation.RandomRotationArgs>): rotation.RandomRotation {
  return new rotation.RandomRotation(args);
}
/** Random image zooms while training: `kiln.layers.randomZoom({ heightFactor: 0.2 })`. */
export function randomZoom(args: Spelled<zoom.RandomZoomArgs>): zoom.RandomZoom {
  return new zoom.RandomZoom(args);
}
/** Random image shifts while training: `kiln.layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1 })`. */
export function randomTranslation(args: Spelled<translation.RandomTranslationArgs>): translation.RandomTranslation {
  return new translation.RandomTranslation(args);
}
/** Random image contrast while training: `kiln.layers.randomContrast({ factor: 0.2 })`. */
export function randomContrast(args: Spelled<contrast.RandomContrastArgs>): contrast.RandomContrast {
  return new contrast.RandomContrast(args);
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
