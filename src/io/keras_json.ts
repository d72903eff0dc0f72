/**
 * The one JSON writer for every config Keras (or tfjs's converter) reads back: `.keras`
 * config.json, legacy `.h5` `model_config`/`training_config`, tfjs `model.json`.
 *
 * JavaScript has one number type, so `JSON.stringify` writes `momentum: 0` where Keras writes
 * `0.0`, and Keras checks some of these types (`SGD(momentum=0)` raises "`momentum` must be a float
 * between [0, 1]"). The rule, in this one place: a number under a key Keras types as a float
 * ({@link FLOAT_KEYS}, in any config and in lists under that key) is written with a decimal point
 * (`0.0`, `1.0`, `-0.0`); every other number is written as JavaScript prints it. Keras's integer
 * fields ({@link INT_KEYS}: `units`, `axis`, `seed`, shapes, …) therefore stay integers, and a
 * custom layer's own numeric fields are untouched. Non-integral and exponent forms (`1e-7`) are
 * floats already. `test/io/keras_json_floats.test.ts` checks every numeric key kiln's built-in
 * classes write is in one of the two lists, and that the lists agree with Keras 3.16's own typing.
 */

/** Config keys Keras types as float (layers, optimizers and schedules, losses, metrics, initializers, regularizers; tfjs optimizer keys). */
export const FLOAT_KEYS: ReadonlySet<string> = new Set([
  // optimizers (Keras 3 base + each class) and tfjs's optimizer spelling
  'learning_rate', 'momentum', 'rho', 'epsilon', 'beta_1', 'beta_2', 'beta1', 'beta2', 'decay', 'weight_decay',
  'clipnorm', 'clipvalue', 'global_clipnorm', 'ema_momentum', 'loss_scale_factor', 'initial_accumulator_value',
  'learning_rate_power', 'l1_regularization_strength', 'l2_regularization_strength', 'l2_shrinkage_regularization_strength',
  // learning-rate schedules
  'initial_learning_rate', 'decay_rate', 'end_learning_rate', 'power', 'alpha', 'warmup_target', 't_mul', 'm_mul', 'values',
  // layers
  'rate', 'dropout', 'recurrent_dropout', 'negative_slope', 'renorm_momentum', 'max_value', 'threshold', 'stddev', 'mask_value',
  // losses and metrics
  'loss_weights', 'label_smoothing', 'delta', 'gamma', 'beta', 'thresholds', 'recall', 'precision', 'sensitivity', 'specificity',
  // initializers and regularizers
  'mean', 'minval', 'maxval', 'value', 'scale', 'gain', 'l1', 'l2',
]);

/** Config keys Keras types as integer (or list of integers). Documentation and the typing test; the writer leaves them as they are. */
export const INT_KEYS: ReadonlySet<string> = new Set([
  'units', 'filters', 'kernel_size', 'strides', 'pool_size', 'dilation_rate', 'axis', 'seed', 'input_dim', 'output_dim',
  'batch_shape', 'batch_input_shape', 'input_shape', 'shape', 'target_shape', 'dims', 'noise_shape', 'n', 'groups',
  'k', 'top_k', 'class_id', 'num_thresholds', 'num_classes', 'num_regressors', 'ignore_class',
  'decay_steps', 'first_decay_steps', 'warmup_steps', 'boundaries', 'ema_overwrite_frequency', 'gradient_accumulation_steps',
  'steps_per_execution', 'build_input_shape', 'inbound_nodes', 'shared_object_id',
  // functional graphs: node references [layer, node index, tensor index]
  'keras_history', 'input_layers', 'output_layers',
]);

/**
 * `JSON.stringify(value)` (same output for strings, booleans, null, `toJSON`, undefined members and
 * non-finite numbers) except that integral numbers under a {@link FLOAT_KEYS} key end in `.0`.
 *
 * ```ts
 * toKerasJson({ class_name: 'SGD', config: { momentum: 0, seed: 3 } });
 * // '{"class_name":"SGD","config":{"momentum":0.0,"seed":3}}'
 * ```
 */
export function toKerasJson(value: unknown): string {
  return write(value, false) ?? 'null';
}

function write(value: unknown, float: boolean): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (typeof value === 'number') return float ? floatText(value) : JSON.stringify(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => write(v, float) ?? 'null').join(',')}]`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const text = write(v, FLOAT_KEYS.has(k));
    if (text !== undefined) parts.push(`${JSON.stringify(k)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

/** A number as a JSON float: `0` → `0.0`, `-0` → `-0.0`; `0.5`, `1e-7`, `1e+21` as they are; NaN/±Infinity → null, as JSON.stringify. */
function floatText(n: number): string {
  if (!Number.isFinite(n)) return 'null';
  if (Object.is(n, -0)) return '-0.0';
  const s = String(n);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}
