import { ValueError } from '../errors.js';
import type { KerasTensor } from '../layers/keras_tensor.js';
import type { Layer } from '../layers/layer.js';
import { InputLayer } from '../layers/input_layer.js';
import type { Node } from '../layers/node.js';
import type { Config, SerializedObject } from '../serialization/registry.js';
import { deserialize, serialize } from '../serialization/registry.js';
import type { FunctionalArgs, StructureKind } from './functional.js';
import type { Graph } from './graph.js';

/** What the config writer needs of a functional model. */
interface GraphModel {
  name: string;
  trainable: boolean;
  graph: Graph;
  inputStructure: StructureKind;
  readonly outputStructure: StructureKind;
}

/** A layer's calls that belong to this graph (a layer may also be called in other models). */
function graphNodes(layer: Layer, graph: Graph): Node[] {
  if (layer instanceof InputLayer) return layer.inboundNodes.slice(0, 1);
  return layer.inboundNodes.filter((n) => graph.has(n));
}

/**
 * Keras 3's Functional config: every layer with its `inbound_nodes` (each call's arguments as
 * `__keras_tensor__` references `[layer, node, tensor]`, node indices counted within this model),
 * then `input_layers` / `output_layers` in the structure the model was built with.
 */
export function functionalConfig(model: GraphModel): Config {
  const { graph } = model;
  const ref = (t: KerasTensor): [string, number, number] => {
    const producer = t.history.layer;
    const node = producer.inboundNodes[t.history.nodeIndex]!;
    return [producer.name, graphNodes(producer, graph).indexOf(node), t.history.tensorIndex];
  };
  const tensorSpec = (t: KerasTensor) => ({ class_name: '__keras_tensor__', config: { shape: [...t.shape], dtype: t.dtype, keras_history: ref(t) } });
  const layers = graph.layers.map((layer) => {
    const spec = serialize(layer) as SerializedObject & Record<string, unknown>;
    const nodes = layer instanceof InputLayer ? [] : graphNodes(layer, graph);
    // Keras 3 writes each built layer's input shape(s) beside its config.
    const first = nodes[0];
    const build = first ? { build_config: { input_shape: first.listInput ? first.inputs.map((t) => [...t.shape]) : [...first.inputs[0]!.shape] } } : {};
    return {
      ...spec,
      ...build,
      name: layer.name,
      inbound_nodes: nodes.map((n) => ({ args: [n.listInput ? n.inputs.map(tensorSpec) : tensorSpec(n.inputs[0]!)], kwargs: {} })),
    };
  });
  const structured = (tensors: readonly KerasTensor[], s: StructureKind): unknown => {
    const refs = tensors.map(ref);
    if (s.kind === 'single') return refs[0];
    if (s.kind === 'list') return refs;
    return Object.fromEntries(s.keys.map((k, i) => [k, refs[i]]));
  };
  return {
    name: model.name,
    trainable: model.trainable,
    layers,
    input_layers: structured(graph.inputs, model.inputStructure),
    output_layers: structured(graph.outputs, model.outputStructure),
  };
}

type Ref = [string, number, number];

/** A tensor reference in either config form: Keras 3's `__keras_tensor__`, or Keras 2's `[name, node, tensor, kwargs]`. */
function readRef(x: unknown, where: string): Ref {
  if (Array.isArray(x) && typeof x[0] === 'string' && Number.isInteger(x[1]) && Number.isInteger(x[2])) return [x[0], x[1], x[2]];
  const o = x as { class_name?: unknown; config?: { keras_history?: unknown } } | null;
  if (o && o.class_name === '__keras_tensor__' && Array.isArray(o.config?.keras_history)) return readRef(o.config!.keras_history, where);
  throw new ValueError(`${where}: expected a tensor reference ([layer, node, tensor] or __keras_tensor__), found ${JSON.stringify(x)?.slice(0, 120)}`);
}

/** The input tensors of one inbound node, and whether the layer was called on a list. */
function readNode(node: unknown, where: string): { refs: Ref[]; list: boolean } {
  // Keras 2 / legacy h5: a node is a list of [name, node, tensor, kwargs] entries.
  if (Array.isArray(node)) {
    const refs = node.map((e) => readRef(e, where));
    return { refs, list: refs.length > 1 };
  }
  const args = (node as { args?: unknown } | null)?.args;
  if (!Array.isArray(args) || args.length === 0) throw new ValueError(`${where}: an inbound node needs 'args', found ${JSON.stringify(node)?.slice(0, 120)}`);
  const first = args[0];
  if (Array.isArray(first) && first.length > 0 && !(typeof first[0] === 'string')) return { refs: first.map((e) => readRef(e, where)), list: true };
  return { refs: [readRef(first, where)], list: false };
}

