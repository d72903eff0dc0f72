import { registerBackend } from './registry.js';
import { ReferenceBackend } from './reference/index.js';
import { createKernelMemory, loadKernels } from './wasm/loader.js';
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
    const kernels = loadKernels(memory);
    return new WasmBackend(kernels, memory, kernels.heapBase());
  },
  { isDefault: true },
);

export { setBackend, getBackend, listBackends } from './registry.js';
