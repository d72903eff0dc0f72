/** Callbacks: hooks into fit/evaluate/predict. */
export { Callback, CallbackList } from './callback.js';
export type { Logs, CallbackParams, CallbackModel } from './callback.js';
export { History } from './history.js';
export { ProgbarLogger } from './progbar_logger.js';
export { MonitorCallback, resolveMode } from './monitor.js';
export type { MonitorArgs, MonitorMode } from './monitor.js';
export { EarlyStopping } from './early_stopping.js';
export type { EarlyStoppingArgs } from './early_stopping.js';
export { ReduceLROnPlateau } from './reduce_lr_on_plateau.js';
export type { ReduceLROnPlateauArgs } from './reduce_lr_on_plateau.js';
export { LearningRateScheduler } from './learning_rate_scheduler.js';
export type { LearningRateSchedulerArgs, Schedule } from './learning_rate_scheduler.js';
export { TerminateOnNaN, NonFiniteLossError } from './terminate_on_nan.js';
export type { TerminateOnNaNArgs } from './terminate_on_nan.js';
export { LambdaCallback } from './lambda_callback.js';
export type { LambdaCallbackArgs } from './lambda_callback.js';
export { earlyStopping, reduceLROnPlateau, learningRateScheduler, terminateOnNaN, lambdaCallback } from './factories.js';
