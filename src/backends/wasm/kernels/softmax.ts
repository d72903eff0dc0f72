// Row-wise softmax and log-softmax, shifted by the row maximum so exp never overflows
// (inputs of ±1e4 are fine): softmax = e^(x-max) / Σ e^(x-max), logSoftmax = x - max - log Σ.
// The max uses f32x4.max, so a NaN anywhere in a row makes the whole row NaN, as in the reference.
// A ragged row end (n % 4) is one padded vector: -Inf for the max, and e^(-Inf) = 0 for the sum,
// so short rows (10 classes) cost three exps, not 2 + 2·(scalar exp).
import { expV } from './math';
import { f4, loadTail, storeTail } from './simd';

/** The largest element of a row (NaN if any element is NaN). */
@inline export function rowMax(x: usize, n: i32): f32 {
  let m = f32x4.splat(-Infinity);
  const vend = x + f4(n & ~3);
  for (let p = x; p < vend; p += 16) m = f32x4.max(m, v128.load(p));
  if (n & 3) m = f32x4.max(m, loadTail(vend, n & 3, -Infinity));
  return max(max(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)), max(f32x4.extract_lane(m, 2), f32x4.extract_lane(m, 3)));
}

/** Σ e^(x - shift) over a row; with `write`, the exponentials also go to `out` (softmax reuses them). */
@inline function expSum(x: usize, out: usize, n: i32, shift: f32, write: bool): f32 {
  const s = f32x4.splat(shift);
  let acc = f32x4.splat(0);
  const vend = f4(n & ~3);
  for (let i: usize = 0; i < vend; i += 16) {
    const e = expV(f32x4.sub(v128.load(x + i), s));
    if (write) v128.store(out + i, e);
    acc = f32x4.add(acc, e);
  }
  const t = n & 3;
  if (t) {
    const e = expV(f32x4.sub(loadTail(x + vend, t, -Infinity), s));
    if (write) storeTail(out + vend, e, t);
    acc = f32x4.add(acc, e);
  }
  return f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
}

/** Softmax (log = 0) or log-softmax (log = 1) over `rows` rows of length n; out may equal x. */
export function softmax(x: usize, out: usize, rows: i32, n: i32, log: i32): void {
  const rowBytes = f4(n);
  const vend = f4(n & ~3);
  const t = n & 3;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    const or = out + <usize>r * rowBytes;
    const m = rowMax(xr, n);
    if (log) {
      // (x - max) - log Σ, in the reference's order (one more rounding than x - (max + log Σ)).
      const ms = f32x4.splat(m);
      const ls = f32x4.splat(<f32>Math.log(<f64>expSum(xr, 0, n, m, false)));
      for (let i: usize = 0; i < vend; i += 16) v128.store(or + i, f32x4.sub(f32x4.sub(v128.load(xr + i), ms), ls));
      if (t) storeTail(or + vend, f32x4.sub(f32x4.sub(loadTail(xr + vend, t, 0), ms), ls), t);
    } else {
      const inv = f32x4.splat(<f32>1 / expSum(xr, or, n, m, true));
      for (let i: usize = 0; i < vend; i += 16) v128.store(or + i, f32x4.mul(v128.load(or + i), inv));
      if (t) storeTail(or + vend, f32x4.mul(loadTail(or + vend, t, 0), inv), t);
    }
  }
}
