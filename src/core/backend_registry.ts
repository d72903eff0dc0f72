import { UnknownNameError } from '../errors.js';
import type { Backend } from './backend.js';

/**
 * The one place backends are registered and chosen. A backend registers a factory; it is built on
 * first use so that an unused backend (say, WebAssembly in a test that pins the reference) costs nothing.
 */
const factories = new Map<string, () => Backend>();
const instances = new Map<string, Backend>();
let current: Backend | null = null;
let defaultName = 'reference';

export function registerBackend(name: string, factory: () => Backend, options: { isDefault?: boolean } = {}): void {
  factories.set(name, factory);
  if (options.isDefault) defaultName = name;
}

function instance(name: string): Backend {
  let b = instances.get(name);
  if (!b) {
    const f = factories.get(name);
    if (!f) throw new UnknownNameError(`setBackend: unknown backend '${name}'; registered: ${[...factories.keys()].join(', ')}`);
    b = f();
    instances.set(name, b);
  }
  return b;
}

/**
 * Chooses the backend that new tensors and ops use.
 *
 * ```ts
 * kiln.setBackend('reference'); // pure TypeScript
 * ```
 */
export function setBackend(name: string): void {
  current = instance(name);
}

/** The name of the backend in use. */
export function getBackend(): string {
  return backend().name;
}

/** The backend object in use (for kernels and tests; users call `getBackend()`). */
export function backend(): Backend {
  if (!current) current = instance(process.env.KILN_BACKEND ?? defaultName);
  return current;
}

export function listBackends(): string[] {
  return [...factories.keys()];
}
