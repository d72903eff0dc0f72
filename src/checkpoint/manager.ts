import { basename, dirname, join, resolve } from 'node:path';
import { ValueError } from '../errors.js';
import type { Model } from '../models/model.js';
import { resolveMode } from '../callbacks/monitor.js';
import { ModelFileError } from '../io/errors.js';
import { loadModel } from '../io/load.js';
import type { CheckpointIndex, IndexEntry } from './checkpoint_index.js';
import { INDEX_FILE, asSaveError, readIndex, writeIndex } from './checkpoint_index.js';
import { exists, makeDirectory, removeFile, sha256File, statIfExists } from './checkpoint_fs.js';
import { CheckpointNotFoundError, CorruptCheckpointError } from './errors.js';
import { planRetention } from './retention.js';
import type { CheckpointInfo, CheckpointManagerSettings, RecordOptions, RestoreOptions, RestoreSelector, SaveCheckpointOptions } from './manager_api.js';
import { nonNegativeInt } from '../utils/checks.js';

// One queue per directory: index updates (read, change, write) from one process never interleave.
const queues = new Map<string, Promise<void>>();
function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(fn);
  const tail = run.then(() => undefined, () => undefined);
  queues.set(key, tail);
  void tail.then(() => { if (queues.get(key) === tail) queues.delete(key); });
  return run;
}

/**
 * Keeps the checkpoints of one directory: a JSON index (`kiln-checkpoints.json`) records each
 * file's version, epoch, step, time, metrics, size and SHA-256; retention follows TensorFlow's
 * CheckpointManager; `restore` verifies the checksum and falls back past a corrupt newest or best.
 * Create it with `kiln.checkpointManager(dir, options)`.
 *
 * ```ts
 * const mgr = kiln.checkpointManager('runs/fraud/ckpt', { maxToKeep: 5 });
 * await mgr.save(model, { epoch: 3, step: 300, logs });
 * const m = await mgr.restore('best');
 * ```
 */
export class CheckpointManager {
  readonly directory: string;
  /** TF sets the "last preserved" reference to the manager's start (less a second) when a directory has no state yet. */
  private readonly startTime: number;

  constructor(directory: string, readonly settings: CheckpointManagerSettings) {
    this.directory = resolve(directory);
    this.startTime = settings.now() - 1000;
  }

  /** Path of the index file. */
  get indexPath(): string {
    return join(this.directory, INDEX_FILE);
  }

  /** Every checkpoint whose file exists, oldest first (an entry whose file is gone — a crash mid-delete — is left out). */
  list(): CheckpointInfo[] {
    return this.present(readIndex(this.directory)).map((e) => this.info(e));
  }

  /** The newest checkpoint, or null. */
  latest(): CheckpointInfo | null {
    return this.list().at(-1) ?? null;
  }

  /**
   * The checkpoint with the best value of `monitor` (default: the manager's monitor, else the one
   * the newest checkpoint recorded), 'min' or 'max' as Keras infers it; null when none has one.
   */
  best(monitor?: string): CheckpointInfo | null {
    const ranked = this.ranked(this.present(readIndex(this.directory)), monitor);
    return ranked[0] ? this.info(ranked[0]) : null;
  }

  /** Saves `model` into the directory (model.save, or saveWeights for a `.weights.h5` name) and records it. */
  async save(model: Model, options: SaveCheckpointOptions): Promise<CheckpointInfo> {
    return serialized(this.directory, async () => {
      makeDirectory(this.directory, 'checkpoint directory');
      const file = options.filename ?? `ckpt-${readIndex(this.directory).next_version}.keras`;
      const path = join(this.directory, this.fileInDir(file, 'save'));
      const weights = /\.weights\.h5$/i.test(file);
      try {
        await (weights ? model.saveWeights(path) : model.save(path));
      } catch (e) {
        throw asSaveError(e, path);
      }
      return this.recordLocked(path, { ...options, kind: weights ? 'weights' : 'model' });
    });
  }

  /** Registers a file already written durably in this directory (what modelCheckpoint calls after saving), then applies retention. */
  async record(path: string, options: RecordOptions): Promise<CheckpointInfo> {
    return serialized(this.directory, () => this.recordLocked(path, options));
  }

