import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { TrainingEvent } from '../callbacks/training_event.js';
import { ReportError } from './errors.js';

/**
 * A training run as the report reads it: what the JSONL run record (`callbacks.jsonlLogger`) holds,
 * folded into one object. `readRunRecord` builds it from a file, `runRecordFromHistory` from the
 * History that `fit` returns.
 */
export interface RunRecord {
  /** The file it was read from (absolute), or null. */
  source: string | null;
  /** ISO time the run began (its first `run_begin`), or null when unknown. */
  startTime: string | null;
  /** Seconds spent training, summed over resumed segments; null when unknown. */
  durationSeconds: number | null;
  /** `fit`'s callback params: epochs, steps, verbose, metrics. */
  params: Record<string, unknown>;
  /** `fit`'s options (batch size, validation split, …). */
  settings: Record<string, unknown>;
  model: RunRecordModel | null;
  /** One record per epoch, in epoch order; for an epoch logged twice (a resumed run), the later one. */
  epochs: EpochRecord[];
  /** Batch records (only with batch logging), in order. */
  batches: BatchRecord[];
  /** The training-health monitor's events, in order. */
  events: TrainingEvent[];
  status: RunStatus;
  /** How many times training began (2 or more: the run was resumed). */
  segments: number;
  /** The file's last line was cut mid-write (the run is being written) and was skipped. */
  truncated: boolean;
  /** The error that ended an aborted run. */
  abortError: string | null;
}

/** 'running': no `run_end` yet; 'stopped': ended early (early stopping, terminateOnNaN…). */
export type RunStatus = 'running' | 'finished' | 'stopped' | 'aborted';

/** What a run record says about the model; every field may be missing in a hand-written record. */
export interface RunRecordModel {
  name?: string;
  className?: string;
  /** Keras's summary table, as `model.summary()` prints it. */
  summary?: string;
  params?: { total?: number; trainable?: number };
  loss?: string | null;
  optimizer?: Record<string, unknown> | null;
  metrics?: string[];
}

/** A logged value as JSON holds it: NaN and Infinity were written as null. */
export type RecordValue = number | null | (number | null)[] | (number | null)[][];

export interface EpochRecord {
  /** 0-based. */
  epoch: number;
  logs: Record<string, RecordValue>;
  /** Seconds since the run (segment) began, when recorded. */
  elapsed?: number;
}

export interface BatchRecord {
  epoch: number;
  batch: number;
  /** Global step (batches since the first epoch), when recorded. */
  step?: number;
  logs: Record<string, RecordValue>;
}

/**
 * Reads a run record: a run directory holding `run.jsonl`, or a `.jsonl` file. A run still being
 * written is fine: a last line cut mid-write is skipped (`truncated: true`). A missing file is a
 * ReportError naming the path; a malformed line before the last one names the file and line.
 *
 * ```ts
 * const run = await kiln.readRunRecord('runs/exp1');
 * run.epochs.at(-1)?.logs.val_loss;
 * ```
 */
