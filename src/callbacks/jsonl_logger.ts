import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ValueError } from '../errors.js';
import type { Spelled } from '../utils/options.js';
import { checkOptions } from '../utils/options.js';
import { option } from '../utils/args.js';
import type { Logs } from './callback.js';
import { Callback } from './callback.js';
import type { TrainingEvent } from './training_event.js';
import type { TrainingLoop } from './training_loop.js';
import { isResumedRun } from './training_loop.js';

/** Options of {@link jsonlLogger}. */
export interface JsonlLoggerArgs {
  /** 'epoch' (default): one record per epoch; N: also one record every N training batches. */
  updateFreq?: 'epoch' | number;
  /** Keep an existing file and add to it (default false: a fresh run starts a new file; a resumed one always appends). */
  append?: boolean;
}

const JSONL_OPTIONS = ['updateFreq', 'append'] as const;

/**
 * The run record: one JSON object per line, written as training goes, so the report
 * (`kiln.report(runDir)`) and the CLI can read a run that is still going. Lines, by `type`:
 * - `run_begin`: wall time, ISO time, `params`, `settings` (fit's options) and `model` (name,
 *   summary, parameter counts, loss, optimizer config, metrics);
 * - `epoch`: `epoch` (0-based), `wallTime`, `elapsed` (seconds since run_begin), and `logs`:
 *   everything History holds for that epoch, plus `learning_rate` when no callback logged it;
 * - `batch`: with `updateFreq: N`, every N batches: `epoch`, `batch`, `step` (global), `logs`;
 * - `event`: each training-health monitor event (`event`: kind, epoch, step, layer, message, evidence, remedy);
 * - `run_end`: `epochs` run and whether training was stopped early.
 * A run resumed through backupAndRestore appends a second `run_begin` (`resumed: true`) and goes on;
 * readers take the latest record of an epoch. Non-finite numbers are written as null (JSON has no NaN).
 *
 * ```ts
 * await model.fit(x, y, { epochs: 5, callbacks: [kiln.callbacks.jsonlLogger('runs/exp1/run.jsonl')] });
 * await kiln.report('runs/exp1', 'runs/exp1/report.html');
 * ```
 */
export class JsonlLogger extends Callback {
  readonly path: string;
  readonly updateFreq: 'epoch' | number;
  readonly append: boolean;
  private fd: number | null = null;
  private loop: TrainingLoop | null = null;
  private startTime = 0;
  private globalBatch = 0;

  constructor(path: string, args: Spelled<JsonlLoggerArgs> = {}) {
    super();
    if (typeof path !== 'string' || path === '') throw new ValueError(`jsonlLogger: path must be a non-empty string, found ${JSON.stringify(path)}`);
    checkOptions('jsonlLogger', args, JSONL_OPTIONS);
    const freq = option<unknown>(args, 'updateFreq') ?? 'epoch';
    if (freq !== 'epoch' && !(typeof freq === 'number' && Number.isInteger(freq) && freq >= 1)) {
      throw new ValueError(`jsonlLogger: updateFreq must be 'epoch' or a positive integer, found ${JSON.stringify(freq)}`);
    }
    const append = option<unknown>(args, 'append') ?? false;
    if (typeof append !== 'boolean') throw new ValueError(`jsonlLogger: append must be true or false, found ${JSON.stringify(append)}`);
    this.path = resolve(path);
    this.updateFreq = freq as 'epoch' | number;
    this.append = append;
  }

  override onTrainSetup(loop: TrainingLoop): void {
    this.loop = loop;
  }

  override onTrainBegin(): void {
    const resumed = isResumedRun(this.loop);
    mkdirSync(dirname(this.path), { recursive: true });
    this.close();
    this.fd = openSync(this.path, resumed || this.append ? 'a' : 'w');
    this.startTime = Date.now() / 1000;
    this.globalBatch = this.loop?.position.globalStep ?? 0;
    const model = this.model?.runInfo?.() ?? null;
    this.writeLine({
      type: 'run_begin', wallTime: this.startTime, time: new Date().toISOString(), resumed,
      ...(resumed && this.loop ? { fromEpoch: this.loop.position.epoch, fromStep: this.loop.position.globalStep } : {}),
      params: { epochs: this.params.epochs, steps: this.params.steps, verbose: this.params.verbose, metrics: this.params.metrics },
      settings: this.params.settings ?? {}, model,
    });
  }

  override onTrainBatchEnd(batch: number, logs: Logs): void {
    this.globalBatch++;
    if (this.updateFreq === 'epoch' || this.globalBatch % this.updateFreq !== 0) return;
    this.writeLine({ type: 'batch', epoch: this.currentEpoch(), batch, step: this.globalBatch, wallTime: Date.now() / 1000, logs });
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const now = Date.now() / 1000;
    const record: Logs = { ...logs };
    const lr = this.model?.optimizer?.learningRate;
    if (record['learning_rate'] === undefined && typeof lr === 'number') record['learning_rate'] = lr;
    this.writeLine({ type: 'epoch', epoch, wallTime: now, elapsed: now - this.startTime, logs: record });
  }

  override onTrainingEvent(event: TrainingEvent): void {
    this.writeLine({ type: 'event', wallTime: Date.now() / 1000, event });
  }

  override onTrainEnd(): void {
    const epochs = this.loop ? this.loop.position.epoch : null;
    this.writeLine({ type: 'run_end', wallTime: Date.now() / 1000, epochs, stopped: this.model?.stopTraining ?? false });
    this.close();
  }

  override onTrainAbort(error: unknown): void {
    this.writeLine({ type: 'run_abort', wallTime: Date.now() / 1000, error: error instanceof Error ? error.message : String(error) });
    this.close();
  }

  private currentEpoch(): number {
    return this.loop?.position.epoch ?? 0;
  }

  /** One whole line per write, so a reader never sees half a record unless the process died mid-write. */
  private writeLine(record: object): void {
    if (this.fd === null) return;
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
  }

  private close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
