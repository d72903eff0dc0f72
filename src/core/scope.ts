import { backend } from './backend_registry.js';
import type { Tensor } from './tensor.js';

/**
 * Runs `fn` as one step: every tensor it makes is released when it returns, except the tensors
 * `keep(result)` names. On backends whose memory the garbage collector manages (reference) this
 * is free; on WebAssembly it is what keeps a training loop's memory flat without `dispose()`.
 * Used by fit/evaluate/predict around each batch; not needed in user code.
 */
export function stepScope<T>(fn: () => T, keep: (result: T) => readonly Tensor[] = () => []): T {
  const b = backend();
  if (!b.beginScope) return fn();
  b.beginScope();
  let kept: readonly Tensor[] = [];
  try {
    const result = fn();
    kept = keep(result);
    return result;
  } finally {
    b.endScope!(kept.map((t) => t.handle));
  }
}
