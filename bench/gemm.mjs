#!/usr/bin/env node
// GEMM GFLOP/s of the WebAssembly kernels for the matrix shapes of issue 3's W1 and W2 workloads,
// every transpose variant, both builds (SIMD128 and relaxed SIMD/FMA), one thread.
//
//   node bench/gemm.mjs            # needs dist/ built (npm run build)
//   node bench/gemm.mjs --quick    # fewer repetitions
//   node bench/gemm.mjs --json out.json
//   node bench/gemm.mjs --best     # print the best repetition instead of the median (a shared,
//                                  # noisy machine: the best shows what the kernels can do)
//
// Shapes are m×k×n (C[m×n] = op(A)[m×k]·op(B)[k×n]). A dense layer y = x·W (x: batch×in) needs
//   forward  batch×in×out   NN      dW = xᵀ·dy  in×batch×out   TN      dx = dy·Wᵀ  batch×out×in   NT
// and the table marks the variant each shape is used with (*). Each cell: median GFLOP/s of 7
// timed repetitions of ≥ 25 ms each, after a warm-up long enough for V8 to tier the kernels up to
// TurboFan. On Node 20 the relaxed build needs --experimental-wasm-relaxed-simd; this script turns
// the flag on for itself when needed (v8.setFlagsFromString, before any module is compiled).
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import v8 from 'node:v8';

const relaxedFile = new URL('../dist/wasm/kernels-relaxed.wasm', import.meta.url);
try {
  if (!WebAssembly.validate(readFileSync(relaxedFile))) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
} catch {
  console.error('bench/gemm: dist/wasm not built; run npm run build');
  process.exit(1);
}
const { compileKernels, createKernelMemory, instantiateKernels } = await import('../dist/src/backends/wasm/loader.js');

const quick = process.argv.includes('--quick');
const showBest = process.argv.includes('--best');
const jsonIndex = process.argv.indexOf('--json');
const jsonPath = jsonIndex > 0 ? process.argv[jsonIndex + 1] : null;

/** [workload, m, k, n, variant used in training] */
const SHAPES = [
  ['W1', 32, 784, 64, 'NN'], ['W1', 784, 32, 64, 'TN'], ['W1', 32, 64, 784, 'NT'],
  ['W1', 32, 64, 10, 'NN'], ['W1', 64, 32, 10, 'TN'], ['W1', 32, 10, 64, 'NT'],
  ['W2', 256, 784, 512, 'NN'], ['W2', 784, 256, 512, 'TN'], ['W2', 256, 512, 784, 'NT'],
  ['W2', 256, 512, 512, 'NN'], ['W2', 512, 256, 512, 'TN'], ['W2', 256, 512, 512, 'NT'],
  ['W2', 256, 512, 10, 'NN'], ['W2', 512, 256, 10, 'TN'], ['W2', 256, 10, 512, 'NT'],
];
const VARIANTS = ['NN', 'TN', 'NT', 'TT'];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function setup(build) {
  const memory = createKernelMemory(16);
  const k = instantiateKernels(compileKernels({ build }), memory);
  let top = (k.heapBase() + 63) & ~63;
  const alloc = (bytes) => {
    const p = top;
    top = (top + bytes + 63) & ~63;
    if (top > memory.buffer.byteLength) memory.grow(Math.ceil((top - memory.buffer.byteLength) / 65536));
    return p;
  };
  return { k, memory, alloc };
}

function measure({ k, memory, alloc }, m, kk, n, variant) {
  const tA = variant[0] === 'T' ? 1 : 0;
  const tB = variant[1] === 'T' ? 1 : 0;
  const a = alloc(4 * m * kk), b = alloc(4 * kk * n), c = alloc(4 * m * n), s = alloc(k.gemmScratchBytes(m, n, kk));
  const f = new Float32Array(memory.buffer);
  for (let i = 0; i < m * kk; i++) f[a / 4 + i] = Math.random() - 0.5;
  for (let i = 0; i < kk * n; i++) f[b / 4 + i] = Math.random() - 0.5;
  const run = () => k.gemm(a, b, c, m, n, kk, tA, tB, 0, s);
  const flops = 2 * m * n * kk;
  // Calls per timed repetition: enough for ≥ 25 ms (10 ms quick).
  const t0 = performance.now();
  let calls = 0;
  while (performance.now() - t0 < (quick ? 60 : 250)) { run(); calls++; } // warm-up (tier-up)
  const perCall = (performance.now() - t0) / calls;
  const reps = Math.max(1, Math.ceil((quick ? 10 : 25) / perCall));
  const samples = [];
  for (let r = 0; r < (quick ? 3 : 7); r++) {
    const s0 = performance.now();
    for (let i = 0; i < reps; i++) run();
    samples.push((flops * reps) / ((performance.now() - s0) * 1e6));
  }
  return { median: median(samples), best: Math.max(...samples) };
}

const builds = ['plain'];
try {
  if (compileKernels({ build: 'auto' }).relaxed) builds.push('relaxed');
} catch { /* plain only */ }

console.log(`GEMM GFLOP/s (${showBest ? 'best' : 'median'} of ${quick ? 3 : 7} repetitions), 1 thread — ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
if (builds.length === 1) console.log('(relaxed-SIMD build unavailable here: plain SIMD128 only)');
const header = ['shape m×k×n', ...builds.flatMap((b) => VARIANTS.map((v) => `${b === 'plain' ? 'simd' : 'fma'} ${v}`))];
const rows = [];
const results = [];
const ctx = Object.fromEntries(builds.map((b) => [b, setup(b)]));
for (const [workload, m, kk, n, used] of SHAPES) {
  const cells = [];
  for (const build of builds) {
    for (const variant of VARIANTS) {
      const { median: g, best } = measure(ctx[build], m, kk, n, variant);
      results.push({ workload, m, k: kk, n, variant, build, gflops: g, best, used: variant === used });
      cells.push(`${(showBest ? best : g).toFixed(1)}${variant === used ? '*' : ' '}`);
    }
    ctx[build] = setup(build); // fresh memory per shape keeps the heap small
  }
  rows.push([`${workload} ${m}×${kk}×${n}`, ...cells]);
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(line(header));
for (const r of rows) console.log(line(r));
console.log('* the variant the shape is used with in training (forward NN, dW = xᵀ·dy TN, dx = dy·Wᵀ NT)');
if (jsonPath) {
  writeFileSync(jsonPath, JSON.stringify({ date: new Date().toISOString(), node: process.version, cpu: os.cpus()[0]?.model, loadavg: os.loadavg(), results }, null, 2));
  console.log(`wrote ${jsonPath}`);
}
