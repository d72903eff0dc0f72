/**
 * The kernel loader: finds the builds next to its compiled location, prefers relaxed SIMD only
 * when the runtime validates it, falls back to SIMD128, and explains what to do when the files
 * are missing.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { KilnError } from '../../src/errors.js';
import { compileKernels, createKernelMemory, defaultKernelDir, instantiateKernels, loadKernels, PLAIN_FILE, RELAXED_FILE } from '../../src/backends/wasm/loader.js';

const relaxedBytes = readFileSync(join(defaultKernelDir(), RELAXED_FILE));
const isRelaxed = (bytes: Uint8Array): boolean => Buffer.compare(Buffer.from(bytes), relaxedBytes) === 0;

test('loads the kernels from dist/wasm and runs one', () => {
  const memory = createKernelMemory(1);
  const k = loadKernels(memory);
  const x = (k.heapBase() + 15) & ~15;
  new Float32Array(memory.buffer, x, 4).set([-1, 0, 1, 2]);
  k.unary(14, x, x, 4); // relu
  assert.deepEqual(Array.from(new Float32Array(memory.buffer, x, 4)), [0, 0, 1, 2]);
  assert.equal(k.relaxedSimd(), compileKernels().relaxed ? 1 : 0);
});

test('auto picks relaxed SIMD exactly when validate accepts it', () => {
  if (WebAssembly.validate(relaxedBytes)) {
    const yes = compileKernels({ validate: (b) => WebAssembly.validate(b) });
    assert.equal(yes.relaxed, true);
    assert.ok(yes.path.endsWith(RELAXED_FILE));
  }
  const no = compileKernels({ validate: (b) => !isRelaxed(b) });
  assert.equal(no.relaxed, false);
  assert.ok(no.path.endsWith(PLAIN_FILE));
  // The fallback instance really is the plain build.
  assert.equal(instantiateKernels(no, createKernelMemory(1)).relaxedSimd(), 0);
  assert.equal(compileKernels({ build: 'auto' }).relaxed, WebAssembly.validate(relaxedBytes));
});

test('falls back to the plain build when the relaxed file is absent', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-wasm-'));
  try {
    copyFileSync(join(defaultKernelDir(), PLAIN_FILE), join(dir, PLAIN_FILE));
    assert.equal(compileKernels({ dir, validate: () => true }).relaxed, false);
    assert.throws(() => compileKernels({ dir, build: 'relaxed' }), (e: unknown) => e instanceof KilnError && /not found.*npm run build/.test((e as Error).message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('clear errors: missing build, unsupported relaxed, bad build name, unshared memory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-wasm-'));
  try {
    assert.throws(() => compileKernels({ dir }), (e: unknown) => e instanceof KilnError && /kernels\.wasm not found.*run npm run build/.test((e as Error).message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => compileKernels({ build: 'relaxed', validate: (b) => !isRelaxed(b) }), /not supported by this runtime.*--experimental-wasm-relaxed-simd/);
  assert.throws(() => compileKernels({ build: 'fast' as never }), /'auto', 'plain' or 'relaxed'.*found 'fast'/);
  assert.throws(() => instantiateKernels(compileKernels({ build: 'plain' }), new WebAssembly.Memory({ initial: 1, maximum: 10 })), (e: unknown) => e instanceof KilnError && /shared/.test((e as Error).message));
});
