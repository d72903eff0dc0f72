import { strFromU8, strToU8 } from 'fflate';
import type { TrainingSnapshot } from '../callbacks/training_loop.js';
import { Tensor } from '../core/tensor.js';
import { fromValues } from '../ops/creation.js';
import { packContainer, unpackContainer } from './container.js';
import { CheckpointError, CorruptCheckpointError } from './errors.js';

/**
 * A training snapshot as a checkpoint container: `state.json` (positions, random streams, history,
 * callback states — JSON, with non-finite numbers and tensors encoded as tagged objects) and
 * `arrays.bin` (every tensor and typed array, raw little-endian, 8-byte aligned, described in
 * `state.json`). Float values travel as their exact bits, so a restored run continues bit for bit.
 */

type ArrayKind = 'float32' | 'int32' | 'float64';
interface ArrayRef { $array: number }
interface ArrayEntry { kind: ArrayKind; shape: number[]; offset: number; length: number; tensor: boolean }

class ArrayWriter {
  readonly entries: ArrayEntry[] = [];
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  add(values: Float32Array | Int32Array | Float64Array, shape: number[], tensor: boolean): ArrayRef {
    const kind: ArrayKind = values instanceof Float64Array ? 'float64' : values instanceof Int32Array ? 'int32' : 'float32';
    const pad = (8 - (this.size % 8)) % 8;
    if (pad) this.push(new Uint8Array(pad));
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
    this.entries.push({ kind, shape, offset: this.size, length: values.length, tensor });
    this.push(bytes);
    return { $array: this.entries.length - 1 };
  }

  private push(b: Uint8Array): void {
    this.chunks.push(b);
    this.size += b.length;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let off = 0;
    for (const c of this.chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }
}

/** JSON with what JSON cannot say: NaN/±Infinity, tensors and typed arrays (by reference into arrays.bin). */
function encodeValue(v: unknown, arrays: ArrayWriter, where: string): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : { $number: String(v) };
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v === undefined) return null;
  if (v instanceof Tensor) return arrays.add(v.dataSync() as Float32Array | Int32Array, [...v.shape], true);
  if (v instanceof Float64Array || v instanceof Float32Array || v instanceof Int32Array) return arrays.add(v, [v.length], false);
  if (Array.isArray(v)) return v.map((e, i) => encodeValue(e, arrays, `${where}[${i}]`));
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, e]) => [k, encodeValue(e, arrays, `${where}.${k}`)]));
  }
  throw new CheckpointError(`${where}: cannot save a value of type ${typeof v === 'object' ? (v as object).constructor?.name : typeof v} in a checkpoint; states may hold JSON values, numbers, tensors and typed arrays`);
}

function decodeValue(v: unknown, read: (ref: number) => Tensor | Float64Array | Float32Array | Int32Array): unknown {
  if (Array.isArray(v)) return v.map((e) => decodeValue(e, read));
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o['$number'] === 'string' && Object.keys(o).length === 1) return Number(o['$number']);
    if (typeof o['$array'] === 'number' && Object.keys(o).length === 1) return read(o['$array']);
    return Object.fromEntries(Object.entries(o).map(([k, e]) => [k, decodeValue(e, read)]));
  }
  return v;
}

/** Encodes a snapshot as the bytes of a backup file. */
export function encodeSnapshot(s: TrainingSnapshot): Uint8Array {
  const arrays = new ArrayWriter();
  const state = encodeValue({ ...s, format: 'kiln-training-state' }, arrays, 'backup');
  const info = { epoch: s.position.epoch, steps_done: s.position.stepsDone, global_step: s.position.globalStep, backend: s.backend };
  return packContainer(
    'backup',
    { 'state.json': strToU8(JSON.stringify({ state, arrays: arrays.entries })), 'arrays.bin': arrays.bytes() },
    info,
  );
}

/** Decodes and verifies a backup file's bytes (CorruptCheckpointError on any damage). */
export function decodeSnapshot(path: string, bytes: Uint8Array): TrainingSnapshot {
  const { members } = unpackContainer(path, bytes, 'backup');
  const stateBytes = members['state.json'];
  const bin = members['arrays.bin'];
  if (!stateBytes || !bin) throw new CorruptCheckpointError(`'${path}': the backup lacks state.json or arrays.bin`);
  let parsed: { state: unknown; arrays: ArrayEntry[] };
  try {
    parsed = JSON.parse(strFromU8(stateBytes));
  } catch (e) {
    throw new CorruptCheckpointError(`'${path}': state.json is not valid JSON (${(e as Error).message})`);
  }
  const read = (ref: number) => {
    const e = parsed.arrays?.[ref];
    const width = e?.kind === 'float64' ? 8 : 4;
    if (!e || e.offset % 8 !== 0 || e.offset + e.length * width > bin.length) {
      throw new CorruptCheckpointError(`'${path}': array ${ref} is out of the bounds of arrays.bin`);
    }
    const buf = bin.slice(e.offset, e.offset + e.length * width).buffer;
    const values = e.kind === 'float64' ? new Float64Array(buf) : e.kind === 'int32' ? new Int32Array(buf) : new Float32Array(buf);
    return e.tensor ? fromValues(values as Float32Array | Int32Array, e.shape, e.kind === 'int32' ? 'int32' : 'float32') : values;
  };
  const s = decodeValue(parsed.state, read) as TrainingSnapshot & { format?: string };
  if (s?.format !== 'kiln-training-state' || !s.position || !Array.isArray(s.weights)) {
    throw new CorruptCheckpointError(`'${path}': state.json does not hold a kiln training state`);
  }
  return s;
}
