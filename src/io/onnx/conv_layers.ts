import { NotImplementedError } from '../../errors.js';
import type { BaseConv } from '../../layers/base_conv.js';
import { Conv1D, Conv2D } from '../../layers/conv.js';
import { DepthwiseConv2D } from '../../layers/depthwise_conv2d.js';
import type { DataFormat } from '../../layers/flatten.js';
import {
  GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D,
} from '../../layers/global_pooling.js';
import type { Layer, SymbolicShape } from '../../layers/layer.js';
import { AveragePooling1D, AveragePooling2D, MaxPooling1D, MaxPooling2D } from '../../layers/pooling.js';
import { SeparableConv2D } from '../../layers/separable_conv2d.js';
import type { AttrValue, GraphBuilder, IntAttr } from './graph.js';
import { int } from './graph.js';
import type { LayerLowering } from './lowering.js';
import { applyActivation, className, invert, values } from './lowering.js';

/**
 * Lowerings of the convolution and pooling layers. kiln is channels-last (NHWC) while ONNX Conv and
 * the pooling ops are channels-first (NCHW), so each such layer is wrapped in a Transpose to NCHW
 * and one back. Correctness first: two consecutive layers give a back-and-forth pair that a later
 * pass (or the runtime's optimizer, which onnxruntime applies at load) can fuse away.
 */

/** `[0, rank − 1, 1, …, rank − 2]`: channels-last to channels-first. */
const toChannelsFirst = (rank: number): number[] => [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];

/** Runs `body` (which builds NCHW nodes) between a Transpose to channels-first and one back. */
function channelsFirst(layer: Layer, g: GraphBuilder, x: string, rank: number, body: (x: string) => string): string {
  const perm = toChannelsFirst(rank);
  const y = body(g.node('Transpose', [x], `${layer.name}/ToChannelsFirst`, { perm: int(perm) }));
  return g.node('Transpose', [y], `${layer.name}/ToChannelsLast`, { perm: int(invert(perm)) });
}

function refuseChannelsFirst(layer: Layer & { dataFormat: DataFormat }): void {
  if (layer.dataFormat !== 'channels_last') {
    throw new NotImplementedError(`exportOnnx: layer '${layer.name}' (${className(layer)}) uses data_format '${layer.dataFormat}'; only channels_last is lowered`);
  }
}

/**
 * The ONNX `pads` attribute (`[begin₁, begin₂…, end₁, end₂…]`) for kiln's padding over the spatial
 * axes of a channels-last `shape`, or `null` when some spatial size is unknown at export time.
 * 'same' follows TensorFlow (the odd pad element at the end, ONNX's SAME_UPPER); it is written out
 * explicitly because runtimes have disagreed on SAME_* with dilation. 'causal' pads the start only.
 */
function explicitPads(shape: SymbolicShape, kernel: readonly number[], strides: readonly number[], dilations: readonly number[], padding: string): number[] | null {
  const begin: number[] = [];
  const end: number[] = [];
  for (let i = 0; i < kernel.length; i++) {
    const eff = (kernel[i]! - 1) * dilations[i]! + 1;
    if (padding === 'valid') {
      begin.push(0);
      end.push(0);
    } else if (padding === 'causal') {
      begin.push(eff - 1);
      end.push(0);
    } else {
      const size = shape[i + 1];
      if (size === null || size === undefined) return null;
      const out = Math.ceil(size / strides[i]!);
      const total = Math.max((out - 1) * strides[i]! + eff - size, 0);
      begin.push(Math.floor(total / 2));
      end.push(total - Math.floor(total / 2));
    }
  }
  return [...begin, ...end];
}

/** The padding attributes of a Conv/Pool node: explicit pads, or SAME_UPPER when sizes are unknown. */
function paddingAttrs(shape: SymbolicShape, kernel: readonly number[], strides: readonly number[], dilations: readonly number[], padding: string): Record<string, AttrValue | IntAttr> {
  const pads = explicitPads(shape, kernel, strides, dilations, padding);
  if (pads) return { pads: int(pads) };
  // Only 'same' reaches here (valid and causal need no sizes); SAME_UPPER is TensorFlow's rule.
  return { auto_pad: 'SAME_UPPER' };
}

