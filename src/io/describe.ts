import { readFileSync } from 'node:fs';
import type { SymbolicShape } from '../layers/layer.js';
import type { Config, SerializedObject } from '../serialization/registry.js';
import { inFile } from './errors.js';
import type { H5Reader } from './h5/h5file.js';
import { H5Reader as Reader } from './h5/h5file.js';
import { toSnakeCase } from '../utils/naming.js';
import { modelFromConfig } from './keras/config.js';
import { readKerasArchive, withArchiveWeights } from './keras/keras_zip.js';
import { detectFormat } from './load.js';
import { describeTfjs } from './tfjs/describe.js';

/** One layer of a described model file. */
export interface DescribedLayer {
  name: string;
  className: string;
  /** Known when kiln can build the model (its classes are registered). */
  outputShape?: SymbolicShape;
  /** Parameters stored for this layer in the file. */
  params: number;
}

/** What `describeModelFile` reports. */
export interface ModelFileDescription {
  format: 'keras' | 'h5' | 'tfjs';
  kerasVersion: string | null;
  backend: string | null;
  layers: DescribedLayer[];
  /** All stored layer parameters. */
  params: number;
  hasOptimizerState: boolean;
  /** The file has a training config (loss, optimizer): `loadModel` returns it compiled. */
  compiled: boolean;
}

/**
 * Describes a model file without keeping the model: format, the Keras version that wrote it,
 * layers with their stored parameter counts, and whether it carries training state.
 *
 * ```ts
 * const d = await kiln.describeModelFile('model.keras');
 * console.log(d.format, d.kerasVersion, d.params, d.hasOptimizerState);
 * ```
 */
export async function describeModelFile(path: string): Promise<ModelFileDescription> {
  return inFile(path, async () => {
    const format = detectFormat(path);
    if (format === 'tfjs') return describeTfjs(path);
    return format === 'keras' ? describeKeras(path) : describeLegacy(path);
  });
}

function configLayers(config: unknown): SerializedObject[] {
  const c = (config as { config?: unknown })?.config;
  const layers = Array.isArray(c) ? c : (c as Config | undefined)?.layers;
  return (Array.isArray(layers) ? layers : []).filter((l) => (l as SerializedObject)?.class_name !== 'InputLayer') as SerializedObject[];
}

/** Output shapes when the model can be built; otherwise none (describing never needs the classes). */
function outputShapes(config: unknown): (SymbolicShape | undefined)[] {
  try {
    const model = modelFromConfig(config);
    let shape = model.builtInputShape;
    return model.layers.map((l) => (shape = shape ? l.outputShapeFor(shape) : null) ?? undefined);
  } catch {
    return [];
  }
}

function size(r: H5Reader, path: string): number {
  return r.shape(path).reduce((a, b) => a * b, 1);
}

/**
 * Elements of every dataset below a layer's group: its own `vars` and its sublayers' (an LSTM keeps
 * its weights in `cell/vars`, a Bidirectional in `forward_layer/cell/vars`…).
 */
function sizeUnder(r: H5Reader, group: string): number {
  if (!r.isGroup(group)) return 0;
  return r.keys(group).reduce((n, k) => n + (r.isGroup(`${group}/${k}`) ? sizeUnder(r, `${group}/${k}`) : size(r, `${group}/${k}`)), 0);
}

async function describeKeras(path: string): Promise<ModelFileDescription> {
  const archive = readKerasArchive(path, new Uint8Array(readFileSync(path)));
  const specs = configLayers(archive.config);
  const shapes = outputShapes(archive.config);
  const used = new Map<string, number>();
  const groups = specs.map((s) => {
    const base = toSnakeCase(s.class_name);
    const n = used.get(base);
    used.set(base, n === undefined ? 0 : n + 1);
    return `layers/${n === undefined ? base : `${base}_${n + 1}`}`;
  });
  let counts = specs.map(() => 0);
  let hasOptimizerState = false;
  if (archive.weights) {
    [counts, hasOptimizerState] = await withArchiveWeights(path, archive.weights, (r) => [
      groups.map((g) => sizeUnder(r, g)),
      r.keys('optimizer/vars').length > 0,
    ]);
  }
  const layers = specs.map((s, i) => layer(s, shapes[i], counts[i]!));
  return {
    format: 'keras',
    kerasVersion: typeof archive.metadata?.keras_version === 'string' ? archive.metadata.keras_version : null,
    backend: null,
    layers,
    params: counts.reduce((a, b) => a + b, 0),
    hasOptimizerState,
    // An uncompiled model's archive may carry `compile_config: {}` (Keras 3.16 writes one).
    compiled: Object.keys((archive.config as { compile_config?: object }).compile_config ?? {}).length > 0,
  };
}

async function describeLegacy(path: string): Promise<ModelFileDescription> {
  const r = await Reader.open(path);
  try {
    const configText = r.stringAttr('', 'model_config');
    const config = configText ? JSON.parse(configText) : null;
    const root = r.isGroup('model_weights') ? 'model_weights' : '';
    const prefix = root ? `${root}/` : '';
    const specs = config ? configLayers(config) : r.stringListAttr(root, 'layer_names').map((n) => ({ class_name: '', config: { name: n } }) as SerializedObject);
    const shapes = config ? outputShapes(config) : [];
    const counts = specs.map((s) => {
      const name = String(s.config?.name ?? '');
      return r.stringListAttr(`${prefix}${name}`, 'weight_names').reduce((n, w) => n + size(r, `${prefix}${name}/${w}`), 0);
    });
    return {
      format: 'h5',
      kerasVersion: r.stringAttr('', 'keras_version') ?? r.stringAttr(root, 'keras_version') ?? null,
      backend: r.stringAttr('', 'backend') ?? r.stringAttr(root, 'backend') ?? null,
      layers: specs.map((s, i) => layer(s, shapes[i], counts[i]!)),
      params: counts.reduce((a, b) => a + b, 0),
      hasOptimizerState: r.stringListAttr('optimizer_weights', 'weight_names').length > 0,
      compiled: r.attr('', 'training_config') !== undefined,
    };
  } finally {
    r.close();
  }
}

function layer(spec: SerializedObject, outputShape: SymbolicShape | undefined, params: number): DescribedLayer {
  const out: DescribedLayer = { name: String(spec.config?.name ?? ''), className: spec.class_name, params };
  if (outputShape) out.outputShape = outputShape;
  return out;
}
