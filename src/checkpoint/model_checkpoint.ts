import type { Spelled } from '../utils/options.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { dirname, resolve } from 'node:path';
import { ValueError } from '../errors.js';
import type { CheckpointManager } from './manager.js';
import { checkpointManager } from './manager_api.js';
import { exists, prepareWrite } from './checkpoint_fs.js';
import { asSaveError } from './checkpoint_index.js';
import { checkRetentionOptions } from './retention.js';
import { option } from '../utils/args.js';
import type { Logs } from '../callbacks/callback.js';
import { nonFiniteWeight } from './non_finite.js';
import type { FormatValue } from '../callbacks/format_path.js';
import { formatPython, formatValue } from '../callbacks/format_path.js';
import type { MonitorMode } from '../callbacks/monitor.js';
import { MonitorCallback, scalarMonitored, stateNumber, stateNumberOrNull } from '../callbacks/monitor.js';

export interface ModelCheckpointArgs {
  /** Where to save; may hold `{epoch}`, `{batch}` and log keys with Python format specs (`{val_loss:.4f}`). */
  filepath: string;
  /** Logged quantity that decides "best" (default `'val_loss'`). */
  monitor?: string;
  /** 0 silent (default), 1 prints a line whenever the callback acts. */
  verbose?: number;
  /** Save only when the monitored value improves (default false). */
  saveBestOnly?: boolean;
  /** Save weights (`.weights.h5`) instead of the whole model (`.keras`/`.h5`) (default false). */
  saveWeightsOnly?: boolean;
  /** 'auto' (default), 'min' or 'max'. */
  mode?: MonitorMode;
  /** 'epoch' (default) or a number of training batches, counted across epochs. */
  saveFreq?: 'epoch' | number;
  /** Starting "best" value: with saveBestOnly, nothing is saved until a value beats it. */
  initialValueThreshold?: number | null;
  /**
   * Keep only the newest N checkpoints in the file's directory (default null: keep all); older ones
   * are deleted, except the current best and those kept by keepEveryNHours. See `checkpointManager`.
   */
  maxToKeep?: number | null;
  /** Of the checkpoints leaving the newest maxToKeep, keep one forever every N hours (TF's keep_checkpoint_every_n_hours). */
  keepEveryNHours?: number | null;
}

export const MODEL_CHECKPOINT_OPTIONS = optionNames<ModelCheckpointArgs>({
  filepath: true, monitor: true, verbose: true, saveBestOnly: true, saveWeightsOnly: true, mode: true, saveFreq: true,
  initialValueThreshold: true, maxToKeep: true, keepEveryNHours: true,
});

/**
 * Saves the model or its weights during `fit` (Keras 3's ModelCheckpoint): after every epoch or
 * every `saveFreq` batches, optionally only when `monitor` improves. The path is formatted with
 * Python's `str.format` rules — `{epoch}` and `{batch}` are 1-based — and its directory is created.
 *
 * kiln additions: every saved file is recorded (epoch, step, metrics, SHA-256) in its directory's
 * `kiln-checkpoints.json` index, so `kiln.checkpointManager(dir)` can list and restore it, and
 * `maxToKeep` / `keepEveryNHours` prune old files. A save is skipped, with a warning, when the loss
 * (or the monitored value) or any weight is NaN/±Infinity, so a diverged run never overwrites good
 * checkpoints. A failed write (disk full, permission denied) stops `fit` with a CheckpointWriteError.
 *
 * ```ts
 * const ckpt = kiln.callbacks.modelCheckpoint({
 *   filepath: 'runs/ckpt/model.{epoch:02d}-{val_loss:.4f}.keras', monitor: 'val_loss', saveBestOnly: true,
 * });
 * await model.fit(x, y, { epochs: 10, validationSplit: 0.2, callbacks: [ckpt] });
 * ```
 */
export class ModelCheckpoint extends MonitorCallback {
  readonly filepath: string;
  readonly verbose: number;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly saveFreq: 'epoch' | number;
  /** Batches run since the last batch-frequency save (across epochs, as in Keras). */
  batchesSinceLastSave = 0;
  /** 0-based index of the last batch seen; a smaller one means a new epoch began. */
  lastBatchSeen = 0;
  currentEpoch = 0;
  readonly maxToKeep: number | null;
  readonly keepEveryNHours: number | null;
  /** One checkpoint manager per directory the formatted paths land in. */
  private readonly managers = new Map<string, CheckpointManager>();
  /** Files this callback wrote in this process, oldest first (the monitor names one to restore). */
  private readonly saved: { epoch: number; batch: number | null; path: string }[] = [];

  /** The checkpoints this callback saved, oldest first: `{ epoch (0-based), batch (null: epoch end), path }`. */
  override savedCheckpoints(): { epoch: number; batch: number | null; path: string }[] {
    return [...this.saved];
  }

