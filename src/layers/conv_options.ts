import type { Padding } from '../core/conv_geometry.js';
import * as P from '../core/primitives.js';
import type { Tensor } from '../core/tensor.js';
import { NotImplementedError, ShapeError, ValueError } from '../errors.js';
import { option } from '../utils/args.js';
import { toSnakeCase } from '../utils/naming.js';
import type { DataFormat } from './flatten.js';
import type { Layer, SymbolicShape } from './layer.js';
import { layerLabel, show } from './validation.js';

/**
 * Option parsing and layout helpers shared by the convolution and pooling layers, so each layer
 * file holds only its own computation and every bad option gets the same kind of message.
 */

/** `kernelSize: 3` or `[3, 3]` → `[3, 3]` for a layer of `rank` spatial dims (positive integers). */
export function tupleOption(layer: Layer, args: object, camel: string, rank: number, fallback?: number | readonly number[]): number[] {
  const raw = option<unknown>(args, camel) ?? fallback;
  const values = typeof raw === 'number' ? new Array<number>(rank).fill(raw) : raw;
  if (!Array.isArray(values) || values.length !== rank || !values.every((v) => Number.isInteger(v) && v > 0)) {
    throw new ValueError(`${layerLabel(layer)}: ${toSnakeCase(camel)} must be a positive integer or ${rank} of them, found ${show(raw)}`);
  }
  return [...values];
}

/** 'same' | 'valid' (and 'causal' where the layer allows it: Conv1D). */
export function paddingOption<T extends string = Padding>(layer: Layer, args: object, allowed: readonly T[] = ['same', 'valid'] as unknown as T[]): T {
  const raw = option<unknown>(args, 'padding') ?? 'valid';
  const value = typeof raw === 'string' ? raw.toLowerCase() : raw;
  if (!allowed.includes(value as T)) {
    throw new ValueError(`${layerLabel(layer)}: padding must be ${allowed.map((a) => `'${a}'`).join(' or ')}, found ${show(raw)}`);
  }
  return value as T;
}

/** 'channels_last' (default) or 'channels_first'; tfjs's 'channelsLast' spelling is accepted. */
export function dataFormatOption(layer: Layer, args: object): DataFormat {
  const raw = option<string | null>(args, 'dataFormat') ?? 'channels_last';
  const normalized = typeof raw === 'string' ? toSnakeCase(raw) : raw;
  if (normalized !== 'channels_last' && normalized !== 'channels_first') {
    throw new ValueError(`${layerLabel(layer)}: data_format must be 'channels_last' or 'channels_first', found ${show(raw)}`);
  }
  return normalized;
}

/** A positive integer option (filters, groups, depth multiplier). */
export function positiveIntOption(layer: Layer, args: object, camel: string, fallback?: number): number {
  const raw = option<unknown>(args, camel) ?? fallback;
  if (!Number.isInteger(raw) || (raw as number) <= 0) {
    throw new ValueError(`${layerLabel(layer)}: ${toSnakeCase(camel)} must be a positive integer, found ${show(raw)}`);
  }
  return raw as number;
}

/** Refuses an option kiln does not implement yet when it is set (e.g. Conv2DTranspose's output_padding). */
export function rejectOption(layer: Layer, args: object, camel: string, why: string): void {
  const value = option<unknown>(args, camel);
  if (value !== undefined && value !== null) throw new NotImplementedError(`${layerLabel(layer)}: ${toSnakeCase(camel)} is not supported yet (${why}), found ${show(value)}`);
}

/** Checks an input's rank: `rank` = spatial dims + batch + channels. */
export function checkRank(layer: Layer, shape: readonly (number | null)[], rank: number): void {
  if (shape.length !== rank) {
    const dims = rank === 4 ? '[batch, height, width, channels]' : rank === 3 ? '[batch, steps, channels]' : `rank ${rank}`;
    throw new ShapeError(`${layerLabel(layer)}: expected input of rank ${rank} ${dims}, found shape [${shape.map((d) => d ?? 'null').join(', ')}]`);
  }
}

/** The channels dim of a symbolic input shape (last, or 1 for channels_first); must be known. */
export function channelsOf(layer: Layer, shape: SymbolicShape, format: DataFormat): number {
  const c = format === 'channels_last' ? shape[shape.length - 1] : shape[1];
  if (c === null || c === undefined) throw new ShapeError(`${layerLabel(layer)}: the channels dimension of the input must be known, found shape [${shape.join(', ')}]`);
  return c;
}

/** channels_first → channels_last (kernels are NHWC): [N, C, ...] → [N, ..., C]. */
export function toChannelsLast(x: Tensor, format: DataFormat): Tensor {
  if (format === 'channels_last') return x;
  return P.transpose(x, [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2), 1]);
}

/** The inverse of toChannelsLast. */
export function fromChannelsLast(y: Tensor, format: DataFormat): Tensor {
  if (format === 'channels_last') return y;
  return P.transpose(y, [0, y.rank - 1, ...Array.from({ length: y.rank - 2 }, (_, i) => i + 1)]);
}

/** The spatial dims of a symbolic shape in its data format. */
export function spatialDims(shape: SymbolicShape, format: DataFormat): (number | null)[] {
  return format === 'channels_last' ? shape.slice(1, -1) : shape.slice(2);
}

/** Assembles an output shape from batch, spatial dims and channels in the data format. */
export function assembleShape(batch: number | null, spatial: (number | null)[], channels: number | null, format: DataFormat): SymbolicShape {
  return format === 'channels_last' ? [batch, ...spatial, channels] : [batch, channels, ...spatial];
}

/**
 * Output length along one axis of a convolution or pooling (TensorFlow's rule; null stays null).
 * A 'valid' window larger than the input is a ShapeError naming the layer (`where`).
 */
export function convOutputLength(size: number | null, k: number, stride: number, dilation: number, padding: string, where: string): number | null {
  if (size === null) return null;
  const eff = (k - 1) * dilation + 1;
  if (padding === 'same' || padding === 'causal') return Math.ceil(size / stride);
  if (eff > size) throw new ShapeError(`${where}: with padding 'valid' the window (${eff}${dilation > 1 ? ', after dilation' : ''}) is larger than the input (${size})`);
  return Math.floor((size - eff) / stride) + 1;
}
