import type { Spelled } from '../utils/options.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { ValueError } from '../errors.js';
import type { Model } from '../models/model.js';
import type { Logs } from '../callbacks/callback.js';
import type { MonitorMode } from '../callbacks/monitor.js';
import { option } from '../utils/args.js';
import type { IndexEntry } from './checkpoint_index.js';
import { CheckpointManager } from './manager.js';
import { checkRetentionOptions } from './retention.js';

/** Settings of a checkpoint manager (see `checkpointManager`). */
export interface CheckpointManagerSettings {
  maxToKeep: number | null;
  keepEveryNHours: number | null;
  monitor: string | null;
  mode: MonitorMode;
  now: () => number;
}

/**
 * One checkpoint as `list()` shows it: its index entry (version, file, kind, epoch, step, time as ms
 * since the Unix epoch — `new Date(info.time)` —, metrics, monitor, mode, sha256, size) plus its path.
 */
export interface CheckpointInfo extends Omit<IndexEntry, 'preserved'> {
  /** The file's full path (directory joined with `file`). */
  path: string;
  /** Kept forever by keepEveryNHours. */
  preserved: boolean;
}

/** What is recorded with a checkpoint. */
export interface RecordOptions {
  epoch: number;
  step?: number;
  /** The logs at the save; only finite numbers are recorded (per-class arrays are left out). */
  logs?: Logs;
  monitor?: string;
  mode?: 'min' | 'max';
  /** Default: 'weights' for a `.weights.h5` name, else 'model'. */
  kind?: 'model' | 'weights';
}

/** Options of `CheckpointManager.save`. */
export interface SaveCheckpointOptions extends Omit<RecordOptions, 'kind'> {
  /** File name inside the directory (default `ckpt-<version>.keras`); `.weights.h5` saves weights only. */
  filename?: string;
}

/** Which checkpoint `restore` loads: the newest, the best by the monitor, a version, or the newest of an epoch. */
export type RestoreSelector = 'latest' | 'best' | number | { epoch: number };

/** Options of `CheckpointManager.restore`. */
export interface RestoreOptions {
  /** The model to load a weights-only checkpoint into (required for those). */
  model?: Model;
  /** Compile a restored model that has a training config (default true). */
  compile?: boolean;
}

/** Options of `checkpointManager` (camelCase or Keras/TF snake_case). */
export interface CheckpointManagerOptions {
  /** Keep the newest N checkpoints (default null: keep all), as TF's `max_to_keep`. */
  maxToKeep?: number | null;
  /** Of the checkpoints leaving the newest N, keep one forever every N hours, as TF's `keep_checkpoint_every_n_hours`. */
  keepEveryNHours?: number | null;
  /** Metric that decides 'best' (default: the one the newest checkpoint recorded, e.g. modelCheckpoint's monitor). */
  monitor?: string;
  /** 'auto' (default: inferred from the metric's name, as Keras does), 'min' or 'max'. */
  mode?: MonitorMode;
  /** Clock in ms since the Unix epoch (default Date.now); tests inject one. */
  now?: () => number;
}

export const CHECKPOINT_MANAGER_OPTIONS = optionNames<CheckpointManagerOptions>({
  maxToKeep: true, keepEveryNHours: true, monitor: true, mode: true, now: true,
});

/**
 * Opens the checkpoint directory `dir` (it need not exist yet): lists, restores, deletes and prunes
 * the checkpoints recorded in its `kiln-checkpoints.json` index — those `modelCheckpoint` writes,
 * or those saved with `mgr.save(model, …)`. `list()` gives each checkpoint's version, epoch, step,
 * time (ms since the epoch), metrics, size and SHA-256, oldest first.
 *
 * Retention follows TensorFlow's CheckpointManager — the newest `maxToKeep` stay; one leaving that
 * window is kept forever if it is at least `keepEveryNHours` after the last one kept that way, else
 * deleted — with one addition: the current best checkpoint (by the recorded monitor) is never
 * deleted, so `restore('best')` keeps working.
 *
 * ```ts
 * await model.fit(x, y, { epochs: 100, validationSplit: 0.2, callbacks: [
 *   kiln.callbacks.modelCheckpoint({ filepath: 'runs/ckpt/model.{epoch:02d}.keras', monitor: 'val_loss', saveBestOnly: true }),
 * ]});
 * const mgr = kiln.checkpointManager('runs/ckpt', { maxToKeep: 5, keepEveryNHours: 1 });
 * mgr.list();                          // [{ version, epoch, step, time, metrics, … }, …]
 * const m = await mgr.restore('best'); // or 'latest', a version number, or { epoch: 12 }
 * ```
 */
export function checkpointManager(dir: string, options: Spelled<CheckpointManagerOptions> = {}): CheckpointManager {
  if (typeof dir !== 'string' || dir === '') throw new ValueError(`checkpointManager: dir must be a non-empty path, found ${JSON.stringify(dir)}`);
  if (options === null || typeof options !== 'object') throw new ValueError(`checkpointManager: options must be an object, found ${JSON.stringify(options)}`);
  checkOptions('checkpointManager', options, CHECKPOINT_MANAGER_OPTIONS);
  const maxToKeep = option<number | null>(options, 'maxToKeep') ?? null;
  const keepEveryNHours = option<number | null>(options, 'keepEveryNHours') ?? null;
  const problem = checkRetentionOptions('checkpointManager', maxToKeep, keepEveryNHours);
  if (problem) throw new ValueError(problem);
  const monitor = option<string>(options, 'monitor') ?? null;
  if (monitor !== null && (typeof monitor !== 'string' || monitor === '')) {
    throw new ValueError(`checkpointManager: monitor must be a non-empty log key such as 'val_loss', found ${JSON.stringify(monitor)}`);
  }
  const mode = option<MonitorMode>(options, 'mode') ?? 'auto';
  if (mode !== 'auto' && mode !== 'min' && mode !== 'max') throw new ValueError(`checkpointManager: mode must be 'auto', 'min' or 'max', found ${JSON.stringify(mode)}`);
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new ValueError(`checkpointManager: now must be a function returning ms, found ${typeof now}`);
  return new CheckpointManager(dir, { maxToKeep, keepEveryNHours, monitor, mode, now });
}
