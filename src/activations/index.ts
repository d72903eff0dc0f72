import type { Tensor } from '../core/tensor.js';
import * as ops from '../ops/index.js';
import { NameTable } from '../serialization/names.js';

/** An activation: a named elementwise (or last-axis) function of a tensor. */
export interface Activation {
  /** The Keras name written to configs ('relu', 'softmax', …). */
  readonly name: string;
  readonly fn: (x: Tensor) => Tensor;
}

// SKELETON: helper completes the full list.
const table = new NameTable<Activation>('activation');
const def = (names: string[], fn: (x: Tensor) => Tensor) => table.add(names, { name: names[0]!, fn });
def(['linear', 'identity'], (x) => x);
def(['relu'], (x) => ops.relu(x));
def(['sigmoid'], (x) => ops.sigmoid(x));
def(['softmax'], (x) => ops.softmax(x));
def(['tanh'], (x) => ops.tanh(x));

/**
 * Resolves an activation by Keras or tfjs name, or wraps a function.
 *
 * ```ts
 * kiln.activations.get('relu').fn(kiln.tensor([-1, 2])); // [0, 2]
 * ```
 */
export function getActivation(identifier: string | Activation | ((x: Tensor) => Tensor) | null | undefined): Activation {
  if (identifier === null || identifier === undefined) return table.get('linear');
  if (typeof identifier === 'string') return table.get(identifier, 'activation');
  if (typeof identifier === 'function') return { name: identifier.name || 'custom', fn: identifier };
  return identifier;
}

export function activationNames(): string[] {
  return table.names();
}

/** The config form of an activation: its Keras name. */
export function serializeActivation(a: Activation): string {
  return a.name;
}
