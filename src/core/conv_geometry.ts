import { ShapeError, ValueError } from '../errors.js';
import type { Conv2DInfo, Pool2DInfo } from './backend.js';
import type { Shape } from './shape.js';
import { formatShape } from './shape.js';

/**
 * Convolution and pooling geometry, worked out once per call so every backend receives the same
 * numbers (and the same errors come from one place). Padding follows TensorFlow:
 * - 'valid': no padding; out = ⌊(in − effective kernel) / stride⌋ + 1.
 * - 'same': out = ⌈in / stride⌉, padded by max((out − 1)·stride + effective kernel − in, 0) in
 *   total, the odd element at the bottom/right.
 * The effective kernel of size k with dilation d spans (k − 1)·d + 1 inputs. Strides and dilation
 * may both exceed 1 (TensorFlow refuses that; the loops here need no such limit, and JAX allows it).
 */
export type Padding = 'same' | 'valid';

export interface Conv2DOptions {
  strides?: readonly [number, number];
  padding?: Padding;
  dilations?: readonly [number, number];
  groups?: number;
}

export interface Pool2DOptions {
  poolSize: readonly [number, number];
  strides?: readonly [number, number];
  padding?: Padding;
}

function positivePair(value: readonly number[] | undefined, fallback: number, what: string, where: string): [number, number] {
  const v = value ?? [fallback, fallback];
  if (v.length !== 2 || !v.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ValueError(`${where}: ${what} must be two positive integers, found ${JSON.stringify(value)}`);
  }
  return [v[0]!, v[1]!];
}

function checkPadding(padding: unknown, where: string): Padding {
  if (padding !== 'same' && padding !== 'valid') throw new ValueError(`${where}: padding must be 'same' or 'valid', found ${JSON.stringify(padding)}`);
  return padding;
}

/** Output length and leading pad along one axis. */
function axis(inSize: number, k: number, stride: number, dilation: number, padding: Padding, where: string, name: string): [number, number] {
  const eff = (k - 1) * dilation + 1;
  if (padding === 'valid') {
    if (eff > inSize) {
      throw new ShapeError(`${where}: with padding 'valid' the ${name} window (${eff}${dilation > 1 ? ', after dilation' : ''}) must fit in the input's ${name} (${inSize})`);
    }
    return [Math.floor((inSize - eff) / stride) + 1, 0];
  }
  const out = Math.ceil(inSize / stride);
  const total = Math.max((out - 1) * stride + eff - inSize, 0);
  return [out, Math.floor(total / 2)];
}

/** The geometry of conv2d(x [N, H, W, C], filter [kH, kW, C/groups, O]). */
export function conv2dInfo(xShape: Shape, filterShape: Shape, options: Conv2DOptions, where = 'conv2d'): Conv2DInfo {
  if (xShape.length !== 4) throw new ShapeError(`${where}: expected input of rank 4 [batch, height, width, channels], found ${formatShape(xShape)}`);
  if (filterShape.length !== 4) throw new ShapeError(`${where}: expected a filter of rank 4 [kernelH, kernelW, inChannels/groups, outChannels], found ${formatShape(filterShape)}`);
  const [batch, inH, inW, inC] = xShape as [number, number, number, number];
  const [kH, kW, groupC, outC] = filterShape as [number, number, number, number];
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new ValueError(`${where}: groups must be a positive integer, found ${JSON.stringify(groups)}`);
  if (inC % groups !== 0 || outC % groups !== 0) {
    throw new ShapeError(`${where}: input channels (${inC}) and filters (${outC}) must both be divisible by groups (${groups})`);
  }
  if (groupC * groups !== inC) {
    throw new ShapeError(`${where}: the filter expects ${groupC * groups} input channels (${groupC} per group × ${groups} groups), found ${inC} in input ${formatShape(xShape)}`);
  }
  const [strideH, strideW] = positivePair(options.strides, 1, 'strides', where);
  const [dilationH, dilationW] = positivePair(options.dilations, 1, 'dilations', where);
  const padding = checkPadding(options.padding ?? 'valid', where);
  const [outH, padTop] = axis(inH, kH, strideH, dilationH, padding, where, 'height');
  const [outW, padLeft] = axis(inW, kW, strideW, dilationW, padding, where, 'width');
  return { batch, inH, inW, inC, kH, kW, outC, outH, outW, strideH, strideW, dilationH, dilationW, padTop, padLeft, groups };
}

/**
 * The geometry of the convolution whose input gradient is a transposed convolution producing
 * `outShape` [N, H, W, C] from dy [N, h, w, filters]; checks that the convolution of `outShape` gives dy's size.
 */
export function conv2dTransposeInfo(dyShape: Shape, filterShape: Shape, outShape: Shape, options: Conv2DOptions, where = 'conv2dTranspose'): Conv2DInfo {
  if (dyShape.length !== 4) throw new ShapeError(`${where}: expected input of rank 4 [batch, height, width, channels], found ${formatShape(dyShape)}`);
  if (filterShape.length !== 4) throw new ShapeError(`${where}: expected a filter of rank 4 [kernelH, kernelW, outChannels, inChannels], found ${formatShape(filterShape)}`);
  if (filterShape[3] !== dyShape[3]) {
    throw new ShapeError(`${where}: the filter expects ${filterShape[3]} input channels, found ${dyShape[3]} in input ${formatShape(dyShape)}`);
  }
  const info = conv2dInfo(outShape, filterShape, options, where);
  if (info.outH !== dyShape[1] || info.outW !== dyShape[2] || info.batch !== dyShape[0]) {
    throw new ShapeError(`${where}: output shape ${formatShape(outShape)} does not convolve back to the input's ${formatShape(dyShape)}`);
  }
  return info;
}

/** The geometry of pooling x [N, H, W, C] (strides default to the pool size, as in Keras). */
export function pool2dInfo(xShape: Shape, options: Pool2DOptions, where = 'pool2d'): Pool2DInfo {
  if (xShape.length !== 4) throw new ShapeError(`${where}: expected input of rank 4 [batch, height, width, channels], found ${formatShape(xShape)}`);
  const [batch, inH, inW, channels] = xShape as [number, number, number, number];
  const [poolH, poolW] = positivePair(options.poolSize, 1, 'pool size', where);
  const [strideH, strideW] = positivePair(options.strides ?? [poolH, poolW], 1, 'strides', where);
  const padding = checkPadding(options.padding ?? 'valid', where);
  const [outH, padTop] = axis(inH, poolH, strideH, 1, padding, where, 'height');
  const [outW, padLeft] = axis(inW, poolW, strideW, 1, padding, where, 'width');
  return { batch, inH, inW, channels, poolH, poolW, outH, outW, strideH, strideW, padTop, padLeft };
}
