import { NotImplementedError } from '../../errors.js';
import { Activation } from '../../layers/activation.js';
import { BatchNormalization } from '../../layers/batch_normalization.js';
import { Dense } from '../../layers/dense.js';
import { Dropout } from '../../layers/dropout.js';
import { Flatten } from '../../layers/flatten.js';
import { InputLayer } from '../../layers/input_layer.js';
import type { Layer, SymbolicShape } from '../../layers/layer.js';
import { LayerNormalization } from '../../layers/layer_normalization.js';
import { LeakyReLU } from '../../layers/leaky_relu.js';
import type { LayerLowering } from './lowering.js';
import { applyActivation, className, invert, moveAxis, values } from './lowering.js';
import type { GraphBuilder } from './graph.js';
import { int } from './graph.js';
import { CONV_LOWERINGS, ONNX_CONV_CLASSES } from './conv_layers.js';
import { ONNX_SHAPE_CLASSES, SHAPE_LOWERINGS } from './shape_layers.js';

/** Dense: Gemm for rank-2 inputs; MatMul (which broadcasts over leading axes) + Add otherwise. */
const dense: LayerLowering<Dense> = (layer, g, x, shape) => {
  const kernel = g.initializer(`${layer.name}/kernel`, layer.kernel!.shape, values(layer.kernel));
  const bias = layer.bias ? g.initializer(`${layer.name}/bias`, layer.bias.shape, values(layer.bias)) : null;
  let y: string;
  if (shape.length === 2) {
    y = g.node('Gemm', bias ? [x, kernel, bias] : [x, kernel], `${layer.name}/Gemm`);
  } else {
    y = g.node('MatMul', [x, kernel], `${layer.name}/MatMul`);
    if (bias) y = g.node('Add', [y, bias], `${layer.name}/Add`);
  }
  return applyActivation(layer, layer.activation, g, y);
};

/**
 * BatchNormalization in inference mode. The ONNX op normalizes axis 1, which is kiln's feature
 * axis for rank-2 inputs; for any other feature axis the input is transposed there and back.
 */
const batchNorm: LayerLowering<BatchNormalization> = (layer, g, x, shape) => {
  const rank = shape.length;
  const axis = layer.axis < 0 ? layer.axis + rank : layer.axis;
  const c = layer.movingMean!.shape[0]!;
  const n = layer.name;
  // ONNX needs scale and bias inputs; a layer without gamma/beta uses ones/zeros.
  const scale = g.initializer(`${n}/gamma`, [c], layer.gamma ? values(layer.gamma) : new Float32Array(c).fill(1));
  const bias = g.initializer(`${n}/beta`, [c], layer.beta ? values(layer.beta) : new Float32Array(c));
  const mean = g.initializer(`${n}/moving_mean`, [c], values(layer.movingMean));
  const variance = g.initializer(`${n}/moving_variance`, [c], values(layer.movingVariance));
  const perm = moveAxis(rank, axis, 1);
  const moved = axis === 1 ? x : g.node('Transpose', [x], `${n}/Transpose`, { perm: int(perm) });
  const y = g.node('BatchNormalization', [moved, scale, bias, mean, variance], `${n}/BatchNormalization`, {
    epsilon: layer.epsilon,
    momentum: layer.momentum,
  });
  return axis === 1 ? y : g.node('Transpose', [y], `${n}/Transpose`, { perm: int(invert(perm)) });
};

/**
 * LayerNormalization as a composition (LayerNormalization the op arrived in opset 17):
 * (x − mean) / sqrt(var + ε) · γ + β over the layer's axes, with γ and β shaped to broadcast.
 */
