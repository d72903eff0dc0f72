import protobuf from 'protobufjs';

/**
 * The subset of the ONNX protobuf schema kiln writes, built with protobufjs's reflection API.
 * Field numbers follow onnx/onnx.in.proto (proto2) exactly; fields kiln never writes (sparse
 * tensors, training info, subgraph attributes…) are left out, and a decoder skips them as unknown.
 *
 * ```ts
 * const bytes = onnxTypes.ModelProto.encode(onnxTypes.ModelProto.fromObject(model)).finish();
 * const back = onnxTypes.ModelProto.toObject(onnxTypes.ModelProto.decode(bytes), { longs: Number });
 * ```
 */
export interface OnnxTypes {
  readonly ModelProto: protobuf.Type;
  readonly GraphProto: protobuf.Type;
  readonly NodeProto: protobuf.Type;
  readonly TensorProto: protobuf.Type;
  readonly AttributeProto: protobuf.Type;
  readonly ValueInfoProto: protobuf.Type;
}

/** `TensorProto.DataType` values kiln uses. */
export const DataType = { FLOAT: 1, INT64: 7 } as const;

/** `AttributeProto.AttributeType` values kiln uses. */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 } as const;

type FieldSpec = [name: string, id: number, type: string, rule?: 'repeated', packed?: 'packed'];

/**
 * A message type from `[name, field number, type, rule, packed]` rows. The root is proto2, so
 * repeated scalars are unpacked unless marked, as onnx.in.proto marks TensorProto's *_data fields.
 */
function message(name: string, fields: FieldSpec[]): protobuf.Type {
  const t = new protobuf.Type(name);
  for (const [field, id, type, rule, packed] of fields) {
    t.add(new protobuf.Field(field, id, type, rule ?? 'optional', undefined, packed ? { packed: true } : undefined));
  }
  return t;
}

function build(): OnnxTypes {
  const root = new protobuf.Root();
  const ns = root.define('onnx');

  ns.add(message('StringStringEntryProto', [['key', 1, 'string'], ['value', 2, 'string']]));
  ns.add(message('OperatorSetIdProto', [['domain', 1, 'string'], ['version', 2, 'int64']]));

  ns.add(
    message('TensorProto', [
      ['dims', 1, 'int64', 'repeated'],
      ['data_type', 2, 'int32'],
      ['float_data', 4, 'float', 'repeated', 'packed'],
      ['int32_data', 5, 'int32', 'repeated', 'packed'],
      ['int64_data', 7, 'int64', 'repeated', 'packed'],
      ['name', 8, 'string'],
      ['raw_data', 9, 'bytes'],
      ['doc_string', 12, 'string'],
    ]),
  );

  // TensorShapeProto.Dimension: `oneof value { int64 dim_value = 1; string dim_param = 2; }`.
  const dimension = message('Dimension', [['dim_value', 1, 'int64'], ['dim_param', 2, 'string'], ['denotation', 3, 'string']]);
  dimension.add(new protobuf.OneOf('value', ['dim_value', 'dim_param']));
  const shape = message('TensorShapeProto', [['dim', 1, 'Dimension', 'repeated']]);
  shape.add(dimension);
  ns.add(shape);

  // TypeProto.Tensor and `oneof value { Tensor tensor_type = 1; … }` (only tensors are written).
  const tensorType = message('Tensor', [['elem_type', 1, 'int32'], ['shape', 2, 'TensorShapeProto']]);
  const typeProto = message('TypeProto', [['tensor_type', 1, 'Tensor'], ['denotation', 6, 'string']]);
  typeProto.add(tensorType);
  typeProto.add(new protobuf.OneOf('value', ['tensor_type']));
  ns.add(typeProto);

  ns.add(message('ValueInfoProto', [['name', 1, 'string'], ['type', 2, 'TypeProto'], ['doc_string', 3, 'string']]));

  ns.add(
    message('AttributeProto', [
      ['name', 1, 'string'],
      ['f', 2, 'float'],
      ['i', 3, 'int64'],
      ['s', 4, 'bytes'],
      ['t', 5, 'TensorProto'],
      ['floats', 7, 'float', 'repeated'],
      ['ints', 8, 'int64', 'repeated'],
      ['doc_string', 13, 'string'],
      ['type', 20, 'int32'],
    ]),
  );

  ns.add(
    message('NodeProto', [
      ['input', 1, 'string', 'repeated'],
      ['output', 2, 'string', 'repeated'],
      ['name', 3, 'string'],
      ['op_type', 4, 'string'],
      ['attribute', 5, 'AttributeProto', 'repeated'],
      ['doc_string', 6, 'string'],
      ['domain', 7, 'string'],
    ]),
  );

  ns.add(
    message('GraphProto', [
      ['node', 1, 'NodeProto', 'repeated'],
      ['name', 2, 'string'],
      ['initializer', 5, 'TensorProto', 'repeated'],
      ['doc_string', 10, 'string'],
      ['input', 11, 'ValueInfoProto', 'repeated'],
      ['output', 12, 'ValueInfoProto', 'repeated'],
      ['value_info', 13, 'ValueInfoProto', 'repeated'],
    ]),
  );

  ns.add(
    message('ModelProto', [
      ['ir_version', 1, 'int64'],
      ['producer_name', 2, 'string'],
      ['producer_version', 3, 'string'],
      ['domain', 4, 'string'],
      ['model_version', 5, 'int64'],
      ['doc_string', 6, 'string'],
      ['graph', 7, 'GraphProto'],
      ['opset_import', 8, 'OperatorSetIdProto', 'repeated'],
      ['metadata_props', 14, 'StringStringEntryProto', 'repeated'],
    ]),
  );

  root.resolveAll();
  const get = (n: string) => root.lookupType(`onnx.${n}`);
  return {
    ModelProto: get('ModelProto'),
    GraphProto: get('GraphProto'),
    NodeProto: get('NodeProto'),
    TensorProto: get('TensorProto'),
    AttributeProto: get('AttributeProto'),
    ValueInfoProto: get('ValueInfoProto'),
  };
}

let cached: OnnxTypes | null = null;

/** The ONNX message types (built once, on first use). */
export function onnxTypes(): OnnxTypes {
  cached ??= build();
  return cached;
}
