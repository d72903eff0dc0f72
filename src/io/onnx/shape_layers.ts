import { NotImplementedError } from '../../errors.js';
import { AlphaDropout } from '../../layers/noise/alpha_dropout.js';
import { RandomContrast } from '../../layers/augmentation/random_contrast.js';
import { RandomFlip } from '../../layers/augmentation/random_flip.js';
import { RandomRotation } from '../../layers/augmentation/random_rotation.js';
import { RandomTranslation } from '../../layers/augmentation/random_translation.js';
import { RandomZoom } from '../../layers/augmentation/random_zoom.js';
import { GaussianDropout, GaussianNoise } from '../../layers/noise/gaussian.js';
import { SpatialDropout1D, SpatialDropout2D } from '../../layers/noise/spatial_dropout.js';
import type { Layer, SymbolicShape } from '../../layers/layer.js';
import { Rescaling } from '../../layers/rescaling.js';
import { Cropping1D, Cropping2D } from '../../layers/reshaping/cropping.js';
import { Reshape } from '../../layers/reshaping/reshape.js';
import { spatialAxes } from '../../layers/reshaping/spatial.js';
import { UpSampling1D, UpSampling2D } from '../../layers/reshaping/up_sampling.js';
import { ZeroPadding1D, ZeroPadding2D } from '../../layers/reshaping/zero_padding.js';
import type { GraphBuilder } from './graph.js';
import type { LayerLowering } from './lowering.js';
import { className } from './lowering.js';

/**
 * Lowerings of the shape layers (Reshape, zero padding, cropping, nearest up-sampling), Rescaling
 * and the layers that are the identity at inference. None of them needs a layout change: each
 * names kiln's own axes, so channels_first works as well as channels_last.
 */

/** Reshape keeps the batch axis: ONNX reads a 0 in the target shape as "copy this input dimension". */
const reshape: LayerLowering<Reshape> = (layer, g, x) => {
  const target = g.int64Initializer(`${layer.name}/shape`, [layer.targetShape.length + 1], [0, ...layer.targetShape]);
  return g.node('Reshape', [x, target], `${layer.name}/Reshape`);
};

/** Zero padding as Pad (constant 0); pads are `[begin per axis…, end per axis…]` over every axis. */
const zeroPadding = (layer: ZeroPadding1D | ZeroPadding2D, g: GraphBuilder, x: string, shape: SymbolicShape): string => {
  const axes = spatialAxes(layer.dataFormat, shape.length);
  const side = (s: 0 | 1) => shape.map((_, i) => (axes.includes(i) ? layer.padding[axes.indexOf(i)]![s] : 0));
  const pads = g.int64Initializer(`${layer.name}/pads`, [2 * shape.length], [...side(0), ...side(1)]);
  return g.node('Pad', [x, pads], `${layer.name}/Pad`);
};

/**
 * Cropping as Slice over the spatial axes. The end is counted from the back (−after), so unknown
 * sizes need no value; an `after` of 0 ends past the last element (Slice clamps it).
 */
const cropping = (layer: Cropping1D | Cropping2D, g: GraphBuilder, x: string, shape: SymbolicShape): string => {
  const axes = spatialAxes(layer.dataFormat, shape.length);
  const n = layer.name;
  const starts = g.int64Initializer(`${n}/starts`, [axes.length], layer.cropping.map(([before]) => before));
  const ends = g.int64Initializer(`${n}/ends`, [axes.length], layer.cropping.map(([, after]) => (after > 0 ? -after : Number.MAX_SAFE_INTEGER)));
  const axesInit = g.int64Initializer(`${n}/axes`, [axes.length], axes);
  return g.node('Slice', [x, starts, ends, axesInit], `${n}/Slice`);
};

/**
 * Nearest up-sampling (each element repeated `factor` times) as Resize with integer scales:
 * asymmetric coordinates with floor rounding read output i from input ⌊i / factor⌋, exactly the
 * repetition. Bilinear is refused: Keras's half-pixel convention would need its own check.
 */
const upSampling = (layer: UpSampling1D | UpSampling2D, g: GraphBuilder, x: string, shape: SymbolicShape): string => {
  if (layer.interpolation !== 'nearest') {
    throw new NotImplementedError(`exportOnnx: layer '${layer.name}' (${className(layer)}) uses interpolation '${layer.interpolation}'; only 'nearest' is lowered`);
  }
  const axes = spatialAxes(layer.dataFormat, shape.length);
  const scales = g.initializer(`${layer.name}/scales`, [shape.length], shape.map((_, i) => (axes.includes(i) ? layer.factors[axes.indexOf(i)]! : 1)));
  // Resize-13's roi input is optional and unused outside tf_crop_and_resize: the empty name skips it.
  return g.node('Resize', [x, '', scales], `${layer.name}/Resize`, {
    mode: 'nearest',
    coordinate_transformation_mode: 'asymmetric',
    nearest_mode: 'floor',
  });
};

/** x·scale + offset, the Add left out when the offset is 0 (as kiln does). */
const rescaling: LayerLowering<Rescaling> = (layer, g, x) => {
  const y = g.node('Mul', [x, g.scalar(`${layer.name}/scale`, layer.scale)], `${layer.name}/Mul`);
  return layer.offset === 0 ? y : g.node('Add', [y, g.scalar(`${layer.name}/offset`, layer.offset)], `${layer.name}/Add`);
};

/** Augmentation and noise layers act only while training; at inference they pass the input through. */
const identity = (_layer: Layer, _g: GraphBuilder, x: string): string => x;

export const SHAPE_LOWERINGS: [new (...args: never[]) => Layer, LayerLowering<never>][] = [
  [Reshape, reshape],
  [ZeroPadding1D, zeroPadding],
  [ZeroPadding2D, zeroPadding],
  [Cropping1D, cropping],
  [Cropping2D, cropping],
  [UpSampling1D, upSampling],
  [UpSampling2D, upSampling],
  [Rescaling, rescaling],
  ...([RandomFlip, RandomRotation, RandomZoom, RandomTranslation, RandomContrast, GaussianNoise, GaussianDropout, SpatialDropout1D, SpatialDropout2D, AlphaDropout] as (new (...args: never[]) => Layer)[])
    .map((cls): [new (...args: never[]) => Layer, LayerLowering<never>] => [cls, identity]),
];

/** Class names of the layers lowered here. */
export const ONNX_SHAPE_CLASSES: readonly string[] = [
  'Reshape', 'ZeroPadding1D', 'ZeroPadding2D', 'Cropping1D', 'Cropping2D', 'UpSampling1D', 'UpSampling2D', 'Rescaling',
  'RandomFlip', 'RandomRotation', 'RandomZoom', 'RandomTranslation', 'RandomContrast', 'GaussianNoise', 'GaussianDropout',
  'SpatialDropout1D', 'SpatialDropout2D', 'AlphaDropout',
];