/** `data` (row-major, of shape `dims`) with its axes permuted by `perm`, as Transpose would. */
function transposeValues(data: Float32Array, dims: readonly number[], perm: readonly number[]): { dims: number[]; data: Float32Array } {
  const rank = dims.length;
  const outDims = perm.map((p) => dims[p]!);
  const inStrides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= dims[i]!;
  }
  const out = new Float32Array(data.length);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < rank; i++) src += index[i]! * inStrides[perm[i]!]!;
    out[o] = data[src]!;
    for (let i = rank - 1; i >= 0; i--) {
      if (++index[i]! < outDims[i]!) break;
      index[i] = 0;
    }
  }
  return { dims: outDims, data: out };
}

/**
 * A kiln kernel `[...kernelSize, inPerGroup, out]` as an ONNX Conv weight `[out, inPerGroup, ...kernelSize]`.
 * `dims` may differ from the variable's own shape when it is reinterpreted (a depthwise kernel).
 */
function convWeight(g: GraphBuilder, name: string, data: Float32Array, dims: readonly number[]): string {
  const spatial = dims.length - 2;
  const perm = [spatial + 1, spatial, ...Array.from({ length: spatial }, (_, i) => i)];
  const t = transposeValues(data, dims, perm);
  return g.initializer(name, t.dims, t.data);
}

/** The ONNX Conv attributes shared by every convolution layer. */
function convAttrs(layer: BaseConv, shape: SymbolicShape, group: number): Record<string, AttrValue | IntAttr> {
  return {
    kernel_shape: int(layer.kernelSize),
    strides: int(layer.strides),
    dilations: int(layer.dilationRate),
    group: int(group),
    ...paddingAttrs(shape, layer.kernelSize, layer.strides, layer.dilationRate, layer.padding),
  };
}

/**
 * Conv1D / Conv2D (grouped included) as one ONNX Conv with 1 or 2 spatial axes. The activation
 * comes after the transpose back, since softmax and log_softmax normalize kiln's last axis.
 */
const conv = (layer: Conv1D | Conv2D, g: GraphBuilder, x: string, shape: SymbolicShape): string => {
  refuseChannelsFirst(layer);
  const n = layer.name;
  const kernel = layer.kernel!;
  const w = convWeight(g, `${n}/kernel`, values(kernel), kernel.shape);
  const b = layer.bias ? g.initializer(`${n}/bias`, layer.bias.shape, values(layer.bias)) : null;
  const y = channelsFirst(layer, g, x, shape.length, (xt) =>
    g.node('Conv', b ? [xt, w, b] : [xt, w], `${n}/Conv`, convAttrs(layer, shape, layer.groups)));
  return applyActivation(layer, layer.activation, g, y);
};

/**
 * The depthwise kernel `[kh, kw, C, M]` read as `[kh, kw, 1, C·M]` (the same elements): output
 * channel c·M + m is input channel c under kernel[:, :, c, m], exactly ONNX Conv with group C.
 */
function depthwiseWeight(g: GraphBuilder, name: string, kernel: NonNullable<DepthwiseConv2D['kernel']>): { w: string; channels: number } {
  const [kh, kw, c, m] = kernel.shape as [number, number, number, number];
  return { w: convWeight(g, name, values(kernel), [kh, kw, 1, c * m]), channels: c };
}

const depthwise: LayerLowering<DepthwiseConv2D> = (layer, g, x, shape) => {
  refuseChannelsFirst(layer);
  const n = layer.name;
  const { w, channels } = depthwiseWeight(g, `${n}/depthwise_kernel`, layer.kernel!);
  const b = layer.bias ? g.initializer(`${n}/bias`, layer.bias.shape, values(layer.bias)) : null;
  const y = channelsFirst(layer, g, x, 4, (xt) => g.node('Conv', b ? [xt, w, b] : [xt, w], `${n}/Conv`, convAttrs(layer, shape, channels)));
  return applyActivation(layer, layer.activation, g, y);
};

