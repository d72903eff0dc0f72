import * as P from '../core/primitives.js';
import { normalizeAxis } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { ShapeError } from '../errors.js';
import type { TensorLike } from './creation.js';
import { asTensor } from './math.js';

/**
 * Shape and data-movement operations.
 *
 * ```ts
 * kiln.reshape(x, [-1, 784]);
 * kiln.concat([a, b], 1);
 * kiln.oneHot(kiln.tensor([0, 2], undefined, 'int32'), 3);
 * ```
 */
export const reshape = (x: TensorLike, shape: readonly number[]) => P.reshape(asTensor(x), shape);
export const transpose = (x: TensorLike, perm?: readonly number[]) => P.transpose(asTensor(x), perm);
export const slice = (x: TensorLike, begin: readonly number[], size: readonly number[] = []) => P.slice(asTensor(x), begin, size);
export const pad = (x: TensorLike, paddings: readonly (readonly [number, number])[], value = 0) => P.pad(asTensor(x), paddings, value);
export const concat = (xs: readonly TensorLike[], axis = 0) => P.concat(xs.map(asTensor), axis);
export const gather = (x: TensorLike, indices: TensorLike, axis = 0) => P.gather(asTensor(x), P.cast(asTensor(indices), 'int32'), axis);
export const broadcastTo = (x: TensorLike, shape: readonly number[]) => P.broadcastTo(asTensor(x), shape);
export const oneHot = (indices: TensorLike, depth: number, onValue = 1, offValue = 0) =>
  P.oneHot(P.cast(asTensor(indices), 'int32'), depth, onValue, offValue);

export function expandDims(x: TensorLike, axis = 0): Tensor {
  const t = asTensor(x);
  const a = axis < 0 ? axis + t.rank + 1 : axis;
  const shape = [...t.shape];
  shape.splice(a, 0, 1);
  return P.reshape(t, shape);
}

/** Removes size-1 dims (all of them, or those in `axis`). */
export function squeeze(x: TensorLike, axis?: number | number[]): Tensor {
  const t = asTensor(x);
  const axes = axis === undefined ? t.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : (typeof axis === 'number' ? [axis] : axis).map((a) => normalizeAxis(a, t.rank, 'squeeze'));
  for (const a of axes) if (t.shape[a] !== 1) throw new ShapeError(`squeeze: axis ${a} has size ${t.shape[a]}, expected 1`);
  return P.reshape(t, t.shape.filter((_, i) => !axes.includes(i)));
}

export function stack(xs: readonly TensorLike[], axis = 0): Tensor {
  return P.concat(xs.map((x) => expandDims(x, axis)), axis);
}

/** Collapses all but the first dim: [n, a, b] → [n, a·b]. */
export function flatten(x: TensorLike): Tensor {
  const t = asTensor(x);
  return P.reshape(t, [t.shape[0] ?? 1, -1]);
}

/** Splits along `axis` into equal parts (a number) or the given sizes. */
export function split(x: TensorLike, sizes: number | number[], axis = 0): Tensor[] {
  const t = asTensor(x);
  const a = normalizeAxis(axis, t.rank, 'split');
  const dim = t.shape[a]!;
  const parts = typeof sizes === 'number' ? new Array<number>(sizes).fill(dim / sizes) : sizes;
  if (parts.some((p) => !Number.isInteger(p)) || parts.reduce((s, p) => s + p, 0) !== dim) {
    throw new ShapeError(`split: sizes ${JSON.stringify(sizes)} do not divide axis ${a} of length ${dim}`);
  }
  let offset = 0;
  return parts.map((p) => {
    const begin = t.shape.map((_, i) => (i === a ? offset : 0));
    const size = t.shape.map((d, i) => (i === a ? p : d));
    offset += p;
    return P.slice(t, begin, size);
  });
}

/** Repeats `x` `reps[i]` times along each dim. */
export function tile(x: TensorLike, reps: readonly number[]): Tensor {
  const t = asTensor(x);
  if (reps.length !== t.rank) throw new ShapeError(`tile: expected ${t.rank} repetitions, found ${reps.length}`);
  // Interleave size-1 axes, broadcast them to the repetition counts, then merge.
  const expanded = P.reshape(t, t.shape.flatMap((d) => [1, d]));
  const target = t.shape.flatMap((d, i) => [reps[i]!, d]);
  return P.reshape(P.broadcastTo(expanded, target), t.shape.map((d, i) => d * reps[i]!));
}
