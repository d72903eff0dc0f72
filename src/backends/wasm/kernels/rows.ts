// Row-wise movement on the training hot path: picking a shuffled batch's rows (gather on axis 0)
// and turning int32 labels into one-hot rows. Elements are 4 bytes (float32 or int32) either way.
import { f4 } from './simd';

/** out[i] = x[indices[i]] for `count` rows of `row` elements (indices in range: the primitive checks). */
export function gatherRows(x: usize, indices: usize, out: usize, count: i32, row: i32): void {
  const rowBytes = f4(row);
  for (let i = 0; i < count; i++) {
    memory.copy(out + <usize>i * rowBytes, x + <usize>load<i32>(indices + f4(i)) * rowBytes, rowBytes);
  }
}

/** out[i, k] = k === indices[i] ? on : off for `count` indices and `depth` classes; an out-of-range index gives an all-`off` row. */
export function oneHot(indices: usize, out: usize, count: i32, depth: i32, on: f32, off: f32): void {
  const n = f4(count * depth);
  const v = f32x4.splat(off);
  const vend = n & ~15;
  for (let p: usize = 0; p < vend; p += 16) v128.store(out + p, v);
  for (let p = vend; p < n; p += 4) store<f32>(out + p, off);
  for (let i = 0; i < count; i++) {
    const k = load<i32>(indices + f4(i));
    if (k >= 0 && k < depth) store<f32>(out + f4(i * depth + k), on);
  }
}