const layerNorm: LayerLowering<LayerNormalization> = (layer, g, x, shape) => {
  const n = layer.name;
  const axes = layer.axis as number[]; // sorted non-negative once built
  const paramDims = shape.map((d, i) => (axes.includes(i) ? (d as number) : 1));
  const mean = g.node('ReduceMean', [x], `${n}/ReduceMean`, { axes: int(axes), keepdims: int(1) });
  const centered = g.node('Sub', [x, mean], `${n}/Sub`);
  const squared = g.node('Pow', [centered, g.scalar(`${n}/two`, 2)], `${n}/Pow`);
  const variance = g.node('ReduceMean', [squared], `${n}/ReduceMean`, { axes: int(axes), keepdims: int(1) });
  const std = g.node('Sqrt', [g.node('Add', [variance, g.scalar(`${n}/epsilon`, layer.epsilon)], `${n}/Add`)], `${n}/Sqrt`);
  // Keras's deprecated rms_scaling divides the uncentered input and has no beta.
  let y = g.node('Div', [layer.rmsScaling ? x : centered, std], `${n}/Div`);
  if (layer.gamma) y = g.node('Mul', [y, g.initializer(`${n}/gamma`, paramDims, values(layer.gamma))], `${n}/Mul`);
  if (layer.beta) y = g.node('Add', [y, g.initializer(`${n}/beta`, paramDims, values(layer.beta))], `${n}/Add`);
  return y;
};

/** Flatten to [N, features]; channels_first first moves the channel axis last, as kiln does. */
const flatten: LayerLowering<Flatten> = (layer, g, x, shape) => {
  let y = x;
  if (layer.dataFormat === 'channels_first' && shape.length > 2) {
    y = g.node('Transpose', [x], `${layer.name}/Transpose`, { perm: int(moveAxis(shape.length, 1, shape.length - 1)) });
  }
  return g.node('Flatten', [y], `${layer.name}/Flatten`, { axis: int(1) });
};

const LOWERINGS: [new (...args: never[]) => Layer, LayerLowering<never>][] = [
  [Dense, dense],
  [BatchNormalization, batchNorm],
  [LayerNormalization, layerNorm],
  [Flatten, flatten],
  [Activation, (layer: Activation, g: GraphBuilder, x: string) => applyActivation(layer, layer.activation, g, x)],
  [LeakyReLU, (layer: LeakyReLU, g: GraphBuilder, x: string) => g.node('LeakyRelu', [x], `${layer.name}/LeakyRelu`, { alpha: layer.negativeSlope })],
  // Inference graphs: dropout is the identity, and the input layer is the graph input itself.
  [Dropout, (_layer: Dropout, _g: GraphBuilder, x: string) => x],
  [InputLayer, (_layer: InputLayer, _g: GraphBuilder, x: string) => x],
  ...CONV_LOWERINGS,
  ...SHAPE_LOWERINGS,
];

/** Class names of the layers `exportOnnx` can lower. */
export const ONNX_LAYER_CLASSES: readonly string[] = ['Dense', 'BatchNormalization', 'LayerNormalization', 'Flatten', 'Activation', 'LeakyReLU', 'Dropout', 'InputLayer', ...ONNX_CONV_CLASSES, ...ONNX_SHAPE_CLASSES];

/**
 * Appends the ONNX nodes for `layer` (built, applied to value `x` of shape `shape`) and returns the
 * output value's name, or throws a NotImplementedError naming the layer.
 *
 * ```ts
 * let x = 'input';
 * for (const layer of model.layers) { x = lowerLayer(layer, graph, x, shape); shape = layer.computeOutputShape(shape); }
 * ```
 */
export function lowerLayer(layer: Layer, g: GraphBuilder, x: string, shape: SymbolicShape): string {
  // Exact class match: a subclass may override call() with semantics the lowering does not know.
  const entry = LOWERINGS.find(([cls]) => layer.constructor === cls);
  if (!entry) {
    throw new NotImplementedError(
      `exportOnnx: layer '${layer.name}' (${className(layer)}) has no ONNX lowering yet; supported layers: ${ONNX_LAYER_CLASSES.join(', ')}`,
    );
  }
  return (entry[1] as LayerLowering<Layer>)(layer, g, x, shape);
}
