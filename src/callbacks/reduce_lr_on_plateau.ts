import { ValueError } from '../errors.js';
import { option } from '../utils/args.js';
import type { Spelled } from '../utils/options.js';
import { checkOptions, optionNames } from '../utils/options.js';
import type { CallbackModel, Logs } from './callback.js';
import type { MonitorArgs } from './monitor.js';
import { MONITOR_OPTIONS, MonitorCallback, stateNumber, stateNumberOrNull } from './monitor.js';
import { nonNegativeInt } from '../utils/checks.js';

export interface ReduceLROnPlateauArgs extends MonitorArgs {
  /** New rate = rate × factor; must be < 1 (default 0.1). */
  factor?: number;
  /** Epochs without improvement before the rate is reduced (default 10). */
  patience?: number;
  /** 0 quiet (default), 1 prints each reduction. */
  verbose?: number;
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** Lower bound on the learning rate (default 0). */
  minLr?: number;
}

export const REDUCE_LR_ON_PLATEAU_OPTIONS = optionNames<ReduceLROnPlateauArgs>({
  ...MONITOR_OPTIONS, factor: true, patience: true, verbose: true, cooldown: true, minLr: true,
});

/** The optimizer of a callback's model, or a ValueError saying the model needs compiling. */
export function optimizerOf(model: CallbackModel | null, owner: string): { learningRate: number } {
  const opt = model?.optimizer;
  if (!opt) throw new ValueError(`${owner}: the model has no optimizer; compile it with model.compile({ optimizer, loss }) before fit()`);
  return opt;
}

/**
 * Reduces the learning rate when a monitored quantity has stopped improving (Keras 3's
 * ReduceLROnPlateau): after `patience` epochs without an improvement larger than `minDelta`, the
 * optimizer's rate becomes `max(rate × factor, minLr)`, then `cooldown` epochs pass before waiting
 * starts again. Every epoch it writes the current rate into the logs as `learning_rate` (so History
 * records it), as Keras does.
 *
 * ```ts
 * const plateau = kiln.callbacks.reduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 2, minLr: 1e-5 });
 * await model.fit(x, y, { epochs: 50, validationSplit: 0.2, callbacks: [plateau] });
 * model.optimizer!.learningRate; // reduced after each plateau
 * ```
 */
export class ReduceLROnPlateau extends MonitorCallback {
  readonly factor: number;
  readonly patience: number;
  readonly verbose: number;
  readonly cooldown: number;
  readonly minLr: number;
  wait = 0;
  cooldownCounter = 0;

  constructor(args: Spelled<ReduceLROnPlateauArgs> = {}) {
    checkOptions('ReduceLROnPlateau', args, REDUCE_LR_ON_PLATEAU_OPTIONS);
    super('ReduceLROnPlateau', args, 1e-4);
    const factor = option<number>(args, 'factor') ?? 0.1;
    if (typeof factor !== 'number' || !(factor < 1) || !(factor >= 0)) {
      throw new ValueError(`ReduceLROnPlateau does not support a factor >= 1.0 (or negative). Received factor=${factor}`);
    }
    this.factor = factor;
    this.patience = nonNegativeInt(option(args, 'patience') ?? 10, 'patience', 'ReduceLROnPlateau');
    this.verbose = option<number>(args, 'verbose') ?? 0;
    this.cooldown = nonNegativeInt(option(args, 'cooldown') ?? 0, 'cooldown', 'ReduceLROnPlateau');
    const minLr = option<number>(args, 'minLr') ?? 0;
    if (typeof minLr !== 'number' || !(minLr >= 0)) throw new ValueError(`ReduceLROnPlateau: minLr must be a number >= 0, found ${JSON.stringify(minLr)}`);
    this.minLr = minLr;
  }

  /** True while the cooldown after a reduction runs. */
  inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  override onTrainBegin(_logs?: Logs): void {
    void this.resolvedMode;
    if (this.takeRestored()) return;
    this.best = null;
    this.cooldownCounter = 0;
    this.wait = 0;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    this.restored = false;
    const optimizer = optimizerOf(this.model, 'ReduceLROnPlateau');
    logs['learning_rate'] = optimizer.learningRate;
    const current = this.monitorValue(logs, 'Learning rate reduction is');
    if (current === null) return;
    if (this.inCooldown()) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.wait = 0;
    } else if (!this.inCooldown()) {
      this.wait += 1;
      if (this.wait >= this.patience && this.reduce(optimizer, epoch)) {
        this.cooldownCounter = this.cooldown;
        this.wait = 0;
      }
    }
  }

  private reduce(optimizer: { learningRate: number }, epoch: number): boolean {
    const oldLr = optimizer.learningRate;
    // Keras compares against min_lr rounded to float32, the variable's precision.
    if (!(oldLr > Math.fround(this.minLr))) return false;
    const newLr = Math.max(oldLr * this.factor, this.minLr);
    optimizer.learningRate = newLr;
    if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${newLr}.`);
    return true;
  }

  /** wait, cooldown_counter and best: what decides the next reduction (the rate itself lives in the optimizer). */
  override getState(): Record<string, unknown> {
    return { wait: this.wait, cooldown_counter: this.cooldownCounter, best: this.best };
  }

  override setState(state: Record<string, unknown>): void {
    this.wait = stateNumber(state, 'wait', 'ReduceLROnPlateau');
    this.cooldownCounter = stateNumber(state, 'cooldown_counter', 'ReduceLROnPlateau');
    this.best = stateNumberOrNull(state, 'best', 'ReduceLROnPlateau');
    this.restored = true;
  }
}
