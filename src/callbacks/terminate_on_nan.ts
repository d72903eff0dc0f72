import { KilnError } from '../errors.js';
import { option } from '../utils/args.js';
import type { Spelled } from '../utils/options.js';
import { checkOptions, optionNames } from '../utils/options.js';
import type { Logs } from './callback.js';
import { Callback } from './callback.js';

export interface TerminateOnNaNArgs {
  /** Throw instead of stopping gracefully, so no later `onTrainEnd` runs (default false). */
  raiseError?: boolean;
}

export const TERMINATE_ON_NAN_OPTIONS = optionNames<TerminateOnNaNArgs>({ raiseError: true });

/** Thrown by `terminateOnNaN({ raiseError: true })` on a NaN or infinite loss. */
export class NonFiniteLossError extends KilnError {}

/**
 * Stops training at the end of the first batch whose loss is NaN or ±Infinity (Keras 3's
 * TerminateOnNaN), printing `Batch N: Invalid loss, terminating training`. With `raiseError` it
 * throws a NonFiniteLossError instead, so no other callback's `onTrainEnd` runs (nothing saved).
 *
 * ```ts
 * await model.fit(x, y, { epochs: 10, callbacks: [kiln.callbacks.terminateOnNaN()] });
 * ```
 */
export class TerminateOnNaN extends Callback {
  readonly raiseError: boolean;

  constructor(args: Spelled<TerminateOnNaNArgs> = {}) {
    super();
    checkOptions('TerminateOnNaN', args, TERMINATE_ON_NAN_OPTIONS);
    this.raiseError = option<boolean>(args, 'raiseError') ?? false;
  }

  override onBatchEnd(batch: number, logs: Logs): void {
    const loss = logs?.['loss'];
    if (loss === undefined || loss === null || Number.isFinite(loss)) return;
    if (this.raiseError) {
      throw new NonFiniteLossError(`NaN or Inf loss encountered at batch ${batch}. Loss value: ${loss}. Terminating training immediately.`);
    }
    console.log(`Batch ${batch}: Invalid loss, terminating training`);
    this.model!.stopTraining = true;
  }
}
