import type { Shape } from '../../core/shape.js';
import { sizeOf } from '../../core/shape.js';
import { BroadcastMode } from './abi.js';

/**
 * Shape analysis that decides whether an op fits a kernel's simple addressing (one flat pass, a
 * repeating row or column, a contiguous reduction block) or needs the general index loop.
 */

/**
 * The kernel broadcast mode for `a ∘ b → outShape`, or null when the pattern needs the general
 * loop: same shape, a scalar, or one operand repeating along leading (ROW) or trailing (COL) dims.
 */
export function broadcastMode(aShape: Shape, bShape: Shape, outShape: Shape): [BroadcastMode, number] | null {
  const n = sizeOf(outShape);
  const na = sizeOf(aShape);
  const nb = sizeOf(bShape);
  if (na === n && nb === n) return [BroadcastMode.SAME, 0];
  if (na === n && nb === 1) return [BroadcastMode.B_SCALAR, 0];
  if (nb === n && na === 1) return [BroadcastMode.A_SCALAR, 0];
  const small = na === n ? bShape : nb === n ? aShape : null;
  if (!small) return null;
  const bIsSmall = na === n;
  const aligned = [...new Array<number>(outShape.length - small.length).fill(1), ...small];
  // ROW: the small operand is the trailing dims of the output (after leading 1s).
  let k = 0;
  while (k < aligned.length && aligned[k] === 1) k++;
  if (aligned.slice(k).every((d, i) => d === outShape[k + i])) {
    const inner = sizeOf(outShape.slice(k));
    return [bIsSmall ? BroadcastMode.B_ROW : BroadcastMode.A_ROW, inner];
  }
  // COL: the small operand is the leading dims of the output, followed only by 1s.
  let j = aligned.length;
  while (j > 0 && aligned[j - 1] === 1) j--;
  if (aligned.slice(0, j).every((d, i) => d === outShape[i])) {
    const inner = sizeOf(outShape.slice(j));
    return [bIsSmall ? BroadcastMode.B_COL : BroadcastMode.A_COL, inner];
  }
  return null;
}

/** [outer, mid, inner] when `axes` are consecutive dims (so the reduction is one strided pass). */
export function contiguousBlock(shape: Shape, axes: readonly number[]): [number, number, number] | null {
  if (axes.length === 0) return [sizeOf(shape), 1, 1];
  for (let i = 1; i < axes.length; i++) if (axes[i] !== axes[i - 1]! + 1) return null;
  const first = axes[0]!;
  const last = axes[axes.length - 1]!;
  return [sizeOf(shape.slice(0, first)), sizeOf(shape.slice(first, last + 1)), sizeOf(shape.slice(last + 1))];
}
