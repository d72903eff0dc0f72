/**
 * Shared set-up for the WebAssembly kernel tests: one instance per kernel build on its own shared
 * memory, a bump allocator that puts a guard zone after every buffer (so a kernel writing past
 * its output is caught), a seeded random source and a float comparison that understands NaN and
 * infinities.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { KernelExports } from '../../src/backends/wasm/abi.js';
import { compileKernels, createKernelMemory, defaultKernelDir, instantiateKernels, RELAXED_FILE } from '../../src/backends/wasm/loader.js';
import { mulberry32 as rng } from '../helpers/random.js';
export { assertClose } from '../helpers/assert_close.js';

const GUARD_FLOATS = 16;
const GUARD = -123456.75;

/** A bump allocator over one shared memory, above the module's heap base. */
export class Heap {
  private top: number;
  private readonly guards: number[] = [];
  constructor(
    readonly memory: WebAssembly.Memory,
    private readonly base: number,
  ) {
    this.top = base;
  }

  get f32(): Float32Array {
    return new Float32Array(this.memory.buffer);
  }

  /** Forgets every allocation (call at the start of a test). */
  reset(): void {
    this.top = this.base;
    this.guards.length = 0;
  }

  /** Room for `count` float32/int32 values, 16-byte aligned, followed by a guard zone. */
  alloc(count: number): number {
    const ptr = (this.top + 15) & ~15;
    const guard = ptr + 4 * count;
    this.top = guard + 4 * GUARD_FLOATS;
    if (this.top > this.memory.buffer.byteLength) this.memory.grow(Math.ceil((this.top - this.memory.buffer.byteLength) / 65536));
    this.f32.fill(GUARD, guard / 4, guard / 4 + GUARD_FLOATS);
    this.guards.push(guard);
    return ptr;
  }

  /** Allocates and fills a float32 buffer. */
  put(values: ArrayLike<number>): number {
    const p = this.alloc(values.length);
    this.f32.set(values, p / 4);
    return p;
  }

  read(ptr: number, count: number): Float32Array {
    return this.f32.slice(ptr / 4, ptr / 4 + count);
  }

  readI32(ptr: number, count: number): Int32Array {
    return new Int32Array(this.memory.buffer).slice(ptr / 4, ptr / 4 + count);
  }

  /** Fails if any kernel wrote into a guard zone. */
  checkGuards(label: string): void {
    const f = this.f32;
    for (const g of this.guards) {
      for (let i = 0; i < GUARD_FLOATS; i++) assert.equal(f[g / 4 + i], GUARD, `${label}: wrote past the end of a buffer`);
    }
  }
}

export interface Build {
  readonly name: 'plain' | 'relaxed';
  readonly k: KernelExports;
  readonly heap: Heap;
}

function relaxedBytes(): Uint8Array {
  return readFileSync(join(defaultKernelDir(), RELAXED_FILE));
}

/** Whether this process can run the relaxed-SIMD build (Node ≥ 22, or Node 20 with the flag). */
export function relaxedSupported(): boolean {
  return WebAssembly.validate(relaxedBytes());
}

/**
 * The builds to test in this process: both when relaxed SIMD is available, else the plain one
 * (the relaxed one is then covered by `relaxedInChild`). KILN_WASM_TEST_BUILD picks one.
 */
export function testBuilds(): Build[] {
  const only = process.env.KILN_WASM_TEST_BUILD;
  const names: ('plain' | 'relaxed')[] = only ? [only as 'plain' | 'relaxed'] : relaxedSupported() ? ['plain', 'relaxed'] : ['plain'];
  return names.map((name) => {
    const memory = createKernelMemory(256);
    const k = instantiateKernels(compileKernels({ build: name }), memory);
    assert.equal(k.relaxedSimd(), name === 'relaxed' ? 1 : 0);
    return { name, k, heap: new Heap(memory, k.heapBase()) };
  });
}

/**
 * When this Node cannot run relaxed SIMD by default (Node 20), re-runs `file` (a compiled test
 * file) in a child Node started with --experimental-wasm-relaxed-simd, testing only that build.
 */
export function relaxedInChild(file: string): void {
  if (process.env.KILN_WASM_TEST_BUILD || relaxedSupported()) return;
  test('relaxed-SIMD build passes the same tests (child Node with --experimental-wasm-relaxed-simd)', () => {
    const r = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', file], {
      env: { ...process.env, KILN_WASM_TEST_BUILD: 'relaxed' },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, `child test run failed:\n${r.stdout}\n${r.stderr}`);
  });
}

export { rng };

/** Values uniform in [lo, hi), rounded to float32 (the kernels' input precision). */
export function uniform(random: () => number, n: number, lo: number, hi: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * random();
  return out;
}

/** Awkward sizes: around vector widths, tile sizes and cache blocks. */
export const SIZES = [1, 3, 5, 17, 33, 64, 100, 257];
