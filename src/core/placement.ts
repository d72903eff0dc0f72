import type { TensorInfo } from './backend.js';
import { backend } from './backend_registry.js';
import { Tensor, Variable } from './tensor.js';

/**
 * A kernel's view of `t` on the current backend. Tensors made before a `setBackend` still live on
 * the old one: a variable moves for good (it is state that outlives the call), any other tensor is
 * copied for this one kernel. Used by every function that hands tensors to a kernel.
 */
export function onCurrent(t: Tensor): TensorInfo {
  const b = backend();
  if (t.backend === b) return t;
  if (t instanceof Variable) {
    t.moveTo(b);
    return t;
  }
  return { handle: b.upload(t.dataSync(), t.dtype), shape: t.shape, dtype: t.dtype };
}
