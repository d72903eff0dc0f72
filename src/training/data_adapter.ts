import type { DType } from '../core/dtype.js';
import * as P from '../core/primitives.js';
import { formatShape } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { InvalidDataError, ShapeError, ValueError } from '../errors.js';
import { fromValues, tensor } from '../ops/creation.js';
import type { TensorLike } from '../ops/creation.js';

/** What fit/evaluate/predict accept as data: tensors, nested arrays, or typed arrays with a shape given by the tensor. */
export type DataLike = Tensor | TensorLike;

/**
 * Turns user data into a tensor, checking it is numeric, rectangular and finite. `argName` ('x', 'y',
 * 'sampleWeight', 'validationData[0]'…) goes into every error so the user knows which argument is wrong.
 */
export function toTensor(data: DataLike, argName: string, dtype?: DType): Tensor {
  let t: Tensor;
  try {
    t = data instanceof Tensor ? data : tensor(data as TensorLike, undefined, dtype);
  } catch (e) {
    if (e instanceof Error) e.message = `${argName}: ${e.message}`;
    throw e;
  }
  if (t.rank === 0) throw new ShapeError(`${argName}: expected an array of samples (rank >= 1), found a scalar`);
  assertFinite(t, argName);
  return t;
}

/** Rejects NaN and ±Infinity with the position of the first bad element. */
export function assertFinite(t: Tensor, argName: string): void {
  if (t.dtype === 'int32') return;
  const v = t.peekSync();
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i]!)) {
      const row = t.rank > 1 ? Math.floor(i / (t.size / t.shape[0]!)) : i;
      throw new InvalidDataError(`${argName}: found ${v[i]} at sample ${row} (flat index ${i}); inputs must be finite numbers`);
    }
  }
}

export function assertSameLength(x: Tensor, y: Tensor, xName: string, yName: string): void {
  if (x.shape[0] !== y.shape[0]) {
    throw new ValueError(
      `${xName} and ${yName} must have the same number of samples: ${xName} has ${x.shape[0]} (shape ${formatShape(x.shape)}), ${yName} has ${y.shape[0]} (shape ${formatShape(y.shape)})`,
    );
  }
}

/** Rows `indices` of `t` (a batch), or a contiguous slice when `indices` is null. */
export function takeRows(t: Tensor, start: number, end: number, order: Int32Array | null): Tensor {
  if (!order) return P.slice(t, [start], [end - start]);
  // The order is a permutation kiln drew, so its indices are in range by construction.
  return P.gather(t, fromValues(order.subarray(start, end), [end - start], 'int32'), 0, false);
}

/** Keras's validation_split: the last `fraction` of the samples, taken before any shuffling. */
export function splitForValidation(
  arrays: (Tensor | null)[],
  fraction: number,
): { train: (Tensor | null)[]; val: (Tensor | null)[] } {
  if (!(fraction > 0 && fraction < 1)) throw new ValueError(`validationSplit must be in (0, 1), found ${fraction}`);
  const n = arrays[0]!.shape[0]!;
  const splitAt = Math.floor(n * (1 - fraction));
  if (splitAt === 0 || splitAt === n) {
    throw new ValueError(`validationSplit ${fraction} leaves no ${splitAt === 0 ? 'training' : 'validation'} samples out of ${n}`);
  }
  const cut = (t: Tensor | null, a: number, b: number) => (t ? P.slice(t, [a], [b - a]) : null);
  return { train: arrays.map((t) => cut(t, 0, splitAt)), val: arrays.map((t) => cut(t, splitAt, n)) };
}

export function numBatches(n: number, batchSize: number): number {
  return Math.ceil(n / batchSize);
}

export function checkBatchSize(batchSize: unknown, where: string): number {
  if (batchSize === undefined || batchSize === null) return 32;
  if (!Number.isInteger(batchSize) || (batchSize as number) <= 0) {
    throw new ValueError(`${where}: batchSize must be a positive integer, found ${JSON.stringify(batchSize)}`);
  }
  return batchSize as number;
}
