import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KilnError } from '../../errors.js';
import type { KernelExports } from './abi.js';

/**
 * Finding, compiling and instantiating the WebAssembly kernels built by `scripts/build-wasm.mjs`.
 *
 * Two builds exist: `kernels.wasm` (SIMD128, runs everywhere Node ≥ 20 does) and
 * `kernels-relaxed.wasm` (adds relaxed SIMD, i.e. FMA in the GEMM micro-kernel, ~20% faster
 * products). The relaxed one is used when `WebAssembly.validate` accepts it — Node ≥ 22, or Node 20
 * started with `--experimental-wasm-relaxed-simd` — and the plain one otherwise.
 *
 * Everything here is synchronous: backends are created on first use from synchronous code, and a
 * 50 KB module compiles in a few milliseconds. The compiled `WebAssembly.Module` is cached and can
 * be posted to worker threads, which instantiate it on the same shared memory.
 */

/** Which build to load: `auto` (relaxed when supported), or one of them by force. */
export type KernelBuild = 'auto' | 'plain' | 'relaxed';

export interface CompileKernelsOptions {
  /** Default `auto`, or the `KILN_WASM_BUILD` environment variable when set. */
  build?: KernelBuild;
  /** Directory holding the .wasm files. Default: `dist/wasm` of this package. */
  dir?: string;
  /** Feature test; default `WebAssembly.validate`. (Tests pass a stub to exercise the fallback.) */
  validate?: (bytes: Uint8Array) => boolean;
}

export interface CompiledKernels {
  readonly module: WebAssembly.Module;
  /** True for the relaxed-SIMD build. */
  readonly relaxed: boolean;
  /** The file it came from. */
  readonly path: string;
}

export const PLAIN_FILE = 'kernels.wasm';
export const RELAXED_FILE = 'kernels-relaxed.wasm';
/** wasm32's limit, and the maximum the module declares for its imported memory: 65536 pages = 4 GiB. */
export const MAX_PAGES = 65536;

/**
 * The directory of the built kernels. This file compiles to `dist/src/backends/wasm/loader.js`,
 * and the build writes `dist/wasm/`, so the path is relative to this module, not to the working
 * directory: it holds when kiln is installed inside another project's node_modules.
 */
export function defaultKernelDir(): string {
  return fileURLToPath(new URL('../../../wasm/', import.meta.url));
}

const cache = new Map<string, CompiledKernels>();

function readBuild(dir: string, file: string): Uint8Array | null {
  try {
    return readFileSync(join(dir, file));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function requestedBuild(options: CompileKernelsOptions): KernelBuild {
  const build = options.build ?? (process.env.KILN_WASM_BUILD as KernelBuild | undefined) ?? 'auto';
  if (build !== 'auto' && build !== 'plain' && build !== 'relaxed') {
    throw new KilnError(`WebAssembly kernels: build must be 'auto', 'plain' or 'relaxed' (option build or KILN_WASM_BUILD), found '${String(build)}'`);
  }
  return build;
}

/**
 * Compiles (once; later calls return the cached module) the kernel build to use.
 *
 * ```ts
 * const { module, relaxed } = compileKernels();
 * console.log(relaxed ? 'relaxed SIMD (FMA)' : 'SIMD128');
 * ```
 */
export function compileKernels(options: CompileKernelsOptions = {}): CompiledKernels {
  const dir = options.dir ?? defaultKernelDir();
  const build = requestedBuild(options);
  const validate = options.validate ?? ((bytes: Uint8Array) => WebAssembly.validate(bytes));
  // A custom feature test (tests only) bypasses the cache: its answer may differ from the runtime's.
  const key = options.validate ? null : `${dir}\0${build}`;
  const hit = key === null ? undefined : cache.get(key);
  if (hit) return hit;

  let chosen: { bytes: Uint8Array; relaxed: boolean; file: string } | null = null;
  if (build !== 'plain') {
    const bytes = readBuild(dir, RELAXED_FILE);
    if (bytes && validate(bytes)) chosen = { bytes, relaxed: true, file: RELAXED_FILE };
    else if (build === 'relaxed') {
      throw new KilnError(
        bytes
          ? `WebAssembly kernels: the relaxed-SIMD build (${RELAXED_FILE}) is not supported by this runtime; use Node >= 22 or start Node 20 with --experimental-wasm-relaxed-simd, or choose build 'auto'`
          : `WebAssembly kernels: ${RELAXED_FILE} not found in ${dir}; run npm run build`,
      );
    }
  }
  if (!chosen) {
    const bytes = readBuild(dir, PLAIN_FILE);
    if (!bytes) throw new KilnError(`WebAssembly kernels: ${PLAIN_FILE} not found in ${dir}; run npm run build (it compiles src/backends/wasm/kernels with AssemblyScript)`);
    if (!validate(bytes)) throw new KilnError(`WebAssembly kernels: this runtime does not support WebAssembly SIMD128 and threads (needed by ${PLAIN_FILE}); use Node >= 20`);
    chosen = { bytes, relaxed: false, file: PLAIN_FILE };
  }
  const compiled: CompiledKernels = {
    module: new WebAssembly.Module(chosen.bytes),
    relaxed: chosen.relaxed,
    path: join(dir, chosen.file),
  };
  if (key !== null) cache.set(key, compiled);
  return compiled;
}

/**
 * A shared memory the kernels can import: `initialPages` × 64 KiB now, growable to 4 GiB.
 *
 * ```ts
 * const memory = createKernelMemory(16); // 1 MiB
 * ```
 */
export function createKernelMemory(initialPages: number, maximumPages: number = MAX_PAGES): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: initialPages, maximum: maximumPages, shared: true });
}

/**
 * Instantiates compiled kernels on `memory` (which must be shared, with maximum ≤ 65536 pages).
 * Call once per thread; every instance works on the same memory.
 *
 * ```ts
 * const memory = createKernelMemory(16);
 * const k = instantiateKernels(compileKernels(), memory);
 * const base = k.heapBase(); // allocate above this
 * ```
 */
export function instantiateKernels(compiled: CompiledKernels | WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  const module = compiled instanceof WebAssembly.Module ? compiled : compiled.module;
  try {
    return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
  } catch (e) {
    throw new KilnError(`WebAssembly kernels: instantiation failed (the memory must be a shared WebAssembly.Memory with maximum <= ${MAX_PAGES} pages): ${(e as Error).message}`);
  }
}

/**
 * Compiles (cached) and instantiates the kernels on `memory` in one call.
 *
 * ```ts
 * const memory = createKernelMemory(16);
 * const k = loadKernels(memory);
 * const x = (k.heapBase() + 15) & ~15; // pointers are 16-byte aligned
 * new Float32Array(memory.buffer, x, 4).set([-1, 0, 1, 2]);
 * k.unary(14, x, x, 4); // relu in place → [0, 0, 1, 2]
 * ```
 */
export function loadKernels(memory: WebAssembly.Memory, options: CompileKernelsOptions = {}): KernelExports {
  return instantiateKernels(compileKernels(options), memory);
}
