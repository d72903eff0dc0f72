import { ValueError } from '../../errors.js';
import { getActivation } from '../../activations/index.js';
import type { Model } from '../../models/model.js';
import type { Config, SerializedObject } from '../../serialization/registry.js';
import { KERAS_VERSION, legacyModelConfig } from '../keras/config.js';

/**
 * The Keras model config ⇄ TensorFlow.js `modelTopology`. tfjs reads Keras 2-style JSON: no
 * InputLayer (the first layer carries `batch_input_shape`, tfjs issue #8328), no Keras 3
 * `module`/`registered_name` wrappers, LeakyReLU's slope as `alpha`, and only the activation names
 * tfjs registers. Everything else is the Keras config that `keras/config.ts` writes.
 */

/**
 * tfjs's (and Keras 2's) hard_sigmoid is `clip(0.2·x + 0.5, 0, 1)`; Keras 3's (kiln's
 * 'hard_sigmoid') is `clip(x/6 + 0.5, 0, 1)`. A tfjs file that says 'hard_sigmoid' means the
 * former, so loading maps it to kiln's 'hard_sigmoid_keras2' (defined with the other activations)
 * and predictions stay exactly tfjs's; saving maps it back to 'hard_sigmoid'.
 */
export const KERAS2_HARD_SIGMOID = 'hard_sigmoid_keras2';

/** kiln (Keras 3) activation name → the name tfjs registers; missing = tfjs has no such function. */
const TO_TFJS: Record<string, string> = {
  linear: 'linear', relu: 'relu', relu6: 'relu6', elu: 'elu', selu: 'selu', sigmoid: 'sigmoid',
  tanh: 'tanh', softmax: 'softmax', log_softmax: 'log_softmax', softplus: 'softplus',
  softsign: 'softsign', silu: 'swish', gelu: 'gelu', mish: 'mish', [KERAS2_HARD_SIGMOID]: 'hard_sigmoid',
};

function tfjsActivation(name: unknown, layer: string): unknown {
  if (typeof name !== 'string') return name;
  const canonical = getActivation(name).name;
  const mapped = TO_TFJS[canonical];
  if (mapped) return mapped;
  const why =
    canonical === 'hard_sigmoid'
      ? `Keras 3's hard_sigmoid (x/6 + 0.5) differs from tfjs's (0.2x + 0.5), so tfjs would predict differently`
      : `TensorFlow.js has no '${canonical}' activation`;
  throw new ValueError(`layer '${layer}' cannot be saved in the TensorFlow.js format: ${why}. tfjs knows: ${Object.values(TO_TFJS).join(', ')}`);
}

/** Drops Keras 3's `module` / `registered_name` wrappers anywhere in a config (tfjs ignores nothing it does not know). */
function stripWrappers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripWrappers);
  if (!value || typeof value !== 'object') return value;
  const out: Config = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'module' || k === 'registered_name' || k === 'build_config') continue;
    out[k] = stripWrappers(v);
  }
  return out;
}

/** One layer's config as tfjs reads it (wrapped layers — Bidirectional, TimeDistributed — too). */
function tfjsLayer(l: SerializedObject): SerializedObject {
  const config: Config = { ...l.config };
  for (const key of ['activation', 'recurrent_activation']) {
    if (key in config) config[key] = tfjsActivation(config[key], String(config.name));
  }
  if (l.class_name === 'LeakyReLU' && 'negative_slope' in config) {
    config.alpha = config.negative_slope;
    delete config.negative_slope;
  }
  if (l.class_name === 'GRU' && config.reset_after !== false) {
    throw new ValueError(
      `layer '${String(config.name)}' cannot be saved in the TensorFlow.js format: tfjs's GRU supports only reset_after: false (Keras 3's default is true)`,
    );
  }
  if (config.layer && typeof config.layer === 'object') config.layer = tfjsLayer(config.layer as SerializedObject);
  if (l.class_name === 'Bidirectional') {
    // tfjs makes both directions from `layer` and prefixes its name with forward_/backward_ itself,
    // so it gets the unprefixed name (as tfjs writes it) and no backward_layer.
    const inner = config.layer as SerializedObject;
    inner.config = { ...inner.config, name: String(inner.config.name).replace(/^forward_/, '') };
    delete config.backward_layer;
  }
  return { class_name: l.class_name, config };
}

