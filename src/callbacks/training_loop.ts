import type { Tensor } from '../core/tensor.js';
import type { LogValue, Logs } from './callback.js';
import type { TrainingEvent } from './training_event.js';

/** Where a fit loop stands: the 0-based epoch, batches done in it, and batches done in all. */
export interface LoopPosition {
  epoch: number;
  /** Batches of `epoch` already trained (0 at an epoch's start; `stepsPerEpoch` after its last batch). */
  stepsDone: number;
  /** Training batches run since the run began (including those before a restore). */
  globalStep: number;
  /**
   * Batches of the current pass over the data already taken. Equal to `stepsDone` unless
   * `stepsPerEpoch` is given: then a pass may span epochs (fewer steps than batches) and the next
   * epoch continues it, as Keras's epoch iterator does. Missing in backups written before it existed.
   */
  passStep: number;
  /**
   * Which pass over the data the loop is in (it starts at `initialEpoch`, and equals the epoch
   * unless `stepsPerEpoch` is given). A Dataset's batches are a function of (pass, batch index), so
   * this and `passStep` are all a backup needs to continue a Dataset's order. Missing in backups
   * written before it existed (they were made on arrays, whose order is saved as `shuffleOrder`).
   */
  pass?: number;
}

/** What must not change between a run and its resumption: the data and how it is cut into batches. */
export interface LoopPlan {
  epochs: number;
  initialEpoch: number;
  batchSize: number;
  stepsPerEpoch: number;
  shuffle: boolean;
  trainSamples: number;
  validationSamples: number;
}

/**
 * Everything that decides the rest of a training run, captured at a boundary (after every callback
 * has handled a batch end or an epoch end). Restoring it and continuing gives bit-identical results
 * to never having stopped.
 */
export interface TrainingSnapshot {
  position: LoopPosition;
  /** `model.stopTraining` at the boundary (an early stop decided before the backup). */
  stopTraining: boolean;
  plan: LoopPlan;
  /**
   * SHA-256 over the training and validation arrays (for a Dataset, over its `fingerprint()`), so
   * a resumption on other data is refused.
   */
  dataFingerprint: string;
  /** Backend that produced the numbers ('wasm' or 'reference'). */
  backend: string;
  /**
   * The current pass's sample order when the snapshot is mid-pass (`passStep > 0`) with shuffling
   * arrays; otherwise null. A Dataset's order is not saved: it is remade from `position.pass`.
   */
  shuffleOrder: Int32Array | null;
  /** Every random stream's state (initialization, dropout, shuffling, random ops). */
  rng: Record<string, number[]>;
  /** `model.getWeights()`: trainable and non-trainable, in model order. */
  weights: Tensor[];
  /** `optimizer.getState()`: step counter, learning rate and slots, in Keras 3 order (empty if never built). */
  optimizer: Tensor[];
  /** Streaming metric states: the loss tracker first, then each compiled metric by name. */
  metrics: { name: string; state: Float64Array }[];
  history: { epoch: number[]; history: Record<string, LogValue[]>; events?: TrainingEvent[] };
  /**
   * States contributed by stateful callbacks (`Callback.getState`: JSON values, non-finite numbers
   * and tensors allowed), keyed `<index>:<ClassName>`.
   */
  callbacks: Record<string, Record<string, unknown>>;
  /** The last logs of the run so far (the batch or epoch logs at the boundary). */
  logs: Logs;
}

/**
 * The fit loop as callbacks that save or restore it (backupAndRestore) see it. `fit` passes it to
 * `Callback.onTrainSetup` (before `onTrainBegin`, where a backup is restored) and to
 * `Callback.onResumePoint` (after each batch end and epoch end, where a backup is written).
 */
export interface TrainingLoop {
  readonly plan: LoopPlan;
  readonly position: LoopPosition;
  /** SHA-256 of the data (computed once, on first call). */
  dataFingerprint(): string;
  /** Copies the whole resumable state. */
  capture(): TrainingSnapshot;
  /** Puts a captured state back; the loop then continues from `snapshot.position`. */
  restore(snapshot: TrainingSnapshot): void;
}

/**
 * Whether `fit` starts from a restored backup rather than from `initialEpoch` (asked in
 * `onTrainBegin`, after backupAndRestore's `onTrainSetup`): loggers then append instead of
 * starting their files over.
 */
export function isResumedRun(loop: TrainingLoop | null): boolean {
  return loop !== null && loop.position.globalStep > loop.plan.initialEpoch * loop.plan.stepsPerEpoch;
}
