import type { Tensor } from '../core/tensor.js';
import type { StepRecord } from './step_record.js';
import type { TrainingEvent } from './training_event.js';
import type { TrainingLoop } from './training_loop.js';

/** Numbers logged during training: `loss`, metric names, and `val_`-prefixed validation values. */
/** One logged value: a number, or a metric's per-class array (F1Score with average null) or matrix. */
export type LogValue = number | number[] | number[][];

export type Logs = Record<string, LogValue>;

/** What `fit`/`evaluate`/`predict` tell callbacks about the run (Keras's `callback.params`). */
export interface CallbackParams {
  epochs: number;
  /** Batches per epoch (or per evaluation/prediction pass). */
  steps: number;
  verbose: number;
  /** Names of the logged values, in display order (`loss`, metrics, then `val_` ones). */
  metrics: string[];
  /** `fit`'s settings (batch size, validation split, …) as plain JSON, for run records; absent outside `fit`. */
  settings?: Record<string, unknown>;
}

/** What a run record says about the model (`CallbackModel.runInfo`). */
export interface RunModelInfo {
  name: string;
  className: string;
  /** Keras's summary table, as `model.summary()` prints it. */
  summary: string;
  params: { total: number; trainable: number };
  /** The loss as compiled (a name, or a loss object's class name), null before compile. */
  loss: string | null;
  /** The optimizer's config (Keras's `get_config`), null before compile. */
  optimizer: Record<string, unknown> | null;
  /** The compiled metrics' log names. */
  metrics: string[];
}

/**
 * The small view of a model that callbacks see. Callbacks never depend on the whole Model class,
 * which keeps the dependency arrow one way (models → callbacks) and lets a callback be tested
 * against any object with this shape.
 */
export interface CallbackModel {
  /** Set to true from any hook to end `fit` after the current batch. */
  stopTraining: boolean;
  getWeights(): Tensor[];
  setWeights(weights: Tensor[]): void;
  /** The compiled optimizer (null before compile); callbacks such as reduceLROnPlateau read and set its learning rate. */
  readonly optimizer?: { learningRate: number } | null;
  /**
   * Whether the compiled metric logged as `name` improves 'up' or 'down' (null: it does not say);
   * undefined when no compiled metric has that name. Monitoring callbacks resolve mode 'auto' here.
   */
  metricDirection?(name: string): 'up' | 'down' | null | undefined;
  /** Saves the whole model (`.keras`/`.h5`); modelCheckpoint uses it. */
  save?(path: string): Promise<void>;
  /** Saves the weights (`.weights.h5`); modelCheckpoint uses it with saveWeightsOnly. */
  saveWeights?(path: string): Promise<void>;
  /** The model's name, summary and compile settings, for run records (jsonlLogger, the report). */
  runInfo?(): RunModelInfo;
}

/**
 * Base class of every callback, with Keras's hooks. Override the ones you need; each may be async
 * (fit awaits it).
 *
 * ```ts
 * class StopAtLoss extends kiln.callbacks.Callback {
 *   override onEpochEnd(epoch: number, logs: kiln.Logs) {
 *     if ((logs.loss as number) < 0.1) this.model!.stopTraining = true;
 *   }
 * }
 * await model.fit(x, y, { epochs: 50, callbacks: [new StopAtLoss()] });
 * ```
 */
export class Callback {
  model: CallbackModel | null = null;
  params: CallbackParams = { epochs: 1, steps: 0, verbose: 0, metrics: [] };

  setModel(model: CallbackModel): void {
    this.model = model;
  }
  setParams(params: CallbackParams): void {
    this.params = params;
  }

  /**
   * A callback contributes its own state to checkpoints through these (early stopping's wait/best,
   * LR-on-plateau's cooldown, …): `getState` returns plain JSON-compatible values, or Tensors /
   * arrays of Tensors for weights; `setState` takes back what `getState` returned. A callback
   * restored with `setState` keeps that state through the next `onTrainBegin` instead of resetting.
   */
  getState?(): Record<string, unknown>;
  setState?(state: Record<string, unknown>): void;

