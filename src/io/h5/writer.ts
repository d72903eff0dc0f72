import { ModelFileError, fileMessage, summarize } from '../errors.js';
import type { H5File, H5Group } from './module.js';
import { h5, kind } from './module.js';

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
