import type { DType, TypedArray } from '../core/dtype.js';
import { allocArray, checkDType } from '../core/dtype.js';
import { cast, fill as fillPrimitive, reshape, upload } from '../core/primitives.js';
import { randomStream } from '../core/random.js';
import type { Shape } from '../core/shape.js';
import { checkShape, formatShape, sizeOf } from '../core/shape.js';
import { Tensor, Variable } from '../core/tensor.js';
import type { NestedArray } from '../core/tensor.js';
import { ShapeError, ValueError } from '../errors.js';

/** Anything `kiln.tensor` accepts: a number, nested arrays of numbers, a typed array, or a Tensor. */
export type TensorLike = number | NestedArray | readonly number[] | TypedArray | Tensor | readonly TensorLike[];

/** Flattens nested arrays, checking they are rectangular; returns the values and the inferred shape. */
function flatten(data: unknown, where: string): { values: number[]; shape: number[] } {
  const shape: number[] = [];
  let probe: unknown = data;
  while (Array.isArray(probe) || ArrayBuffer.isView(probe)) {
    const len = (probe as ArrayLike<unknown>).length;
    shape.push(len);
    if (len === 0) break;
    probe = (probe as ArrayLike<unknown>)[0];
  }
  const values: number[] = [];
  const walk = (x: unknown, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (typeof x === 'boolean') values.push(x ? 1 : 0);
      else if (typeof x === 'number') values.push(x);
      else throw new ValueError(`${where}: expected a number at ${path || 'top level'}, found ${x === null ? 'null' : typeof x}`);
      return;
    }
    if (!(Array.isArray(x) || ArrayBuffer.isView(x)) || (x as ArrayLike<unknown>).length !== shape[dim]) {
      throw new ShapeError(
        `${where}: nested arrays are not rectangular: expected length ${shape[dim]} at ${path || 'top level'}, found ${
          Array.isArray(x) || ArrayBuffer.isView(x) ? (x as ArrayLike<unknown>).length : typeof x
        }`,
      );
    }
    const arr = x as ArrayLike<unknown>;
    if (ArrayBuffer.isView(arr) && dim === shape.length - 1) {
      for (let i = 0; i < arr.length; i++) values.push(arr[i] as number);
      return;
    }
    for (let i = 0; i < arr.length; i++) walk(arr[i], dim + 1, `${path}[${i}]`);
  };
  walk(data, 0, '');
  return { values, shape };
}

/**
 * Makes a tensor from nested arrays, a typed array, or a number. The shape is inferred, or given
 * (then the data may be flat). The dtype defaults to int32 for an Int32Array, else float32.
 *
 * ```ts
 * kiln.tensor([[1, 2], [3, 4]]);                 // float32 [2, 2]
 * kiln.tensor([1, 2, 3, 4], [2, 2], 'int32');    // int32 [2, 2]
 * kiln.tensor(new Float32Array(6), [2, 3]);
 * ```
 */
export function tensor(data: TensorLike, shape?: readonly number[], dtype?: DType): Tensor {
  if (data instanceof Tensor) {
    const t = dtype && dtype !== data.dtype ? cast(data, dtype) : data;
    return shape ? reshape(t, shape) : t;
  }
  const dt = dtype === undefined ? (data instanceof Int32Array ? 'int32' : 'float32') : checkDType(dtype, 'tensor');
  let values: ArrayLike<number>;
  let inferred: number[];
  if (typeof data === 'number') {
    values = [data];
    inferred = [];
  } else if (ArrayBuffer.isView(data)) {
    values = data as TypedArray;
    inferred = [(data as TypedArray).length];
  } else {
    const flat = flatten(data, 'tensor');
    values = flat.values;
    inferred = flat.shape;
  }
  const finalShape = shape ? checkShape([...shape], 'tensor') : inferred;
  if (sizeOf(finalShape) !== values.length) {
    throw new ShapeError(`tensor: shape ${formatShape(finalShape)} needs ${sizeOf(finalShape)} values, found ${values.length}`);
  }
  const arr = allocArray(dt, values.length);
  for (let i = 0; i < values.length; i++) arr[i] = values[i]!;
  return fromValues(arr, finalShape, dt);
}

