import { KilnError } from '../errors.js';

/**
 * A model file cannot be read or written: missing, empty, truncated, not the format its name says,
 * missing a required part, or holding weights that do not fit the model. The message starts with
 * the file's path.
 *
 * ```ts
 * try { await kiln.loadModel('model.keras'); }
 * catch (e) { if (e instanceof kiln.ModelFileError) console.error(e.message); }
 * ```
 */
export class ModelFileError extends KilnError {}

/** `'path': message` — every file error names its file first. */
export function fileMessage(path: string, message: string): string {
  return `'${path}': ${message}`;
}

/**
 * Runs `fn`, making sure whatever it throws names `path`: kiln errors keep their class with the
 * path prepended; anything else (an h5wasm or zip failure) becomes a ModelFileError.
 */
export async function inFile<T>(path: string, fn: () => T | Promise<T>, verb: 'read' | 'written' = 'read'): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw relabel(path, e, verb);
  }
}

/** Synchronous `inFile`. */
export function inFileSync<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw relabel(path, e);
  }
}

function relabel(path: string, e: unknown, verb: 'read' | 'written' = 'read'): Error {
  const prefix = `'${path}'`;
  if (e instanceof KilnError) {
    if (e.message.startsWith(prefix)) return e;
    const copy = new (e.constructor as new (m: string) => KilnError)(fileMessage(path, e.message));
    return copy;
  }
  const text = e instanceof Error ? e.message : String(e);
  return new ModelFileError(fileMessage(path, `cannot be ${verb}: ${summarize(text)}`));
}

/** HDF5 error stacks are long; the innermost frame says what went wrong ("truncated file: …"). */
export function summarize(text: string): string {
  const frames = [...text.matchAll(/#\d+: .*? in \w+\(\): (.*)/g)].map((m) => m[1]!);
  const last = frames.at(-1);
  return (last ?? text.split('\n')[0] ?? text).trim().slice(0, 300);
}
