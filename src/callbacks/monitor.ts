import { ValueError } from '../errors.js';
import { option } from '../utils/args.js';
import type { OptionNameRecord } from '../utils/options.js';
import type { LogValue, Logs } from './callback.js';
import { Callback } from './callback.js';
import type { CallbackModel } from './callback.js';
import { metricDirection } from '../metrics/index.js';

/** How a monitored quantity improves: 'min' (lower is better), 'max', or 'auto' (inferred from its name). */
export type MonitorMode = 'auto' | 'min' | 'max';

/** What resolveMode asks a model: the direction of the compiled metric logged under a name. */
export interface MetricDirections {
  metricDirection?(name: string): 'up' | 'down' | null | undefined;
}

/**
 * Resolves a monitor's mode to 'min' or 'max' as Keras 3's MonitorCallback (`_set_monitor_op`)
 * does, with each metric's own `direction` as the one source for "higher is better":
 * 1. an explicit mode wins;
 * 2. `loss` (and `<output>_loss`), with or without `val_`, is minimized;
 * 3. a metric the model was compiled with, found by its log name, gives its own direction;
 * 4. with no compiled metric of that name (no model yet, or checkpointManager reading an index),
 *    the built-in metric of that name does (`auc_1` is the second `auc`);
 * 5. anything else, or a metric without a direction, is a ValueError asking for an explicit mode.
 *
 * ```ts
 * resolveMode('val_accuracy', 'auto', 'EarlyStopping'); // 'max'
 * resolveMode('val_loss', 'auto', 'EarlyStopping');     // 'min'
 * resolveMode('val_my_score', 'auto', 'EarlyStopping', model); // my_score's own direction
 * ```
 */
export function resolveMode(monitor: string, mode: MonitorMode, owner: string, model?: MetricDirections | null): 'min' | 'max' {
  if (mode === 'min' || mode === 'max') return mode;
  const name = monitor.startsWith('val_') ? monitor.slice(4) : monitor;
  if (name === 'loss' || name.endsWith('_loss')) return 'min';
  let direction = model?.metricDirection?.(name);
  if (direction === undefined) {
    // Metric names get `_1`, `_2` suffixes when a model holds two of a kind (`auc_1`).
    direction = metricDirection(name);
    if (direction === null && /_\d+$/.test(name)) direction = metricDirection(name.replace(/_\d+$/, ''));
  }
  if (direction === 'up') return 'max';
  if (direction === 'down') return 'min';
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

  /**
   * 'min' or 'max', resolved once per model (lazily, so a bad 'auto' name fails when training
   * starts, and a custom metric's direction is read from the model it is compiled into).
   */
  get resolvedMode(): 'min' | 'max' {
    return (this.direction ??= resolveMode(this.monitor, this.mode, this.owner, this.model));
  }

  override setModel(model: CallbackModel): void {
    if (model !== this.model) this.direction = null;
    super.setModel(model);
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
