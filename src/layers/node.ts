import type { KerasTensor } from './keras_tensor.js';
import type { Layer } from './layer.js';

/**
 * One call of a layer on symbolic tensors (Keras's Node): which tensors went in and which came
 * out. A layer applied twice (a shared layer) has two nodes; a model's graph is the nodes between
 * its inputs and its outputs.
 */
export class Node {
  constructor(
    readonly layer: Layer,
    readonly inputs: readonly KerasTensor[],
    readonly outputs: readonly KerasTensor[],
    /** Whether the layer was called on a list (a merge) rather than on one tensor. */
    readonly listInput: boolean,
  ) {}

  /** This node's position in its layer's `inboundNodes`. */
  get index(): number {
    return this.layer.inboundNodes.indexOf(this);
  }
}
