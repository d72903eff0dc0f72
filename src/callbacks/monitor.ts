import { ValueError } from '../errors.js';
import { option } from '../utils/args.js';
import type { OptionNameRecord } from '../utils/options.js';
import type { LogValue, Logs } from './callback.js';
import { Callback } from './callback.js';

/** How a monitored quantity improves: 'min' (lower is better), 'max', or 'auto' (inferred from its name). */
export type MonitorMode = 'auto' | 'min' | 'max';

// Keras 3 infers the direction from the compiled metric's `_direction`. Callbacks here see only the
// small CallbackModel, so the same directions are kept by name (those of kiln's metric classes).
const UP = new Set([
  'accuracy', 'acc', 'binary_accuracy', 'categorical_accuracy', 'sparse_categorical_accuracy',
  'top_k_categorical_accuracy', 'sparse_top_k_categorical_accuracy', 'auc', 'precision', 'recall',
  'f1_score', 'fbeta_score', 'r2_score', 'iou', 'mean_iou', 'binary_iou', 'one_hot_iou', 'one_hot_mean_iou',
]);
const DOWN = new Set([
  'loss', 'mse', 'mae', 'mape', 'msle', 'mean_squared_error', 'mean_absolute_error',
  'mean_absolute_percentage_error', 'mean_squared_logarithmic_error', 'root_mean_squared_error',
  'binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy',
  'hinge', 'squared_hinge', 'categorical_hinge', 'kl_divergence', 'kld', 'poisson', 'log_cosh_error', 'logcosh',
]);

/**
 * Resolves a monitor's mode to 'min' or 'max' as Keras 3's MonitorCallback does: an explicit mode
 * wins; 'auto' maps `loss`/`val_loss` and error/crossentropy metrics to 'min' and accuracy-like
 * metrics (accuracy, auc, precision, recall, f1, r2, iou) to 'max'. A name it cannot place is a
 * ValueError asking for an explicit mode, as in Keras 3.
 *
 * ```ts
 * resolveMode('val_accuracy', 'auto', 'EarlyStopping'); // 'max'
 * resolveMode('val_loss', 'auto', 'EarlyStopping');     // 'min'
 * ```
 */
export function resolveMode(monitor: string, mode: MonitorMode, owner: string): 'min' | 'max' {
  if (mode === 'min' || mode === 'max') return mode;
  const name = monitor.startsWith('val_') ? monitor.slice(4) : monitor;
  // Metric names get `_1`, `_2` suffixes when a model holds two of a kind (`auc_1`).
  const base = name.replace(/_\d+$/, '');
  for (const n of [name, base]) {
    if (UP.has(n)) return 'max';
    if (DOWN.has(n)) return 'min';
  }
  if (base.endsWith('_accuracy')) return 'max';
  if (base.endsWith('_crossentropy') || base.endsWith('_error') || base.endsWith('_loss')) return 'min';
  throw new ValueError(
    `${owner} callback received monitor=${monitor}, but kiln isn't able to automatically determine whether that ` +
      "metric should be maximized or minimized. Pass mode: 'max' to monitor based on the highest metric value, " +
      "or mode: 'min' to use the lowest value.",
  );
}

/** Options shared by callbacks that watch one logged quantity. */
export interface MonitorArgs {
  /** Logged quantity to watch (default `'val_loss'`). */
  monitor?: string;
  /** 'auto' (default), 'min' or 'max'. */
  mode?: MonitorMode;
  /** Smallest change that counts as an improvement (its absolute value is used). */
  minDelta?: number;
}

/** MonitorArgs' names, which each monitoring callback's own list extends. */
export const MONITOR_OPTIONS: OptionNameRecord<MonitorArgs> = { monitor: true, mode: true, minDelta: true };

/**
 * Base of callbacks that watch one logged quantity (Keras 3's MonitorCallback): one place for the
 * mode resolution, the min_delta sign and the improvement test. Not used directly.
 *
 * ```ts
 * class BestLoss extends MonitorCallback {
 *   constructor() { super('BestLoss', { monitor: 'loss' }, 0); }
 *   override onEpochEnd(_e: number, logs: Logs) {
 *     const v = this.monitorValue(logs, 'BestLoss');
 *     if (v !== null && this.isImprovement(v, this.best)) this.best = v;
 *   }
 * }
 * ```
 */
