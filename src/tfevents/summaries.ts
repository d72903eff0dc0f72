import type { Histogram } from './histogram.js';
import { DataClass, DataType, eventTypes, type AttrValueProto, type SummaryValueProto } from './proto.js';

/**
 * The Summary.Value (and GraphDef) messages kiln writes, shaped as TensorFlow 2 / Keras 3 write them
 * where that is simple, so TensorBoard reads them without its legacy-migration path.
 *
 * Every value carries its plugin metadata. TensorFlow's Python writer sends it only with a tag's
 * first value, but kiln's event files can be filtered when a run resumes (filterEventFile), and a
 * tag whose first value was dropped would lose its plugin; the metadata costs a dozen bytes.
 */

/** Plugin names TensorBoard dispatches on (tensorboard/plugins/<name>/metadata.py `PLUGIN_NAME`). */
export const PluginName = { SCALARS: 'scalars', HISTOGRAMS: 'histograms', TEXT: 'text' } as const;

/**
 * A scalar as `tf.summary.scalar` writes it in TF2: a rank-0 DT_FLOAT tensor with the 'scalars'
 * plugin and DATA_CLASS_SCALAR. (The older `simple_value` would be read too — TensorBoard migrates
 * it to exactly this — and kiln's reader accepts both.) The plugin's content, an empty
 * ScalarPluginData, serializes to no bytes, so it is left out.
 */
export function scalarValue(tag: string, value: number): SummaryValueProto {
  return {
    tag,
    metadata: { plugin_data: { plugin_name: PluginName.SCALARS }, data_class: DataClass.DATA_CLASS_SCALAR },
    tensor: { dtype: DataType.DT_FLOAT, tensor_shape: {}, float_val: [value] },
  };
}

/**
 * A histogram as a HistogramProto (`histo`): TensorBoard's histogram plugin reads it, and it keeps
 * min, max, count, sum and sum of squares, which TF2's [k, 3] bucket tensor would drop.
 */
export function histogramValue(tag: string, h: Histogram): SummaryValueProto {
  return {
    tag,
    histo: { min: h.min, max: h.max, num: h.num, sum: h.sum, sum_squares: h.sumSquares, bucket_limit: h.bucketLimits, bucket: h.buckets },
  };
}

/** Text as `tf.summary.text` writes it: a rank-0 DT_STRING tensor (UTF-8) with the 'text' plugin. */
export function textValue(tag: string, text: string): SummaryValueProto {
  return {
    tag,
    metadata: { plugin_data: { plugin_name: PluginName.TEXT }, data_class: DataClass.DATA_CLASS_TENSOR },
    tensor: { dtype: DataType.DT_STRING, tensor_shape: {}, string_val: [new TextEncoder().encode(text)] },
  };
}

/** A graph to show in TensorBoard's graph dashboard: nodes by name, with inputs by node name. */
export interface GraphSpec {
  nodes: readonly {
    name: string;
    op: string;
    inputs: readonly string[];
    /** Shown in the node's info card: strings as `s`, integers as `i`, other numbers as `f`, booleans as `b`. */
    attrs?: Readonly<Record<string, string | number | boolean>>;
  }[];
}

function attrValue(v: string | number | boolean): AttrValueProto {
  if (typeof v === 'string') return { s: new TextEncoder().encode(v) };
  if (typeof v === 'boolean') return { b: v };
  return Number.isSafeInteger(v) ? { i: v } : { f: v };
}

/** The serialized GraphDef of `graph` (Event.graph_def holds it as bytes). */
export function graphDefBytes(graph: GraphSpec): Uint8Array {
  const { GraphDef } = eventTypes();
  const node = graph.nodes.map((n) => ({
    name: n.name,
    op: n.op,
    input: [...n.inputs],
    attr: Object.fromEntries(Object.entries(n.attrs ?? {}).map(([k, v]) => [k, attrValue(v)])),
  }));
  return GraphDef.encode(GraphDef.fromObject({ node })).finish();
}
