import { Tensor } from '../core/tensor.js';
import { ValueError } from '../errors.js';
import type { DataLike } from './data_adapter.js';
import { assertSameLength, toTensor } from './data_adapter.js';

/**
 * Data for a model's inputs or outputs: one array for a model with one, else a list in order or
 * a record keyed by input (output) name — Keras's structures for multi-input/-output models.
 */
export type ModelData = DataLike | readonly DataLike[] | Readonly<Record<string, DataLike>>;

function isRecord(x: unknown): x is Record<string, DataLike> {
  return !!x && typeof x === 'object' && !(x instanceof Tensor) && !ArrayBuffer.isView(x) && !Array.isArray(x);
}

/** True when `x` is a list of separate arrays (one per input), not one nested array. */
function isListOf(x: unknown, n: number): x is DataLike[] {
  if (!Array.isArray(x) || x.length !== n) return false;
  // A list of tensors is always separate arrays; a list of nested arrays is too when the model has
  // several inputs (one nested array per input).
  return x.every((e) => e instanceof Tensor || ArrayBuffer.isView(e) || Array.isArray(e));
}

/**
 * One tensor per name, from `data` given as one array (one name), a list in order, or a record by
 * name; every tensor is checked (numeric, finite) and all must have the same number of samples.
 * `argName` ('x', 'y', 'validationData[0]') and the name or index go into every error.
 */
export function flattenData(data: ModelData, names: readonly string[], argName: string, what: 'inputs' | 'outputs'): Tensor[] {
  let parts: { value: DataLike; label: string }[];
  if (names.length === 1) {
    if (isRecord(data)) {
      const keys = Object.keys(data);
      if (keys.length !== 1 || keys[0] !== names[0]) {
        throw new ValueError(`${argName}: the model has one ${what.slice(0, -1)}, '${names[0]}'; the record has keys ${keys.map((k) => `'${k}'`).join(', ') || 'none'}`);
      }
      parts = [{ value: data[names[0]!]!, label: `${argName}.${names[0]}` }];
    } else if (Array.isArray(data) && data.length === 1 && data[0] instanceof Tensor) {
      parts = [{ value: data[0], label: argName }];
    } else parts = [{ value: data as DataLike, label: argName }];
  } else if (isRecord(data)) {
    const extra = Object.keys(data).filter((k) => !names.includes(k));
    if (extra.length > 0) throw new ValueError(`${argName}: no ${what.slice(0, -1)} named ${extra.map((k) => `'${k}'`).join(', ')}; the model's ${what} are ${names.map((n) => `'${n}'`).join(', ')}`);
    parts = names.map((n) => {
      if (!(n in data)) throw new ValueError(`${argName}: missing ${what.slice(0, -1)} '${n}' (the model's ${what} are ${names.map((k) => `'${k}'`).join(', ')})`);
      return { value: data[n]!, label: `${argName}.${n}` };
    });
  } else if (isListOf(data, names.length)) {
    parts = data.map((value, i) => ({ value, label: `${argName}[${i}]` }));
  } else {
    const found = Array.isArray(data) ? `a list of ${data.length}` : data instanceof Tensor ? 'one tensor' : typeof data;
    throw new ValueError(
      `${argName}: the model has ${names.length} ${what} (${names.map((n) => `'${n}'`).join(', ')}); pass a list of ${names.length} arrays or a record keyed by those names, found ${found}`,
    );
  }
  const tensors = parts.map((p) => toTensor(p.value, p.label));
  for (let i = 1; i < tensors.length; i++) assertSameLength(tensors[0]!, tensors[i]!, parts[0]!.label, parts[i]!.label);
  return tensors;
}

/** A model's result for one or several outputs, in the structure its outputs were declared in. */
export type OutputStructure = { kind: 'single' } | { kind: 'list' } | { kind: 'dict'; keys: readonly string[] };

/** One tensor, a list, or a record, as `structure` says. */
export function structureOutputs(outs: Tensor[], structure: OutputStructure): Tensor | Tensor[] | Record<string, Tensor> {
  if (structure.kind === 'dict') return Object.fromEntries(structure.keys.map((k, i) => [k, outs[i]!]));
  if (structure.kind === 'list' || outs.length > 1) return outs;
  return outs[0]!;
}