/** Wraps a typed array the caller no longer needs (the backend copies it). */
export function fromValues(values: TypedArray, shape: Shape, dtype: DType = values instanceof Int32Array ? 'int32' : 'float32'): Tensor {
  return upload(values, [...shape], dtype);
}

export function scalar(value: number, dtype: DType = 'float32'): Tensor {
  return fill([], value, dtype);
}

/** A tensor of `shape` with every element `value`. */
export function fill(shape: readonly number[], value: number, dtype: DType = 'float32'): Tensor {
  checkShape([...shape], 'fill');
  return fillPrimitive([...shape], value, dtype);
}

export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fill(shape, 0, dtype);
}

export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fill(shape, 1, dtype);
}

export function zerosLike(x: Tensor): Tensor {
  return fill(x.shape, 0, x.dtype);
}

export function onesLike(x: Tensor): Tensor {
  return fill(x.shape, 1, x.dtype);
}

/** Evenly spaced values in [start, stop). */
export function range(start: number, stop: number, step = 1, dtype: DType = 'float32'): Tensor {
  if (step === 0) throw new ValueError('range: step must not be 0');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const arr = allocArray(dtype, n);
  for (let i = 0; i < n; i++) arr[i] = start + i * step;
  return fromValues(arr, [n], dtype);
}

function randomTensor(shape: readonly number[], dtype: DType, draw: () => number, where: string): Tensor {
  checkShape([...shape], where);
  const arr = allocArray(dtype, sizeOf(shape));
  for (let i = 0; i < arr.length; i++) arr[i] = draw();
  return fromValues(arr, shape, dtype);
}

/**
 * Uniform random values in [minval, maxval), from the seeded `ops` stream.
 *
 * ```ts
 * kiln.setSeed(1);
 * const x = kiln.randomUniform([100, 784]);
 * ```
 */
export function randomUniform(shape: readonly number[], minval = 0, maxval = 1, dtype: DType = 'float32'): Tensor {
  const r = randomStream('ops');
  return randomTensor(shape, dtype, () => minval + (maxval - minval) * r.uniform(), 'randomUniform');
}

/** Normal random values with the given mean and standard deviation. */
export function randomNormal(shape: readonly number[], mean = 0, stddev = 1, dtype: DType = 'float32'): Tensor {
  const r = randomStream('ops');
  return randomTensor(shape, dtype, () => mean + stddev * r.normal(), 'randomNormal');
}

/**
 * Random integers in [minval, maxval) as int32 — labels for classification examples.
 *
 * ```ts
 * const y = kiln.randomInt([100, 1], 0, 10);
 * ```
 */
export function randomInt(shape: readonly number[], minval: number, maxval: number): Tensor {
  if (!Number.isInteger(minval) || !Number.isInteger(maxval) || maxval <= minval) {
    throw new ValueError(`randomInt: expected integers minval < maxval, found ${minval} and ${maxval}`);
  }
  const r = randomStream('ops');
  return randomTensor(shape, 'int32', () => r.int(minval, maxval), 'randomInt');
}

/**
 * A trainable variable holding a copy of `initial`.
 *
 * ```ts
 * const w = kiln.variable(kiln.randomNormal([3, 2]), { name: 'w' });
 * ```
 */
export function variable(initial: TensorLike, options: { name?: string; trainable?: boolean; dtype?: DType } = {}): Variable {
  const t = tensor(initial, undefined, options.dtype);
  const copy = upload(t.dataSync(), t.shape, t.dtype);
  return new Variable(copy, options.name ?? 'variable', options.trainable ?? true);
}
