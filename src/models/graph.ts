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
    // Depth-first from each output, in order; a node is placed once everything it reads is placed.
    // This gives Keras's layer order for the usual graphs (inputs, then each branch as it is needed).
    const visit = (t: KerasTensor, forOutput: KerasTensor): void => {
      if (given.has(t.id)) {
        used.add(t.id);
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
    const layers: Layer[] = [];
    const seen = new Set<Layer>();
    const add = (layer: Layer) => {
      if (!seen.has(layer)) {
        seen.add(layer);
        layers.push(layer);
      }
    };
    // Input layers come where Keras lists them: just before the first layer that reads them.
    const inputLayerOf = new Map(inputs.map((t) => [t.id, t.history.layer]));
    for (const node of order) {
      for (const inp of node.inputs) {
        const il = inputLayerOf.get(inp.id);
        if (il) add(il);
      }
      add(node.layer);
    }
    for (const t of inputs) add(t.history.layer);
    this.layers = layers;
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
    this.inputs.forEach((t, i) => {
      const v = values[i]!;
      // The input layer's own call casts to its declared dtype (int32 token ids stay int32).
      known.set(t.id, isInputLayer(t.history.layer) ? (t.history.layer.apply(v, options) as Tensor) : v);
    });
    const callOptions: Partial<CallOptions> = options.tap ? { training: options.training, tap: options.tap } : { training: options.training };
    for (const node of this.nodes) {
      const ins = node.inputs.map((t) => known.get(t.id)!);
      const out = node.layer.apply(node.listInput ? ins : ins[0]!, callOptions) as Tensor | Tensor[];
      const outs = Array.isArray(out) ? out : [out];
      node.outputs.forEach((t, i) => known.set(t.id, outs[i]!));
      if (options.tap && !Array.isArray(out)) options.tap(node.layer, out);
    }
    return this.outputs.map((t) => known.get(t.id)!);
  }
}
