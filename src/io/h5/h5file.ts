import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { DType } from '../../core/dtype.js';
import { ModelFileError, fileMessage, summarize } from '../errors.js';

/**
 * A thin, typed layer over h5wasm (libhdf5 compiled to WebAssembly): what kiln needs from HDF5 and
 * nothing more — groups, string/number attributes, and numeric datasets. Every failure becomes a
 * ModelFileError naming the file; libhdf5's own error printing is replaced by thrown errors.
 */

type H5Module = typeof import('h5wasm/node');
type H5File = InstanceType<H5Module['File']>;
type H5Group = InstanceType<H5Module['Group']>;
type H5Dataset = InstanceType<H5Module['Dataset']>;

let modulePromise: Promise<H5Module> | null = null;

/** Loads h5wasm once; HDF5 errors are made to throw instead of printing to stderr. */
export function h5(): Promise<H5Module> {
  modulePromise ??= (async () => {
    const mod = (await import('h5wasm/node')).default as unknown as H5Module;
    const wasm = await mod.ready;
    wasm.activate_throwing_error_handler();
    return mod;
  })();
  return modulePromise;
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** True when the file starts with the HDF5 signature (at 0, or after a 512·2^k user block). */
export function hasHdf5Signature(bytes: Uint8Array): boolean {
  for (let off = 0; off + 8 <= bytes.length; off = off === 0 ? 512 : off * 2) {
    if (SIGNATURE.every((b, i) => bytes[off + i] === b)) return true;
  }
  return false;
}

/** Reads the first bytes of a file (enough to recognise zip or HDF5), or throws a ModelFileError. */
export function readHead(path: string, n = 4096): Uint8Array {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new ModelFileError(fileMessage(path, 'is not a file'));
    size = st.size;
  } catch (e) {
    if (e instanceof ModelFileError) throw e;
    throw new ModelFileError(fileMessage(path, 'no such file'));
  }
  if (size === 0) throw new ModelFileError(fileMessage(path, 'the file is empty'));
  const buf = new Uint8Array(Math.min(n, size));
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
  return buf;
}

const GCOL = [0x47, 0x43, 0x4f, 0x4c]; // 'GCOL'

/**
 * Checks every global heap collection (where HDF5 keeps variable-length strings — Keras's
 * `model_config`, `layer_names`, `weight_names`) before libhdf5 parses it. libhdf5 1.14's heap
 * reader (H5HG__cache_heap_deserialize) advances by each object's declared size and so loops
 * forever on a zeroed object (index 0, size 0) and walks backwards on sizes that wrap its 32-bit
 * wasm pointers: a damaged `.h5` would hang the process. A collection is recognised by its
 * signature, version 1 and reserved zero bytes; its objects must tile it exactly as libhdf5 expects.
 * Read in chunks so a large file is never held in memory whole.
 */
export function checkGlobalHeaps(path: string): void {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const chunk = new Uint8Array(1 << 20);
    for (let base = 0; base < size; base += chunk.length - 3) {
      const n = readSync(fd, chunk, 0, chunk.length, base);
      for (let i = 0; i + 4 <= n; i++) {
        if (chunk[i] === GCOL[0] && chunk[i + 1] === GCOL[1] && chunk[i + 2] === GCOL[2] && chunk[i + 3] === GCOL[3]) checkCollection(path, fd, size, base + i);
      }
      if (n < chunk.length) break;
    }
  } finally {
    closeSync(fd);
  }
}

/** Walks one collection's objects (HDF5 spec III.E: 16-byte header, objects with 16-byte headers, 8-aligned). */
function checkCollection(path: string, fd: number, fileSize: number, at: number): void {
  const header = new Uint8Array(16);
  if (readSync(fd, header, 0, 16, at) < 16) return;
  if (header[4] !== 1 || header[5] !== 0 || header[6] !== 0 || header[7] !== 0) return; // not a collection (or one libhdf5 refuses itself)
  const view = new DataView(header.buffer);
  const collectionSize = Number(view.getBigUint64(8, true));
  const bad = (why: string) => new ModelFileError(fileMessage(path, `is damaged: the HDF5 global heap at byte ${at} ${why}`));
  if (collectionSize < 16 || at + collectionSize > fileSize) throw bad(`declares ${collectionSize} bytes (the file has ${fileSize - at} from there)`);
  const heap = new Uint8Array(collectionSize);
  readSync(fd, heap, 0, collectionSize, at);
  const hv = new DataView(heap.buffer);
  for (let p = 16; p < collectionSize; ) {
    if (p + 16 > collectionSize) break; // a tail too small for an object header is free space
    const index = hv.getUint16(p, true);
    const objectSize = Number(hv.getBigUint64(p + 8, true));
    const need = index === 0 ? objectSize : 16 + Math.ceil(objectSize / 8) * 8;
    if (index === 0 && need < 16) throw bad(`has a free-space object of ${objectSize} bytes at offset ${p}`);
    if (p + need > collectionSize) throw bad(`has object ${index} of ${objectSize} bytes at offset ${p}, past its end (${collectionSize})`);
    p += need;
  }
}

