import type { DataHandle, TensorInfo } from '../../core/backend.js';
import { ArrayHandle, ReferenceBackend } from '../reference/index.js';
import type { ScopedMemory } from './scopes.js';

/**
 * Operations without a WebAssembly kernel run the reference backend's loops directly on views of
 * linear memory, so every op works on wasm and the reference stays the one definition of each op.
 * `ref` is the reference backend; `input` wraps a wasm tensor for it, `output` brings its result back.
 */
export class ReferenceFallback {
  readonly ref = new ReferenceBackend();

  constructor(private readonly memory: ScopedMemory) {}

  /** A wasm tensor as a reference-backend tensor (a view, no copy). */
  input(x: TensorInfo): TensorInfo {
    return { handle: new ArrayHandle(this.memory.view(x), x.dtype), shape: x.shape, dtype: x.dtype };
  }

  /** A reference-backend result as a wasm handle: in linear memory inside a step, else on the host. */
  output(h: DataHandle): DataHandle {
    const values = (h as ArrayHandle).values;
    if (this.memory.implicit) return this.memory.host(values, h.dtype);
    const out = this.memory.alloc(values.length, h.dtype);
    this.memory.view(out).set(values);
    return out;
  }
}
