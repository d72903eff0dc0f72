import type { Tensor } from '../core/tensor.js';

/**
 * Why weights must not be saved — `weight 3 holds NaN` for the first non-finite value — or null.
 * backupAndRestore and modelCheckpoint both refuse to write such a state, so a diverged run never
 * replaces a good checkpoint.
 */
export function nonFiniteWeight(weights: readonly Tensor[]): string | null {
  for (let i = 0; i < weights.length; i++) {
    const v = weights[i]!.dataSync();
    for (let k = 0; k < v.length; k++) if (!Number.isFinite(v[k]!)) return `weight ${i} holds ${v[k]}`;
  }
  return null;
}
