import type { LogValue, Logs } from './callback.js';
import { Callback } from './callback.js';

/**
 * Records each epoch's logs; `fit` returns it.
 *
 * ```ts
 * const h = await model.fit(x, y, { epochs: 3, validationSplit: 0.2 });
 * h.history.loss;      // [0.9, 0.5, 0.3]
 * h.history.val_loss;  // validation loss per epoch
 * h.epoch;             // [0, 1, 2]
 * ```
 */
export class History extends Callback {
  epoch: number[] = [];
  history: Record<string, LogValue[]> = {};

  override onTrainBegin(): void {
    // Keras keeps appending when fit is called again on the same History; fit makes a new one each call.
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}
