import { NotImplementedError, ValueError } from '../../errors.js';
import type { Layer } from '../../layers/layer.js';
import { serializeLoss } from '../../losses/index.js';
import { Loss } from '../../losses/index.js';
import { Metric } from '../../metrics/index.js';
import type { Model } from '../../models/model.js';
import { Sequential } from '../../models/sequential.js';
import { serializeOptimizer } from '../../optimizers/index.js';
import type { Config, SerializedObject } from '../../serialization/registry.js';
import { deserialize, getRegisteredClass, serialize } from '../../serialization/registry.js';
import type { CompileArgs } from '../../training/compile.js';
import { checkDepth, checkFunctionalLimits, checkSequentialLimits } from './limits.js';
import { Functional } from '../../models/functional.js';

/**
 * Keras model configs ⇄ kiln models. Reading accepts what Keras 2.0–2.15 and 3.x wrote (the layer
 * list directly under `config` in 2.0-era files, `batch_input_shape` on the first layer, `batch_shape`
 * InputLayers, DTypePolicy dtype objects, extra keys); writing produces Keras 3's schema.
 */

/** The Keras version whose file layout kiln writes (recorded in metadata.json and h5 attributes). */
export const KERAS_VERSION = '3.9.2';

/** Rebuilds a model from a Keras model config (parsed JSON). Classes must be registered; no code runs. */
export function modelFromConfig(spec: unknown): Model {
  if (!spec || typeof spec !== 'object' || typeof (spec as SerializedObject).class_name !== 'string') {
    throw new ValueError(`the model config must be {class_name, config}, found ${JSON.stringify(spec)?.slice(0, 120)}`);
  }
  checkDepth(spec);
  const s = spec as SerializedObject;
  if (s.class_name === 'Functional' || s.class_name === 'Model') {
    // Keras 2 wrote plain functional models as class 'Model'; both are the same graph config.
    const config: Config = { ...(s.config ?? {}) };
    if (!Array.isArray(config.layers)) throw new ValueError(`the ${s.class_name} config has no 'layers' list`);
    checkFunctionalLimits(config);
    return Functional.fromConfig(config);
  }
  if (s.class_name !== 'Sequential' && !getRegisteredClass(s.registered_name ?? s.class_name, 'keras.models')) {
    return deserialize(s, 'model config', 'keras.models');
  }
  // Keras 2.0-era files put the layer list directly under `config`.
  const config: Config = Array.isArray(s.config) ? { name: 'sequential', layers: s.config } : { ...(s.config ?? {}) };
  if (!Array.isArray(config.layers)) throw new ValueError(`the Sequential config has no 'layers' list`);
  checkSequentialLimits(config, (s as { build_config?: { input_shape?: unknown } }).build_config?.input_shape);
  const model = deserialize<Model>({ ...s, config }, 'model config', 'keras.models');
  if (!(model instanceof Sequential)) throw new ValueError(`the model config's class '${s.class_name}' is not a model`);
  return model;
}

function layerClassName(layer: Layer): string {
  return (layer.constructor as typeof Layer).className;
}

/** Refuses layers whose class is not registered: Keras (and kiln) could not load the file. */
export function assertSaveable(model: Model): void {
  for (const layer of model.layers) {
    const cls = layer.constructor as unknown as { className: string };
    if (getRegisteredClass(cls.className) !== (cls as unknown)) {
      throw new ValueError(
        `layer '${layer.name}' (class '${cls.className}') cannot be saved: its class is not registered. ` +
          `Call kiln.registerClass(${cls.className}) so files with it can be written and loaded`,
      );
    }
  }
}

/**
 * The model's Keras 3 config (what `config.json` holds): a Sequential whose first layer is an
 * InputLayer, each layer with its `build_config`, and a `compile_config` when compiled.
 */
export function kerasModelConfig(model: Model): SerializedObject {
  if (model instanceof Functional) return functionalModelConfig(model);
  if (!(model instanceof Sequential)) throw new NotImplementedError(`saving '${model.name}': only Sequential and functional models can be saved`);
  assertSaveable(model);
  return sequentialConfig(model);
}

/** A Sequential in Keras 3's form (its InputLayer first, build configs), also when nested in a functional model. */
function sequentialConfig(model: Sequential): SerializedObject {
  const spec = serialize(model);
  const config = { ...spec.config };
  const layers = [...(config.layers as SerializedObject[])].map((l) => ({ ...l, config: { ...l.config } }));
  if (layers[0]?.class_name !== 'InputLayer') {
    const batchShape = model.builtInputShape ?? model.batchInputShape;
    if (batchShape) {
      const first = layers[0];
      if (first) delete first.config.batch_input_shape;
      const taken = new Set(model.layers.map((l) => l.name));
      let name = 'input_layer';
      for (let i = 1; taken.has(name); i++) name = `input_layer_${i}`;
      layers.unshift({
        module: 'keras.layers',
        class_name: 'InputLayer',
        config: { batch_shape: [...batchShape], dtype: 'float32', sparse: false, name },
        registered_name: null,
      });
    }
  }
  // Keras 3 writes each built layer's input shape beside its config (not for the InputLayer).
  const inner = model.layers;
  let k = 0;
  for (const l of layers) {
    if (l.class_name === 'InputLayer') continue;
    const layer = inner[k++];
    if (layer?.builtInputShape) (l as SerializedObject & { build_config?: Config }).build_config = { input_shape: [...layer.builtInputShape] };
  }
  config.layers = layers;
  const out: SerializedObject & { build_config?: Config; compile_config?: Config } = {
    module: 'keras',
    class_name: spec.class_name,
    config,
    registered_name: spec.registered_name ?? null,
  };
  if (model.builtInputShape) out.build_config = { input_shape: [...model.builtInputShape] };
  const compileConfig = kerasCompileConfig(model);
  if (compileConfig) out.compile_config = compileConfig;
  return out;
}