/** SeparableConv2D: the depthwise Conv (strides, padding, dilation), then a 1×1 Conv with the bias. */
const separable: LayerLowering<SeparableConv2D> = (layer, g, x, shape) => {
  refuseChannelsFirst(layer);
  const n = layer.name;
  const { w, channels } = depthwiseWeight(g, `${n}/depthwise_kernel`, layer.depthwiseKernel!);
  const pk = layer.pointwiseKernel!;
  const pw = convWeight(g, `${n}/pointwise_kernel`, values(pk), pk.shape);
  const b = layer.bias ? g.initializer(`${n}/bias`, layer.bias.shape, values(layer.bias)) : null;
  const y = channelsFirst(layer, g, x, 4, (xt) => {
    const d = g.node('Conv', [xt, w], `${n}/DepthwiseConv`, convAttrs(layer, shape, channels));
    return g.node('Conv', b ? [d, pw, b] : [d, pw], `${n}/PointwiseConv`, { kernel_shape: int([1, 1]) });
  });
  return applyActivation(layer, layer.activation, g, y);
};

type Pooling = MaxPooling1D | MaxPooling2D | AveragePooling1D | AveragePooling2D;

/**
 * Max and average pooling (1-D and 2-D). kiln's average divides by the real inputs in each window,
 * never the padding (TensorFlow's rule): ONNX AveragePool with count_include_pad=0. MaxPool ignores
 * padded positions by definition.
 */
const pooling = (layer: Pooling, g: GraphBuilder, x: string, shape: SymbolicShape): string => {
  refuseChannelsFirst(layer);
  const ones = layer.poolSize.map(() => 1);
  const attrs = { kernel_shape: int(layer.poolSize), strides: int(layer.strides), ...paddingAttrs(shape, layer.poolSize, layer.strides, ones, layer.padding) };
  const op = layer.mode === 'max' ? 'MaxPool' : 'AveragePool';
  return channelsFirst(layer, g, x, shape.length, (xt) =>
    g.node(op, [xt], `${layer.name}/${op}`, op === 'AveragePool' ? { ...attrs, count_include_pad: int(0) } : attrs));
};

type GlobalPooling = GlobalAveragePooling1D | GlobalAveragePooling2D | GlobalMaxPooling1D | GlobalMaxPooling2D;

/** Global pooling as a reduction over the spatial axes; no transpose, so either data format works. */
const globalPooling = (layer: GlobalPooling, g: GraphBuilder, x: string): string => {
  const first = layer.dataFormat === 'channels_last' ? 1 : 2;
  const axes = Array.from({ length: layer.rank }, (_, i) => first + i);
  const op = layer.mode === 'max' ? 'ReduceMax' : 'ReduceMean';
  return g.node(op, [x], `${layer.name}/${op}`, { axes: int(axes), keepdims: int(layer.keepdims ? 1 : 0) });
};

/** The convolution and pooling rows of the lowering table. */
export const CONV_LOWERINGS: [new (...args: never[]) => Layer, LayerLowering<never>][] = [
  [Conv2D, conv],
  [Conv1D, conv],
  [DepthwiseConv2D, depthwise],
  [SeparableConv2D, separable],
  [MaxPooling2D, pooling],
  [AveragePooling2D, pooling],
  [MaxPooling1D, pooling],
  [AveragePooling1D, pooling],
  [GlobalAveragePooling2D, globalPooling],
  [GlobalMaxPooling2D, globalPooling],
  [GlobalAveragePooling1D, globalPooling],
  [GlobalMaxPooling1D, globalPooling],
];

/** Class names of the layers lowered here. */
export const ONNX_CONV_CLASSES: readonly string[] = [
  'Conv2D', 'Conv1D', 'DepthwiseConv2D', 'SeparableConv2D', 'MaxPooling2D', 'AveragePooling2D', 'MaxPooling1D', 'AveragePooling1D',
  'GlobalAveragePooling2D', 'GlobalMaxPooling2D', 'GlobalAveragePooling1D', 'GlobalMaxPooling1D',
];
