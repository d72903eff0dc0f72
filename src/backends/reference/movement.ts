import type { TypedArray } from '../../core/dtype.js';
import { allocArray } from '../../core/dtype.js';
import type { Shape } from '../../core/shape.js';
import { sizeOf, stridesOf } from '../../core/shape.js';
import type { DType } from '../../core/dtype.js';

/** Data-movement kernels of the reference backend: plain loops over row-major arrays. */

export function transpose(x: TypedArray, shape: Shape, perm: readonly number[], dtype: DType): TypedArray {
  const rank = shape.length;
  const out = allocArray(dtype, x.length);
  const inStrides = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]!);
  // Stride in the input for a step along each output dim.
  const steps = perm.map((p) => inStrides[p]!);
  const counter = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let flat = 0; flat < out.length; flat++) {
    out[flat] = x[offset]!;
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]!++;
      offset += steps[d]!;
      if (counter[d]! < outShape[d]!) break;
      offset -= steps[d]! * counter[d]!;
      counter[d] = 0;
    }
  }
  return out;
}

export function slice(
  x: TypedArray, shape: Shape, begin: readonly number[], size: readonly number[], dtype: DType,
): TypedArray {
  const out = allocArray(dtype, sizeOf(size));
  if (out.length === 0) return out;
  const rank = shape.length;
  const strides = stridesOf(shape);
  // Copy contiguous runs of the innermost dimension.
  const inner = size[rank - 1] ?? 1;
  const outer = out.length / inner;
  const counter = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  for (let o = 0; o < outer; o++) {
    let offset = rank > 0 ? begin[rank - 1]! : 0;
    for (let d = 0; d < rank - 1; d++) offset += (begin[d]! + counter[d]!) * strides[d]!;
    out.set(x.subarray(offset, offset + inner), o * inner);
    for (let d = rank - 2; d >= 0; d--) {
      counter[d]!++;
      if (counter[d]! < size[d]!) break;
      counter[d] = 0;
    }
  }
  return out;
}

export function pad(
  x: TypedArray, shape: Shape, paddings: readonly (readonly [number, number])[], value: number, dtype: DType,
): TypedArray {
  const outShape = shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
  const out = allocArray(dtype, sizeOf(outShape));
  if (value !== 0) out.fill(value);
  if (x.length === 0) return out;
  const rank = shape.length;
  const outStrides = stridesOf(outShape);
  const inner = shape[rank - 1] ?? 1;
  const outer = x.length / inner;
  const counter = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  for (let o = 0; o < outer; o++) {
    let offset = rank > 0 ? paddings[rank - 1]![0] : 0;
    for (let d = 0; d < rank - 1; d++) offset += (paddings[d]![0] + counter[d]!) * outStrides[d]!;
    out.set(x.subarray(o * inner, (o + 1) * inner), offset);
    for (let d = rank - 2; d >= 0; d--) {
      counter[d]!++;
      if (counter[d]! < shape[d]!) break;
      counter[d] = 0;
    }
  }
  return out;
}

export function concat(xs: readonly { values: TypedArray; shape: Shape }[], axis: number, outShape: Shape, dtype: DType): TypedArray {
  const out = allocArray(dtype, sizeOf(outShape));
  const outer = sizeOf(outShape.slice(0, axis));
  const outRow = sizeOf(outShape.slice(axis));
  let col = 0;
  for (const { values, shape } of xs) {
    const row = sizeOf(shape.slice(axis));
    for (let o = 0; o < outer; o++) out.set(values.subarray(o * row, (o + 1) * row), o * outRow + col);
    col += row;
  }
  return out;
}

/** Shared walk of gather/scatterAdd: calls `visit(srcOffset, dstOffset, innerLength)` for each picked row. */
function forEachGathered(
  xShape: Shape, indices: TypedArray, axis: number,
  visit: (xOffset: number, gOffset: number, inner: number) => void,
): void {
  const outer = sizeOf(xShape.slice(0, axis));
  const inner = sizeOf(xShape.slice(axis + 1));
  const axisLen = xShape[axis]!;
  const n = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < n; i++) visit((o * axisLen + indices[i]!) * inner, (o * n + i) * inner, inner);
  }
}

export function gather(x: TypedArray, xShape: Shape, indices: TypedArray, axis: number, outShape: Shape, dtype: DType): TypedArray {
  const out = allocArray(dtype, sizeOf(outShape));
  forEachGathered(xShape, indices, axis, (xo, go, inner) => out.set(x.subarray(xo, xo + inner), go));
  return out;
}

export function scatterAdd(updates: TypedArray, indices: TypedArray, axis: number, outShape: Shape, dtype: DType): TypedArray {
  const out = allocArray(dtype, sizeOf(outShape));
  forEachGathered(outShape, indices, axis, (xo, go, inner) => {
    for (let k = 0; k < inner; k++) out[xo + k]! += updates[go + k]!;
  });
  return out;
}

export function oneHot(indices: TypedArray, depth: number, on: number, off: number): Float32Array {
  const out = new Float32Array(indices.length * depth);
  if (off !== 0) out.fill(off);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i]!;
    if (k >= 0 && k < depth) out[i * depth + k] = on;
  }
  return out;
}