/** Keras 3's top-level Functional entry: the graph config, an unknown build shape, and the compile config. */
function functionalModelConfig(model: Functional): SerializedObject {
  assertSaveable(model);
  const config = model.getConfig();
  // Nested models are written in the same Keras 3 form as top-level ones (a Sequential's InputLayer first).
  const live = model.layers;
  config.layers = (config.layers as SerializedObject[]).map((spec, i) => {
    const layer = live[i];
    if (layer instanceof Sequential) {
      const { compile_config: _c, ...nested } = sequentialConfig(layer) as SerializedObject & { compile_config?: unknown };
      return { ...spec, ...nested, module: 'keras', registered_name: null };
    }
    if (layer instanceof Functional) {
      const { compile_config: _c, ...nested } = functionalModelConfig(layer) as SerializedObject & { compile_config?: unknown };
      return { ...spec, config: nested.config };
    }
    return spec;
  });
  const out: SerializedObject & { build_config?: Config; compile_config?: Config } = {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config,
    registered_name: 'Functional',
    build_config: { input_shape: null },
  };
  const compileConfig = kerasCompileConfig(model);
  if (compileConfig) out.compile_config = compileConfig;
  return out;
}

/** A per-output structure (a value, a list, or a record by output name) with each entry serialized. */
function serializeStructure(given: unknown, what: 'loss' | 'metric'): unknown {
  if (given === null || given === undefined) return null;
  if (Array.isArray(given)) return given.map((g) => (Array.isArray(g) ? g.map((m) => serializeSpec(m, what)) : serializeSpec(g, what)));
  if (typeof given === 'object' && !(given instanceof Loss) && !(given instanceof Metric) && !(given as SerializedObject).class_name) {
    return Object.fromEntries(Object.entries(given).map(([k, v]) => [k, Array.isArray(v) ? v.map((m) => serializeSpec(m, what)) : serializeSpec(v, what)]));
  }
  return serializeSpec(given, what);
}

/** Keras 3's `compile_config`, or null for an uncompiled model. */
export function kerasCompileConfig(model: Model): Config | null {
  const compiled = model.compiled;
  if (!compiled) return null;
  const several = compiled.outputs.length > 1;
  const metrics = several ? serializeStructure(compiled.given.metrics, 'metric') : compiled.metricSpecs.map((m) => serializeSpec(m, 'metric'));
  const empty = metrics === null || (Array.isArray(metrics) && metrics.length === 0);
  return {
    optimizer: serializeOptimizer(compiled.optimizer),
    loss: several ? serializeStructure(compiled.given.loss, 'loss') : serializeSpec(compiled.lossSpec, 'loss'),
    loss_weights: compiled.given.lossWeights ?? null,
    metrics: empty ? null : metrics,
    weighted_metrics: null,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
}

function serializeSpec(spec: unknown, what: 'loss' | 'metric'): unknown {
  if (typeof spec === 'string') return spec;
  if (spec instanceof Loss) return serializeLoss(spec);
  if (spec instanceof Metric) return serialize(spec);
  if (spec && typeof spec === 'object' && typeof (spec as SerializedObject).class_name === 'string') return spec;
  throw new ValueError(
    `the compiled ${what} cannot be saved: a ${what} given as a plain function has no config. Use a built-in name or a registered ${what} class`,
  );
}

/** The legacy-h5 `model_config`: Keras 3's config without `module`/`registered_name`/`build_config` wrappers (as legacy saving writes). */
export function legacyModelConfig(model: Model): Config {
  const spec = kerasModelConfig(model);
  const strip = (o: SerializedObject): Config => {
    const out: Config = { class_name: o.class_name, config: o.config };
    if (o.registered_name && o.registered_name !== o.class_name) out.registered_name = o.registered_name;
    return out;
  };
  // Functional layers keep their name and inbound_nodes beside the class and config.
  const layers = (spec.config.layers as (SerializedObject & { name?: unknown; inbound_nodes?: unknown })[]).map((l) =>
    l.inbound_nodes !== undefined ? { ...strip(l), name: l.name, inbound_nodes: l.inbound_nodes } : strip(l));
  return { class_name: spec.class_name, config: { ...spec.config, layers } };
}

/** Legacy-h5 `training_config`: the compile config with the optimizer as `optimizer_config`. */
export function legacyTrainingConfig(model: Model): Config | null {
  const c = kerasCompileConfig(model);
  if (!c) return null;
  const { optimizer, ...rest } = c;
  const opt = optimizer as SerializedObject;
  return { ...rest, optimizer_config: { class_name: opt.class_name, config: opt.config } };
}

/** Compile arguments from a Keras `compile_config` or legacy `training_config`. */
export function compileArgsFromConfig(config: Config): CompileArgs {
  const optimizer = (config.optimizer ?? config.optimizer_config) as CompileArgs['optimizer'];
  const loss = config.loss;
  if (loss === null || loss === undefined) throw new ValueError(`the training config has no loss`);
  let metrics = (config.metrics ?? []) as unknown;
  // Keras 2 nested the metrics of a single output in a list: [['accuracy']].
  if (Array.isArray(metrics) && metrics.length === 1 && Array.isArray(metrics[0]) && !(Array.isArray(loss) && loss.length > 1)) metrics = metrics[0];
  const args: CompileArgs = { optimizer: optimizer ?? 'rmsprop', loss: loss as CompileArgs['loss'], metrics: metrics as CompileArgs['metrics'] };
  const weights = config.loss_weights;
  if (weights !== null && weights !== undefined) args.lossWeights = weights as CompileArgs['lossWeights'];
  return args;
}

export { layerClassName };