/** A numeric dataset as kiln uses it: float32 or int32 values and a shape. */
export interface H5Array {
  shape: number[];
  dtype: DType;
  values: Float32Array | Int32Array;
}

/** Read access to an HDF5 file. Open with `H5Reader.open(path)`; always `close()` (use try/finally). */
export class H5Reader {
  private constructor(
    readonly path: string,
    private readonly file: H5File,
    private readonly fileSize: number,
  ) {}

  /** Opens `path` after checking it exists, is not empty and carries the HDF5 signature. */
  static async open(path: string): Promise<H5Reader> {
    const head = readHead(path);
    if (!hasHdf5Signature(head)) throw new ModelFileError(fileMessage(path, 'is not an HDF5 file (no HDF5 signature)'));
    checkGlobalHeaps(path);
    const mod = await h5();
    try {
      return new H5Reader(path, new mod.File(path, 'r'), statSync(path).size);
    } catch (e) {
      throw new ModelFileError(fileMessage(path, `cannot be opened as HDF5: ${summarize(String((e as Error)?.message ?? e))}`));
    }
  }

  close(): void {
    try {
      this.file.close();
    } catch {
      // closing a damaged file can fail; there is nothing left to release
    }
  }

  private entity(path: string): ReturnType<H5File['get']> {
    if (path === '' || path === '/') return this.file;
    try {
      return this.file.get(path);
    } catch (e) {
      throw this.error(`'${path}' cannot be read: ${summarize(String((e as Error)?.message ?? e))}`);
    }
  }

  /** True when a group or dataset exists at `path`. */
  has(path: string): boolean {
    return this.entity(path) != null;
  }

  isGroup(path: string): boolean {
    return kind(this.entity(path)) === 'Group';
  }

  /** Member names of the group at `path` (empty when there is no such group). */
  keys(path: string): string[] {
    const g = this.entity(path);
    if (kind(g) !== 'Group') return [];
    return (g as H5Group).keys();
  }

  /** Attribute names of the object at `path`. */
  attrNames(path: string): string[] {
    const obj = this.entity(path) as H5Group | null;
    return obj ? Object.keys(obj.attrs) : [];
  }

  /** An attribute's value: strings as strings, arrays as arrays; undefined when absent. */
  attr(path: string, name: string): unknown {
    const obj = this.entity(path) as H5Group | null;
    if (!obj) return undefined;
    const attrs = obj.attrs;
    if (!(name in attrs)) return undefined;
    try {
      return decode(attrs[name]!.value);
    } catch (e) {
      throw this.error(`attribute '${name}' of '${path || '/'}' cannot be read: ${summarize(String((e as Error)?.message ?? e))}`);
    }
  }

  /** A string attribute, or undefined when absent. */
  stringAttr(path: string, name: string): string | undefined {
    const v = this.attr(path, name);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw this.error(`attribute '${name}' of '${path || '/'}' should be a string, found ${describe(v)}`);
    return v;
  }

  /**
   * A list-of-strings attribute, joining Keras's chunks (`layer_names0`, `layer_names1`, … are
   * written when the list exceeds HDF5's 64 KiB attribute limit). Empty when absent.
   */
  stringListAttr(path: string, name: string): string[] {
    const parts: unknown[] = [];
    const whole = this.attr(path, name);
    if (whole !== undefined) parts.push(whole);
    else for (let i = 0; ; i++) {
      const chunk = this.attr(path, `${name}${i}`);
      if (chunk === undefined) break;
      parts.push(chunk);
    }
    const out: string[] = [];
    for (const p of parts) {
      const items = Array.isArray(p) ? p : typeof p === 'string' ? [p] : ArrayBuffer.isView(p) ? Array.from(p as Float64Array) : [p];
      for (const item of items) {
        if (typeof item !== 'string') throw this.error(`attribute '${name}' of '${path || '/'}' should list strings, found ${describe(item)}`);
        out.push(item);
      }
    }
    return out;
  }

  /** The shape of the dataset at `path` (throws when it is not a dataset). */
  shape(path: string): number[] {
    return [...(this.dataset(path).shape ?? [])];
  }

