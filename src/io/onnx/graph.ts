import { AttributeType, DataType } from './proto.js';

/** An attribute value: numbers are written as FLOAT unless listed in `ints`, arrays as INTS/FLOATS. */
export type AttrValue = number | string | readonly number[];

/** A plain-object NodeProto / TensorProto / AttributeProto, ready for `Type.fromObject`. */
export type ProtoObject = Record<string, unknown>;

/**
 * Collects the nodes and initializers of one ONNX graph while layers are lowered, handing out
 * unique value names. Integer attributes are spelled out (`{ axis: int(1) }`) because ONNX types
 * every attribute and a JS number cannot say whether it is an int or a float.
 *
 * ```ts
 * const g = new GraphBuilder();
 * const w = g.initializer('dense/kernel', [4, 3], kernelValues);
 * const y = g.node('MatMul', ['input', w], 'dense');
 * ```
 */
export class GraphBuilder {
  readonly nodes: ProtoObject[] = [];
  readonly initializers: ProtoObject[] = [];
  private readonly used = new Set<string>();

  /** `base`, or `base_1`, `base_2`… — the first name not handed out yet. */
  unique(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Reserves a name that exists outside the builder (the graph input). */
  reserve(name: string): void {
    this.used.add(name);
  }

  /** Adds a float32 initializer (raw little-endian bytes) and returns its value name. */
  initializer(name: string, dims: readonly number[], values: ArrayLike<number>): string {
    const unique = this.unique(name);
    const data = Float32Array.from(values);
    const raw = Buffer.alloc(data.length * 4);
    // Buffer.writeFloatLE fixes the byte order whatever the host's endianness.
    data.forEach((v, i) => raw.writeFloatLE(v, i * 4));
    this.initializers.push({ name: unique, dims: [...dims], data_type: DataType.FLOAT, raw_data: raw });
    return unique;
  }

  /**
   * Adds an int64 initializer (raw little-endian bytes): the shape, pad and slice inputs that
   * Reshape, Pad and Slice take as tensors since opset 13. Values must be safe integers.
   */
  int64Initializer(name: string, dims: readonly number[], values: readonly number[]): string {
    const unique = this.unique(name);
    const raw = Buffer.alloc(values.length * 8);
    values.forEach((v, i) => raw.writeBigInt64LE(BigInt(v), i * 8));
    this.initializers.push({ name: unique, dims: [...dims], data_type: DataType.INT64, raw_data: raw });
    return unique;
  }

  /** A float32 scalar constant (rank 0), e.g. the exponent of `Pow` or the bounds of `Clip`. */
  scalar(name: string, value: number): string {
    return this.initializer(name, [], [value]);
  }

  /**
   * Appends a node with one output, named after `name`, and returns that output's value name.
   * `attrs` become float attributes unless wrapped by `int()` / `ints()`.
   */
  node(opType: string, inputs: readonly string[], name: string, attrs: Record<string, AttrValue | IntAttr> = {}): string {
    const output = this.unique(name);
    const attribute = Object.entries(attrs).map(([key, value]) => attributeProto(key, value));
    this.nodes.push({ op_type: opType, input: [...inputs], output: [output], name: output, attribute });
    return output;
  }

  /** Copies value `from` into `to`, a name reserved beforehand (the graph output). */
  identity(from: string, to: string): void {
    this.nodes.push({ op_type: 'Identity', input: [from], output: [to], name: to, attribute: [] });
  }

  /** Renames the value `from` (the output of the last node) to `to`; false when no node made it. */
  renameLastOutput(from: string, to: string): boolean {
    const last = this.nodes[this.nodes.length - 1];
    const outputs = last?.output as string[] | undefined;
    if (!outputs || outputs[0] !== from) return false;
    outputs[0] = to;
    return true;
  }
}

/** An integer attribute, or a list of them (ONNX INT / INTS). */
export interface IntAttr {
  readonly int: number | readonly number[];
}

/** Marks an attribute as INT: `g.node('Flatten', [x], 'flatten', { axis: int(1) })`. */
export function int(value: number | readonly number[]): IntAttr {
  return { int: value };
}

function attributeProto(name: string, value: AttrValue | IntAttr): ProtoObject {
  if (typeof value === 'object' && 'int' in value) {
    const v = value.int;
    return typeof v === 'number' ? { name, type: AttributeType.INT, i: v } : { name, type: AttributeType.INTS, ints: [...v] };
  }
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: Buffer.from(value, 'utf8') };
  if (typeof value === 'number') return { name, type: AttributeType.FLOAT, f: value };
  return { name, type: AttributeType.FLOATS, floats: [...value] };
}
