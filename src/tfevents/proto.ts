import protobuf from 'protobufjs';

/**
 * The subset of TensorBoard's protobuf schema that event files use, built with protobufjs's
 * reflection API (the style of src/io/onnx/proto.ts). Field numbers follow tensorflow/tensorboard's
 * tensorboard/compat/proto/{event,summary,histogram,tensor,tensor_shape,graph,node_def,attr_value,
 * versions}.proto exactly. Messages and fields kiln never reads or writes (images, audio, run
 * metadata, function libraries…) are left out; a decoder skips them as unknown fields.
 *
 * The interfaces below are the on-disk shapes, so they keep the .proto files' snake_case names.
 * Enums are declared as int32 (the same varint on the wire) with the values kiln uses as constants.
 *
 * ```ts
 * const bytes = eventTypes().Event.encode(eventTypes().Event.fromObject({ wall_time: 1, file_version: 'brain.Event:2' })).finish();
 * ```
 */
export interface EventTypes {
  readonly Event: protobuf.Type;
  readonly GraphDef: protobuf.Type;
}

/** `DataType` (types.proto) values, by name. */
export const DataType = {
  DT_FLOAT: 1, DT_DOUBLE: 2, DT_INT32: 3, DT_UINT8: 4, DT_INT16: 5, DT_INT8: 6, DT_STRING: 7,
  DT_COMPLEX64: 8, DT_INT64: 9, DT_BOOL: 10, DT_UINT16: 17, DT_HALF: 19, DT_UINT32: 22, DT_UINT64: 23,
} as const;

/** `DataClass` (summary.proto): how TensorBoard's data providers treat a time series. */
export const DataClass = { DATA_CLASS_UNKNOWN: 0, DATA_CLASS_SCALAR: 1, DATA_CLASS_TENSOR: 2, DATA_CLASS_BLOB_SEQUENCE: 3 } as const;

/** `SessionLog.SessionStatus` (event.proto). */
export const SessionStatus = { STATUS_UNSPECIFIED: 0, START: 1, STOP: 2, CHECKPOINT: 3 } as const;

export interface PluginDataProto { plugin_name?: string; content?: Uint8Array }
export interface SummaryMetadataProto {
  plugin_data?: PluginDataProto;
  display_name?: string;
  summary_description?: string;
  data_class?: number;
}
export interface HistogramProtoFields {
  min?: number;
  max?: number;
  num?: number;
  sum?: number;
  sum_squares?: number;
  bucket_limit?: number[];
  bucket?: number[];
}
export interface TensorShapeProto { dim?: { size?: number; name?: string }[]; unknown_rank?: boolean }
export interface TensorProtoFields {
  dtype?: number;
  tensor_shape?: TensorShapeProto;
  tensor_content?: Uint8Array;
  half_val?: number[];
  float_val?: number[];
  double_val?: number[];
  int_val?: number[];
  string_val?: Uint8Array[];
  int64_val?: number[];
  bool_val?: boolean[];
  uint32_val?: number[];
  uint64_val?: number[];
}
export interface SummaryValueProto {
  node_name?: string;
  tag?: string;
  metadata?: SummaryMetadataProto;
  simple_value?: number;
  histo?: HistogramProtoFields;
  tensor?: TensorProtoFields;
}
export interface SummaryProto { value?: SummaryValueProto[] }
export interface SessionLogProto { status?: number; checkpoint_path?: string; msg?: string }
export interface EventProto {
  wall_time?: number;
  step?: number;
  file_version?: string;
  graph_def?: Uint8Array;
  summary?: SummaryProto;
  session_log?: SessionLogProto;
}
export interface AttrValueProto { s?: Uint8Array; i?: number; f?: number; b?: boolean; type?: number; shape?: TensorShapeProto }
export interface NodeDefProto { name?: string; op?: string; input?: string[]; device?: string; attr?: Record<string, AttrValueProto> }
export interface GraphDefProto { node?: NodeDefProto[]; versions?: { producer?: number; min_consumer?: number } }

type FieldSpec = [name: string, id: number, type: string, rule?: 'repeated', packed?: 'packed'];

/**
 * A message type from `[name, field number, type, rule, packed]` rows. The root is proto2, so a
 * repeated scalar is marked packed where the proto3 original packs it (protobufjs decodes either).
 */
function message(name: string, fields: FieldSpec[]): protobuf.Type {
  const t = new protobuf.Type(name);
  for (const [field, id, type, rule, packed] of fields) {
    t.add(new protobuf.Field(field, id, type, rule ?? 'optional', undefined, packed ? { packed: true } : undefined));
  }
  return t;
}

