import type { LogValue, Logs } from './callback.js';
import { Callback } from './callback.js';
import type { TrainingEvent } from './training_event.js';

/**
 * Records each epoch's logs; `fit` returns it.
 *
 * ```ts
 * const h = await model.fit(x, y, { epochs: 3, validationSplit: 0.2 });
 * h.history.loss;      // [0.9, 0.5, 0.3]
 * h.history.val_loss;  // validation loss per epoch
 * h.epoch;             // [0, 1, 2]
 * h.events;            // what the training-health monitor noticed (none on a healthy run)
 * ```
 */
export class History extends Callback {
  epoch: number[] = [];
  history: Record<string, LogValue[]> = {};
  /** The training-health monitor's events, in the order they were raised (see fit's `monitor`). */
  events: TrainingEvent[] = [];

  override onTrainBegin(): void {
    // Keras keeps appending when fit is called again on the same History; fit makes a new one each call.
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}
