import type { SymbolicShape } from '../../layers/layer.js';
import type { SerializedObject } from '../../serialization/registry.js';
import { modelFromConfig } from '../keras/config.js';
import { readTfjsJson } from './load.js';
import { kerasConfigFromTopology } from './topology.js';

/** One described layer (the shape of `DescribedLayer` in ../describe.ts). */
interface Layer {
  name: string;
  className: string;
  outputShape?: SymbolicShape;
  params: number;
}

/**
 * Describes a TensorFlow.js `model.json` from the JSON alone (shards are not read): layers, the
 * parameters the manifest lists for each (`layer/weight` names), optimizer state (`group:
 * 'optimizer'`) and whether a trainingConfig is present.
 *
 * ```ts
 * const d = await kiln.describeModelFile('web/model.json'); // d.format === 'tfjs'
 * ```
 */
export function describeTfjs(path: string) {
  const json = readTfjsJson(path);
  const config = kerasConfigFromTopology(json.modelTopology) as { config?: unknown; keras_version?: unknown; backend?: unknown };
  const c = config.config;
  const list = (Array.isArray(c) ? c : ((c as { layers?: unknown })?.layers ?? [])) as SerializedObject[];
  const specs = list.filter((l) => l?.class_name !== 'InputLayer');
  let shapes: (SymbolicShape | undefined)[] = [];
  try {
    const model = modelFromConfig(config);
    let shape = model.builtInputShape;
    shapes = model.layers.map((l) => (shape = shape ? l.outputShapeFor(shape) : null) ?? undefined);
  } catch {
    // Unknown classes: describe without shapes.
  }
  const weights = (Array.isArray(json.weightsManifest) ? json.weightsManifest : []).flatMap(
    (g: { weights?: { name?: unknown; shape?: unknown; group?: unknown }[] }) => (Array.isArray(g?.weights) ? g.weights : []),
  );
  const size = (s: unknown) => (Array.isArray(s) ? s.reduce((a: number, b) => a * Number(b), 1) : 0);
  const layers: Layer[] = specs.map((s, i) => {
    const name = String(s.config?.name ?? '');
    const params = weights.filter((w) => w.group !== 'optimizer' && String(w.name).startsWith(`${name}/`)).reduce((n, w) => n + size(w.shape), 0);
    const out: Layer = { name, className: s.class_name, params };
    if (shapes[i]) out.outputShape = shapes[i];
    return out;
  });
  return {
    format: 'tfjs' as const,
    kerasVersion: typeof config.keras_version === 'string' ? config.keras_version : null,
    backend: typeof config.backend === 'string' ? config.backend : null,
    layers,
    params: layers.reduce((n, l) => n + l.params, 0),
    hasOptimizerState: weights.some((w) => w.group === 'optimizer'),
    compiled: Boolean(json.trainingConfig),
  };
}