export class MonitorCallback extends Callback {
  readonly monitor: string;
  readonly mode: MonitorMode;
  /** Absolute minimum change; the sign is applied by `isImprovement` from the resolved direction. */
  readonly minDelta: number;
  /** Best value seen so far (null before the first). */
  best: number | null = null;
  private direction: 'min' | 'max' | null = null;
  /** Set by `setState`: the next `onTrainBegin` keeps the restored state instead of resetting it. */
  protected restored = false;

  constructor(protected readonly owner: string, args: MonitorArgs, defaultMinDelta: number) {
    super();
    this.monitor = option<string>(args, 'monitor') ?? 'val_loss';
    if (typeof this.monitor !== 'string' || this.monitor === '') {
      throw new ValueError(`${owner}: monitor must be a non-empty log key such as 'val_loss', found ${JSON.stringify(this.monitor)}`);
    }
    const mode = option<string>(args, 'mode') ?? 'auto';
    // Keras warns and falls back to 'auto' on an unknown mode; kiln treats bad input as an error.
    if (mode !== 'auto' && mode !== 'min' && mode !== 'max') {
      throw new ValueError(`${owner}: mode must be 'auto', 'min' or 'max', found ${JSON.stringify(mode)}`);
    }
    this.mode = mode;
    const minDelta = option<number>(args, 'minDelta') ?? defaultMinDelta;
    if (typeof minDelta !== 'number' || !Number.isFinite(minDelta)) {
      throw new ValueError(`${owner}: minDelta must be a finite number, found ${JSON.stringify(minDelta)}`);
    }
    this.minDelta = Math.abs(minDelta);
  }

  /** 'min' or 'max', resolved once (lazily, so a bad 'auto' name fails when training starts, as in Keras). */
  get resolvedMode(): 'min' | 'max' {
    return (this.direction ??= resolveMode(this.monitor, this.mode, this.owner));
  }

  /** Keras's `_is_improvement`: `current` beats `reference` by more than minDelta; anything beats null. */
  isImprovement(current: number, reference: number | null): boolean {
    if (reference === null) return true;
    return this.resolvedMode === 'min' ? current + this.minDelta < reference : current - this.minDelta > reference;
  }

  /** True once after `setState` (then cleared): lets `onTrainBegin` skip its reset on a resumed run. */
  protected takeRestored(): boolean {
    const r = this.restored;
    this.restored = false;
    return r;
  }

  /** The monitored value from `logs`, or null with Keras's warning naming the available keys. */
  protected monitorValue(logs: Logs | undefined, what: string): number | null {
    const v = logs?.[this.monitor];
    if (v === undefined || v === null) {
      console.warn(`${what} conditioned on metric \`${this.monitor}\` which is not available. Available metrics are: ${Object.keys(logs ?? {}).join(',')}`);
      return null;
    }
    return scalarMonitored(v, this.monitor, this.owner);
  }
}

/**
 * A monitored log value, which must be one number: a per-class array (F1Score with average null)
 * has no "better", so it is a ValueError naming the monitor rather than a comparison of arrays.
 */
export function scalarMonitored(v: LogValue, monitor: string, owner: string): number {
  if (typeof v === 'number') return v;
  throw new ValueError(
    `${owner}: monitor '${monitor}' is an array of per-class values, which cannot be compared; monitor a single ` +
      "number (e.g. give F1Score/FBetaScore average: 'macro', or monitor 'val_loss')",
  );
}

/** Reads a finite number from a callback's saved state, or throws a ValueError naming the key. */
export function stateNumber(state: Record<string, unknown>, key: string, owner: string): number {
  const v = state[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${owner}.setState: '${key}' must be a finite number, found ${JSON.stringify(v)}`);
  return v;
}

/** Like `stateNumber`, for values that may be null (a best value not yet seen); NaN/±Infinity pass. */
export function stateNumberOrNull(state: Record<string, unknown>, key: string, owner: string): number | null {
  const v = state[key] ?? null;
  if (v !== null && typeof v !== 'number') throw new ValueError(`${owner}.setState: '${key}' must be a number or null, found ${JSON.stringify(v)}`);
  return v;
}