  /**
   * Loads a checkpoint after checking its size and SHA-256 against the index. For 'latest' and
   * 'best', a corrupt candidate (missing, torn, altered, unloadable) is skipped with a warning and
   * the next newest / next best is used; an explicit version or epoch that is corrupt throws.
   */
  async restore(which: RestoreSelector, options: RestoreOptions = {}): Promise<Model> {
    const entries = readIndex(this.directory).checkpoints;
    if (which === 'latest' || which === 'best') {
      const candidates = which === 'latest' ? [...entries].reverse() : this.ranked(entries);
      if (candidates.length === 0) {
        const why = which === 'latest' ? 'there are no checkpoints' : `no checkpoint has a finite value of ${this.monitorFor(entries) ?? 'a monitored metric'}`;
        throw new CheckpointNotFoundError(`'${this.directory}': cannot restore '${which}': ${why}`);
      }
      const failures: string[] = [];
      for (const entry of candidates) {
        try {
          const model = await this.load(entry, options);
          for (const f of failures) console.warn(`checkpointManager: ${f}; restored ${this.describe(entry)} instead`);
          return model;
        } catch (e) {
          if (!(e instanceof CorruptCheckpointError)) throw e;
          failures.push(e.message);
        }
      }
      throw new CorruptCheckpointError(`'${this.directory}': cannot restore '${which}': every candidate is corrupt:\n  ${failures.join('\n  ')}`);
    }
    return this.load(this.find(entries, which), options);
  }

  /** Deletes one checkpoint: its file first, then its index entry. */
  async delete(version: number): Promise<void> {
    await serialized(this.directory, async () => {
      const index = readIndex(this.directory);
      const entry = this.find(index.checkpoints, version);
      removeFile(join(this.directory, entry.file), 'checkpoint');
      await writeIndex(this.directory, { ...index, checkpoints: index.checkpoints.filter((e) => e !== entry) });
    });
  }

  /** Applies maxToKeep / keepEveryNHours now (saving does it after every checkpoint). */
  async prune(): Promise<void> {
    await serialized(this.directory, async () => {
      await this.sweep(readIndex(this.directory));
    });
  }

  private async recordLocked(path: string, options: RecordOptions): Promise<CheckpointInfo> {
    const file = this.fileInDir(path, 'record');
    const full = join(this.directory, file);
    const { epoch, step = 0 } = options;
    nonNegativeInt(epoch, 'epoch', 'checkpointManager.record');
    nonNegativeInt(step, 'step', 'checkpointManager.record');
    const st = statIfExists(full, 'checkpoint');
    if (!st?.isFile()) throw new CheckpointNotFoundError(`'${full}': cannot record the checkpoint: the file does not exist`);
    const index = readIndex(this.directory);
    const metrics: Record<string, number> = {};
    // JSON has no NaN/Infinity; a non-finite metric is left out rather than written as null.
    for (const [k, v] of Object.entries(options.logs ?? {})) if (typeof v === 'number' && Number.isFinite(v)) metrics[k] = v;
    const entry: IndexEntry = {
      version: index.next_version, file, kind: options.kind ?? (/\.weights\.h5$/i.test(file) ? 'weights' : 'model'),
      epoch, step, time: this.settings.now(), metrics, sha256: sha256File(full), size: st.size,
    };
    const monitor = options.monitor ?? this.settings.monitor ?? undefined;
    if (monitor !== undefined) entry.monitor = monitor;
    const mode = options.mode ?? (this.settings.mode !== 'auto' && monitor === this.settings.monitor ? this.settings.mode : undefined);
    if (mode !== undefined) entry.mode = mode;
    // A file saved again under the same name (a resumed run re-saving an epoch) replaces its old entry.
    const next: CheckpointIndex = {
      next_version: index.next_version + 1,
      last_preserved_time: index.last_preserved_time ?? this.startTime,
      checkpoints: [...index.checkpoints.filter((e) => e.file !== file), entry],
    };
    // The new entry is made durable before anything is deleted, as TF records its state before sweeping.
    await writeIndex(this.directory, next);
    await this.sweep(next);
    return this.info(entry);
  }

  /** Retention: files first, then the index, so a crash in between leaves only entries whose files are gone (dropped on read). */
  private async sweep(index: CheckpointIndex): Promise<void> {
    const present = this.present(index);
    let protect: number | null = null;
    try {
      protect = this.ranked(present)[0]?.version ?? null;
    } catch {
      protect = null; // a monitor whose direction cannot be inferred protects nothing
    }
    const plan = planRetention(present, {
      maxToKeep: this.settings.maxToKeep, keepEveryNHours: this.settings.keepEveryNHours,
      lastPreservedTime: index.last_preserved_time ?? this.startTime, protectVersion: protect,
    });
    const kept = [...plan.keep];
    for (const e of plan.remove) {
      try {
        removeFile(join(this.directory, e.file), 'old checkpoint');
      } catch (err) {
        console.warn(`checkpointManager: could not delete old checkpoint '${join(this.directory, e.file)}': ${(err as Error).message}; it stays in the index`);
        kept.push(e);
      }
    }
    const changed = plan.remove.length > 0 || present.length !== index.checkpoints.length || plan.keep.some((e, i) => e !== present[i]);
    if (!changed && plan.lastPreservedTime === index.last_preserved_time) return;
    kept.sort((a, b) => a.version - b.version);
    await writeIndex(this.directory, { ...index, last_preserved_time: plan.lastPreservedTime, checkpoints: kept });
  }

