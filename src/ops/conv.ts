import type { Padding } from '../core/conv_geometry.js';
import { conv2dInfo, conv2dTransposeInfo, pool2dInfo } from '../core/conv_geometry.js';
import * as P from '../core/primitives.js';
import type { Tensor } from '../core/tensor.js';
import { ValueError } from '../errors.js';
import type { TensorLike } from './creation.js';
import { asTensor } from './math.js';

/**
 * Convolution and pooling, channels last (NHWC), with TensorFlow's argument conventions. A pair
 * argument may be one number for both spatial axes.
 *
 * ```ts
 * const x = kiln.randomNormal([1, 28, 28, 1]);
 * const w = kiln.randomNormal([5, 5, 1, 6]);
 * kiln.conv2d(x, w, { strides: 1, padding: 'same' }).shape; // [1, 28, 28, 6]
 * kiln.maxPool2d(x, 2).shape;                               // [1, 14, 14, 1]
 * ```
 */
export type Pair2D = number | readonly [number, number];

export interface Conv2DArgs {
  strides?: Pair2D;
  padding?: Padding;
  dilations?: Pair2D;
  groups?: number;
}

export interface Pool2DArgs {
  strides?: Pair2D;
  padding?: Padding;
}

/** `3` → `[3, 3]`; `[2, 3]` stays; anything else is a ValueError naming the argument. */
function pair(value: Pair2D | undefined, what: string, where: string): [number, number] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2) return [value[0], value[1]];
  throw new ValueError(`${where}: ${what} must be a number or two numbers, found ${JSON.stringify(value)}`);
}

function convOptions(args: Conv2DArgs, where: string) {
  return { strides: pair(args.strides, 'strides', where), padding: args.padding ?? 'valid', dilations: pair(args.dilations, 'dilations', where), groups: args.groups ?? 1 };
}

/** 2-D convolution of x [batch, h, w, c] with filter [kh, kw, c/groups, filters]. */
export function conv2d(x: TensorLike, filter: TensorLike, args: Conv2DArgs = {}): Tensor {
  const xt = asTensor(x);
  const ft = asTensor(filter);
  return P.conv2d(xt, ft, conv2dInfo(xt.shape, ft.shape, convOptions(args, 'conv2d'), 'conv2d'));
}

/**
 * Transposed 2-D convolution (the input gradient of conv2d): x [batch, h, w, in] with filter
 * [kh, kw, out, in] gives `outputShape` [batch, H, W, out], where conv2d of that shape with the
 * same strides and padding has x's size.
 */
export function conv2dTranspose(x: TensorLike, filter: TensorLike, outputShape: readonly number[], args: Omit<Conv2DArgs, 'groups'> = {}): Tensor {
  const xt = asTensor(x);
  const ft = asTensor(filter);
  const info = conv2dTransposeInfo(xt.shape, ft.shape, outputShape, convOptions(args, 'conv2dTranspose'), 'conv2dTranspose');
  return P.conv2dBackpropInput(xt, ft, info);
}

/** Max pooling of x [batch, h, w, c]; strides default to the pool size. */
export function maxPool2d(x: TensorLike, poolSize: Pair2D, args: Pool2DArgs = {}): Tensor {
  const xt = asTensor(x);
  return P.maxPool2d(xt, pool2dInfo(xt.shape, poolOptions(poolSize, args, 'maxPool2d'), 'maxPool2d'));
}

/** Average pooling of x [batch, h, w, c] (padded positions are left out of each average). */
export function avgPool2d(x: TensorLike, poolSize: Pair2D, args: Pool2DArgs = {}): Tensor {
  const xt = asTensor(x);
  return P.avgPool2d(xt, pool2dInfo(xt.shape, poolOptions(poolSize, args, 'avgPool2d'), 'avgPool2d'));
}

function poolOptions(poolSize: Pair2D, args: Pool2DArgs, where: string) {
  return { poolSize: pair(poolSize, 'pool size', where)!, strides: pair(args.strides, 'strides', where), padding: args.padding ?? 'valid' };
}
