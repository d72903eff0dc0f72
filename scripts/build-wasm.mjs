#!/usr/bin/env node
// Builds the WebAssembly kernels (src/backends/wasm/kernels/, AssemblyScript) into dist/wasm/:
//   kernels.wasm          SIMD128 — runs on every Node ≥ 20 and current browsers
//   kernels-relaxed.wasm  + relaxed SIMD (FMA in the GEMM micro-kernel); the loader picks it when
//                         WebAssembly.validate accepts it (Node ≥ 22, or Node 20 with
//                         --experimental-wasm-relaxed-simd)
// Both import a shared memory (env.memory, up to 4 GiB) and never allocate; see src/backends/wasm/abi.ts.
// Run by `npm run build` (so by `npm install` and `npm test`); needs only the assemblyscript
// devDependency. The two builds run as parallel processes (binaryen's optimizer is single-threaded).
// Skips the work when both outputs are newer than every kernel source, this script and the
// compiler (so repeated `npm test` runs do not pay ~15 s each).
// Usage: node scripts/build-wasm.mjs [--wat] [--force]   (--wat also writes .wat listings; implies --force)
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let ascBin;
try {
  ascBin = join(dirname(createRequire(import.meta.url).resolve('assemblyscript/package.json')), 'bin', 'asc.js');
} catch {
  console.error('build-wasm: the AssemblyScript compiler is missing; run npm install (it is a devDependency)');
  process.exit(1);
}
const outDir = join(root, 'dist', 'wasm');
const wat = process.argv.includes('--wat');
const force = wat || process.argv.includes('--force');
const kernelDir = join(root, 'src', 'backends', 'wasm', 'kernels');

const common = [
  'src/backends/wasm/kernels/index.ts',
  '-O3', '--noAssert',
  // No GC or allocator at run time: the stub runtime is the smallest, and the kernels never call it.
  '--runtime', 'stub',
  '--enable', 'simd', '--enable', 'threads',
  // One shared memory owned by JS (and by worker threads), as large as wasm32 allows: 65536 pages = 4 GiB.
  '--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '65536',
];

const builds = [
  { file: 'kernels.wasm', flags: [] },
  { file: 'kernels-relaxed.wasm', flags: ['--enable', 'relaxed-simd'] },
];

function compile({ file, flags }) {
  const out = join('dist', 'wasm', file);
  const args = [ascBin, ...common, ...flags, '--outFile', out];
  if (wat) args.push('--textFile', out.replace(/\.wasm$/, '.wat'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      // Any diagnostic (warnings included) fails the build: the sources are kept warning-free.
      if (code !== 0 || stderr.trim()) reject(new Error(`${file}: asc exited with ${code}\n${stderr}`));
      else resolve(file);
    });
  });
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return NaN;
  }
}

function upToDate() {
  const inputs = [
    fileURLToPath(import.meta.url),
    join(dirname(ascBin), '..', 'package.json'),
    ...readdirSync(kernelDir).map((f) => join(kernelDir, f)),
  ];
  const newestInput = Math.max(...inputs.map(mtime));
  const oldestOutput = Math.min(...builds.map((b) => mtime(join(outDir, b.file))));
  return !Number.isNaN(oldestOutput) && oldestOutput > newestInput;
}

if (!force && upToDate()) {
  console.log('build-wasm: dist/wasm/ is up to date');
  process.exit(0);
}
mkdirSync(outDir, { recursive: true });
const started = performance.now();
try {
  const files = await Promise.all(builds.map(compile));
  console.log(`build-wasm: ${files.join(', ')} → dist/wasm/ in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (e) {
  console.error(`build-wasm: ${e.message}`);
  process.exit(1);
}
