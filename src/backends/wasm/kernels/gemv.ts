// Single-row products (m = 1): c[1×n] = a[1×k] · op(B). The tiled GEMM would pad the row to a
// 4-row panel and do four times the work, and packing B costs as much as the product itself, so
// one-row inference (predict latency) gets these memory-streaming kernels instead.
import { f4, madd } from './simd';

/**
 * c[j] (+)= Σ_p a[p·aStride] · b[p·ldb + j]   (B stored k×n, not transposed)
 * 16 columns at a time in four accumulators: per k, one broadcast of a[p] and four contiguous
 * loads from B's row; then 4 columns at a time, then single columns.
 */
export function vecMat(a: usize, aStride: i32, b: usize, ldb: i32, c: usize, n: i32, k: i32, acc: i32): void {
  const as = f4(aStride);
  const bs = f4(ldb);
  let j = 0;
  for (; j + 16 <= n; j += 16) {
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    let pa = a;
    let pb = b + f4(j);
    for (let p = 0; p < k; p++) {
      const x = v128.load32_splat(pa);
      s0 = madd(x, v128.load(pb), s0);
      s1 = madd(x, v128.load(pb, 16), s1);
      s2 = madd(x, v128.load(pb, 32), s2);
      s3 = madd(x, v128.load(pb, 48), s3);
      pa += as;
      pb += bs;
    }
    const pc = c + f4(j);
    if (acc) {
      s0 = f32x4.add(s0, v128.load(pc)); s1 = f32x4.add(s1, v128.load(pc, 16));
      s2 = f32x4.add(s2, v128.load(pc, 32)); s3 = f32x4.add(s3, v128.load(pc, 48));
    }
    v128.store(pc, s0); v128.store(pc, s1, 16); v128.store(pc, s2, 32); v128.store(pc, s3, 48);
  }
  for (; j + 4 <= n; j += 4) {
    let s0 = f32x4.splat(0);
    let pa = a;
    let pb = b + f4(j);
    for (let p = 0; p < k; p++) {
      s0 = madd(v128.load32_splat(pa), v128.load(pb), s0);
      pa += as;
      pb += bs;
    }
    const pc = c + f4(j);
    v128.store(pc, acc ? f32x4.add(s0, v128.load(pc)) : s0);
  }
  for (; j < n; j++) {
    let s: f32 = 0;
    let pa = a;
    let pb = b + f4(j);
    for (let p = 0; p < k; p++) {
      s += load<f32>(pa) * load<f32>(pb);
      pa += as;
      pb += bs;
    }
    const pc = c + f4(j);
    store<f32>(pc, acc ? load<f32>(pc) + s : s);
  }
}

/** Σ of the four lanes. */
@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * c[j] (+)= Σ_p a[p] · b[j·ldb + p]   (B stored n×k, i.e. transposed; a contiguous)
 * Four dot products at a time: per 4 k, one load of a and one of each of four B rows.
 */
export function vecMatT(a: usize, b: usize, ldb: i32, c: usize, n: i32, k: i32, acc: i32): void {
  const bs = f4(ldb);
  const k4 = k & ~3;
  let j = 0;
  for (; j < n; j += 4) {
    const rows = min(4, n - j);
    const b0 = b + <usize>j * bs;
    // Rows past n read row 0 again (harmless, discarded) so the loop stays branch-free.
    const b1 = rows > 1 ? b0 + bs : b0;
    const b2 = rows > 2 ? b0 + 2 * bs : b0;
    const b3 = rows > 3 ? b0 + 3 * bs : b0;
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    for (let p: usize = 0, end = f4(k4); p < end; p += 16) {
      const x = v128.load(a + p);
      s0 = madd(x, v128.load(b0 + p), s0);
      s1 = madd(x, v128.load(b1 + p), s1);
      s2 = madd(x, v128.load(b2 + p), s2);
      s3 = madd(x, v128.load(b3 + p), s3);
    }
    let d0 = hsum(s0), d1 = hsum(s1), d2 = hsum(s2), d3 = hsum(s3);
    for (let p = k4; p < k; p++) {
      const x = load<f32>(a + f4(p));
      d0 += x * load<f32>(b0 + f4(p));
      d1 += x * load<f32>(b1 + f4(p));
      d2 += x * load<f32>(b2 + f4(p));
      d3 += x * load<f32>(b3 + f4(p));
    }
    const pc = c + f4(j);
    store<f32>(pc, acc ? load<f32>(pc) + d0 : d0);
    if (rows > 1) store<f32>(pc, acc ? load<f32>(pc, 4) + d1 : d1, 4);
    if (rows > 2) store<f32>(pc, acc ? load<f32>(pc, 8) + d2 : d2, 8);
    if (rows > 3) store<f32>(pc, acc ? load<f32>(pc, 12) + d3 : d3, 12);
  }
}
