import { statSync } from 'node:fs';
import type { DType } from '../../core/dtype.js';
import { ModelFileError, fileMessage, summarize } from '../errors.js';
import type { H5Dataset, H5File, H5Group } from './module.js';
import { h5, kind } from './module.js';
import { checkGlobalHeaps, hasHdf5Signature, readHead } from './scanner.js';

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

/** h5wasm hands back strings, numbers, typed arrays or nested arrays; bytes are decoded as UTF-8. */
function decode(v: unknown): unknown {
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  if (Array.isArray(v)) return v.map(decode);
  return v;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (ArrayBuffer.isView(v)) return v.constructor.name;
  return typeof v === 'object' ? JSON.stringify(v).slice(0, 60) : `${typeof v} ${JSON.stringify(v)}`;
}