  /**
   * Runs in `fit` before any callback's `onTrainBegin`, with the loop itself: a callback that
   * restores training (backupAndRestore) puts a saved state back here, so the other callbacks'
   * `onTrainBegin` already see their restored state.
   */
  onTrainSetup?(loop: TrainingLoop): void | Promise<void>;
  /**
   * Runs after every callback has handled a batch end (`at: 'batch'`) or an epoch end (`'epoch'`):
   * the points where `loop.capture()` holds a consistent, resumable state.
   */
  onResumePoint?(loop: TrainingLoop, at: 'batch' | 'epoch'): void | Promise<void>;
  /** Runs instead of `onEpochBegin` when `fit` resumes in the middle of an epoch (`stepsDone` batches done). */
  onEpochResume?(epoch: number, stepsDone: number): void | Promise<void>;
  /** Runs when `fit` fails with `error` (after which it rethrows): release locks, keep backups. */
  onTrainAbort?(error: unknown): void | Promise<void>;
  /** Receives each event the training-health monitor raises (loggers write them into their records). */
  onTrainingEvent?(event: TrainingEvent): void;
  /**
   * A callback that wants to see inside training steps (the monitor, TensorBoard's gradient
   * histograms) says here which global steps to inspect; an inspected step's {@link StepRecord}
   * carries per-layer statistics. Inspection costs a few reductions, so it is asked for, not always on.
   */
  inspectStep?(globalStep: number): boolean | { gradients: true };
  /**
   * A checkpointing callback lists what it saved (0-based epoch, absolute path), so the monitor's
   * overfitting event can say which checkpoint to restore.
   */
  savedCheckpoints?(): { epoch: number; batch: number | null; path: string }[];
  /** Receives every training step's record (its batch loss, and layer statistics when inspected). */
  onTrainStep?(record: StepRecord): void;

  onTrainBegin(_logs: Logs): void | Promise<void> {}
  onTrainEnd(_logs: Logs): void | Promise<void> {}
  onEpochBegin(_epoch: number, _logs: Logs): void | Promise<void> {}
  onEpochEnd(_epoch: number, _logs: Logs): void | Promise<void> {}
  /** Runs before each training batch; by default forwards to `onBatchBegin` (the Keras 2 / tfjs name). */
  onTrainBatchBegin(batch: number, logs: Logs): void | Promise<void> {
    return this.onBatchBegin(batch, logs);
  }
  /** Runs after each training batch; by default forwards to `onBatchEnd` (the Keras 2 / tfjs name). */
  onTrainBatchEnd(batch: number, logs: Logs): void | Promise<void> {
    return this.onBatchEnd(batch, logs);
  }
  onTestBegin(_logs: Logs): void | Promise<void> {}
  onTestEnd(_logs: Logs): void | Promise<void> {}
  onTestBatchBegin(_batch: number, _logs: Logs): void | Promise<void> {}
  onTestBatchEnd(_batch: number, _logs: Logs): void | Promise<void> {}
  onPredictBegin(_logs: Logs): void | Promise<void> {}
  onPredictEnd(_logs: Logs): void | Promise<void> {}
  onPredictBatchBegin(_batch: number, _logs: Logs): void | Promise<void> {}
  onPredictBatchEnd(_batch: number, _logs: Logs): void | Promise<void> {}

  onBatchBegin(_batch: number, _logs: Logs): void | Promise<void> {}
  onBatchEnd(_batch: number, _logs: Logs): void | Promise<void> {}
}

type HookName = {
  [K in keyof Callback]-?: Callback[K] extends (...args: never[]) => void | Promise<void> ? K : never;
}[keyof Callback];

/** Runs a list of callbacks in order, awaiting only the hooks that return a promise. */
export class CallbackList {
  constructor(readonly callbacks: Callback[]) {}

  setModel(model: CallbackModel): void {
    for (const cb of this.callbacks) cb.setModel(model);
  }
  setParams(params: CallbackParams): void {
    for (const cb of this.callbacks) cb.setParams(params);
  }

  /** Runs an optional hook (onTrainSetup, onResumePoint, …) on the callbacks that have it. */
  async callOptional<K extends 'onTrainSetup' | 'onResumePoint' | 'onEpochResume' | 'onTrainAbort' | 'onTrainingEvent'>(
    hook: K, ...args: Parameters<NonNullable<Callback[K]>>
  ): Promise<void> {
    for (const cb of this.callbacks) {
      const fn = cb[hook] as ((...a: unknown[]) => void | Promise<void>) | undefined;
      if (!fn) continue;
      const r = fn.apply(cb, args);
      if (r instanceof Promise) await r;
    }
  }

  async call(hook: Exclude<HookName, 'setModel' | 'setParams' | 'getState' | 'setState' | 'onTrainSetup' | 'onResumePoint' | 'onEpochResume' | 'onTrainAbort' | 'onTrainingEvent' | 'inspectStep' | 'onTrainStep'>, ...args: [number, Logs] | [Logs]): Promise<void> {
    for (const cb of this.callbacks) {
      const fn = cb[hook] as (...a: unknown[]) => void | Promise<void>;
      const r = fn.apply(cb, args);
      if (r instanceof Promise) await r;
    }
  }
}
