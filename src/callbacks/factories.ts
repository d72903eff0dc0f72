import type { Spelled } from '../utils/options.js';
import type { CSVLoggerArgs } from './csv_logger.js';
import { CSVLogger } from './csv_logger.js';
import type { JsonlLoggerArgs } from './jsonl_logger.js';
import { JsonlLogger } from './jsonl_logger.js';
import type { TensorBoardArgs } from './tensorboard.js';
import { TensorBoard } from './tensorboard.js';
import type { EarlyStoppingArgs } from './early_stopping.js';
import { EarlyStopping } from './early_stopping.js';
import type { LambdaCallbackArgs } from './lambda_callback.js';
import { LambdaCallback } from './lambda_callback.js';
import type { LearningRateSchedulerArgs, Schedule } from './learning_rate_scheduler.js';
import { LearningRateScheduler } from './learning_rate_scheduler.js';
import type { ReduceLROnPlateauArgs } from './reduce_lr_on_plateau.js';
import { ReduceLROnPlateau } from './reduce_lr_on_plateau.js';
import type { TerminateOnNaNArgs } from './terminate_on_nan.js';
import { TerminateOnNaN } from './terminate_on_nan.js';

/** `kiln.callbacks.earlyStopping({ monitor: 'val_loss', patience: 5, restoreBestWeights: true })`; see EarlyStopping. */
export function earlyStopping(args: Spelled<EarlyStoppingArgs> = {}): EarlyStopping {
  return new EarlyStopping(args);
}

/** `kiln.callbacks.reduceLROnPlateau({ factor: 0.5, patience: 2 })`; see ReduceLROnPlateau. */
export function reduceLROnPlateau(args: Spelled<ReduceLROnPlateauArgs> = {}): ReduceLROnPlateau {
  return new ReduceLROnPlateau(args);
}

/** `kiln.callbacks.learningRateScheduler((epoch, lr) => lr * 0.9)` or `({ schedule, verbose })`; see LearningRateScheduler. */
export function learningRateScheduler(args: Spelled<LearningRateSchedulerArgs> | Schedule): LearningRateScheduler {
  return new LearningRateScheduler(args);
}

/** `kiln.callbacks.terminateOnNaN()`; see TerminateOnNaN. */
export function terminateOnNaN(args: Spelled<TerminateOnNaNArgs> = {}): TerminateOnNaN {
  return new TerminateOnNaN(args);
}

/** `kiln.callbacks.lambdaCallback({ onEpochEnd: (epoch, logs) => … })`; see LambdaCallback. */
export function lambdaCallback(args: Spelled<LambdaCallbackArgs> = {}): LambdaCallback {
  return new LambdaCallback(args);
}

/** `kiln.callbacks.csvLogger('runs/log.csv', { separator: ',', append: false })`; see CSVLogger. */
export function csvLogger(filename: string, args: Spelled<CSVLoggerArgs> = {}): CSVLogger {
  return new CSVLogger(filename, args);
}

/** `kiln.callbacks.jsonlLogger('runs/exp1/run.jsonl', { updateFreq: 'epoch' })`: the run record; see JsonlLogger. */
export function jsonlLogger(path: string, args: Spelled<JsonlLoggerArgs> = {}): JsonlLogger {
  return new JsonlLogger(path, args);
}

/** `kiln.callbacks.tensorBoard({ logDir: 'runs/exp1', updateFreq: 'epoch', histogramFreq: 1 })`; see TensorBoard. */
export function tensorBoard(args: Spelled<TensorBoardArgs> = {}): TensorBoard {
  return new TensorBoard(args);
}
