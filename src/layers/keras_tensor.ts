import type { DType } from '../core/dtype.js';
import { formatShape } from '../core/shape.js';
import type { Layer } from './layer.js';

/** Where a symbolic tensor came from: output `tensorIndex` of call `nodeIndex` of `layer` (Keras's `_keras_history`). */
export interface KerasHistory {
  layer: Layer;
  nodeIndex: number;
  tensorIndex: number;
}

let nextId = 0;

/**
 * A symbolic tensor: a shape, a dtype and the layer call that makes it, but no values. `kiln.input`
 * makes one; a layer applied to one returns another, recording the call as a node, and
 * `kiln.model({ inputs, outputs })` reads the graph those nodes form (Keras 3's KerasTensor).
 *
 * ```ts
 * const inp = kiln.input({ shape: [4] });
 * const hidden = kiln.layers.dense({ units: 8 }).apply(inp);
 * hidden.shape; // [null, 8]
 * ```
 */
export class KerasTensor {
  /** Unique per tensor: the graph engine keys its values by it. */
  readonly id = nextId++;
  readonly shape: (number | null)[];
  readonly dtype: DType;
  readonly history: KerasHistory;

  constructor(shape: readonly (number | null)[], dtype: DType, history: KerasHistory) {
    this.shape = [...shape];
    this.dtype = dtype;
    this.history = history;
  }

  /** How errors name it: its layer's name, with `_<index>` for a layer's later outputs (an RNN's states). */
  get name(): string {
    const { layer, tensorIndex } = this.history;
    return tensorIndex === 0 ? layer.name : `${layer.name}_${tensorIndex}`;
  }

  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `<KerasTensor shape=${formatShape(this.shape)}, dtype=${this.dtype}, name=${this.name}>`;
  }
}

/** True for a KerasTensor, or a non-empty list (or record) holding only KerasTensors. */
export function isSymbolic(x: unknown): x is KerasTensor | KerasTensor[] {
  if (x instanceof KerasTensor) return true;
  return Array.isArray(x) && x.length > 0 && x.every((e) => e instanceof KerasTensor);
}
