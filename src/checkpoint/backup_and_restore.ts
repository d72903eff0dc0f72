import type { Spelled } from '../utils/options.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { getBackend } from '../core/backend_registry.js';
import { BackupStore } from './backup_store.js';
import { makeDirectory, removeDirectoryIfEmpty } from './checkpoint_fs.js';
import { CheckpointError } from './errors.js';
import { acquireLock } from './lock.js';
import { ValueError } from '../errors.js';
import { option } from '../utils/args.js';
import type { Logs } from '../callbacks/callback.js';
import { Callback } from '../callbacks/callback.js';
import { nonFiniteWeight } from './non_finite.js';
import type { LoopPlan, TrainingLoop, TrainingSnapshot } from '../callbacks/training_loop.js';

export interface BackupAndRestoreArgs {
  /** Directory for the backups and the lock file; created if missing. */
  backupDir: string;
  /** 'epoch' (default): back up at each epoch end; a number N: every N training batches (counted across epochs). */
  saveFreq?: 'epoch' | number;
  /** Delete the backups when training ends normally (default true, as in Keras). */
  deleteCheckpoint?: boolean;
}

export const BACKUP_AND_RESTORE_OPTIONS = optionNames<BackupAndRestoreArgs>({ backupDir: true, saveFreq: true, deleteCheckpoint: true });

/** The plan fields that must match for a resumed run to continue the same run. */
const MUST_MATCH: (keyof LoopPlan)[] = ['batchSize', 'stepsPerEpoch', 'shuffle', 'trainSamples', 'validationSamples'];

/**
 * Backs up the whole training state during `fit` and resumes from it when the same script runs
 * again after a crash, a `kill -9` or a power loss — exactly: the resumed run ends with the same
 * weights, optimizer state, History and callback decisions, bit for bit, as a run that never
 * stopped, also when the backup was taken mid-epoch (Keras's BackupAndRestore resumes at epoch
 * starts only and forgets random streams, data order and callback state).
 *
 * A backup holds weights, optimizer state, position (epoch, batch, global step, pass), every random
 * stream, the epoch's shuffle order of array data (a Dataset's order is not saved: it is remade from
 * the pass number, and the Dataset's fingerprint must match), streaming metric states, History and the state of every
 * callback with `getState` (earlyStopping, reduceLROnPlateau, modelCheckpoint, your own). Each is
 * written to a temporary file, fsynced and renamed, with a manifest of SHA-256 checksums; the
 * previous backup is kept, and a damaged newest one is skipped with a warning. A lock file with the
 * owner's pid stops two processes from sharing the directory; a dead owner's lock is taken over.
 * A backup is never written while the loss or a weight is NaN/Infinity.
 *
 * ```ts
 * await model.fit(x, y, {
 *   epochs: 100, batchSize: 32,
 *   callbacks: [kiln.callbacks.backupAndRestore({ backupDir: 'runs/fraud/backup', saveFreq: 200 })],
 * });
 * ```
 */
export class BackupAndRestore extends Callback {
  readonly backupDir: string;
  readonly saveFreq: 'epoch' | number;
  readonly deleteCheckpoint: boolean;
  /** Where the run was restored from (null for a fresh run). */
  restoredFrom: string | null = null;
  /** The newest backup written by this run. */
  lastBackup: string | null = null;
  private store: BackupStore;
  private lock: { release(): void } | null = null;
  private lastLogs: Logs = {};

  constructor(args: Spelled<BackupAndRestoreArgs>) {
    super();
    if (args === null || typeof args !== 'object') throw new ValueError(`BackupAndRestore: expected an options object with backupDir, found ${JSON.stringify(args)}`);
    checkOptions('BackupAndRestore', args, BACKUP_AND_RESTORE_OPTIONS);
    const dir = option<string>(args, 'backupDir');
    if (typeof dir !== 'string' || dir === '') throw new ValueError(`BackupAndRestore: backupDir must be a non-empty string, found ${JSON.stringify(dir)}`);
    const freq = option<'epoch' | number>(args, 'saveFreq') ?? 'epoch';
    if (freq !== 'epoch' && !(typeof freq === 'number' && Number.isInteger(freq) && freq > 0)) {
      throw new ValueError(`BackupAndRestore: saveFreq must be 'epoch' or a positive integer number of batches, found ${JSON.stringify(freq)}`);
    }
    this.backupDir = dir;
    this.saveFreq = freq;
    this.deleteCheckpoint = option<boolean>(args, 'deleteCheckpoint') ?? true;
    this.store = new BackupStore(dir);
  }

