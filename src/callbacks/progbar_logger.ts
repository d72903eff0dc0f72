import { Callback, type CallbackParams, type Logs } from './callback.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { Progbar, type ProgbarStream } from './progbar.js';

/** Options of {@link ProgbarLogger}: where to write and which clock to use (tests inject both). */
export interface ProgbarLoggerOptions {
  /** Output (default `process.stdout`). */
  stream?: ProgbarStream;
  /** Clock in seconds (default `performance.now() / 1000`). */
  now?: () => number;
}

export const PROGBAR_LOGGER_OPTIONS = optionNames<ProgbarLoggerOptions>({ stream: true, now: true });

/**
 * Prints Keras 2.15's progress output (`keras/callbacks.py`, `ProgbarLogger` with
 * `count_mode="steps"`, as `fit`/`evaluate`/`predict` add it): `Epoch 3/10` when there is more than
 * one epoch, a bar per epoch, evaluation or prediction pass, and silence during the validation pass
 * that runs inside `fit`. Logged values already hold running means, so they are shown as given.
 *
 * ```ts
 * const logger = new kiln.callbacks.ProgbarLogger();
 * await model.fit(x, y, { epochs: 5, verbose: 0, callbacks: [logger] });
 * ```
 */
export class ProgbarLogger extends Callback {
  private progbar: Progbar | null = null;
  private seen = 0;
  private target: number | null = null;
  private verbose = 1;
  private epochs = 1;
  private calledInFit = false;
  private readonly stream: ProgbarStream | undefined;
  private readonly now: (() => number) | undefined;

  constructor(options: ProgbarLoggerOptions = {}) {
    super();
    checkOptions('ProgbarLogger', options, PROGBAR_LOGGER_OPTIONS);
    this.stream = options.stream;
    this.now = options.now;
  }

  /**
   * Reads `verbose`, `epochs` and `steps` (Keras's `set_params`). Inside `fit` the training values
   * are kept, so a trainer that re-sends params for its validation pass does not change the bar.
   *
   * ```ts
   * logger.setParams({ epochs: 10, steps: 100, verbose: 1, metrics: ['loss'] });
   * ```
   */
  override setParams(params: CallbackParams): void {
    super.setParams(params);
    if (!this.calledInFit) this.readParams(params);
  }

  override onTrainBegin(_logs: Logs): void {
    this.readParams(this.params);
    // When this logger is called inside `fit`, validation is silent.
    this.calledInFit = true;
  }

  override onTrainEnd(_logs: Logs): void {
    // Keras 2.15 never resets this flag (fit builds a new logger each call); resetting lets one
    // instance also serve a later `evaluate`.
    this.calledInFit = false;
  }

  override onEpochBegin(epoch: number, _logs: Logs): void {
    this.resetProgbar();
    this.maybeInitProgbar();
    if (this.verbose && this.epochs > 1) this.write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  /** A run resumed from a backup mid-epoch: the epoch's header again, the bar continuing at `stepsDone`. */
  override onEpochResume(epoch: number, stepsDone: number): void {
    this.onEpochBegin(epoch, {});
    this.seen = stepsDone;
  }

  override onTrainBatchEnd(batch: number, logs: Logs): void {
    this.batchUpdate(batch, logs);
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    this.finalize(logs);
  }

  override onTestBegin(_logs: Logs): void {
    if (this.calledInFit) return;
    this.readParams(this.params);
    this.resetProgbar();
    this.maybeInitProgbar();
  }

  override onTestBatchEnd(batch: number, logs: Logs): void {
    if (!this.calledInFit) this.batchUpdate(batch, logs);
  }

  override onTestEnd(logs: Logs): void {
    if (!this.calledInFit) this.finalize(logs);
  }

  override onPredictBegin(_logs: Logs): void {
    this.readParams(this.params);
    this.resetProgbar();
    this.maybeInitProgbar();
  }

  override onPredictBatchEnd(batch: number, _logs: Logs): void {
    // Keras does not pass prediction results to the bar.
    this.batchUpdate(batch, undefined);
  }

  override onPredictEnd(logs: Logs): void {
    this.finalize(logs);
  }

  private readParams(params: CallbackParams): void {
    this.verbose = params.verbose;
    this.epochs = params.epochs;
    // Unknown step counts (0) are inferred at the end of the first pass, as in Keras.
    this.target = params.steps > 0 ? params.steps : null;
  }

  private write(s: string): void {
    (this.stream ?? process.stdout).write(s);
  }

  private resetProgbar(): void {
    this.seen = 0;
    this.progbar = null;
  }

  /** Keras's `_maybe_init_progbar`; the model's metrics (stateful in Keras) are `params.metrics`. */
  private maybeInitProgbar(): Progbar {
    if (this.progbar === null) {
      this.progbar = new Progbar({
        target: this.target,
        verbose: this.verbose === 2 ? 2 : this.verbose === 1 ? 1 : 0,
        statefulMetrics: this.params.metrics,
        unitName: 'step',
        stream: this.stream,
        now: this.now,
      });
    }
    return this.progbar;
  }

  private batchUpdate(batch: number, logs: Logs | undefined): void {
    const bar = this.maybeInitProgbar();
    this.seen = batch + 1;
    if (this.verbose === 1) {
      const entries = Object.entries(logs ?? {});
      // Every value in kiln's batch logs is already a running mean (Keras: a model metric).
      bar.addStatefulMetrics(entries.map(([k]) => k));
      bar.update(this.seen, entries, false);
    }
  }

  private finalize(logs: Logs | undefined): void {
    const bar = this.maybeInitProgbar();
    if (this.target === null) {
      this.target = this.seen;
      bar.target = this.target;
    }
    bar.update(this.target, Object.entries(logs ?? {}), true);
  }
}