  constructor(args: Spelled<ModelCheckpointArgs>) {
    if (args === null || typeof args !== 'object') throw new ValueError(`ModelCheckpoint: expected an options object with filepath, found ${JSON.stringify(args)}`);
    checkOptions('ModelCheckpoint', args, MODEL_CHECKPOINT_OPTIONS);
    // ModelCheckpoint takes no min_delta in Keras: any strict improvement counts.
    super('ModelCheckpoint', { monitor: option<string>(args, 'monitor'), mode: option<MonitorMode>(args, 'mode') }, 0);
    const filepath = option<string>(args, 'filepath');
    if (typeof filepath !== 'string' || filepath === '') throw new ValueError(`ModelCheckpoint: filepath must be a non-empty string, found ${JSON.stringify(filepath)}`);
    this.filepath = filepath;
    this.verbose = option<number>(args, 'verbose') ?? 0;
    this.saveBestOnly = option<boolean>(args, 'saveBestOnly') ?? false;
    this.saveWeightsOnly = option<boolean>(args, 'saveWeightsOnly') ?? false;
    const freq = option<'epoch' | number>(args, 'saveFreq') ?? 'epoch';
    // Keras accepts any int; a non-positive one would save after every batch, so kiln refuses it.
    if (freq !== 'epoch' && !(typeof freq === 'number' && Number.isInteger(freq) && freq > 0)) {
      throw new ValueError(`ModelCheckpoint: unrecognized saveFreq ${JSON.stringify(freq)}; expected 'epoch' or a positive integer number of batches`);
    }
    this.saveFreq = freq;
    const threshold = option<number | null>(args, 'initialValueThreshold') ?? null;
    if (threshold !== null && typeof threshold !== 'number') {
      throw new ValueError(`ModelCheckpoint: initialValueThreshold must be a number or null, found ${JSON.stringify(threshold)}`);
    }
    this.best = threshold;
    // The same extension rules as Keras 3, checked on the template.
    if (this.saveWeightsOnly) {
      if (!filepath.endsWith('.weights.h5')) {
        throw new ValueError(`ModelCheckpoint: with saveWeightsOnly: true the filepath must end in '.weights.h5' (Keras weights format), found filepath=${filepath}`);
      }
    } else if (!filepath.endsWith('.keras') && !filepath.endsWith('.h5')) {
      throw new ValueError(`ModelCheckpoint: the filepath must end in '.keras' (Keras model format) or '.h5', found filepath=${filepath}`);
    }
    this.maxToKeep = option<number | null>(args, 'maxToKeep') ?? null;
    this.keepEveryNHours = option<number | null>(args, 'keepEveryNHours') ?? null;
    const problem = checkRetentionOptions('ModelCheckpoint', this.maxToKeep, this.keepEveryNHours);
    if (problem) throw new ValueError(problem);
  }

  override onTrainBegin(_logs?: Logs): void {
    // `best` deliberately survives across fit calls, as in Keras; only the direction is checked here.
    if (this.saveBestOnly) void this.resolvedMode;
  }

  override onEpochBegin(epoch: number, _logs?: Logs): void {
    this.currentEpoch = epoch;
  }

  override async onTrainBatchEnd(batch: number, logs: Logs): Promise<void> {
    if (this.shouldSaveOnBatch(batch)) await this.saveModel(this.currentEpoch, batch, logs);
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (this.saveFreq === 'epoch') await this.saveModel(epoch, null, logs);
  }

  private shouldSaveOnBatch(batch: number): boolean {
    if (this.saveFreq === 'epoch') return false;
    // A batch index not past the last one means a new epoch: its batches count from zero.
    this.batchesSinceLastSave += batch <= this.lastBatchSeen ? batch + 1 : batch - this.lastBatchSeen;
    this.lastBatchSeen = batch;
    if (this.batchesSinceLastSave < this.saveFreq) return false;
    this.batchesSinceLastSave = 0;
    return true;
  }

  /** The path for this save: Python `str.format` with 1-based epoch (and batch, unless logs hold one). */
  filePathFor(epoch: number, batch: number | null, logs: Logs): string {
    // Per-class arrays have no Python format spec here; only numbers can be named in the path.
    const values: Record<string, FormatValue> = Object.fromEntries(Object.entries(logs).filter((e): e is [string, number] => typeof e[1] === 'number'));
    values['epoch'] = BigInt(epoch + 1);
    if (batch !== null && !('batch' in logs)) values['batch'] = BigInt(batch + 1);
    try {
      return formatPython(this.filepath, values);
    } catch (e) {
      throw new ValueError(`ModelCheckpoint: failed to format the filepath "${this.filepath}": ${(e as Error).message}`);
    }
  }