function build(): EventTypes {
  const root = new protobuf.Root();
  const ns = root.define('tensorboard');

  ns.add(
    message('HistogramProto', [
      ['min', 1, 'double'],
      ['max', 2, 'double'],
      ['num', 3, 'double'],
      ['sum', 4, 'double'],
      ['sum_squares', 5, 'double'],
      ['bucket_limit', 6, 'double', 'repeated', 'packed'],
      ['bucket', 7, 'double', 'repeated', 'packed'],
    ]),
  );

  const shape = message('TensorShapeProto', [['dim', 2, 'Dim', 'repeated'], ['unknown_rank', 3, 'bool']]);
  shape.add(message('Dim', [['size', 1, 'int64'], ['name', 2, 'string']]));
  ns.add(shape);

  ns.add(
    message('TensorProto', [
      ['dtype', 1, 'int32'],
      ['tensor_shape', 2, 'TensorShapeProto'],
      ['version_number', 3, 'int32'],
      ['tensor_content', 4, 'bytes'],
      ['float_val', 5, 'float', 'repeated', 'packed'],
      ['double_val', 6, 'double', 'repeated', 'packed'],
      ['int_val', 7, 'int32', 'repeated', 'packed'],
      ['string_val', 8, 'bytes', 'repeated'],
      ['int64_val', 10, 'int64', 'repeated', 'packed'],
      ['bool_val', 11, 'bool', 'repeated', 'packed'],
      ['half_val', 13, 'int32', 'repeated', 'packed'],
      ['uint32_val', 16, 'uint32', 'repeated', 'packed'],
      ['uint64_val', 17, 'uint64', 'repeated', 'packed'],
    ]),
  );

  const metadata = message('SummaryMetadata', [
    ['plugin_data', 1, 'PluginData'],
    ['display_name', 2, 'string'],
    ['summary_description', 3, 'string'],
    ['data_class', 4, 'int32'],
  ]);
  metadata.add(message('PluginData', [['plugin_name', 1, 'string'], ['content', 2, 'bytes']]));
  ns.add(metadata);

  // Summary.Value's `oneof value` members other than these (old-style histogram bytes, image,
  // audio) are skipped as unknown fields.
  const value = message('Value', [
    ['node_name', 7, 'string'],
    ['tag', 1, 'string'],
    ['metadata', 9, 'SummaryMetadata'],
    ['simple_value', 2, 'float'],
    ['histo', 5, 'HistogramProto'],
    ['tensor', 8, 'TensorProto'],
  ]);
  const summary = message('Summary', [['value', 1, 'Value', 'repeated']]);
  summary.add(value);
  ns.add(summary);

  ns.add(message('SessionLog', [['status', 1, 'int32'], ['checkpoint_path', 2, 'string'], ['msg', 3, 'string']]));

  // Event's `oneof what`: log_message (6, deprecated), tagged_run_metadata (8) and meta_graph_def (9)
  // are left out; so is source_metadata (10).
  ns.add(
    message('Event', [
      ['wall_time', 1, 'double'],
      ['step', 2, 'int64'],
      ['file_version', 3, 'string'],
      ['graph_def', 4, 'bytes'],
      ['summary', 5, 'Summary'],
      ['session_log', 7, 'SessionLog'],
    ]),
  );

  // GraphDef travels inside Event.graph_def as bytes, so it is its own top-level message.
  const list = message('ListValue', [
    ['s', 2, 'bytes', 'repeated'],
    ['i', 3, 'int64', 'repeated', 'packed'],
    ['f', 4, 'float', 'repeated', 'packed'],
    ['b', 5, 'bool', 'repeated', 'packed'],
    ['type', 6, 'int32', 'repeated', 'packed'],
    ['shape', 7, 'TensorShapeProto', 'repeated'],
  ]);
  const attr = message('AttrValue', [
    ['list', 1, 'ListValue'],
    ['s', 2, 'bytes'],
    ['i', 3, 'int64'],
    ['f', 4, 'float'],
    ['b', 5, 'bool'],
    ['type', 6, 'int32'],
    ['shape', 7, 'TensorShapeProto'],
    ['tensor', 8, 'TensorProto'],
    ['placeholder', 9, 'string'],
  ]);
  attr.add(list);
  ns.add(attr);
  const node = message('NodeDef', [['name', 1, 'string'], ['op', 2, 'string'], ['input', 3, 'string', 'repeated'], ['device', 4, 'string']]);
  node.add(new protobuf.MapField('attr', 5, 'string', 'AttrValue'));
  ns.add(node);
  ns.add(message('VersionDef', [['producer', 1, 'int32'], ['min_consumer', 2, 'int32'], ['bad_consumers', 3, 'int32', 'repeated', 'packed']]));
  ns.add(message('GraphDef', [['node', 1, 'NodeDef', 'repeated'], ['version', 3, 'int32'], ['versions', 4, 'VersionDef']]));

  root.resolveAll();
  return { Event: root.lookupType('tensorboard.Event'), GraphDef: root.lookupType('tensorboard.GraphDef') };
}

let cached: EventTypes | null = null;

/** The event-file message types (built once, on first use). */
export function eventTypes(): EventTypes {
  cached ??= build();
  return cached;
}
