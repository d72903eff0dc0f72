/**
 * kiln's one snake_case rule: Keras's `to_snake_case` (keras/src/utils/naming.py). Class names become
 * default layer/metric/loss names and registered names with it: 'LeakyReLU' → 'leaky_re_lu',
 * 'Conv2D' → 'conv2d' (not 'conv2_d': a digit does not start a word), and option names become
 * their snake spelling: 'learningRate' → 'learning_rate'.
 */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * Unique default names, Keras style: the first Dense is 'dense', then 'dense_1', 'dense_2'…
 * Layers, models, metrics and optimizers all draw from these counters, as in Keras.
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