  private shouldSave(epoch: number, logs: Logs, filepath: string): boolean {
    if (!this.saveBestOnly) {
      if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: saving model to ${filepath}`);
      return true;
    }
    const logged = logs[this.monitor];
    if (logged === undefined || logged === null) {
      console.warn(`Can save best model only with ${this.monitor} available.`);
      return true;
    }
    const current = scalarMonitored(logged, this.monitor, 'ModelCheckpoint');
    // Keras starts `best` at ±inf, which Python prints as 'inf'/'-inf' with `:.5f`.
    const reference = this.best ?? (this.resolvedMode === 'min' ? Infinity : -Infinity);
    const bestStr = formatValue(reference, '.5f');
    if (this.isImprovement(current, this.best)) {
      if (this.verbose > 0) {
        console.log(`Epoch ${epoch + 1}: ${this.monitor} improved from ${bestStr} to ${formatValue(current, '.5f')}, saving model to ${filepath}`);
      }
      this.best = current;
      return true;
    }
    if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: ${this.monitor} did not improve from ${bestStr}`);
    return false;
  }

  private async saveModel(epoch: number, batch: number | null, logs: Logs): Promise<void> {
    const filepath = this.filePathFor(epoch, batch, logs);
    // Before shouldSave, so a NaN never becomes `best` either.
    const nonFinite = this.nonFiniteReason(logs);
    if (nonFinite !== null) {
      console.warn(`Epoch ${epoch + 1}: not saving model to ${filepath}: ${nonFinite}; the last saved checkpoint is kept`);
      return;
    }
    if (!this.shouldSave(epoch, logs, filepath)) return;
    // ENOTDIR here: a part of the path is a file.
    const st = prepareWrite(filepath, 'checkpoint');
    if (st?.isDirectory()) {
      throw new ValueError(`ModelCheckpoint: please specify a non-directory filepath; the filepath used is an existing directory: ${filepath}`);
    }
    const model = this.model!;
    const save = this.saveWeightsOnly ? model.saveWeights : model.save;
    if (!save) {
      throw new ValueError(`ModelCheckpoint: the model has no ${this.saveWeightsOnly ? 'saveWeights' : 'save'}(path) method, so it cannot be checkpointed`);
    }
    try {
      await save.call(model, filepath);
    } catch (e) {
      // The model writers are atomic: whatever failed, the file at `filepath` (if any) is the old one.
      throw asSaveError(e, filepath);
    }
    await this.register(filepath, epoch, batch, logs);
    this.saved.push({ epoch, batch, path: resolve(filepath) });
    if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: finished saving model to ${filepath}`);
  }

  /** Why this save must be skipped (a non-finite loss, monitored value or weight), or null. */
  private nonFiniteReason(logs: Logs): string | null {
    for (const key of new Set(['loss', this.monitor])) {
      const v = logs[key];
      if (typeof v === 'number' && !Number.isFinite(v)) return `${key} is ${v}`;
    }
    return nonFiniteWeight(this.model?.getWeights() ?? []);
  }

  /** Records the file in its directory's checkpoint index (a model whose save wrote no file there is not indexed). */
  private async register(filepath: string, epoch: number, batch: number | null, logs: Logs): Promise<void> {
    if (!exists(filepath)) return;
    const dir = resolve(dirname(filepath));
    let mgr = this.managers.get(dir);
    if (!mgr) {
      mgr = checkpointManager(dir, { maxToKeep: this.maxToKeep, keepEveryNHours: this.keepEveryNHours });
      this.managers.set(dir, mgr);
    }
    let mode: 'min' | 'max' | undefined;
    try {
      mode = this.resolvedMode;
    } catch {
      mode = undefined; // a monitor whose direction cannot be inferred: 'best' then needs an explicit mode
    }
    const steps = this.params.steps;
    const step = epoch * steps + (batch === null ? steps : batch + 1);
    // The monitor is recorded only when logged (the default 'val_loss' without validation data is not).
    const monitored = typeof logs[this.monitor] === 'number';
    await mgr.record(resolve(filepath), {
      epoch: epoch + 1, step, logs, kind: this.saveWeightsOnly ? 'weights' : 'model',
      ...(monitored ? { monitor: this.monitor, mode } : {}),
    });
  }

  /** best, the batch counters and the current epoch, so a resumed run saves at the same points. */
  override getState(): Record<string, unknown> {
    return { best: this.best, batches_seen_since_last_saving: this.batchesSinceLastSave, last_batch_seen: this.lastBatchSeen, current_epoch: this.currentEpoch };
  }

  override setState(state: Record<string, unknown>): void {
    this.best = stateNumberOrNull(state, 'best', 'ModelCheckpoint');
    this.batchesSinceLastSave = stateNumber(state, 'batches_seen_since_last_saving', 'ModelCheckpoint');
    this.lastBatchSeen = stateNumber(state, 'last_batch_seen', 'ModelCheckpoint');
    this.currentEpoch = stateNumber(state, 'current_epoch', 'ModelCheckpoint');
    this.restored = true;
  }
}
