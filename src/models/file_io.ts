import { KilnError } from '../errors.js';
import type { Model } from './model.js';

/**
 * How `model.save` / `saveWeights` / `loadWeights` reach the file formats. The formats (src/io)
 * depend on models — they build models from configs — so models cannot import them back without a
 * cycle. Instead io provides its implementation here once, from its entry point (src/io/index.ts),
 * and the methods call through it: models stay below io, and the dependency check can prove it.
 */
export interface ModelFileIo {
  saveModel(model: Model, path: string, options?: { includeOptimizer?: boolean }): Promise<void>;
  saveWeights(model: Model, path: string): Promise<void>;
  loadWeights(model: Model, path: string): Promise<void>;
}

let provided: ModelFileIo | null = null;

/** Called by src/io/index.ts. */
export function provideModelFileIo(io: ModelFileIo): void {
  provided = io;
}

export function modelFileIo(): ModelFileIo {
  // Only reachable when src/models is imported without kiln's entry point (which loads io).
  if (!provided) throw new KilnError("model files are not available: import kiln's entry point ('kiln'), which loads its file formats");
  return provided;
}
