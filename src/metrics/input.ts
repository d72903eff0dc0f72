import { formatShape } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { ShapeError, ValueError } from '../errors.js';
import type { TensorLike } from '../ops/creation.js';

/**
 * What metric updates accept: a Tensor, a number, nested arrays or a typed array. Plain JS numbers
 * are rounded to float32 on the way in, because Keras converts every metric input to the metric
 * dtype (float32) first; comparisons such as `y_pred > 0.3` then agree with Keras bit for bit.
 */
export type MetricInput = TensorLike;

/** A read-only flat view of an input: row-major values plus the shape. */
export interface View {
  data: ArrayLike<number>;
  shape: number[];
}

/** Reads a metric input into a flat view (no copy for tensors; arrays are converted). */
export function toView(x: MetricInput, what: string, where: string): View {
  // A no-copy view: metric updates only read it, within the call.
  if (x instanceof Tensor) return { data: x.peekSync(), shape: [...x.shape] };
  if (typeof x === 'number') return { data: Float32Array.of(x), shape: [] };
  if (x instanceof Float32Array || x instanceof Int32Array) return { data: x, shape: [x.length] };
  if (ArrayBuffer.isView(x)) return { data: Float32Array.from(x as unknown as ArrayLike<number>), shape: [(x as unknown as ArrayLike<number>).length] };
  if (!Array.isArray(x)) throw new ValueError(`${where}: ${what} must be a Tensor, a number or (nested) arrays of numbers, found ${x === null ? 'null' : typeof x}`);
  const shape: number[] = [];
  let probe: unknown = x;
  while (Array.isArray(probe) || ArrayBuffer.isView(probe)) {
    const len = (probe as ArrayLike<unknown>).length;
    shape.push(len);
    if (len === 0) break;
    probe = (probe as ArrayLike<unknown>)[0];
  }
  let size = 1;
  for (const d of shape) size *= d;
  const data = new Float32Array(size);
  let k = 0;
  const walk = (v: unknown, dim: number): void => {
    if (dim === shape.length) {
      if (typeof v !== 'number' && typeof v !== 'boolean') throw new ValueError(`${where}: ${what} must contain numbers, found ${v === null ? 'null' : typeof v}`);
      data[k++] = Number(v);
      return;
    }
    const arr = v as ArrayLike<unknown>;
    if (!(Array.isArray(v) || ArrayBuffer.isView(v)) || arr.length !== shape[dim]) {
      throw new ShapeError(`${where}: ${what} is not rectangular: expected length ${shape[dim]} at depth ${dim}`);
    }
    for (let i = 0; i < arr.length; i++) walk(arr[i], dim + 1);
  };
  walk(x, 0);
  return { data, shape };
}

export function sizeOfShape(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The ShapeError every metric throws for incompatible inputs: names the metric and both shapes. */
export function shapeMismatch(metric: string, aName: string, a: readonly number[], bName: string, b: readonly number[], expected: string): ShapeError {
  return new ShapeError(`metric '${metric}': ${expected}; found ${aName} ${formatShape(a)} and ${bName} ${formatShape(b)}`);
}

/**
 * Keras's `squeeze_or_expand_to_same_rank` on shapes only (the row-major data does not move when a
 * trailing dimension of size 1 is added or dropped): when the ranks differ by one and the longer
 * shape ends in 1, squeeze it, or with `expandRank1` expand a rank-1 partner instead.
 */
export function squeezeOrExpand(s1: number[], s2: number[], expandRank1 = true): [number[], number[]] {
  if (s1.length === s2.length + 1 && s1[s1.length - 1] === 1) {
    if (s2.length === 1 && expandRank1) return [s1, [...s2, 1]];
    return [s1.slice(0, -1), s2];
  }
  if (s2.length === s1.length + 1 && s2[s2.length - 1] === 1) {
    if (s1.length === 1 && expandRank1) return [[...s1, 1], s2];
    return [s1, s2.slice(0, -1)];
  }
  return [s1, s2];
}

/**
 * Maps each element of `target` (row-major) to the element of `source` that NumPy broadcasting
 * puts there; null when `source` does not broadcast to `target`. The common cases (same shape, a
 * single value, per-row weights) need no table, so weighted updates stay allocation-free.
 */
export function broadcaster(source: readonly number[], target: readonly number[]): ((k: number) => number) | null {
  if (source.length > target.length) return null;
  const off = target.length - source.length;
  for (let i = 0; i < source.length; i++) if (source[i] !== 1 && source[i] !== target[off + i]) return null;
  const srcSize = sizeOfShape(source);
  const size = sizeOfShape(target);
  if (srcSize === size) return (k) => k;
  if (srcSize === 1) return () => 0;
  // source = target[:r] followed by ones: one source value per block of `inner` target values.
  let r = source.length;
  while (r > 0 && source[r - 1] === 1) r--;
  if (off === 0 && source.slice(0, r).every((d, i) => d === target[i])) {
    const inner = sizeOfShape(target.slice(r));
    return (k) => Math.floor(k / inner);
  }
  const table = new Int32Array(size);
  const strides = new Array<number>(target.length).fill(0);
  let s = 1;
  for (let i = source.length - 1; i >= 0; i--) {
    strides[off + i] = source[i] === 1 ? 0 : s;
    s *= source[i]!;
  }
  const idx = new Array<number>(target.length).fill(0);
  let src = 0;
  for (let k = 0; k < size; k++) {
    table[k] = src;
    for (let d = target.length - 1; d >= 0; d--) {
      idx[d]!++;
      src += strides[d]!;
      if (idx[d]! < target[d]!) break;
      src -= strides[d]! * target[d]!;
      idx[d] = 0;
    }
  }
  return (k) => table[k]!;
}

/** Index of the largest value in `data[offset .. offset+n)`; the first one on ties, like argmax. */
export function argmaxRow(data: ArrayLike<number>, offset: number, n: number): number {
  let best = 0;
  let bestV = data[offset]!;
  for (let j = 1; j < n; j++) {
    const v = data[offset + j]!;
    // NaN wins and stays, as NumPy/TF argmax treat NaN as the maximum.
    if (v > bestV || (v !== v && bestV === bestV)) {
      best = j;
      bestV = v;
    }
  }
  return best;
}

/** Checks a sparse label: an integer in [0, numClasses). */
export function checkLabel(metric: string, label: number, numClasses: number, index: number): number {
  if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
    throw new ValueError(`metric '${metric}': sparse labels must be integers in [0, ${numClasses}), found ${label} at position ${index}`);
  }
  return label;
}

/** A growable float64 scratch buffer, so per-batch updates do not allocate once warmed up. */
export class Scratch {
  private buf = new Float64Array(0);
  get(n: number): Float64Array {
    if (this.buf.length < n) this.buf = new Float64Array(Math.max(n, this.buf.length * 2));
    return this.buf;
  }
}