export async function readRunRecord(path: string): Promise<RunRecord> {
  if (typeof path !== 'string' || path === '') throw new ReportError(`report: the run record path must be a non-empty string, found ${JSON.stringify(path)}`);
  let file = resolve(path);
  const info = await stat(file).catch(() => null);
  if (info === null) throw new ReportError(`report: no run record at '${file}': the path does not exist`);
  if (info.isDirectory()) {
    file = join(file, 'run.jsonl');
    const inner = await stat(file).catch(() => null);
    if (inner === null || !inner.isFile()) {
      throw new ReportError(`report: the run directory '${resolve(path)}' has no run.jsonl (expected '${file}'; callbacks.jsonlLogger writes it)`);
    }
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ReportError(`report: cannot read the run record '${file}' (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { cause: e });
  }
  return parseRunRecord(text, file);
}

type Json = Record<string, unknown>;

/** Folds the lines of a run record into a RunRecord; `file` names it in errors. */
export function parseRunRecord(text: string, file: string): RunRecord {
  const run: RunRecord = {
    source: file, startTime: null, durationSeconds: null, params: {}, settings: {}, model: null,
    epochs: [], batches: [], events: [], status: 'running', segments: 0, truncated: false, abortError: null,
  };
  const epochs = new Map<number, EpochRecord>();
  const lines = text.split('\n');
  // Text after the last newline is a line still being written (the writer ends every record with one).
  const partial = lines.pop() ?? '';
  let segmentStart: number | null = null;
  let segmentLast: number | null = null;
  let duration = 0;
  const closeSegment = (): void => {
    if (segmentStart !== null && segmentLast !== null) duration += Math.max(0, segmentLast - segmentStart);
  };

  const apply = (rec: Json, where: string): void => {
    const wall = typeof rec['wallTime'] === 'number' ? rec['wallTime'] : null;
    switch (rec['type']) {
      case 'run_begin':
        closeSegment();
        segmentStart = wall;
        segmentLast = null;
        run.segments++;
        run.status = 'running';
        run.startTime ??= typeof rec['time'] === 'string' ? rec['time'] : wall !== null ? new Date(wall * 1000).toISOString() : null;
        if (isObject(rec['params'])) run.params = rec['params'];
        if (isObject(rec['settings'])) run.settings = rec['settings'];
        if (isObject(rec['model'])) run.model = rec['model'] as RunRecordModel;
        // A resumed run repeats the batches from where its backup was taken.
        if (typeof rec['fromEpoch'] === 'number') run.batches = run.batches.filter((b) => b.epoch < (rec['fromEpoch'] as number));
        break;
      case 'epoch': {
        const epoch = rec['epoch'];
        if (!Number.isInteger(epoch) || (epoch as number) < 0) throw malformed(where, `an epoch record needs a 0-based integer 'epoch', found ${JSON.stringify(epoch)}`);
        if (!isObject(rec['logs'])) throw malformed(where, `an epoch record needs an object 'logs', found ${JSON.stringify(rec['logs'])}`);
        const record: EpochRecord = { epoch: epoch as number, logs: rec['logs'] as Record<string, RecordValue> };
        if (typeof rec['elapsed'] === 'number') record.elapsed = rec['elapsed'];
        epochs.set(record.epoch, record);
        break;
      }
      case 'batch':
        if (!Number.isInteger(rec['epoch']) || !Number.isInteger(rec['batch']) || !isObject(rec['logs'])) {
          throw malformed(where, "a batch record needs integer 'epoch' and 'batch' and an object 'logs'");
        }
        run.batches.push({
          epoch: rec['epoch'] as number, batch: rec['batch'] as number, logs: rec['logs'] as Record<string, RecordValue>,
          ...(typeof rec['step'] === 'number' ? { step: rec['step'] } : {}),
        });
        break;
      case 'event': {
        const e = rec['event'];
        if (!isObject(e) || typeof e['kind'] !== 'string' || typeof e['message'] !== 'string' || typeof e['epoch'] !== 'number') {
          throw malformed(where, "an event record needs an 'event' object with 'kind', 'message' and 'epoch'");
        }
        run.events.push(e as unknown as TrainingEvent);
        break;
      }
      case 'run_end':
        run.status = rec['stopped'] === true ? 'stopped' : 'finished';
        break;
      case 'run_abort':
        run.status = 'aborted';
        run.abortError = typeof rec['error'] === 'string' ? rec['error'] : null;
        break;
      default:
        // Record types from a newer writer: skipped, so old reports still read new runs.
        break;
    }
    if (wall !== null) segmentLast = Math.max(segmentLast ?? wall, wall);
  };

  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `${file}:${i + 1}`;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch (e) {
      throw malformed(where, `not valid JSON (${(e as Error).message})`);
    }
    if (!isObject(rec) || typeof rec['type'] !== 'string') throw malformed(where, "expected a JSON object with a string 'type'");
    apply(rec, where);
  });
  if (partial.trim() !== '') {
    // Unless it parses whole (only its newline is missing), it is the record being written now.
    let rec: unknown = null;
    try {
      rec = JSON.parse(partial);
    } catch {
      run.truncated = true;
    }
    if (!run.truncated && isObject(rec) && typeof rec['type'] === 'string') apply(rec, `${file}:${lines.length + 1}`);
  }
  closeSegment();
  run.durationSeconds = run.segments > 0 && segmentStart !== null ? duration : null;
  run.epochs = [...epochs.values()].sort((a, b) => a.epoch - b.epoch);
  return run;
}

function malformed(where: string, what: string): ReportError {
  return new ReportError(`report: malformed run record at ${where}: ${what}`);
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
