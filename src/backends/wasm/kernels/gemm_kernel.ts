// The GEMM micro-kernels: an MR×8 block of C kept in f32x4 registers while k runs.
//
// Tile size is bounded by registers: V8 gives WebAssembly 15 XMM registers on x64 (xmm15 is its
// scratch). A tile needs MR·2 accumulators + 2 B vectors + 1 broadcast A value, plus 1 product
// temporary on the plain build (no FMA: multiply, then add):
//   plain   MR = 5: 10 + 2 + 1 + 1 = 14      relaxed MR = 6: 12 + 2 + 1 = 15 (FMA needs no temporary)
// Measured on Zen (V8 11, Node 20): 5×8 is ~10% faster than 4×8 on the plain build and 6×8 spills
// there; on the relaxed build 6×8 beats 5×8 and 4×8. More rows per B load means fewer loads and
// less loop overhead (pointer bumps, V8's stack check) per multiply-add — the loop is front-end
// bound, not FP bound. The k loop is deliberately not unrolled: TurboFan hoists every load of an
// unrolled body to its top, the extra live values spill, and it runs a third slower.
//
// Panel layouts (written by gemm_pack.ts, zero-padded past the matrix edge):
//   A panel: for each k, the MR values of rows i..i+MR-1   → MR·4 bytes per k
//            (4-row panels keep the same stride; kernel4x8 reads their first four values)
//   B panel: for each k, the NR values of columns j..j+7   → 32 bytes per k
import { f4, madd } from './simd';

/** Rows per A panel: a compile-time constant per build. */
export const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 5;
/** Columns per B panel: two f32x4 vectors. */
export const NR: i32 = 8;

/**
 * C[MR×8] (row stride `ldc` bytes) = Apanel · B over `kc` steps, plus the old C when `acc` is
 * non-zero. B advances `bStride` bytes per k: 32 for a packed panel, or a row of B read in place.
 * The accumulators start from C (with the adds after the loop instead, TurboFan scheduled the
 * loop's loads differently and spilled two accumulators). Row 6 exists only in the build whose MR
 * includes it; the branches on the constant MR fold away at compile time.
 */
export function kernelMRx8(pa: usize, pb: usize, bStride: usize, kc: i32, c: usize, ldc: usize, acc: i32): void {
  const c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  if (acc) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(c1); c11 = v128.load(c1, 16);
    c20 = v128.load(c2); c21 = v128.load(c2, 16);
    c30 = v128.load(c3); c31 = v128.load(c3, 16);
    c40 = v128.load(c4); c41 = v128.load(c4, 16);
    if (MR > 5) {
      c50 = v128.load(c5); c51 = v128.load(c5, 16);
    }
  }
  const paEnd = pa + f4(kc * MR);
  while (pa < paEnd) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    a = v128.load32_splat(pa, 16);
    c40 = madd(a, b0, c40); c41 = madd(a, b1, c41);
    if (MR > 5) {
      a = v128.load32_splat(pa, 20);
      c50 = madd(a, b0, c50); c51 = madd(a, b1, c51);
    }
    pa += f4(MR);
    pb += bStride;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c1, c10); v128.store(c1, c11, 16);
  v128.store(c2, c20); v128.store(c2, c21, 16);
  v128.store(c3, c30); v128.store(c3, c31, 16);
  v128.store(c4, c40); v128.store(c4, c41, 16);
  if (MR > 5) {
    v128.store(c5, c50); v128.store(c5, c51, 16);
  }
}

/**
 * The first four rows only, on the same MR-row panel layout: for the 4-row panels that make a
 * ragged m come out exact (32 = 4·5 + 3·4 on the plain build, not 6·5 + a 2-row panel padded to 5)
 * and for partial panels of at most four rows.
 */
export function kernel4x8(pa: usize, pb: usize, bStride: usize, kc: i32, c: usize, ldc: usize, acc: i32): void {
  const c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  if (acc) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(c1); c11 = v128.load(c1, 16);
    c20 = v128.load(c2); c21 = v128.load(c2, 16);
    c30 = v128.load(c3); c31 = v128.load(c3, 16);
  }
  const paEnd = pa + f4(kc * MR);
  while (pa < paEnd) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    pa += f4(MR);
    pb += bStride;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c1, c10); v128.store(c1, c11, 16);
  v128.store(c2, c20); v128.store(c2, c21, 16);
  v128.store(c3, c30); v128.store(c3, c31, 16);
}