/**
 * The `modelTopology` of `model.json`: a Keras 2-style Sequential config tfjs's loader builds.
 *
 * ```ts
 * const topology = tfjsModelTopology(model);
 * topology.config.layers[0].config.batch_input_shape; // [null, 4]
 * ```
 */
export function tfjsModelTopology(model: Model): { class_name: string; config: Config; keras_version: string; backend: string } {
  const spec = stripWrappers(legacyModelConfig(model)) as SerializedObject;
  if (spec.class_name === 'Functional') return { ...tfjsFunctionalTopology(spec), keras_version: KERAS_VERSION, backend: 'tensor_flow.js' };
  let layers = [...(spec.config.layers as SerializedObject[])];
  let batchShape: unknown = null;
  if (layers[0]?.class_name === 'InputLayer') {
    batchShape = layers[0].config.batch_shape ?? layers[0].config.batch_input_shape;
    layers = layers.slice(1);
  }
  layers = layers.map((l, i) => {
    const out = tfjsLayer(l);
    if (i === 0 && batchShape) out.config.batch_input_shape = batchShape;
    return out;
  });
  const { build_input_shape: _unused, ...rest } = spec.config;
  return { class_name: spec.class_name, config: { ...rest, layers }, keras_version: KERAS_VERSION, backend: 'tensor_flow.js' };
}

/** A layer's config as tfjs reads it: tfjs activation names, LeakyReLU's `alpha`, InputLayer's `batch_input_shape`. */
function tfjsLayerConfig(l: SerializedObject): Config {
  const config: Config = { ...l.config };
  if ('activation' in config) config.activation = tfjsActivation(config.activation, String(config.name));
  if (l.class_name === 'LeakyReLU' && 'negative_slope' in config) {
    config.alpha = config.negative_slope;
    delete config.negative_slope;
  }
  if (l.class_name === 'InputLayer' && 'batch_shape' in config) {
    config.batch_input_shape = config.batch_shape;
    delete config.batch_shape;
  }
  return config;
}

/**
 * A functional model in the Keras 2 form tfjs's loader builds: nodes as `[[layer, node, tensor,
 * {}]]`, inputs and outputs as lists of `[layer, node, tensor]`. (tfjs has no record outputs: a
 * model declared with them is written as a list in the same order.)
 */
function tfjsFunctionalTopology(spec: SerializedObject): { class_name: string; config: Config } {
  const toRef = (t: unknown): [string, number, number, Config] => {
    const h = (t as { config: { keras_history: [string, number, number] } }).config.keras_history;
    return [h[0], h[1], h[2], {}];
  };
  const layers = (spec.config.layers as (SerializedObject & { name: string; inbound_nodes: { args: unknown[] }[] })[]).map((l) => ({
    class_name: l.class_name,
    config: tfjsLayerConfig(l),
    name: l.name,
    inbound_nodes: l.inbound_nodes.map((n) => (Array.isArray(n.args[0]) ? n.args[0] : [n.args[0]]).map(toRef)),
  }));
  const refs = (x: unknown): unknown[] => {
    if (Array.isArray(x) && typeof x[0] === 'string') return [x];
    if (Array.isArray(x)) return x;
    return Object.values(x as Record<string, unknown>);
  };
  return {
    class_name: 'Functional',
    config: { name: spec.config.name, trainable: spec.config.trainable, layers, input_layers: refs(spec.config.input_layers), output_layers: refs(spec.config.output_layers) },
  };
}

/**
 * A `modelTopology` (tfjs-written or kiln-written) as the Keras config `modelFromConfig` reads:
 * unwraps `{model_config}` (converter output) and maps 'hard_sigmoid' to tfjs's formula.
 */
export function kerasConfigFromTopology(topology: unknown): unknown {
  let t = topology as Config;
  if (t && typeof t === 'object' && t.model_config) t = t.model_config as Config;
  return mapHardSigmoid(t);
}

function mapHardSigmoid(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => mapHardSigmoid(v, key));
  if (key === 'activation' && typeof value === 'string' && /^hard_?sigmoid$/i.test(value)) return KERAS2_HARD_SIGMOID;
  if (!value || typeof value !== 'object') return value;
  const out: Config = {};
  for (const [k, v] of Object.entries(value)) out[k] = mapHardSigmoid(v, k);
  return out;
}
