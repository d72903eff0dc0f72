import { ValueError } from '../errors.js';
import { toSnakeCase } from '../utils/naming.js';
import type { OptionNameRecord, Spelled } from '../utils/options.js';
import { checkOptions } from '../utils/options.js';
import type { Logs } from './callback.js';
import { Callback } from './callback.js';

type Hook = (...args: [number, Logs] | [Logs]) => void | Promise<void>;
type EpochHook = (epoch: number, logs: Logs) => void | Promise<void>;
type BatchHook = (batch: number, logs: Logs) => void | Promise<void>;
type RunHook = (logs: Logs) => void | Promise<void>;

/** Any hook as a function (camelCase or Keras snake_case names), plus optional state functions. */
export interface LambdaCallbackArgs {
  onTrainBegin?: RunHook; onTrainEnd?: RunHook;
  onEpochBegin?: EpochHook; onEpochEnd?: EpochHook;
  onTrainBatchBegin?: BatchHook; onTrainBatchEnd?: BatchHook;
  onBatchBegin?: BatchHook; onBatchEnd?: BatchHook;
  onTestBegin?: RunHook; onTestEnd?: RunHook; onTestBatchBegin?: BatchHook; onTestBatchEnd?: BatchHook;
  onPredictBegin?: RunHook; onPredictEnd?: RunHook; onPredictBatchBegin?: BatchHook; onPredictBatchEnd?: BatchHook;
  /** Contributes state to checkpoints (see Callback.getState). */
  getState?: () => Record<string, unknown>;
  setState?: (state: Record<string, unknown>) => void;
}

// The one list of hook names: complete by type, and what the unknown-option check uses.
const NAME_RECORD: OptionNameRecord<LambdaCallbackArgs> = {
  onTrainBegin: true, onTrainEnd: true, onEpochBegin: true, onEpochEnd: true, onTrainBatchBegin: true, onTrainBatchEnd: true,
  onBatchBegin: true, onBatchEnd: true, onTestBegin: true, onTestEnd: true, onTestBatchBegin: true, onTestBatchEnd: true,
  onPredictBegin: true, onPredictEnd: true, onPredictBatchBegin: true, onPredictBatchEnd: true, getState: true, setState: true,
};
const NAMES = Object.keys(NAME_RECORD) as (keyof LambdaCallbackArgs)[];
const BY_SPELLING = new Map<string, keyof LambdaCallbackArgs>();
for (const n of NAMES) {
  BY_SPELLING.set(n, n);
  BY_SPELLING.set(toSnakeCase(n), n);
}

/**
 * A callback made of plain functions (Keras 3's LambdaCallback), one per hook you need. Functions
 * run with the callback as `this` (use `function`, not an arrow, to reach `this.model`).
 *
 * ```ts
 * const lossLog = kiln.callbacks.lambdaCallback({
 *   onEpochEnd: (epoch, logs) => console.log(epoch, logs.loss),
 *   on_train_end: () => console.log('done'),
 * });
 * await model.fit(x, y, { epochs: 5, callbacks: [lossLog] });
 * ```
 */
export class LambdaCallback extends Callback {
  constructor(args: Spelled<LambdaCallbackArgs> = {}) {
    super();
    checkOptions('LambdaCallback', args, NAMES);
    for (const [key, fn] of Object.entries(args)) {
      const name = BY_SPELLING.get(key);
      if (name === undefined) {
        throw new ValueError(`LambdaCallback: unknown hook '${key}'; expected one of ${NAMES.join(', ')} (or their snake_case names)`);
      }
      if (fn === undefined || fn === null) continue;
      if (typeof fn !== 'function') throw new ValueError(`LambdaCallback: '${key}' must be a function, found ${typeof fn}`);
      // An own property shadows the base class's no-op method, so CallbackList calls the function.
      (this as unknown as Record<string, Hook>)[name] = fn as Hook;
    }
  }
}