/**
 * Rebuilds a functional model from its config (Keras 3 or Keras 2 form). Layers are created in
 * order, then their calls replayed as soon as the tensors they read exist — a shared layer's
 * second call may wait for a later layer. A call that can never run (a cycle, or a reference to a
 * layer or node that does not exist) is an error naming the layer.
 */
export function functionalFromConfig<T>(config: Config, make: (args: FunctionalArgs) => T, prepareLayer?: (layer: Layer) => void): T {
  const name = typeof config.name === 'string' ? config.name : undefined;
  const where = `Functional '${name ?? 'model'}'`;
  const specs = config.layers;
  if (!Array.isArray(specs)) throw new ValueError(`${where}: 'layers' must be a list, found ${JSON.stringify(specs)?.slice(0, 80)}`);
  const byName = new Map<string, Layer>();
  const pending: { layer: Layer; nodes: unknown[]; next: number }[] = [];
  for (const raw of specs as (SerializedObject & { name?: unknown; inbound_nodes?: unknown })[]) {
    const layer = deserialize<Layer>(raw, where, 'keras.layers');
    prepareLayer?.(layer);
    const layerName = typeof raw.name === 'string' ? raw.name : layer.name;
    if (byName.has(layerName)) throw new ValueError(`${where}: two layers are named '${layerName}'`);
    byName.set(layerName, layer);
    const nodes = raw.inbound_nodes ?? [];
    if (!Array.isArray(nodes)) throw new ValueError(`${where}: layer '${layerName}': inbound_nodes must be a list`);
    pending.push({ layer, nodes, next: 0 });
  }
  // Node n of layer L in the file is the n-th call replayed on L here.
  const produced = new Map<Layer, KerasTensor[][]>();
  for (const layer of byName.values()) produced.set(layer, layer instanceof InputLayer ? [[layer.output]] : []);
  const lookup = ([layerName, nodeIndex, tensorIndex]: Ref): KerasTensor | null | undefined => {
    const layer = byName.get(layerName);
    if (!layer) return undefined;
    return produced.get(layer)![nodeIndex]?.[tensorIndex] ?? null;
  };
  let progress = true;
  while (progress) {
    progress = false;
    for (const p of pending) {
      while (p.next < p.nodes.length) {
        const { refs, list } = readNode(p.nodes[p.next], `${where}: layer '${p.layer.name}'`);
        const inputs = refs.map((r) => {
          const t = lookup(r);
          if (t === undefined) throw new ValueError(`${where}: layer '${p.layer.name}' reads from layer '${r[0]}', which is not in the model`);
          return t;
        });
        if (inputs.some((t) => t === null)) break;
        const out = p.layer.apply(list ? (inputs as KerasTensor[]) : inputs[0]!) as KerasTensor | KerasTensor[];
        produced.get(p.layer)!.push(Array.isArray(out) ? out : [out]);
        p.next++;
        progress = true;
      }
    }
  }
  const stuck = pending.find((p) => p.next < p.nodes.length);
  if (stuck) {
    const { refs } = readNode(stuck.nodes[stuck.next], where);
    throw new ValueError(
      `${where}: layer '${stuck.layer.name}' can never be called: it reads ${refs.map((r) => `${r[0]}[${r[1]}][${r[2]}]`).join(', ')}, which depend on it (a cycle) or do not exist`,
    );
  }
  const resolve = (x: unknown, what: string): KerasTensor | KerasTensor[] | Record<string, KerasTensor> => {
    const one = (r: unknown) => {
      const ref = readRef(r, `${where}: ${what}`);
      const t = lookup(ref);
      if (!t) throw new ValueError(`${where}: ${what} names ${ref[0]}[${ref[1]}][${ref[2]}], which the model does not make`);
      return t;
    };
    if (Array.isArray(x) && typeof x[0] === 'string') return one(x);
    if (Array.isArray(x)) return x.map(one);
    if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, one(v)]));
    throw new ValueError(`${where}: ${what} must be a list of [layer, node, tensor], found ${JSON.stringify(x)?.slice(0, 80)}`);
  };
  // Keras 2 writes a one-element list for a single input or output; Keras 3 reads it as one tensor.
  const unwrap = (x: KerasTensor | KerasTensor[] | Record<string, KerasTensor>) => (Array.isArray(x) && x.length === 1 ? x[0]! : x);
  const inputs = unwrap(resolve(config.input_layers, 'input_layers'));
  const outputs = unwrap(resolve(config.output_layers, 'output_layers'));
  const args: FunctionalArgs = { inputs, outputs, ...(name !== undefined ? { name } : {}) };
  if (typeof config.trainable === 'boolean') args.trainable = config.trainable;
  return make(args);
}
