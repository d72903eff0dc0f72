import type { Tensor } from '../../core/tensor.js';
import { NotImplementedError } from '../../errors.js';
import type { Layer, SymbolicShape } from '../../layers/layer.js';
import type { Activation as ActivationFn } from '../../activations/index.js';
import { activationLowering } from './activations.js';
import type { GraphBuilder } from './graph.js';

/**
 * Helpers every per-layer lowering shares. They live apart from the lowering tables so that
 * layers.ts and conv_layers.ts can both use them without importing each other.
 */

/** Lowers one built layer applied to value `x` of symbolic shape `shape`; returns the output value. */
export type LayerLowering<L extends Layer> = (layer: L, g: GraphBuilder, x: string, shape: SymbolicShape) => string;

/** A weight's values as float32, ready for `GraphBuilder.initializer`. */
export const values = (t: Tensor | null): Float32Array => Float32Array.from(t!.dataSync() as ArrayLike<number>);

/** Appends `activation` after `x`; names the layer and the activation when ONNX cannot express it. */
export function applyActivation(layer: Layer, a: ActivationFn, g: GraphBuilder, x: string): string {
  const lower = activationLowering(a);
  if (lower === undefined) {
    throw new NotImplementedError(
      `exportOnnx: layer '${layer.name}' uses activation '${a.name}', which has no ONNX lowering (custom activations cannot be exported)`,
    );
  }
  return lower ? lower(g, x, `${layer.name}/${a.name}`) : x;
}

/** Moves axis `from` to position `to` in a permutation of `rank` axes. */
export function moveAxis(rank: number, from: number, to: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i).filter((i) => i !== from);
  perm.splice(to, 0, from);
  return perm;
}

/** The inverse of a permutation. */
export const invert = (perm: number[]): number[] => perm.map((_, i) => perm.indexOf(i));

/** The class name a user knows a layer by (Keras's, where the class registers one). */
export const className = (layer: Layer): string => (layer.constructor as { className?: string }).className ?? layer.constructor.name;
