import type { Tensor } from '../core/tensor.js';
import { ValueError } from '../errors.js';
import { option } from '../utils/args.js';
import type { Spelled } from '../utils/options.js';
import { checkOptions, optionNames } from '../utils/options.js';
import type { Logs } from './callback.js';
import type { MonitorArgs } from './monitor.js';
import { MONITOR_OPTIONS, MonitorCallback, stateNumber, stateNumberOrNull } from './monitor.js';
import { nonNegativeInt } from '../utils/checks.js';


export interface EarlyStoppingArgs extends MonitorArgs {
  /** Epochs without improvement after which training stops (default 0). */
  patience?: number;
  /** 0 silent (default), 1 prints when it stops and when it restores weights. */
  verbose?: number;
  /** Training stops unless the monitored value beats this (default: none). */
  baseline?: number | null;
  /** Restore the weights of the best epoch when training ends (default false). */
  restoreBestWeights?: boolean;
  /** Epochs of warm-up before monitoring starts (default 0). */
  startFromEpoch?: number;
}

export const EARLY_STOPPING_OPTIONS = optionNames<EarlyStoppingArgs>({
  ...MONITOR_OPTIONS, patience: true, verbose: true, baseline: true, restoreBestWeights: true, startFromEpoch: true,
});

/**
 * Stops training when a monitored quantity has stopped improving (Keras 3's EarlyStopping). At each
 * epoch end the wait counter grows; an improvement over the best value (by more than minDelta, and
 * over `baseline` if given) resets it; once it reaches `patience` training stops. With
 * `restoreBestWeights`, the best epoch's weights are put back when training ends — also when
 * patience never ran out, as in Keras 3.
 *
 * ```ts
 * const stop = kiln.callbacks.earlyStopping({ monitor: 'val_loss', patience: 5, restoreBestWeights: true });
 * await model.fit(x, y, { epochs: 100, validationSplit: 0.2, callbacks: [stop] });
 * stop.stoppedEpoch; // 0-based epoch at which it stopped (0 if it never did)
 * ```
 */
export class EarlyStopping extends MonitorCallback {
  readonly patience: number;
  readonly verbose: number;
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  wait = 0;
  stoppedEpoch = 0;
  bestEpoch = 0;
  bestWeights: Tensor[] | null = null;

  constructor(args: Spelled<EarlyStoppingArgs> = {}) {
    checkOptions('EarlyStopping', args, EARLY_STOPPING_OPTIONS);
    super('EarlyStopping', args, 0);
    this.patience = nonNegativeInt(option(args, 'patience') ?? 0, 'patience', 'EarlyStopping');
    this.verbose = option<number>(args, 'verbose') ?? 0;
    const baseline = option<number | null>(args, 'baseline') ?? null;
    if (baseline !== null && typeof baseline !== 'number') {
      throw new ValueError(`EarlyStopping: baseline must be a number or null, found ${JSON.stringify(baseline)}`);
    }
    this.baseline = baseline;
    this.restoreBestWeights = option<boolean>(args, 'restoreBestWeights') ?? false;
    this.startFromEpoch = nonNegativeInt(option(args, 'startFromEpoch') ?? 0, 'startFromEpoch', 'EarlyStopping');
  }

  override onTrainBegin(_logs?: Logs): void {
    void this.resolvedMode; // An unplaceable 'auto' monitor fails before any epoch is spent.
    if (this.takeRestored()) return;
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = null;
    this.bestWeights = null;
    this.bestEpoch = 0;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    this.restored = false;
    const current = this.monitorValue(logs, 'Early stopping');
    if (current === null || epoch < this.startFromEpoch) return;
    // The first monitored epoch is the reference even if it does not beat the baseline, so
    // there are always weights to restore (Keras 3).
    if (this.restoreBestWeights && this.bestWeights === null) {
      this.bestWeights = this.model!.getWeights();
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = this.model!.getWeights();
      // Beating the previous best resets patience only if it also beats the baseline.
      if (this.baseline === null || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model!.stopTraining = true;
    }
  }

  override onTrainEnd(_logs?: Logs): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights !== null) {
      if (this.verbose > 0) console.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.model!.setWeights(this.bestWeights);
    }
  }

  /** wait, stoppedEpoch, best, bestEpoch and (with restoreBestWeights) the best weights as Tensors. */
  override getState(): Record<string, unknown> {
    return { wait: this.wait, stopped_epoch: this.stoppedEpoch, best: this.best, best_epoch: this.bestEpoch, best_weights: this.bestWeights ? [...this.bestWeights] : null };
  }

  override setState(state: Record<string, unknown>): void {
    const bw = state['best_weights'] ?? null;
    if (bw !== null && !Array.isArray(bw)) throw new ValueError('EarlyStopping.setState: best_weights must be an array of Tensors or null');
    this.wait = stateNumber(state, 'wait', 'EarlyStopping');
    this.stoppedEpoch = stateNumber(state, 'stopped_epoch', 'EarlyStopping');
    this.best = stateNumberOrNull(state, 'best', 'EarlyStopping');
    this.bestEpoch = stateNumber(state, 'best_epoch', 'EarlyStopping');
    this.bestWeights = bw ? [...(bw as Tensor[])] : null;
    this.restored = true;
  }
}