  private present(index: CheckpointIndex): IndexEntry[] {
    return index.checkpoints.filter((e) => exists(join(this.directory, e.file)));
  }

  /** The monitor 'best' uses: the argument, the manager's, else the newest one recorded. */
  private monitorFor(entries: IndexEntry[], monitor?: string): string | null {
    return monitor ?? this.settings.monitor ?? [...entries].reverse().find((e) => e.monitor !== undefined)?.monitor ?? null;
  }

  /** Entries with a finite value of the monitor, best first (ties: the older first, as a strict-improvement scan keeps it). */
  private ranked(entries: IndexEntry[], monitorArg?: string): IndexEntry[] {
    const monitor = this.monitorFor(entries, monitorArg);
    if (monitor === null) return [];
    const recorded = [...entries].reverse().find((e) => e.monitor === monitor && e.mode !== undefined)?.mode;
    const own = this.settings.mode !== 'auto' && monitor === (this.settings.monitor ?? monitor) ? this.settings.mode : undefined;
    const mode = own ?? recorded ?? resolveMode(monitor, 'auto', 'checkpointManager');
    const sign = mode === 'min' ? 1 : -1;
    return entries
      .filter((e) => Number.isFinite(e.metrics[monitor]))
      .sort((a, b) => sign * (a.metrics[monitor]! - b.metrics[monitor]!) || a.version - b.version);
  }

  private find(entries: IndexEntry[], which: number | { epoch: number }): IndexEntry {
    if (typeof which === 'number') {
      const e = entries.find((c) => c.version === which);
      if (e) return e;
      throw new CheckpointNotFoundError(`'${this.directory}': no checkpoint version ${which}; available versions: ${entries.map((c) => c.version).join(', ') || 'none'}`);
    }
    if (which === null || typeof which !== 'object' || typeof which.epoch !== 'number') {
      throw new ValueError(`checkpointManager.restore: expected 'latest', 'best', a version number or { epoch }, found ${JSON.stringify(which)}`);
    }
    const e = entries.filter((c) => c.epoch === which.epoch).at(-1);
    if (e) return e;
    throw new CheckpointNotFoundError(`'${this.directory}': no checkpoint of epoch ${which.epoch}; available epochs: ${[...new Set(entries.map((c) => c.epoch))].join(', ') || 'none'}`);
  }

  /** Verifies size and checksum, then loads; every way a file can be bad becomes a CorruptCheckpointError. */
  private async load(entry: IndexEntry, options: RestoreOptions): Promise<Model> {
    const path = join(this.directory, entry.file);
    const bad = (why: string): CorruptCheckpointError => new CorruptCheckpointError(`${this.describe(entry)} is corrupt: ${why}`);
    const st = statIfExists(path, 'checkpoint');
    if (!st) throw bad('the file is missing');
    if (st.size !== entry.size) throw bad(`it has ${st.size} bytes where the index recorded ${entry.size} (a torn or truncated write?)`);
    const sha = sha256File(path);
    if (sha !== entry.sha256) throw bad(`its SHA-256 ${sha.slice(0, 12)}… does not match the ${entry.sha256.slice(0, 12)}… the index recorded (the file was altered or damaged)`);
    if (entry.kind === 'weights' && !options.model) {
      throw new ValueError(`checkpointManager.restore: ${this.describe(entry)} holds weights only; pass { model } to load them into`);
    }
    try {
      if (entry.kind === 'model') return await loadModel(path, { compile: options.compile ?? true });
      await options.model!.loadWeights(path);
      return options.model!;
    } catch (e) {
      if (e instanceof ModelFileError) throw bad(`it cannot be loaded: ${e.message}`);
      throw e;
    }
  }

  private describe(e: IndexEntry): string {
    return `checkpoint version ${e.version} ('${join(this.directory, e.file)}', epoch ${e.epoch})`;
  }

  /** A file name inside this directory, from a name or a path that must lie in it. */
  private fileInDir(path: string, what: string): string {
    if (typeof path !== 'string' || path === '') throw new ValueError(`checkpointManager.${what}: expected a file name, found ${JSON.stringify(path)}`);
    const full = resolve(this.directory, path);
    if (dirname(full) !== this.directory || basename(full) === INDEX_FILE) {
      throw new ValueError(`checkpointManager.${what}: '${path}' must be a checkpoint file directly inside '${this.directory}'`);
    }
    return basename(full);
  }

  private info(e: IndexEntry): CheckpointInfo {
    return { ...e, metrics: { ...e.metrics }, path: join(this.directory, e.file), preserved: e.preserved === true };
  }
}
