import { ValueError } from '../errors.js';
import { option } from '../utils/args.js';
import type { Spelled } from '../utils/options.js';
import { checkOptions, optionNames } from '../utils/options.js';
import type { Logs } from './callback.js';
import { Callback } from './callback.js';
import { optimizerOf } from './reduce_lr_on_plateau.js';

/** `schedule(epoch, lr)`: the rate for 0-based `epoch`, given the optimizer's current rate. */
export type Schedule = (epoch: number, lr: number) => number;

export interface LearningRateSchedulerArgs {
  schedule: Schedule;
  /** 0 quiet (default), 1 prints the rate set at each epoch. */
  verbose?: number;
}

export const LEARNING_RATE_SCHEDULER_OPTIONS = optionNames<LearningRateSchedulerArgs>({ schedule: true, verbose: true });

/**
 * Sets the optimizer's learning rate at the start of every epoch from `schedule(epoch, lr)` and logs
 * it as `learning_rate` at the epoch's end (Keras 3's LearningRateScheduler). An optimizer built
 * with a LearningRateSchedule cannot take a number: setting it throws, as in Keras 3.
 *
 * ```ts
 * const decay = kiln.callbacks.learningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)));
 * await model.fit(x, y, { epochs: 15, callbacks: [decay] });
 * ```
 */
export class LearningRateScheduler extends Callback {
  readonly schedule: Schedule;
  readonly verbose: number;

  constructor(args: Spelled<LearningRateSchedulerArgs> | Schedule) {
    super();
    if (typeof args !== 'function') checkOptions('LearningRateScheduler', args, LEARNING_RATE_SCHEDULER_OPTIONS);
    const a: Partial<LearningRateSchedulerArgs> = typeof args === 'function' ? { schedule: args } : args ?? {};
    if (typeof a.schedule !== 'function') {
      throw new ValueError(`LearningRateScheduler: schedule must be a function (epoch, lr) => lr, found ${typeof a.schedule}`);
    }
    this.schedule = a.schedule;
    this.verbose = option<number>(a, 'verbose') ?? 0;
  }

  override onEpochBegin(epoch: number): void {
    const optimizer = optimizerOf(this.model, 'LearningRateScheduler');
    const lr: unknown = this.schedule(epoch, optimizer.learningRate);
    if (typeof lr !== 'number' || Number.isNaN(lr)) {
      throw new ValueError(`LearningRateScheduler: the output of the schedule function should be a number. Got: ${String(lr)} (epoch ${epoch})`);
    }
    optimizer.learningRate = lr;
    if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    logs['learning_rate'] = optimizerOf(this.model, 'LearningRateScheduler').learningRate;
  }
}
