import type { DType, TypedArray } from '../../core/dtype.js';
import { allocArray } from '../../core/dtype.js';
import type { Shape } from '../../core/shape.js';
import { sizeOf, stridesOf } from '../../core/shape.js';
import type { ReduceOp } from '../../core/backend.js';

const INITIAL: Record<ReduceOp, number> = { sum: 0, prod: 1, max: -Infinity, min: Infinity };
const COMBINE: Record<ReduceOp, (acc: number, x: number) => number> = {
  sum: (a, x) => a + x,
  prod: (a, x) => a * x,
  // NaN wins, as in NumPy, so a bad value is never reduced away.
  max: (a, x) => (x > a || x !== x ? x : a),
  min: (a, x) => (x < a || x !== x ? x : a),
};

/**
 * Reduces `axes` away. Accumulates in float64 (JS numbers) and rounds once, so the reference
 * result is the most accurate float32 answer — a fair yardstick for faster backends.
 */
export function reduce(op: ReduceOp, x: TypedArray, shape: Shape, axes: readonly number[], dtype: DType): TypedArray {
  const keep = shape.map((_, i) => !axes.includes(i));
  const outShape = shape.filter((_, i) => keep[i]);
  const outSize = sizeOf(outShape);
  const acc = new Float64Array(outSize).fill(INITIAL[op]);
  const combine = COMBINE[op];
  const rank = shape.length;
  const outStridesCompact = stridesOf(outShape);
  const outStrides = new Array<number>(rank).fill(0);
  let j = 0;
  for (let i = 0; i < rank; i++) if (keep[i]) outStrides[i] = outStridesCompact[j++]!;

  const lastKept = keep[rank - 1];
  if (rank > 0 && !lastKept && axes.length === 1) {
    // Fast path: reduce only the innermost axis (softmax sums, per-row losses).
    const n = shape[rank - 1]!;
    for (let o = 0; o < outSize; o++) {
      let a = INITIAL[op];
      for (let k = 0; k < n; k++) a = combine(a, x[o * n + k]!);
      acc[o] = a;
    }
  } else {
    const counter = new Array<number>(rank).fill(0);
    let outOffset = 0;
    for (let flat = 0; flat < x.length; flat++) {
      acc[outOffset] = combine(acc[outOffset]!, x[flat]!);
      for (let d = rank - 1; d >= 0; d--) {
        counter[d]!++;
        outOffset += outStrides[d]!;
        if (counter[d]! < shape[d]!) break;
        outOffset -= outStrides[d]! * counter[d]!;
        counter[d] = 0;
      }
    }
  }
  const out = allocArray(dtype, outSize);
  out.set(acc);
  return out;
}

export function argMax(x: TypedArray, shape: Shape, axis: number): Int32Array {
  const outer = sizeOf(shape.slice(0, axis));
  const n = shape[axis]!;
  const inner = sizeOf(shape.slice(axis + 1));
  const out = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = -Infinity;
      let bestK = 0;
      for (let k = 0; k < n; k++) {
        const v = x[(o * n + k) * inner + i]!;
        if (v > best || (v !== v && best === best)) {
          best = v;
          bestK = k;
        }
      }
      out[o * inner + i] = bestK;
    }
  }
  return out;
}
