import type { Tensor } from '../core/tensor.js';
import { ValueError } from '../errors.js';
import type { KerasTensor } from '../layers/keras_tensor.js';
import type { CallOptions, Layer } from '../layers/layer.js';
import type { Node } from '../layers/node.js';

/** An input layer (by class name: models must not import the layers' registry). */
export function isInputLayer(layer: Layer): boolean {
  return (layer.constructor as typeof Layer).className === 'InputLayer';
}

/**
 * The graph engine every model runs on: the layer calls (nodes) between a model's symbolic
 * inputs and outputs, in an order where each node comes after the nodes that feed it. Functional
 * models are one such graph; a Sequential model builds one layer by layer (as Keras 3 does), so
 * both share this one forward path.
 */
export class Graph {
  readonly inputs: readonly KerasTensor[];
  readonly outputs: readonly KerasTensor[];
  /** The calls to run, in order (input layers make no call and are left out). */
  readonly nodes: readonly Node[];
  /** Every layer of the graph, input layers included, in the order its first node runs. */
  readonly layers: readonly Layer[];

  /** `owner` names the model in errors. */
  constructor(inputs: readonly KerasTensor[], outputs: readonly KerasTensor[], owner: string) {
    this.inputs = [...inputs];
    this.outputs = [...outputs];
    const given = new Set(inputs.map((t) => t.id));
    const inputNames = inputs.map((t) => `'${t.name}'`).join(', ');
    const order: Node[] = [];
    const state = new Map<Node, 'visiting' | 'done'>();
    const used = new Set<number>();
    // Keras's traversal index of each layer (first visit, before its inputs), for ordering `layers`.
    const traversal = new Map<Layer, number>();
    const seenAt = (layer: Layer) => {
      if (!traversal.has(layer)) traversal.set(layer, traversal.size);
    };
    // Depth-first from each output, in order; a node is placed once everything it reads is placed.
    const visit = (t: KerasTensor, forOutput: KerasTensor): void => {
      if (given.has(t.id)) {
        used.add(t.id);
        if (isInputLayer(t.history.layer)) seenAt(t.history.layer);
        return;
      }
      const node = t.history.layer.inboundNodes[t.history.nodeIndex];
      if (!node) throw new ValueError(`model '${owner}': tensor '${t.name}' has no recorded layer call; was it made by kiln.input or a layer's apply?`);
      if (isInputLayer(node.layer)) {
        throw new ValueError(
          `model '${owner}': graph disconnected: output '${forOutput.name}' needs input '${t.name}', which is not among the model's inputs [${inputNames}]; add it to inputs`,
        );
      }
      const s = state.get(node);
      if (s === 'done') return;
      if (s === 'visiting') throw new ValueError(`model '${owner}': the graph has a cycle through layer '${node.layer.name}'`);
      seenAt(node.layer);
      state.set(node, 'visiting');
      for (const inp of node.inputs) visit(inp, forOutput);
      state.set(node, 'done');
      order.push(node);
    };
    for (const out of outputs) visit(out, out);
    for (const inp of inputs) {
      if (!used.has(inp.id)) {
        throw new ValueError(`model '${owner}': input '${inp.name}' is not connected to any output; remove it from inputs or use it`);
      }
    }
    this.nodes = order;
    this.layers = kerasLayerOrder(order, inputs, traversal);
  }

  /** The nodes of this graph, for summaries ("Connected to" lists only these). */
  has(node: Node): boolean {
    return this.nodes.includes(node);
  }

  /**
   * Runs the graph on one tensor per input; returns one tensor per output. `options.tap` sees
   * each layer's output as it is made.
   */
  run(values: readonly Tensor[], options: CallOptions): Tensor[] {
    const known = new Map<number, Tensor>();
    // Masks travel along the edges (Keras's `_keras_mask`): each layer gets the mask of the tensor
    // it reads and says, by computeMask, what mask its output carries (Embedding with maskZero and
    // Masking start one, layers with supportsMasking pass it on, recurrent layers consume it).
    // Only tensors that carry a mask have an entry.
    const masks = new Map<number, Tensor>();
    // Runs every step: one options object serves every unmasked call.
    const plain: Partial<CallOptions> = options.tap ? { training: options.training, tap: options.tap } : { training: options.training };
    this.inputs.forEach((t, i) => {
      const v = values[i]!;
      // The input layer's own call casts to its declared dtype (int32 token ids stay int32).
      known.set(t.id, isInputLayer(t.history.layer) ? (t.history.layer.apply(v, { training: options.training }) as Tensor) : v);
      // A mask given to the model applies to its (single) input, as Keras's `model(x, mask=…)`.
      if (this.inputs.length === 1 && options.mask) masks.set(t.id, options.mask);
    });
    for (const node of this.nodes) {
      const first = known.get(node.inputs[0]!.id)!;
      const input = node.listInput ? node.inputs.map((t) => known.get(t.id)!) : first;
      // Merges take no mask here (Keras ANDs them; no merge in kiln consumes one yet).
      const mask = node.listInput ? null : masks.get(node.inputs[0]!.id) ?? null;
      const out = node.layer.apply(input, mask ? { ...plain, mask } : plain) as Tensor | Tensor[];
      if (Array.isArray(out)) node.outputs.forEach((t, i) => known.set(t.id, out[i]!));
      else known.set(node.outputs[0]!.id, out);
      const outMask = node.listInput ? null : node.layer.computeMask(first, mask);
      if (outMask) masks.set(node.outputs[0]!.id, outMask);
      if (options.tap && !Array.isArray(out)) options.tap(node.layer, out);
    }
    return this.outputs.map((t) => known.get(t.id)!);
  }
}

/**
 * `model.layers` in Keras 3's order (ops/function.py `map_graph`), which its `.keras` weight paths
 * follow: by depth from the outputs (deepest first; a layer's depth is the largest of its calls'),
 * ties broken by the traversal index. Depth of a call: 0 if nothing in the graph reads it, else one
 * more than the deepest call that reads it.
 */
function kerasLayerOrder(order: readonly Node[], inputs: readonly KerasTensor[], traversal: Map<Layer, number>): Layer[] {
  const inGraph = new Set(order);
  const nodeDepth = new Map<Node, number>();
  const layerDepth = new Map<Layer, number>();
  const inputIds = new Set(inputs.map((t) => t.id));
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    const depth = Math.max(nodeDepth.get(node) ?? 0, layerDepth.get(node.layer) ?? 0);
    layerDepth.set(node.layer, depth);
    nodeDepth.set(node, depth);
    for (const t of node.inputs) {
      const producer = t.history.layer;
      if (inputIds.has(t.id)) {
        // An input layer's single call sits one below its deepest reader.
        if (isInputLayer(producer)) layerDepth.set(producer, Math.max(depth + 1, layerDepth.get(producer) ?? 0));
        continue;
      }
      const parent = producer.inboundNodes[t.history.nodeIndex]!;
      if (inGraph.has(parent)) nodeDepth.set(parent, Math.max(depth + 1, nodeDepth.get(parent) ?? 0));
    }
  }
  for (const t of inputs) if (isInputLayer(t.history.layer) && !layerDepth.has(t.history.layer)) layerDepth.set(t.history.layer, 0);
  return [...layerDepth.keys()].sort((a, b) => layerDepth.get(b)! - layerDepth.get(a)! || (traversal.get(a) ?? -1) - (traversal.get(b) ?? -1));
}
