import { toSnakeCase } from '../utils/args.js';

/**
 * Unique default names, Keras style: the first Dense is 'dense', then 'dense_1', 'dense_2'…
 * `clearSession()` starts the counters again (Keras's `keras.backend.clear_session()`).
 */
const counters = new Map<string, number>();

export function uniqueName(className: string): string {
  const base = toSnakeCase(className);
  const n = counters.get(base) ?? 0;
  counters.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

/**
 * Resets default layer/model name counters.
 *
 * ```ts
 * kiln.clearSession(); // the next Dense is named 'dense' again
 * ```
 */
export function clearSession(): void {
  counters.clear();
}
