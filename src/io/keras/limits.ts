import { Variable } from '../../core/tensor.js';
import { ValueError } from '../../errors.js';
import type { Layer, SymbolicShape } from '../../layers/layer.js';
import { zeros } from '../../ops/creation.js';
import type { Config, SerializedObject } from '../../serialization/registry.js';
import { deserialize } from '../../serialization/registry.js';
import { functionalFromConfig } from '../../models/functional_config.js';

/**
 * Limits that keep a hostile model config from exhausting the process: building a model allocates
 * (and randomly initialises) every weight, so a config claiming `units: 1e9` would cost minutes and
 * gigabytes — and wasm memory ends at 4 GiB — before any weight is compared with the file. These
 * checks run on the parsed config before anything is allocated.
 */
export const MODEL_LIMITS = {
  /** Layers in one model (Keras models with thousands of layers exist; a million is an attack). */
  layers: 100_000,
  /** JSON nesting depth (Keras configs nest ~10 deep; deep nesting is for stack exhaustion). */
  depth: 256,
  /** Parameters in one model: 2^28 float32 values is 1 GiB, a quarter of wasm's address space. */
  params: 2 ** 28,
};

/** The limits a caller may tighten, e.g. to what the file's size could possibly hold. */
export type ModelLimits = typeof MODEL_LIMITS;

/** Throws a ValueError when `spec` nests deeper than the limit (checked without recursion). */
export function checkDepth(spec: unknown, limit = MODEL_LIMITS.depth): void {
  const stack: [unknown, number][] = [[spec, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > limit) throw new ValueError(`the model config nests deeper than ${limit} levels; refusing a hostile or damaged config`);
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
  }
}

/**
 * Checks a Sequential config against `limits` before the model is built: the layer count, and the
 * parameter count found by a dry build — each layer is constructed and built with `addWeight`
 * replaced, on that instance only, by a counter that allocates nothing. When the dry build cannot
 * run (an unknown class, a bad shape) it stops silently: the real build reports that error.
 */
export function checkSequentialLimits(config: Config, buildShape: unknown, limits: ModelLimits = MODEL_LIMITS): void {
  const specs = config.layers as unknown[];
  if (specs.length > limits.layers) {
    throw new ValueError(`the model config lists ${specs.length} layers (limit ${limits.layers}); refusing a hostile or damaged config`);
  }
  let layers: Layer[];
  try {
    layers = specs.map((s) => deserialize<Layer>(s as SerializedObject, 'model config', 'keras.layers'));
  } catch {
    return;
  }
  let shape: SymbolicShape | null = layers[0]?.batchInputShape ?? null;
  if (!shape && Array.isArray(config.build_input_shape)) shape = config.build_input_shape as SymbolicShape;
  if (!shape && Array.isArray(buildShape)) shape = buildShape as SymbolicShape;
  if (!shape) return;
  let params = 0;
  const placeholder = zeros([]);
  for (const layer of layers) {
    if ((layer.constructor as typeof Layer).className === 'InputLayer') continue;
    (layer as { addWeight: Layer['addWeight'] }).addWeight = (name, weightShape) => {
      const size = weightShape.reduce((a, b) => a * b, 1);
      params += size;
      if (!Number.isFinite(params) || params > limits.params || size < 0) {
        throw new LimitError(
          `layer '${layer.name}' would create weight '${name}' of shape [${weightShape.join(', ')}], ` +
            `bringing the model to ${params} parameters (limit ${limits.params}); refusing a hostile or damaged config`,
        );
      }
      return new Variable(placeholder, `${layer.name}/${name}`);
    };
    try {
      layer.ensureBuilt(shape);
      shape = layer.outputShapeFor(shape);
    } catch (e) {
      if (e instanceof LimitError) throw new ValueError(e.message);
      return;
    }
  }
}

/** Internal: tells a limit breach apart from other dry-build failures. */
class LimitError extends Error {}

/**
 * Checks a Functional config against `limits` before the model is built: the layer count, and the
 * parameter count found by a dry replay of the graph with every layer's `addWeight` replaced by a
 * counter that allocates nothing (as for Sequential). A replay that fails stops silently: the
 * real build reports that error.
 */
export function checkFunctionalLimits(config: Config, limits: ModelLimits = MODEL_LIMITS): void {
  const specs = config.layers as unknown[];
  if (specs.length > limits.layers) {
    throw new ValueError(`the model config lists ${specs.length} layers (limit ${limits.layers}); refusing a hostile or damaged config`);
  }
  let params = 0;
  const placeholder = zeros([]);
  const count = (layer: Layer) => {
    (layer as unknown as { addWeight: (name: string, shape: readonly number[]) => Variable }).addWeight = (name, weightShape) => {
      params += weightShape.reduce((a, b) => a * b, 1);
      if (params > limits.params) {
        throw new LimitError(
          `layer '${layer.name}' would create weight '${name}' of shape [${weightShape.join(', ')}], ` +
            `bringing the model to ${params} parameters (limit ${limits.params}); refusing a hostile or damaged config`,
        );
      }
      return new Variable(placeholder, `${layer.name}/${name}`);
    };
  };
  try {
    functionalFromConfig(config, () => null, count);
  } catch (e) {
    if (e instanceof LimitError) throw new ValueError(e.message);
  }
}
