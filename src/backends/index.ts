import { ValueError } from '../errors.js';
import { backend, registerBackend } from '../core/backend_registry.js';
import { ReferenceBackend } from './reference/index.js';
import { compileKernels, createKernelMemory, instantiateKernels } from './wasm/loader.js';
import { WasmBackend } from './wasm/wasm_backend.js';

/**
 * Registers the built-in backends. Imported once by the package entry point. 'wasm' (WebAssembly
 * SIMD) is the default; 'reference' (pure TypeScript) is the executable specification.
 */
registerBackend('reference', () => new ReferenceBackend());
registerBackend(
  'wasm',
  () => {
    // 16 MiB to start; the allocator grows memory geometrically up to wasm32's 4 GiB.
    const memory = createKernelMemory(256);
    const compiled = compileKernels();
    const kernels = instantiateKernels(compiled, memory);
    const b = new WasmBackend(kernels, memory, kernels.heapBase(), compiled.module);
    if (requestedThreads !== null) b.setNumThreads(requestedThreads);
    return b;
  },
  { isDefault: true },
);

let requestedThreads: number | null = null;

/**
 * Sets how many threads share large matrix products on the WebAssembly backend (default: the
 * number of cores). Workers spin briefly between the products of a training step and sleep between steps.
 *
 * ```ts
 * kiln.setNumThreads(1); // single-threaded
 * ```
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`setNumThreads: expected a positive integer, found ${JSON.stringify(n)}`);
  requestedThreads = n;
  backend().setNumThreads?.(n);
}

/** The number of threads the current backend uses for large products. */
export function getNumThreads(): number {
  return backend().getNumThreads?.() ?? 1;
}

export { setBackend, getBackend, listBackends } from '../core/backend_registry.js';
