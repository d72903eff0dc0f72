import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ValueError } from '../errors.js';
import type { DecodedEvent } from '../tfevents/index.js';
import { EventFileWriter, filterEventFile, isEventFileName } from '../tfevents/index.js';
import { option } from '../utils/args.js';
import type { Spelled } from '../utils/options.js';
import { checkOptions } from '../utils/options.js';
import type { Logs } from './callback.js';
import { Callback } from './callback.js';
import type { StepRecord } from './step_record.js';
import type { TrainingLoop } from './training_loop.js';
import { isResumedRun } from './training_loop.js';

/** Options of {@link TensorBoard}. */
export interface TensorBoardArgs {
  /** Directory of the run; event files go in `logDir/train` and `logDir/validation` (default `'logs'`). */
  logDir?: string;
  /** 'epoch' (default), 'batch' (every batch) or N: also write `batch_<name>` every N training batches. */
  updateFreq?: 'epoch' | 'batch' | number;
  /** Write weight histograms every N epochs (default 0: none). */
  histogramFreq?: number;
  /** Also write gradient histograms (from the epoch's last step) when histograms are written (default false). */
  writeGrads?: boolean;
  /** Write the layer graph (a GraphDef of the layers in order; default true). */
  writeGraph?: boolean;
}

const TENSORBOARD_OPTIONS = ['logDir', 'updateFreq', 'histogramFreq', 'writeGrads', 'writeGraph'] as const;

/** Tags whose step counts training batches; every other tag's step is the epoch. */
const BATCH_STEP = /^(batch_|evaluation_.*_vs_iterations$)/;

/**
 * TensorBoard logs with Keras 3's semantics: real event files in `logDir/train` and
 * `logDir/validation`; `epoch_loss`, `epoch_<metric>` and `epoch_learning_rate` at step = epoch
 * (validation values under the same tags in the validation run); with `updateFreq`, `batch_<name>`
 * at step = global batch and `evaluation_<name>_vs_iterations` after each validation; with
 * `histogramFreq`, `<layer>/<weight>/histogram` (and `<layer>/<weight>/gradient` with writeGrads).
 * Files are flushed every epoch, so TensorBoard shows a run that is still going.
 *
 * A run resumed through backupAndRestore continues the step numbers: summaries written after the
 * backup point (the part of the run that is redone) are removed from the old files, and a
 * SessionLog START marks the restart, so no step appears twice.
 *
 * ```ts
 * await model.fit(x, y, { epochs: 10, validationSplit: 0.2, callbacks: [kiln.callbacks.tensorBoard({ logDir: 'runs/exp1' })] });
 * // tensorboard --logdir runs
 * ```
 */
export class TensorBoard extends Callback {
  readonly logDir: string;
  readonly updateFreq: number | 'epoch';
  readonly histogramFreq: number;
  readonly writeGrads: boolean;
  readonly writeGraph: boolean;
  private train: EventFileWriter | null = null;
  private validation: EventFileWriter | null = null;
  private loop: TrainingLoop | null = null;
  private globalBatch = 0;
  private epoch = 0;
  private lastGradients: { name: string; values: Float32Array }[] | null = null;

  constructor(args: Spelled<TensorBoardArgs> = {}) {
    super();
    checkOptions('tensorBoard', args, TENSORBOARD_OPTIONS);
    const logDir = option<unknown>(args, 'logDir') ?? 'logs';
    if (typeof logDir !== 'string' || logDir === '') throw new ValueError(`tensorBoard: logDir must be a non-empty string, found ${JSON.stringify(logDir)}`);
    const freq = option<unknown>(args, 'updateFreq') ?? 'epoch';
    if (freq !== 'epoch' && freq !== 'batch' && !(typeof freq === 'number' && Number.isInteger(freq) && freq >= 1)) {
      throw new ValueError(`tensorBoard: updateFreq must be 'epoch', 'batch' or a positive integer, found ${JSON.stringify(freq)}`);
    }
    const histogramFreq = option<unknown>(args, 'histogramFreq') ?? 0;
    if (typeof histogramFreq !== 'number' || !Number.isInteger(histogramFreq) || histogramFreq < 0) {
      throw new ValueError(`tensorBoard: histogramFreq must be a non-negative integer, found ${JSON.stringify(histogramFreq)}`);
    }
    const bool = (name: string, dflt: boolean): boolean => {
      const v = option<unknown>(args, name) ?? dflt;
      if (typeof v !== 'boolean') throw new ValueError(`tensorBoard: ${name} must be true or false, found ${JSON.stringify(v)}`);
      return v;
    };
    this.logDir = resolve(logDir);
    this.updateFreq = freq === 'batch' ? 1 : (freq as number | 'epoch');
    this.histogramFreq = histogramFreq;
    this.writeGrads = bool('writeGrads', false);
    this.writeGraph = bool('writeGraph', true);
  }

  override getState(): Record<string, unknown> {
    return { globalBatch: this.globalBatch };
  }

  override setState(state: Record<string, unknown>): void {
    if (typeof state['globalBatch'] === 'number') this.globalBatch = state['globalBatch'];
  }

