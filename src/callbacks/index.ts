/** Callbacks: hooks into fit/evaluate/predict. */
export { Callback, CallbackList } from './callback.js';
export type { Logs, CallbackParams, CallbackModel } from './callback.js';
export { History } from './history.js';
export { ProgbarLogger } from './progbar_logger.js';
