/**
 * The WebAssembly GEMM (abi.ts `gemm`, `gemmStrided`) against a float64 product, for every
 * transpose combination, with and without accumulation, on sizes that hit every edge-tile and
 * k-block case. float32 accumulation order differs from the reference, so each element is held to
 * |error| ≤ 1e-5 · Σ_k |a_ik·b_kj| (+ |c_ij| when accumulating) — the standard GEMM error bound.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { relaxedInChild, rng, testBuilds, uniform } from './wasm_harness.js';

/** [m, n, k]: ones, primes, tile multiples and non-multiples (MR is 5 or 6, NR 8), m beyond one
 * 120/144-row A block, k beyond one 256 block. */
const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 7, 3], [5, 1, 17], [3, 5, 1], [4, 8, 2], [5, 9, 33], [17, 33, 5], [8, 16, 64],
  [33, 17, 100], [64, 10, 257], [13, 100, 300], [100, 3, 64], [32, 64, 784], [2, 257, 9],
  [257, 19, 12], [145, 70, 33], [24, 8, 5], [6, 16, 300],
];

function reference(a: Float32Array, b: Float32Array, c0: Float32Array, m: number, n: number, k: number, tA: boolean, tB: boolean, acc: boolean) {
  const value = new Float64Array(m * n);
  const bound = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = acc ? c0[i * n + j]! : 0;
      let mag = Math.abs(s);
      for (let p = 0; p < k; p++) {
        const prod = a[tA ? p * m + i : i * k + p]! * b[tB ? j * k + p : p * n + j]!;
        s += prod;
        mag += Math.abs(prod);
      }
      value[i * n + j] = s;
      bound[i * n + j] = mag;
    }
  }
  return { value, bound };
}

for (const { name, k, heap } of testBuilds()) {
  test(`${name}: gemm, all transposes, accumulate on/off, edge tiles`, (t) => {
    const random = rng(11);
    let worst = 0;
    for (const [m, n, kk] of SHAPES) {
      for (const tA of [false, true]) {
        for (const tB of [false, true]) {
          for (const acc of [false, true]) {
            heap.reset();
            const a = uniform(random, m * kk, -1, 1);
            const b = uniform(random, kk * n, -1, 1);
            const c0 = uniform(random, m * n, -1, 1);
            const pa = heap.put(a), pb = heap.put(b), pc = heap.put(c0);
            const scratch = heap.alloc(k.gemmScratchBytes(m, n, kk) / 4);
            k.gemm(pa, pb, pc, m, n, kk, +tA, +tB, +acc, scratch);
            const { value, bound } = reference(a, b, c0, m, n, kk, tA, tB, acc);
            const got = heap.read(pc, m * n);
            const label = `${m}x${n}x${kk} tA=${tA} tB=${tB} acc=${acc}`;
            for (let i = 0; i < m * n; i++) {
              const err = Math.abs(got[i]! - value[i]!);
              assert.ok(err <= 1e-5 * bound[i]!, `${label}[${i}]: ${got[i]} vs ${value[i]}`);
              worst = Math.max(worst, err / bound[i]!);
            }
            heap.checkGuards(label); // C and the scratch area
          }
        }
      }
    }
    t.diagnostic(`worst |error| / Σ|a·b|: ${worst.toExponential(2)}`);
  });

  test(`${name}: gemmStrided computes a column block of a larger C and leaves the rest alone`, () => {
    const random = rng(12);
    for (const [m, n, kk, j0, nPart] of [[7, 40, 19, 8, 21], [33, 64, 100, 32, 32], [5, 13, 3, 1, 11]] as const) {
      for (const tA of [0, 1]) {
        for (const tB of [0, 1]) {
          heap.reset();
          const a = uniform(random, m * kk, -1, 1);
          const b = uniform(random, kk * n, -1, 1);
          const c0 = uniform(random, m * n, -1, 1);
          const pa = heap.put(a), pb = heap.put(b), pc = heap.put(c0);
          const scratch = heap.alloc(k.gemmScratchBytes(m, nPart, kk) / 4);
          // op(B)'s columns j0.. start at element j0 of a row (B k×n) or at row j0 (B stored n×k).
          const bBlock = pb + 4 * (tB ? j0 * kk : j0);
          k.gemmStrided(pa, tA ? m : kk, bBlock, tB ? kk : n, pc + 4 * j0, n, m, nPart, kk, tA, tB, 0, scratch);
          const full = reference(a, b, c0, m, n, kk, !!tA, !!tB, false);
          const got = heap.read(pc, m * n);
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < n; j++) {
              const e = i * n + j;
              if (j >= j0 && j < j0 + nPart) assert.ok(Math.abs(got[e]! - full.value[e]!) <= 1e-5 * full.bound[e]!, `block [${i},${j}]`);
              else assert.equal(got[e], c0[e], `outside the block [${i},${j}] was written`);
            }
          }
          heap.checkGuards('gemmStrided');
        }
      }
    }
  });

  test(`${name}: one-row products (the gemv path) with a strided row of A`, () => {
    const random = rng(13);
    for (const [n, kk] of [[1, 1], [10, 64], [64, 784], [37, 5], [17, 33]] as const) {
      for (const tB of [0, 1]) {
        for (const acc of [0, 1]) {
          heap.reset();
          // A stored k×3 (transposed), the row is its column 1: elements a[p*3 + 1].
          const a = uniform(random, kk * 3, -1, 1);
          const b = uniform(random, kk * n, -1, 1);
          const c0 = uniform(random, n, -1, 1);
          const pa = heap.put(a), pb = heap.put(b), pc = heap.put(c0);
          const scratch = heap.alloc(k.gemmScratchBytes(1, n, kk) / 4);
          k.gemmStrided(pa + 4, 3, pb, tB ? kk : n, pc, n, 1, n, kk, 1, tB, acc, scratch);
          const got = heap.read(pc, n);
          for (let j = 0; j < n; j++) {
            let s = acc ? c0[j]! : 0, mag = Math.abs(s);
            for (let p = 0; p < kk; p++) {
              const prod = a[p * 3 + 1]! * b[tB ? j * kk + p : p * n + j]!;
              s += prod;
              mag += Math.abs(prod);
            }
            assert.ok(Math.abs(got[j]! - s) <= 1e-5 * mag, `1x${kk}x${n} tB=${tB} acc=${acc} [${j}]: ${got[j]} vs ${s}`);
          }
          heap.checkGuards('gemv');
        }
      }
    }
  });

  test(`${name}: gemm with k = 0 writes zeros, or leaves C when accumulating`, () => {
    heap.reset();
    const pc = heap.put([1, 2, 3, 4, 5, 6]);
    const scratch = heap.alloc(k.gemmScratchBytes(2, 3, 0) / 4);
    k.gemm(0, 0, pc, 2, 3, 0, 0, 0, 1, scratch);
    assert.deepEqual(Array.from(heap.read(pc, 6)), [1, 2, 3, 4, 5, 6]);
    k.gemm(0, 0, pc, 2, 3, 0, 0, 0, 0, scratch);
    assert.deepEqual(Array.from(heap.read(pc, 6)), [0, 0, 0, 0, 0, 0]);
  });
}

relaxedInChild(fileURLToPath(import.meta.url));
