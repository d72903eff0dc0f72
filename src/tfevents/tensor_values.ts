import { DataType, type TensorProtoFields } from './proto.js';

/**
 * The values of a TensorProto as plain numbers or strings. A TensorProto holds them either packed
 * little-endian in `tensor_content` (what TensorFlow's C++ summary kernels write) or in the
 * `<type>_val` field matching `dtype` (what Python's `make_tensor_proto` often writes); both are read.
 */

/** `DataType` names by number, e.g. 1 → `'DT_FLOAT'`. */
const DTYPE_NAMES = new Map<number, string>(Object.entries(DataType).map(([name, n]) => [n, name]));

export function dtypeName(dtype: number | undefined): string {
  return DTYPE_NAMES.get(dtype ?? 0) ?? (dtype ? `DT_${dtype}` : 'DT_INVALID');
}

/** Dimensions of the shape; a missing shape is a scalar ([]). */
export function shapeOf(t: TensorProtoFields): number[] {
  return (t.tensor_shape?.dim ?? []).map((d) => d.size ?? 0);
}

/** Reads `tensor_content` as the element type of `dtype`; null for a type kiln does not unpack. */
function fromContent(dtype: number, bytes: Uint8Array): number[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = (size: number, get: (offset: number) => number): number[] => {
    const out: number[] = [];
    for (let o = 0; o + size <= bytes.length; o += size) out.push(get(o));
    return out;
  };
  switch (dtype) {
    case DataType.DT_FLOAT: return read(4, (o) => view.getFloat32(o, true));
    case DataType.DT_DOUBLE: return read(8, (o) => view.getFloat64(o, true));
    case DataType.DT_INT32: return read(4, (o) => view.getInt32(o, true));
    case DataType.DT_UINT32: return read(4, (o) => view.getUint32(o, true));
    case DataType.DT_INT16: return read(2, (o) => view.getInt16(o, true));
    case DataType.DT_UINT16: return read(2, (o) => view.getUint16(o, true));
    case DataType.DT_INT8: return read(1, (o) => view.getInt8(o));
    case DataType.DT_UINT8: return read(1, (o) => view.getUint8(o));
    case DataType.DT_BOOL: return read(1, (o) => (view.getUint8(o) ? 1 : 0));
    // int64 beyond 2^53 loses precision, as it does anywhere a JavaScript number holds it.
    case DataType.DT_INT64: return read(8, (o) => Number(view.getBigInt64(o, true)));
    case DataType.DT_UINT64: return read(8, (o) => Number(view.getBigUint64(o, true)));
    default: return null;
  }
}

/** The typed `<type>_val` field for `dtype` (DT_HALF's half_val holds raw bit patterns, left as they are). */
function fromVal(t: TensorProtoFields): number[] {
  const b = t.bool_val;
  return t.float_val ?? t.double_val ?? t.int_val ?? t.int64_val ?? t.uint32_val ?? t.uint64_val ?? t.half_val ?? (b ? b.map(Number) : []);
}

/**
 * The flat values (row-major) of `t`: numbers, or strings for DT_STRING (UTF-8 decoded). A single
 * `<type>_val` entry for a larger shape fills it, as TensorProto's version-0 rule says.
 */
export function tensorValues(t: TensorProtoFields): number[] | string[] {
  const count = shapeOf(t).reduce((a, b) => a * b, 1);
  const fill = <T>(vals: T[]): T[] => (vals.length === 1 && count > 1 ? new Array<T>(count).fill(vals[0]!) : vals);
  if (t.dtype === DataType.DT_STRING) {
    const decoder = new TextDecoder();
    return fill((t.string_val ?? []).map((s) => decoder.decode(s)));
  }
  if (t.tensor_content && t.tensor_content.length > 0) {
    const vals = fromContent(t.dtype ?? 0, t.tensor_content);
    if (vals) return vals;
  }
  return fill(fromVal(t));
}