  /**
   * Reads a numeric dataset as float32 or int32 (int64 step counters become int32). Checks the
   * element count against the shape so a damaged file cannot hand back a short array.
   */
  read(path: string): H5Array {
    const ds = this.dataset(path);
    const shape = [...(ds.shape ?? [])];
    const count = shape.reduce((a, b) => a * b, 1);
    // Refuse before libhdf5 allocates: every stored element takes at least a byte, and Keras never
    // compresses (16× leaves room for files repacked with gzip). A damaged dataspace can claim 1e12.
    if (count > 2 ** 20 && count > 16 * this.fileSize) {
      throw this.error(`dataset '${path}' claims shape [${shape.join(', ')}] (${count} values), more than a ${this.fileSize}-byte file can hold`);
    }
    let raw: unknown;
    try {
      raw = ds.value;
    } catch (e) {
      throw this.error(`dataset '${path}' cannot be read: ${summarize(String((e as Error)?.message ?? e))}`);
    }
    let values: Float32Array | Int32Array;
    let dtype: DType;
    if (typeof raw === 'number') [values, dtype] = [Float32Array.of(raw), 'float32'];
    else if (typeof raw === 'bigint') [values, dtype] = [Int32Array.of(Number(raw)), 'int32'];
    else if (raw instanceof BigInt64Array || raw instanceof BigUint64Array) [values, dtype] = [Int32Array.from(raw, (b) => Number(b)), 'int32'];
    else if (raw instanceof Float32Array) [values, dtype] = [raw, 'float32'];
    else if (raw instanceof Float64Array) [values, dtype] = [Float32Array.from(raw), 'float32'];
    else if (ArrayBuffer.isView(raw) && !(raw instanceof DataView)) [values, dtype] = [Int32Array.from(raw as Int32Array), 'int32'];
    else throw this.error(`dataset '${path}' is not numeric (found ${describe(raw)})`);
    // Integer step counters of any width are int32 in kiln; float datasets keep float32.
    if (dtype === 'int32' && /^[<>|]?[fd]/.test(String(ds.dtype))) [values, dtype] = [Float32Array.from(values), 'float32'];
    if (values.length !== count) throw this.error(`dataset '${path}' holds ${values.length} values for shape [${shape.join(', ')}]`);
    return { shape, dtype, values };
  }

  private dataset(path: string): H5Dataset {
    const ds = this.entity(path);
    if (!ds) throw this.error(`no dataset '${path}'`);
    if (kind(ds) !== 'Dataset') throw this.error(`'${path}' is a ${kind(ds) ?? 'reference'}, expected a dataset`);
    return ds as H5Dataset;
  }

  private error(message: string): ModelFileError {
    return new ModelFileError(fileMessage(this.path, message));
  }
}

/**
 * Write access to a new HDF5 file (truncates). Objects are written with the oldest format that
 * can hold them (libver 'earliest'), as h5py does, so any HDF5 1.8+ reader (h5py, Keras) opens them.
 */
export class H5Writer {
  private constructor(
    readonly path: string,
    private readonly file: H5File,
  ) {}

  static async create(path: string): Promise<H5Writer> {
    const mod = await h5();
    try {
      return new H5Writer(path, new mod.File(path, 'w', { libver: ['earliest', 'v108'] }));
    } catch (e) {
      throw new ModelFileError(fileMessage(path, `cannot be created: ${summarize(String((e as Error)?.message ?? e))}`));
    }
  }

  /** The group at `path`, created with any missing parents. */
  group(path: string): H5Group {
    let g: H5Group = this.file;
    for (const part of path.split('/').filter(Boolean)) {
      const next = g.get(part);
      g = kind(next) === 'Group' ? (next as H5Group) : g.create_group(part);
    }
    return g;
  }

  /** Sets an attribute: a string (variable-length UTF-8), a list of strings, or a number. */
  attr(path: string, name: string, value: string | string[] | number): void {
    const g = this.group(path);
    if (Array.isArray(value) && value.length === 0) {
      // h5py writes an empty list as an empty float64 array; readers treat it as "no names".
      g.create_attribute(name, new Float64Array(0), [0], '<d');
    } else {
      g.create_attribute(name, value);
    }
  }

  /** Writes a float32 or int32 dataset (`int64` for Keras's step counter). */
  dataset(path: string, values: Float32Array | Int32Array | BigInt64Array, shape: readonly number[]): void {
    const slash = path.lastIndexOf('/');
    const g = this.group(slash < 0 ? '' : path.slice(0, slash));
    g.create_dataset({ name: path.slice(slash + 1), data: values, shape: [...shape] });
  }

  close(): void {
    this.file.close();
  }
}

/** h5wasm hands back strings, numbers, typed arrays or nested arrays; bytes are decoded as UTF-8. */
function decode(v: unknown): unknown {
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  if (Array.isArray(v)) return v.map(decode);
  return v;
}

/** 'Group', 'Dataset', … (h5wasm's references have no type). */
function kind(e: unknown): string | undefined {
  return (e as { type?: string } | null)?.type;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (ArrayBuffer.isView(v)) return v.constructor.name;
  return typeof v === 'object' ? JSON.stringify(v).slice(0, 60) : `${typeof v} ${JSON.stringify(v)}`;
}
