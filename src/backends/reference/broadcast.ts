import type { Shape } from '../../core/shape.js';
import { sizeOf, stridesOf } from '../../core/shape.js';

/**
 * For each element of `outShape` (row-major), the flat index of the input element it reads under
 * NumPy broadcasting. Returns null when no mapping is needed (same shape), so callers can take the
 * direct path. The reference backend trades memory for clarity here; the fast backend does not.
 */
export function broadcastIndex(inShape: Shape, outShape: Shape): Int32Array | null {
  const outSize = sizeOf(outShape);
  if (sizeOf(inShape) === outSize) return null;
  const rank = outShape.length;
  const inStrides = stridesOf(inShape);
  // Stride per output dim: 0 where the input is broadcast along it.
  const strides = new Array<number>(rank).fill(0);
  for (let i = 0; i < rank; i++) {
    const inDim = i - (rank - inShape.length);
    if (inDim >= 0 && inShape[inDim] !== 1) strides[i] = inStrides[inDim]!;
  }
  const map = new Int32Array(outSize);
  const counter = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let flat = 0; flat < outSize; flat++) {
    map[flat] = offset;
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]!++;
      offset += strides[d]!;
      if (counter[d]! < outShape[d]!) break;
      offset -= strides[d]! * counter[d]!;
      counter[d] = 0;
    }
  }
  return map;
}
