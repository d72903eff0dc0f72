import { DTypeError } from '../errors.js';

/** The element types a tensor can hold. float32 for values, int32 for indices and labels. */
export type DType = 'float32' | 'int32';

export type TypedArray = Float32Array | Int32Array;

export function isDType(x: unknown): x is DType {
  return x === 'float32' || x === 'int32';
}

export function checkDType(x: unknown, where: string): DType {
  if (!isDType(x)) throw new DTypeError(`${where}: expected dtype 'float32' or 'int32', found ${JSON.stringify(x)}`);
  return x;
}

export function allocArray(dtype: DType, size: number): TypedArray {
  return dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
}

/** The dtype of an elementwise result: int32 only when every input is int32. */
export function upcast(a: DType, b: DType): DType {
  return a === 'int32' && b === 'int32' ? 'int32' : 'float32';
}
