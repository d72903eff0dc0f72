// GEMM driver: C = op(A)·op(B) (+ C), blocked in the BLIS order.
//
//   for jc over n in NC columns            (B block kc×nc: L2/L3 resident)
//     for pc over k in kc steps            (kc ≤ KC so one B panel, kc×NR×4 ≤ 8 KiB, lives in L1)
//       pack B[pc.., jc..] into NR-column panels (or read B in place: small m, see below)
//       for ic over m in MC rows           (A block mc×kc ≤ 144 KiB: L2 resident)
//         pack A[ic.., pc..] into MR- and 4-row panels (gemm_pack.ts)
//         for jr over NR panels, ir over A panels: micro-kernel (gemm_kernel.ts)
//
// k is split into equal blocks (784 → 4×196, not 3×256+16) so no block is a short, overhead-heavy
// tail. The first k block overwrites C (unless `accumulate`), later ones add to it. Edge tiles run
// the same kernel into a small scratch tile and copy the valid part, so any m, n, k ≥ 1 works.
import { MR, NR, kernel4x8, kernelMRx8 } from './gemm_kernel';
import { fullPanels, packA, packB, panelRows } from './gemm_pack';
import { vecMat, vecMatT } from './gemv';
import { f4 } from './simd';

const KC: i32 = 256;
// A multiple of MR, so only the last block of a large m can have a ragged panel (A block ≤ 144 KiB).
const MC: i32 = MR * 24;
const NC: i32 = 4096;

@inline function roundUp(x: i32, to: i32): i32 {
  return (x + to - 1) / to * to;
}

/** The k block length: k split into ⌈k/KC⌉ equal parts. */
@inline function kcBlock(k: i32): i32 {
  const blocks = (k + KC - 1) / KC;
  return (k + blocks - 1) / blocks;
}

/**
 * An upper bound on the A panels of one block: panels are MR or 4 rows tall (or one partial MR
 * panel), so never more than ⌈rows/4⌉.
 */
@inline function aPanels(m: i32): i32 {
  return (min(m, MC) + 3) / 4;
}

/** Bytes of scratch `gemm` needs for these sizes: packed B block, packed A block and one edge tile. */
export function gemmScratchBytes(m: i32, n: i32, k: i32): i32 {
  const kc = kcBlock(max(k, 1));
  return f4(kc * roundUp(min(n, NC), NR) + aPanels(m) * kc * MR + MR * NR) as i32;
}

/** Row-major C[m×n] = op(A)·op(B) (+ C); see abi.ts. Contiguous operands. */
export function gemm(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: i32, transB: i32, accumulate: i32, scratch: usize): void {
  gemmStrided(a, transA ? m : k, b, transB ? k : n, c, n, m, n, k, transA, transB, accumulate, scratch);
}

/**
 * `gemm` with leading dimensions (elements between rows of the stored matrices), so a caller can
 * hand a sub-block of C — a thread's share of the columns, say — to one call. Scratch is sized by
 * gemmScratchBytes(m, n, k) of the sub-block.
 */
export function gemmStrided(
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
  m: i32, n: i32, k: i32, transA: i32, transB: i32, accumulate: i32, scratch: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) for (let i = 0; i < m; i++) memory.fill(c + f4(i * ldc), 0, f4(n));
    return;
  }
  if (m == 1) {
    // One row: stream B once (gemv.ts) instead of padding the row to a 4-row panel.
    if (transB == 0) return vecMat(a, transA ? lda : 1, b, ldb, c, n, k, accumulate);
    if (transA == 0 || lda == 1) return vecMatT(a, b, ldb, c, n, k, accumulate);
  }
  const kcMax = kcBlock(k);
  const bPack = scratch;
  const aPack = bPack + f4(kcMax * roundUp(min(n, NC), NR));
  const tile = aPack + f4(aPanels(m) * kcMax * MR);
  const ldcBytes = f4(ldc);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += kcMax) {
      const kc = min(kcMax, k - pc);
      const acc = accumulate | <i32>(pc > 0);
      // Small m, narrow B: B is read in place (row stride ldb) instead of packed — packing costs
      // k·n copies that only ⌈m/MR⌉ panel passes would share (measured +5% at 32×784×64, +15% at
      // m = 8). Wide rows lose: at a 2 KiB stride a panel's rows share few L1 sets (-10% at n = 512).
      // Only a ragged last panel is packed.
      const direct = transB == 0 && m <= 64 && ldb <= 256;
      if (!direct) packB(b, ldb, transB, jc, nc, pc, kc, bPack);
      else if (nc % NR) packB(b, ldb, 0, jc + nc - nc % NR, nc % NR, pc, kc, bPack);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(a, lda, transA, ic, mc, pc, kc, aPack);
        const full = fullPanels(mc);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const inPlace = direct && nr == NR;
          const pb = inPlace ? b + f4(pc * ldb + jc + jr) : direct ? bPack : bPack + f4(jr * kc);
          const bStride: usize = inPlace ? f4(ldb) : 32;
          let pa = aPack;
          for (let ir = 0; ir < mc; ) {
            const mr = panelRows(mc, full, ir);
            const cij = c + f4((ic + ir) * ldc + jc + jr);
            if (nr == NR && mr == MR) {
              kernelMRx8(pa, pb, bStride, kc, cij, ldcBytes, acc);
            } else if (nr == NR && mr == 4) {
              kernel4x8(pa, pb, bStride, kc, cij, ldcBytes, acc);
            } else {
              // Edge tile: compute into scratch, copy the valid mr×nr corner.
              if (mr <= 4) kernel4x8(pa, pb, bStride, kc, tile, f4(NR), 0);
              else kernelMRx8(pa, pb, bStride, kc, tile, f4(NR), 0);
              mergeEdge(tile, cij, ldc, mr, nr, acc);
            }
            pa += f4(kc * MR);
            ir += mr;
          }
        }
      }
    }
  }
}

/** Copies (or adds, when `acc`) the valid mr×nr corner of an edge tile into C. */
function mergeEdge(tile: usize, c: usize, ldc: i32, mr: i32, nr: i32, acc: i32): void {
  for (let r = 0; r < mr; r++) {
    const t = tile + f4(r * NR);
    const d = c + f4(r * ldc);
    for (let j = 0; j < nr; j++) {
      const v = load<f32>(t + f4(j));
      store<f32>(d + f4(j), acc ? load<f32>(d + f4(j)) + v : v);
    }
  }
}
