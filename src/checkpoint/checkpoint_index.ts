import { join } from 'node:path';
import { ValueError } from '../errors.js';
import { CheckpointError, CheckpointWriteError, CorruptCheckpointError } from './errors.js';
import { asWriteError, durableWrite, readTextIfExists } from './checkpoint_fs.js';

/** Name of the index file a checkpoint directory holds. */
export const INDEX_FILE = 'kiln-checkpoints.json';
const FORMAT = 'kiln-checkpoint-index';
const FORMAT_VERSION = 1;

/**
 * One checkpoint as the index records it: the file's manifest (checksum, size) and what it holds.
 * On disk the keys are exactly these (snake_case where there are two words).
 */
export interface IndexEntry {
  version: number;
  /** File name, relative to the checkpoint directory. */
  file: string;
  kind: 'model' | 'weights';
  /** 1-based epoch, as in the file name. */
  epoch: number;
  /** Global training step (batches done) when it was saved. */
  step: number;
  /** Date.now() when it was recorded. */
  time: number;
  /** The logs at save time; finite numbers only. */
  metrics: Record<string, number>;
  monitor?: string;
  mode?: 'min' | 'max';
  sha256: string;
  size: number;
  /** Kept forever by keepEveryNHours. */
  preserved?: boolean;
}

/** The whole index file. */
export interface CheckpointIndex {
  next_version: number;
  /** Time (ms) of the last checkpoint kept by keepEveryNHours; null before the first save. */
  last_preserved_time: number | null;
  /** Oldest first. */
  checkpoints: IndexEntry[];
}

/** An empty index, for a directory without one. */
export function emptyIndex(): CheckpointIndex {
  return { next_version: 1, last_preserved_time: null, checkpoints: [] };
}

/**
 * Reads `<dir>/kiln-checkpoints.json` (an empty index when there is none). An index that is not
 * JSON or not this format is a CorruptCheckpointError: the user's history is never silently dropped.
 */
export function readIndex(dir: string): CheckpointIndex {
  const path = join(dir, INDEX_FILE);
  const text = readTextIfExists(path, 'checkpoint index');
  if (text === null) return emptyIndex();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CorruptCheckpointError(
      `'${path}': the checkpoint index is not valid JSON (${(e as Error).message}; found ${text.length} bytes starting ${JSON.stringify(text.slice(0, 40))}); ` +
        'fix or remove it to start a new index (the checkpoint files themselves are untouched)',
    );
  }
  return validateIndex(raw, path);
}

function validateIndex(raw: unknown, path: string): CheckpointIndex {
  const bad = (what: string): CorruptCheckpointError =>
    new CorruptCheckpointError(`'${path}': not a kiln checkpoint index: ${what}; fix or remove it to start a new index (the checkpoint files themselves are untouched)`);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw bad(`expected a JSON object, found ${describe(raw)}`);
  const o = raw as Record<string, unknown>;
  if (o['format'] !== FORMAT) throw bad(`expected "format": "${FORMAT}", found ${describe(o['format'])}`);
  if (o['format_version'] !== FORMAT_VERSION) {
    if (typeof o['format_version'] === 'number' && o['format_version'] > FORMAT_VERSION) {
      throw new CheckpointError(`'${path}': the checkpoint index has format_version ${o['format_version']}, written by a newer kiln; this one reads version ${FORMAT_VERSION}`);
    }
    throw bad(`expected "format_version": ${FORMAT_VERSION}, found ${describe(o['format_version'])}`);
  }
  const next = o['next_version'];
  if (!isCount(next) || next < 1) throw bad(`"next_version" must be a positive integer, found ${describe(next)}`);
  const lp = o['last_preserved_time'];
  if (lp !== null && !(typeof lp === 'number' && Number.isFinite(lp))) throw bad(`"last_preserved_time" must be a number or null, found ${describe(lp)}`);
  if (!Array.isArray(o['checkpoints'])) throw bad(`"checkpoints" must be an array, found ${describe(o['checkpoints'])}`);
  const checkpoints = o['checkpoints'].map((e, i) => validateEntry(e, `checkpoints[${i}]`, bad));
  for (const e of checkpoints) if (e.version >= next) throw bad(`version ${e.version} is not below "next_version" ${next}`);
  return { next_version: next, last_preserved_time: lp, checkpoints };
}

function validateEntry(raw: unknown, where: string, bad: (what: string) => CorruptCheckpointError): IndexEntry {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw bad(`${where} must be an object, found ${describe(raw)}`);
  const e = raw as Record<string, unknown>;
  const need = (key: string, ok: boolean, expected: string): void => {
    if (!ok) throw bad(`${where}.${key} must be ${expected}, found ${describe(e[key])}`);
  };
  need('version', isCount(e['version']) && (e['version'] as number) >= 1, 'a positive integer');
  const file = e['file'];
  need('file', typeof file === 'string' && file !== '' && !/[\\/]/.test(file) && file !== '.' && file !== '..', 'a file name inside the directory');
  need('kind', e['kind'] === 'model' || e['kind'] === 'weights', "'model' or 'weights'");
  need('epoch', isCount(e['epoch']), 'a non-negative integer');
  need('step', isCount(e['step']), 'a non-negative integer');
  need('time', typeof e['time'] === 'number' && Number.isFinite(e['time']), 'a time in ms');
  const metrics = e['metrics'];
  need('metrics', metrics !== null && typeof metrics === 'object' && !Array.isArray(metrics) && Object.values(metrics).every((v) => typeof v === 'number'), 'an object of numbers');
  need('monitor', e['monitor'] === undefined || typeof e['monitor'] === 'string', 'a string');
  need('mode', e['mode'] === undefined || e['mode'] === 'min' || e['mode'] === 'max', "'min' or 'max'");
  need('sha256', typeof e['sha256'] === 'string' && /^[0-9a-f]{64}$/.test(e['sha256']), 'a SHA-256 hex digest');
  need('size', isCount(e['size']), 'a byte count');
  need('preserved', e['preserved'] === undefined || typeof e['preserved'] === 'boolean', 'a boolean');
  return e as unknown as IndexEntry;
}

/** Writes the index durably (temporary file, fsync, rename, directory fsync). */
export async function writeIndex(dir: string, index: CheckpointIndex): Promise<void> {
  const doc = { format: FORMAT, format_version: FORMAT_VERSION, ...index };
  const text = `${JSON.stringify(doc, null, 1)}\n`;
  await durableWrite(join(dir, INDEX_FILE), 'checkpoint index', text);
}

/**
 * What a failed checkpoint save becomes: a ValueError (bad name) stays one; a system error (disk
 * full, permission denied) a CheckpointWriteError saying why; any other failure (the model writers
 * report theirs as ModelFileError) a CheckpointWriteError too. The writers are atomic, so the
 * message can promise the previous checkpoint is intact.
 */
export function asSaveError(e: unknown, path: string): unknown {
  if (e instanceof ValueError) return e;
  const w = asWriteError(e, path, 'write the checkpoint');
  if (w instanceof CheckpointWriteError) return w;
  return new CheckpointWriteError(`${e instanceof Error ? e.message : String(e)}; the previous checkpoint is left intact`, { cause: e });
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}
