// Packing for the GEMM: copies a block of op(A) or op(B) into the panel layout the micro-kernel
// streams (see gemm_kernel.ts). Transposes are absorbed here, so one micro-kernel serves all four
// transpose combinations, and ragged edges are zero-padded so the kernel never branches on size.
import { MR, NR } from './gemm_kernel';
import { f4, transposeStore4x4 } from './simd';

/**
 * How many MR-row panels a block of `mc` rows starts with; the rest are 4-row panels (run by the
 * 4×8 kernel), so the heights add up to mc exactly whenever possible: 32 = 4·5 + 3·4 rather than
 * 6·5 + a 2-row panel padded to 5. When no split is exact (an odd mc with MR = 6, or mc < 4) every
 * panel is MR rows and the last is partial.
 */
export function fullPanels(mc: i32): i32 {
  for (let q = 0; q < MR && 4 * q <= mc; q++) {
    if ((mc - 4 * q) % MR == 0) return (mc - 4 * q) / MR;
  }
  return (mc + MR - 1) / MR;
}

/** Height of the panel starting at row `ir` of a block whose first `full` panels are MR rows. */
@inline export function panelRows(mc: i32, full: i32, ir: i32): i32 {
  return min(ir < full * MR ? MR : 4, mc - ir);
}

/**
 * Packs rows i0..i0+mc of op(A) over k range p0..p0+kc into panels of kc×MR floats (heights by
 * fullPanels/panelRows; rows past a panel's height are zero). op(A)(i, p) is a[i*lda + p], or
 * a[p*lda + i] when transA (A stored k×m).
 */
export function packA(a: usize, lda: i32, transA: i32, i0: i32, mc: i32, p0: i32, kc: i32, dst: usize): void {
  const panel = f4(kc * MR);
  const step = f4(MR);
  const full = fullPanels(mc);
  for (let ir = 0; ir < mc; ) {
    const mr = panelRows(mc, full, ir);
    const i = i0 + ir;
    if (mr < 4) {
      packEdgeA(a, lda, transA, i, mr, p0, kc, dst);
    } else if (transA == 0) {
      // Rows contiguous in k: rows 0-3 go through 4×4 transposes (four k at a time, stored MR·4
      // bytes apart), further rows element by element.
      const r0 = a + f4(i * lda + p0);
      const s = f4(lda);
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const q = r0 + f4(p);
        transposeStore4x4(v128.load(q), v128.load(q + s), v128.load(q + 2 * s), v128.load(q + 3 * s), dst + f4(p * MR), step);
      }
      for (; p < kc; p++) {
        const q = r0 + f4(p);
        const d = dst + f4(p * MR);
        store<f32>(d, load<f32>(q)); store<f32>(d, load<f32>(q + s), 4);
        store<f32>(d, load<f32>(q + 2 * s), 8); store<f32>(d, load<f32>(q + 3 * s), 12);
      }
      for (let r = 4; r < MR; r++) {
        let q = r0 + <usize>r * s;
        const real = r < mr;
        for (let d = dst + f4(r), end = dst + panel; d < end; d += step) {
          store<f32>(d, real ? load<f32>(q) : 0);
          q += 4;
        }
      }
    } else {
      // A stored k×m: the values of one k are adjacent; four as a vector, then the rest.
      const s = f4(lda);
      let q = a + f4(p0 * lda + i);
      for (let d = dst, end = dst + panel; d < end; d += step) {
        v128.store(d, v128.load(q));
        for (let r = 4; r < MR; r++) store<f32>(d + f4(r), r < mr ? load<f32>(q + f4(r)) : 0);
        q += s;
      }
    }
    dst += panel;
    ir += mr;
  }
}

/** A panel of fewer than four rows, zero-padded to MR. */
function packEdgeA(a: usize, lda: i32, transA: i32, i: i32, mr: i32, p0: i32, kc: i32, dst: usize): void {
  for (let p = 0; p < kc; p++) {
    for (let r = 0; r < MR; r++) {
      let v: f32 = 0;
      if (r < mr) v = transA ? load<f32>(a + f4((p0 + p) * lda + i + r)) : load<f32>(a + f4((i + r) * lda + p0 + p));
      store<f32>(dst + f4(p * MR + r), v);
    }
  }
}

/**
 * Packs columns j0..j0+nc of op(B) over k range p0..p0+kc into ⌈nc/NR⌉ panels of kc×NR floats.
 * op(B)(p, j) is b[p*ldb + j], or b[j*ldb + p] when transB (B stored n×k).
 */
export function packB(b: usize, ldb: i32, transB: i32, j0: i32, nc: i32, p0: i32, kc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const j = j0 + jr;
    if (transB == 0) {
      const r0 = b + f4(p0 * ldb + j);
      if (nr == NR) {
        const s = f4(ldb);
        let q = r0;
        for (let d = dst, end = dst + f4(kc * NR); d < end; d += 32) {
          v128.store(d, v128.load(q));
          v128.store(d, v128.load(q, 16), 16);
          q += s;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let cc = 0; cc < NR; cc++) {
            store<f32>(dst + f4(p * NR + cc), cc < nr ? load<f32>(r0 + f4(p * ldb + cc)) : 0);
          }
        }
      }
    } else {
      const c0 = b + f4(j * ldb + p0);
      if (nr == NR) {
        // B stored n×k: each column of op(B) is contiguous in k; transpose two 4×4 blocks per 4 k.
        const s = f4(ldb);
        let p = 0;
        for (; p + 4 <= kc; p += 4) {
          const q = c0 + f4(p);
          const d = dst + f4(p * NR);
          transposeStore4x4(v128.load(q), v128.load(q + s), v128.load(q + 2 * s), v128.load(q + 3 * s), d, 32);
          const q4 = q + 4 * s;
          transposeStore4x4(v128.load(q4), v128.load(q4 + s), v128.load(q4 + 2 * s), v128.load(q4 + 3 * s), d + 16, 32);
        }
        for (; p < kc; p++) {
          for (let cc = 0; cc < NR; cc++) store<f32>(dst + f4(p * NR + cc), load<f32>(c0 + f4(cc * ldb + p)));
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let cc = 0; cc < NR; cc++) {
            store<f32>(dst + f4(p * NR + cc), cc < nr ? load<f32>(c0 + f4(cc * ldb + p)) : 0);
          }
        }
      }
    }
    dst += f4(kc * NR);
  }
}
