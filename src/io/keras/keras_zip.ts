import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import type { Model } from '../../models/model.js';
import { tempPathBeside } from '../atomic.js';
import { ModelFileError, fileMessage } from '../errors.js';
import { toKerasJson } from '../keras_json.js';
import { H5Reader, H5Writer } from '../h5/h5file.js';
import { KERAS_VERSION, kerasModelConfig } from './config.js';
import { writeWeightStore } from './weight_store.js';

/**
 * The Keras 3 `.keras` archive (keras/src/saving/saving_lib.py): a zip of `metadata.json`,
 * `config.json` and `model.weights.h5`, members stored uncompressed.
 */

/** Limits that keep a hostile archive (a zip bomb) from exhausting memory. */
export const ZIP_LIMITS = {
  /** config.json and metadata.json, each. */
  jsonBytes: 32 * 1024 * 1024,
  /** Everything extracted together. */
  totalBytes: 4 * 1024 * 1024 * 1024 - 1,
};

const WEIGHTS = 'model.weights.h5';

/** The parts of a `.keras` archive kiln reads. */
export interface KerasArchive {
  config: unknown;
  metadata: Record<string, unknown> | null;
  /** The weight file's bytes, or null when the archive has none. */
  weights: Uint8Array | null;
}

/** Reads and checks a `.keras` archive: sizes first (from the zip directory), then the members. */
export function readKerasArchive(path: string, bytes: Uint8Array): KerasArchive {
  let total = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        const wanted = f.name === 'config.json' || f.name === 'metadata.json' || f.name === WEIGHTS;
        if (!wanted) return false;
        if (f.name.endsWith('.json') && f.originalSize > ZIP_LIMITS.jsonBytes) {
          throw new ModelFileError(fileMessage(path, `'${f.name}' would unpack to ${f.originalSize} bytes (limit ${ZIP_LIMITS.jsonBytes}); refusing a possible zip bomb`));
        }
        // Deflate cannot expand more than ~1032:1, so a larger declared size is a lie that would
        // only make fflate allocate the declared size; stored (Keras's) members expand 1:1.
        if (f.originalSize > f.size * 1032 + 1024) {
          throw new ModelFileError(fileMessage(path, `'${f.name}' declares ${f.originalSize} bytes from ${f.size} compressed; refusing a damaged archive or a possible zip bomb`));
        }
        total += f.originalSize;
        if (total > ZIP_LIMITS.totalBytes) {
          throw new ModelFileError(fileMessage(path, `the archive would unpack to more than ${ZIP_LIMITS.totalBytes} bytes; refusing a possible zip bomb`));
        }
        return true;
      },
    });
  } catch (e) {
    if (e instanceof ModelFileError) throw e;
    throw new ModelFileError(fileMessage(path, `is not a valid .keras (zip) archive: ${(e as Error)?.message ?? e}`));
  }
  const configBytes = files['config.json'];
  if (!configBytes) throw new ModelFileError(fileMessage(path, 'the archive has no config.json (is it a Keras 3 .keras file?)'));
  const config = parseJson(path, 'config.json', configBytes);
  const metaBytes = files['metadata.json'];
  const metadata = metaBytes ? (parseJson(path, 'metadata.json', metaBytes) as Record<string, unknown>) : null;
  return { config, metadata, weights: files[WEIGHTS] ?? null };
}

function parseJson(path: string, member: string, bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new ModelFileError(fileMessage(path, `'${member}' is not valid JSON: ${(e as Error).message}`));
  }
}

/**
 * Opens the archive's weight file with HDF5 (h5wasm reads files, so it is written to a temporary
 * file in the system's temporary directory — the archive's own may be read-only — and removed afterwards), runs `fn`, and cleans up.
 */
export async function withArchiveWeights<T>(path: string, weights: Uint8Array, fn: (r: H5Reader) => T): Promise<T> {
  const tmp = join(tmpdir(), `kiln-${randomBytes(6).toString('hex')}.weights.h5`);
  writeFileSync(tmp, weights);
  try {
    const r = await H5Reader.open(tmp);
    try {
      return fn(r);
    } finally {
      r.close();
    }
  } catch (e) {
    // Errors about the temporary file are about the archive's weight member.
    if (e instanceof Error) e.message = e.message.split(tmp).join(`${path}!/${WEIGHTS}`);
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Writes `model` as a `.keras` archive to `tmpPath` (the caller renames it into place). */
export async function writeKerasArchive(model: Model, tmpPath: string, includeOptimizer = true): Promise<void> {
  const config = toKerasJson(kerasModelConfig(model));
  const metadata = JSON.stringify({ keras_version: KERAS_VERSION, date_saved: dateSaved(new Date()) });
  const h5Path = `${tmpPath}.weights.h5`;
  try {
    const w = await H5Writer.create(h5Path);
    try {
      writeWeightStore(w, model, includeOptimizer);
    } finally {
      w.close();
    }
    const weights = new Uint8Array(readFileSync(h5Path));
    const enc = new TextEncoder();
    const zip = zipSync({
      'metadata.json': [enc.encode(metadata), { level: 0 }],
      'config.json': [enc.encode(config), { level: 0 }],
      [WEIGHTS]: [weights, { level: 0 }],
    });
    writeFileSync(tmpPath, zip);
  } finally {
    rmSync(h5Path, { force: true });
  }
}

/** Keras's `date_saved` format: `YYYY-MM-DD@HH:MM:SS` (local time). */
function dateSaved(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}@${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