  override onTrainSetup(loop: TrainingLoop): void {
    this.loop = loop;
  }

  override onTrainBegin(): void {
    const loop = this.loop;
    const resumed = isResumedRun(loop);
    if (loop) this.globalBatch = loop.position.globalStep;
    if (resumed) this.dropRedone(loop!.position.epoch, loop!.position.globalStep);
    this.closeWriters();
    this.train = new EventFileWriter(join(this.logDir, 'train'));
    if (resumed) this.train.addSessionStart(this.globalBatch);
    if (this.writeGraph && !resumed) this.writeLayerGraph();
    this.train.flush();
  }

  override inspectStep(globalStep: number): boolean | { gradients: true } {
    // The epoch's last step gives the gradients of a histogram epoch.
    if (!this.writeGrads || !this.isHistogramEpoch(this.epoch)) return false;
    const steps = this.params.steps;
    return steps > 0 && (globalStep + 1) % steps === 0 ? { gradients: true } : false;
  }

  override onTrainStep(record: StepRecord): void {
    if (!record.layers) return;
    const grads = record.layers.flatMap((l) => l.gradients ?? []);
    if (grads.length > 0) this.lastGradients = grads;
  }

  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
    this.lastGradients = null;
  }

  override onEpochResume(epoch: number): void {
    this.epoch = epoch;
  }

  override onTrainBatchEnd(_batch: number, logs: Logs): void {
    if (this.updateFreq === 'epoch') return;
    this.globalBatch++;
    if (this.globalBatch % this.updateFreq !== 0) return;
    for (const [name, v] of Object.entries(logs)) if (typeof v === 'number') this.train?.addScalar(`batch_${name}`, v, this.globalBatch);
  }

  override onTestEnd(logs: Logs): void {
    // Keras 3 writes each validation's values against the training iterations as well.
    if (this.updateFreq === 'epoch' || !this.train) return;
    const w = this.validationWriter();
    for (const [name, v] of Object.entries(logs)) if (typeof v === 'number') w.addScalar(`evaluation_${name}_vs_iterations`, v, this.globalBatch);
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const train = this.train;
    if (!train) return;
    const lr = this.model?.optimizer?.learningRate;
    for (const [name, v] of Object.entries(logs)) {
      if (typeof v !== 'number') continue;
      if (name.startsWith('val_')) this.validationWriter().addScalar(`epoch_${name.slice(4)}`, v, epoch);
      else if (name !== 'learning_rate') train.addScalar(`epoch_${name}`, v, epoch);
    }
    const rate = typeof logs['learning_rate'] === 'number' ? logs['learning_rate'] : lr;
    if (typeof rate === 'number') train.addScalar('epoch_learning_rate', rate, epoch);
    if (this.isHistogramEpoch(epoch)) this.writeHistograms(epoch);
    train.flush();
    this.validation?.flush();
  }

  override onTrainEnd(): void {
    this.closeWriters();
  }

  override onTrainAbort(): void {
    this.closeWriters();
  }

  private isHistogramEpoch(epoch: number): boolean {
    return this.histogramFreq > 0 && epoch % this.histogramFreq === 0;
  }

  private validationWriter(): EventFileWriter {
    this.validation ??= new EventFileWriter(join(this.logDir, 'validation'));
    return this.validation;
  }

  private writeHistograms(epoch: number): void {
    const model = this.model as unknown as { layers?: { name: string; weights: { name: string; dataSync(): ArrayLike<number> }[] }[] } | null;
    for (const layer of model?.layers ?? []) {
      for (const w of layer.weights) this.train!.addHistogram(`${w.name}/histogram`, w.dataSync(), epoch);
    }
    for (const g of this.lastGradients ?? []) this.train!.addHistogram(`${g.name}/gradient`, g.values, epoch);
  }

  /** The layers in order as a GraphDef, each fed by the one before: TensorBoard's Graphs tab shows the stack. */
  private writeLayerGraph(): void {
    const model = this.model as unknown as { layers?: { name: string; constructor: { className?: string }; countParams(): number }[] } | null;
    const layers = model?.layers ?? [];
    if (layers.length === 0) return;
    const nodes = [{ name: 'input', op: 'Placeholder', inputs: [] as string[] }];
    let previous = 'input';
    for (const l of layers) {
      nodes.push({ name: l.name, op: l.constructor.className ?? 'Layer', inputs: [previous], attrs: { params: l.countParams() } } as never);
      previous = l.name;
    }
    this.train!.addGraph({ nodes });
  }

  /** Removes what the redone part of a resumed run will write again: epochs ≥ `epoch`, batch steps > `step`. */
  private dropRedone(epoch: number, step: number): void {
    for (const run of ['train', 'validation']) {
      const dir = join(this.logDir, run);
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir).filter(isEventFileName)) {
        filterEventFile(join(dir, name), (e: DecodedEvent) => {
          const tag = e.summary?.value?.[0]?.tag;
          if (tag === undefined) return true;
          return BATCH_STEP.test(tag) ? e.step <= step : e.step < epoch;
        });
      }
    }
  }

  private closeWriters(): void {
    this.train?.close();
    this.validation?.close();
    this.train = null;
    this.validation = null;
  }
}
