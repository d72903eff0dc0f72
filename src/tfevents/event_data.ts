import type { DecodedEvent } from './event.js';
import { SessionStatus, type SummaryValueProto } from './proto.js';
import { PluginName } from './summaries.js';
import { dtypeName, shapeOf, tensorValues } from './tensor_values.js';

/** One scalar: `epoch_loss` at epoch 3, say. */
export interface ScalarPoint { step: number; wallTime: number; value: number }

/** One HistogramProto, camelCased; bucket i counts values up to bucketLimits[i] (see histogramOf). */
export interface HistogramPoint {
  step: number;
  wallTime: number;
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimits: number[];
  buckets: number[];
}

/** A tensor summary other than a scalar: text (DT_STRING, string values) or any plugin's tensor. */
export interface TensorPoint {
  step: number;
  wallTime: number;
  /** TensorFlow's DataType name: `'DT_FLOAT'`, `'DT_STRING'`… */
  dtype: string;
  shape: number[];
  /** Flat, row-major. */
  values: number[] | string[];
  /** The plugin the summary was written for (`'text'`, `'histograms'`…), or null when none was named. */
  plugin: string | null;
}

/** What {@link readEvents} found in a file, or in the event files of one directory. */
export interface EventData {
  /** The event files read, in the order read (by name). */
  files: string[];
  /** The first file's `file_version` (`"brain.Event:2"`), or null if it had none. */
  fileVersion: string | null;
  /** By tag: `simple_value`s and 'scalars'-plugin tensors, in file order. */
  scalars: Record<string, ScalarPoint[]>;
  /** By tag: HistogramProto (`histo`) values. */
  histograms: Record<string, HistogramPoint[]>;
  /** By tag: every other tensor summary (text among them). */
  tensors: Record<string, TensorPoint[]>;
  /** How many GraphDef records there were. */
  graphs: number;
  /** SessionLog START records: where a (re)started run began writing. */
  sessionStarts: { step: number; wallTime: number }[];
  /** What was skipped without failing: a truncated last record (file and offset), values of kinds not read. */
  warnings: string[];
  /**
   * For a directory: each subdirectory (at any depth) holding event files, keyed by its path
   * relative to the directory with `/` separators (`'train'`, `'validation'`, `'a/b'`). Always
   * empty inside a run.
   */
  runs: Record<string, EventData>;
}

export function emptyEventData(): EventData {
  return { files: [], fileVersion: null, scalars: {}, histograms: {}, tensors: {}, graphs: 0, sessionStarts: [], warnings: [], runs: {} };
}

const push = <T>(into: Record<string, T[]>, tag: string, item: T) => (into[tag] ??= []).push(item);

/**
 * Adds one file's events to `data`. A value's plugin comes from its own metadata or, as in
 * TensorBoard, from the first metadata seen for its tag: TensorFlow's Python writer sends it only
 * once per tag, so later values of a 'scalars' tag arrive as bare tensors. `plugins` is shared
 * across the files of one run for that reason.
 */
export function collectEvents(data: EventData, file: string, events: readonly DecodedEvent[], plugins: Map<string, string>): void {
  data.files.push(file);
  const skipped = new Set<string>();
  for (const e of events) {
    if (e.fileVersion !== undefined) data.fileVersion ??= e.fileVersion;
    if (e.graphDef !== undefined) data.graphs++;
    if (e.sessionLog?.status === SessionStatus.START) data.sessionStarts.push({ step: e.step, wallTime: e.wallTime });
    for (const v of e.summary?.value ?? []) {
      const kind = addValue(data, v, e, plugins);
      if (kind) skipped.add(kind);
    }
  }
  if (skipped.size > 0) data.warnings.push(`'${file}': summary values not read (${[...skipped].sort().join(', ')})`);
}

/** Files `v` under its kind; returns a description of it when it is of a kind not read (image, audio…). */
function addValue(data: EventData, v: SummaryValueProto, e: DecodedEvent, plugins: Map<string, string>): string | null {
  const tag = v.tag ?? v.node_name ?? '';
  const declared = v.metadata?.plugin_data?.plugin_name;
  if (declared && !plugins.has(tag)) plugins.set(tag, declared);
  const plugin = declared || plugins.get(tag) || null;
  const at = { step: e.step, wallTime: e.wallTime };
  if (v.simple_value !== undefined) {
    push(data.scalars, tag, { ...at, value: v.simple_value });
  } else if (v.histo !== undefined) {
    const h = v.histo;
    push(data.histograms, tag, {
      ...at, min: h.min ?? 0, max: h.max ?? 0, num: h.num ?? 0, sum: h.sum ?? 0, sumSquares: h.sum_squares ?? 0,
      bucketLimits: h.bucket_limit ?? [], buckets: h.bucket ?? [],
    });
  } else if (v.tensor !== undefined) {
    const values = tensorValues(v.tensor);
    if (plugin === PluginName.SCALARS && typeof values[0] === 'number') push(data.scalars, tag, { ...at, value: values[0] });
    else push(data.tensors, tag, { ...at, dtype: dtypeName(v.tensor.dtype), shape: shapeOf(v.tensor), values, plugin });
  } else {
    return `'${tag}' of a kind other than simple_value, histo or tensor`;
  }
  return null;
}
