import type { Model } from '../../models/model.js';
import { normalizeName } from '../../serialization/names.js';
import type { Config, SerializedObject } from '../../serialization/registry.js';
import { serializeOptimizer } from '../../optimizers/index.js';
import type { CompileArgs } from '../../training/compile.js';
import { ModelFileError } from '../errors.js';
import { toSnakeCase } from '../../utils/naming.js';

/**
 * `trainingConfig` of model.json ⇄ kiln compile arguments. tfjs writes `{loss, metrics,
 * optimizer_config: {class_name, config}}` with snake_case loss/metric names and its own optimizer
 * classes (`RMSProp` with `decay`, `Momentum`, `Adam` with `beta1`); tfjs's loader camel-cases
 * names and keys (tfjs-layers/src/engine/training.ts `loadTrainingConfig`), so a loss must be a
 * plain name and an optimizer one tfjs has.
 */

/** The losses tfjs's `lossesMap` knows, by normalized name (Keras aliases included). */
const TFJS_LOSSES: Record<string, string> = {};
for (const [name, aliases] of Object.entries({
  mean_squared_error: ['mse'], mean_absolute_error: ['mae'], mean_absolute_percentage_error: ['mape'],
  mean_squared_logarithmic_error: ['msle'], squared_hinge: [], hinge: [], categorical_hinge: [], logcosh: ['log_cosh'],
  categorical_crossentropy: [], sparse_categorical_crossentropy: [], binary_crossentropy: [],
  kullback_leibler_divergence: ['kld', 'kl_divergence'], poisson: [], cosine_proximity: [],
})) {
  for (const n of [name, ...aliases]) TFJS_LOSSES[normalizeName(n)] = name;
}

/** Keras base-optimizer options that no tfjs optimizer has (set = not null/false). */
const UNEXPRESSIBLE = ['weight_decay', 'clipnorm', 'clipvalue', 'global_clipnorm', 'use_ema', 'gradient_accumulation_steps', 'loss_scale_factor'];

/** Keras optimizer config → tfjs's class and keys; null when tfjs has no such optimizer or option. */
function tfjsOptimizer(spec: SerializedObject): SerializedObject | null {
  const c = spec.config;
  const lr = c.learning_rate;
  if (typeof lr !== 'number') return null; // a schedule: tfjs optimizers take a constant
  // tfjs optimizers have no clipping, weight decay, EMA, accumulation or loss scaling: writing the
  // config without them would load an optimizer that trains differently, so refuse instead.
  if (UNEXPRESSIBLE.some((k) => c[k] !== undefined && c[k] !== null && c[k] !== false)) return null;
  switch (spec.class_name) {
    case 'SGD':
      return Number(c.momentum) > 0
        ? { class_name: 'Momentum', config: { learning_rate: lr, momentum: c.momentum, use_nesterov: Boolean(c.nesterov) } }
        : { class_name: 'SGD', config: { learning_rate: lr } };
    case 'Adam':
      return c.amsgrad ? null : { class_name: 'Adam', config: { learning_rate: lr, beta1: c.beta_1, beta2: c.beta_2, epsilon: c.epsilon } };
    case 'Adamax':
      return { class_name: 'Adamax', config: { learning_rate: lr, beta1: c.beta_1, beta2: c.beta_2, epsilon: c.epsilon, decay: 0 } };
    case 'RMSprop':
      return { class_name: 'RMSProp', config: { learning_rate: lr, decay: c.rho, momentum: c.momentum, epsilon: c.epsilon, centered: c.centered } };
    case 'Adagrad':
      return { class_name: 'Adagrad', config: { learning_rate: lr, initial_accumulator_value: c.initial_accumulator_value } };
    default:
      return null;
  }
}

/**
 * The tfjs `trainingConfig` of a compiled model, or `{ skipped }` saying why tfjs could not read one
 * (the file is then written uncompiled). Only the optimizer's hyperparameters travel; its state
 * (moments) is not written, as tfjs's own save does by default.
 */
export function tfjsTrainingConfig(model: Model): Config | { skipped: string } | null {
  const compiled = model.compiled;
  if (!compiled) return null;
  const loss = typeof compiled.lossSpec === 'string' ? TFJS_LOSSES[normalizeName(compiled.lossSpec)] : undefined;
  if (!loss) return { skipped: `its loss ${JSON.stringify(typeof compiled.lossSpec === 'string' ? compiled.lossSpec : compiled.loss.name)} is not a plain loss name tfjs knows` };
  if (!compiled.metricSpecs.every((m) => typeof m === 'string')) return { skipped: 'a metric is not given by name' };
  const optimizer = tfjsOptimizer(serializeOptimizer(compiled.optimizer) as SerializedObject);
  if (!optimizer) return { skipped: `TensorFlow.js has no equivalent of optimizer '${compiled.optimizer.name}' with this config` };
  return { loss, metrics: compiled.metricSpecs.map(String), optimizer_config: optimizer };
}

/** tfjs optimizer class → kiln class and key renames (normalized tfjs key → Keras key). */
const FROM_TFJS: Record<string, { cls: string; keys: Record<string, string> }> = {
  sgd: { cls: 'SGD', keys: {} },
  momentum: { cls: 'SGD', keys: { usenesterov: 'nesterov' } },
  adam: { cls: 'Adam', keys: { beta1: 'beta_1', beta2: 'beta_2' } },
  adamax: { cls: 'Adamax', keys: { beta1: 'beta_1', beta2: 'beta_2', decay: '' } },
  rmsprop: { cls: 'RMSprop', keys: { decay: 'rho' } },
  adagrad: { cls: 'Adagrad', keys: {} },
};

/**
 * Compile arguments from a tfjs `trainingConfig` (written by tfjs or kiln). Keys may be camelCase
 * (tfjs's `getConfig`) or snake_case; unset (null) hyperparameters take kiln's defaults.
 */
export function compileArgsFromTrainingConfig(tc: Config): CompileArgs {
  if (typeof tc.loss !== 'string') throw new ModelFileError(`trainingConfig: loss must be a name, found ${JSON.stringify(tc.loss)?.slice(0, 80)}`);
  const opt = tc.optimizer_config as SerializedObject | undefined;
  const map = opt && typeof opt.class_name === 'string' ? FROM_TFJS[normalizeName(opt.class_name)] : undefined;
  if (!opt || !map) throw new ModelFileError(`trainingConfig: unsupported optimizer_config ${JSON.stringify(opt)?.slice(0, 80)}`);
  const config: Config = {};
  for (const [k, v] of Object.entries(opt.config ?? {})) {
    const key = map.keys[normalizeName(k)] ?? toSnakeCase(k);
    if (key && v !== null && v !== undefined) config[key] = v;
  }
  if (normalizeName(opt.class_name) === 'momentum') config.momentum ??= 0;
  // Names read from a file are checked when compile looks them up (an unknown one is an UnknownNameError).
  const metrics = Array.isArray(tc.metrics) ? (tc.metrics as NonNullable<CompileArgs['metrics']>) : [];
  return { optimizer: { class_name: map.cls, config } as CompileArgs['optimizer'], loss: tc.loss as CompileArgs['loss'], metrics };
}