  override async onTrainSetup(loop: TrainingLoop): Promise<void> {
    makeDirectory(this.backupDir, 'backup directory');
    this.lock = acquireLock(this.backupDir);
    this.restoredFrom = null;
    this.lastBackup = null;
    this.store.removeLeftovers();
    const found = this.store.latestValid((m) => console.warn(m));
    if (!found) return;
    this.checkCompatible(found.snapshot, found.path, loop);
    loop.restore(found.snapshot);
    this.restoredFrom = found.path;
    this.lastBackup = found.path;
    this.lastLogs = found.snapshot.logs;
  }

  override async onResumePoint(loop: TrainingLoop, at: 'batch' | 'epoch'): Promise<void> {
    const due = this.saveFreq === 'epoch' ? at === 'epoch' : at === 'batch' && loop.position.globalStep % this.saveFreq === 0;
    if (!due) return;
    const snapshot = loop.capture();
    this.lastLogs = snapshot.logs;
    const bad = nonFinite(snapshot);
    if (bad) {
      console.warn(
        `kiln: not writing a backup at epoch ${loop.position.epoch + (at === 'epoch' ? 0 : 1)}, step ${loop.position.globalStep}: ${bad}; ` +
          `the last good backup${this.lastBackup ? ` ('${this.lastBackup}')` : ''} is kept`,
      );
      return;
    }
    this.lastBackup = await this.store.write(snapshot);
  }

  override onTrainEnd(logs: Logs): void {
    try {
      if (!this.deleteCheckpoint) return;
      const loss = logs['loss'] ?? this.lastLogs['loss'];
      if (loss !== undefined && !Number.isFinite(loss)) {
        console.warn(`kiln: training ended with loss ${loss}; keeping the backups in '${this.backupDir}' so an earlier state can be restored`);
        return;
      }
      if (!this.store.clear()) return;
    } finally {
      this.releaseLock();
    }
    // Left in place when not empty (the user keeps other files there). Training has succeeded, so
    // a directory that cannot be removed is only worth a warning.
    try {
      removeDirectoryIfEmpty(this.backupDir, 'backup directory');
    } catch (e) {
      if (!(e instanceof CheckpointError)) throw e;
      console.warn(`kiln: training finished, but ${e.message.replace(/; the previous checkpoint is left intact$/, '')}`);
    }
  }

  override onTrainAbort(): void {
    // The backups stay: they are what the next run resumes from.
    this.releaseLock();
  }

  private releaseLock(): void {
    this.lock?.release();
    this.lock = null;
  }

  private checkCompatible(s: TrainingSnapshot, path: string, loop: TrainingLoop): void {
    const at = `the backup '${path}' (epoch ${s.position.epoch + 1}, step ${s.position.globalStep})`;
    for (const key of MUST_MATCH) {
      if (s.plan?.[key] !== loop.plan[key]) {
        throw new CheckpointError(
          `${at} was made with ${key} ${JSON.stringify(s.plan?.[key])}, but this fit has ${key} ${JSON.stringify(loop.plan[key])}` +
            (key === 'batchSize' || key === 'shuffle' ? '. ' : ' (sample and batch counts follow from x, validationSplit/validationData and batchSize). ') +
            `Resume with the same data and fit options, or delete '${this.backupDir}' to start over.`,
        );
      }
    }
    if (s.dataFingerprint !== loop.dataFingerprint()) {
      throw new CheckpointError(
        `${at} was made on different data (its SHA-256 differs from this fit's x, y and validation data). ` +
          `Resume with the same data, or delete '${this.backupDir}' to start over.`,
      );
    }
    if (s.backend !== getBackend()) {
      console.warn(`kiln: ${at} was made on the '${s.backend}' backend; resuming on another one continues the run, but not bit for bit`);
    }
  }
}

/** Why a snapshot must not be saved (a non-finite loss or weight), or null. */
function nonFinite(s: TrainingSnapshot): string | null {
  const loss = s.logs['loss'];
  if (loss !== undefined && !Number.isFinite(loss)) return `the loss is ${loss}`;
  return nonFiniteWeight(s.weights);
}
