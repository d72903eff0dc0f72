import * as P from '../core/primitives.js';
import { randomStream } from '../core/random.js';
import type { Tensor } from '../core/tensor.js';
import type { Callback, CallbackList, Logs } from '../callbacks/callback.js';
import { History } from '../callbacks/history.js';
import type { LoopPlan, LoopPosition, TrainingLoop, TrainingSnapshot } from '../callbacks/training_loop.js';
import { ValueError } from '../errors.js';
import { classWeightToSampleWeight } from '../losses/index.js';
import { option } from '../utils/args.js';
import { checkOptions } from '../utils/options.js';
import type { StepRecord } from '../callbacks/step_record.js';
import type { DataLike } from './data_adapter.js';
import type { StepObservation } from './step_inspection.js';
import { attachMonitor, monitorFor } from './fit_monitor.js';
import { lossChart } from '../callbacks/text_chart.js';
import { checkBatchSize, splitForValidation } from './data_adapter.js';
import type { ModelData } from './structure.js';
import type { FitData, LoopParts } from './resumable_state.js';
import { captureState, fingerprintData, restoreState } from './resumable_state.js';
import type { Batch, FitArgs, FitOptions, TrainableModel } from './trainer.js';
import type { Dataset } from '../data/dataset.js';
import type { LoopData } from './dataset_feed.js';
import { applyClassWeight, batchCount, datasetBatch, datasetFingerprint, isDataset, refuseWithDataset, sampleCount } from './dataset_feed.js';
import { FIT_OPTIONS, batchOf, rowCount, checkVerbose, compiledOf, defaultCallbacks, evaluateLoop, metricNames, prepareData, trainStep } from './trainer.js';

/**
 * Keras's fit loop — epochs of shuffled mini-batches, optional validation, callbacks throughout —
 * kept as an object whose position (epoch, batch, shuffle order) callbacks can capture and restore,
 * so a backup taken mid-epoch resumes bit-exactly.
 *
 * One loop for arrays and Datasets: each step asks for batch `passStep` of the current pass. For
 * arrays that is rows of a permutation drawn from the 'shuffle' stream at the pass's start (saved
 * in backups); a Dataset makes batch k of pass p itself, as a pure function of (p, k), so its order
 * is never saved: the position (`pass`, `passStep`) is enough to continue it.
 */
class FitLoop implements TrainingLoop {
  readonly position: LoopPosition;
  /** The current pass's sample order (null without shuffling, or before the pass's first batch). */
  private order: Int32Array | null = null;
  private lastLogs: Logs = {};
  /** Set by `restore`: the next epoch continues instead of starting over. */
  private resumedMidEpoch = false;
  private fingerprint: string | null = null;
  /** The model's output shape, for a Dataset's class weights (found on the first batch). */
  private readonly classWeightShape: { outputShape: readonly number[] | null } = { outputShape: null };

  constructor(private readonly parts: LoopParts & { val: LoopData | null; classWeight: Record<number, number> | null }) {
    const { initialEpoch, stepsPerEpoch } = parts.plan;
    // Passes are numbered from initialEpoch, so a fit that continues a run (initialEpoch > 0) on a
    // shuffling Dataset sees new orders rather than the first run's again.
    this.position = { epoch: initialEpoch, stepsDone: 0, globalStep: initialEpoch * stepsPerEpoch, passStep: 0, pass: initialEpoch };
  }

  get plan(): LoopPlan {
    return this.parts.plan;
  }

  dataFingerprint(): string {
    const { data, val } = this.parts;
    if (isDataset(data) || isDataset(val)) {
      const part = (d: LoopData | null) => (d === null || isDataset(d) ? d : fingerprintData([...d.x, ...d.y, d.sw]));
      this.fingerprint ??= datasetFingerprint([part(data), part(val)]);
    }
    // One array per input and output, in order; a single-input model hashes exactly as before.
    this.fingerprint ??= fingerprintArrays(data as FitData, val as FitData | null);
    return this.fingerprint;
  }

  capture(): TrainingSnapshot {
    // The order belongs to the pass, which may continue into the next epoch (stepsPerEpoch).
    const midPass = this.position.passStep > 0;
    return captureState(this.parts, this.position, midPass ? this.order : null, this.lastLogs, this.dataFingerprint());
  }

  restore(s: TrainingSnapshot): void {
    restoreState(this.parts, s);
    Object.assign(this.position, s.position);
    // Backups from before passes were tracked: a pass was an epoch.
    this.position.passStep = s.position.passStep ?? s.position.stepsDone;
    // Backups from before passes were numbered came from arrays, whose order is saved instead.
    this.position.pass = s.position.pass ?? s.position.epoch;
    this.order = s.shuffleOrder ? Int32Array.from(s.shuffleOrder) : null;
    this.lastLogs = { ...s.logs };
    this.resumedMidEpoch = s.position.stepsDone > 0;
  }

  async run(callbacks: CallbackList, validation: { freq: number; batchSize: number; steps: number | null }): Promise<Logs> {
    const { model, compiled, data, val } = this.parts;
    const { epochs, stepsPerEpoch: steps, batchSize } = this.plan;
    const batchesPerPass = batchCount(data, batchSize);
    let warned = false;
    let epochLogs: Logs = this.lastLogs;
    // Callbacks that watch inside steps; with none, a step does nothing extra.
    const watchers = callbacks.callbacks.filter((cb) => cb.onTrainStep);
    while (this.position.epoch < epochs && !model.stopTraining) {
      const epoch = this.position.epoch;
      // Keras checks stopTraining after each batch, so a fresh epoch always runs its first batch;
      // a resumed one may have been stopped at the batch the backup was taken after.
      let checkStop = this.resumedMidEpoch;
      if (this.resumedMidEpoch) {
        // Metrics, shuffle order and random streams came back with the backup: no reset, no new draw.
        this.resumedMidEpoch = false;
        await callbacks.callOptional('onEpochResume', epoch, this.position.stepsDone);
      } else {
        compiled.resetMetrics();
        await callbacks.call('onEpochBegin', epoch, {});
        // A new pass draws a new order; an unfinished one (stepsPerEpoch below a pass) goes on.
        if (this.position.passStep === 0 && !isDataset(data)) this.order = this.plan.shuffle ? randomStream('shuffle').permutation(rowCount(data)) : null;
      }
      while (this.position.stepsDone < steps) {
        if (checkStop && model.stopTraining) break;
        if (this.position.passStep >= batchesPerPass) {
          // Keras's epoch iterator: the pass ran out before stepsPerEpoch steps; the epoch ends here
          // and the next one starts a new pass.
          if (!warned) console.warn(INTERRUPTED_WARNING);
          warned = true;
          break;
        }
        checkStop = true;
        const step = this.position.stepsDone;
        await callbacks.call('onTrainBatchBegin', step, {});
        const observe = watchers.length > 0 ? observationFor(watchers, this.position.globalStep) : undefined;
        let rows = 0;
        const batch = this.batchMaker(data);
        trainStep(model, compiled, () => {
          const b = batch();
          rows = b.x[0]!.shape[0]!;
          return b;
        }, observe);
        // An empty Dataset batch (all its images skipped) took no step and has no loss to report.
        if (observe && rows > 0) {
          const record: StepRecord = { step: this.position.globalStep, epoch, batch: step, batchSize: rows, loss: observe.loss! };
          if (observe.layers) record.layers = observe.layers;
          for (const cb of watchers) cb.onTrainStep!(record);
        }
        this.position.stepsDone++;
        this.position.passStep++;
        this.position.globalStep++;
        this.lastLogs = compiled.logs();
        await callbacks.call('onTrainBatchEnd', step, this.lastLogs);
        await callbacks.callOptional('onResumePoint', this, 'batch');
      }
      if (this.position.passStep >= batchesPerPass) {
        this.position.passStep = 0;
        this.position.pass = (this.position.pass ?? epoch) + 1;
        this.order = null;
      }
      epochLogs = compiled.logs();
      // Keras validates when the 1-based epoch number is a multiple of validation_freq.
      if (val && (epoch + 1) % validation.freq === 0) {
        const valLogs = await evaluateLoop(model, compiled, val, validation.batchSize, callbacks, validation.steps, epoch);
        for (const [k, v] of Object.entries(valLogs)) epochLogs[`val_${k}`] = v;
      }
      await callbacks.call('onEpochEnd', epoch, epochLogs);
      // The boundary state, which a backup taken here records: "this epoch done, next one not begun".
      this.position.epoch = epoch + 1;
      this.position.stepsDone = 0;
      this.lastLogs = epochLogs;
      await callbacks.callOptional('onResumePoint', this, 'epoch');
    }
    return epochLogs;
  }

  /** The current step's batch, made when the step calls it (inside the step's memory scope). */
  private batchMaker(data: LoopData): () => Batch {
    const { passStep, pass } = this.position;
    if (isDataset(data)) {
      const { model, classWeight } = this.parts;
      return () => {
        const b = datasetBatch(model, data, passStep, pass ?? this.position.epoch, 'fit', true);
        return classWeight ? applyClassWeight(model, b, classWeight, this.classWeightShape) : b;
      };
    }
    const { batchSize } = this.plan;
    const start = passStep * batchSize;
    const end = Math.min(rowCount(data), start + batchSize);
    const order = this.order;
    return () => batchOf(data, start, end, order);
  }
}

function fingerprintArrays(data: FitData, val: FitData | null): string {
  return fingerprintData([...data.x, ...data.y, data.sw, ...(val ? [...val.x, ...val.y] : [null, null]), val?.sw ?? null]);
}

/** What the watching callbacks ask of the step at `globalStep`. */
function observationFor(watchers: readonly Callback[], globalStep: number): StepObservation {
  let inspect = false;
  let gradients = false;
  for (const cb of watchers) {
    const want = cb.inspectStep?.(globalStep) ?? false;
    if (want) inspect = true;
    if (typeof want === 'object' && want.gradients) gradients = true;
  }
  return { inspect, gradients };
}

const INTERRUPTED_WARNING =
  'Your input ran out of data; interrupting training. Make sure that your dataset or generator can generate at least ' +
  '`steps_per_epoch * epochs` batches. You may need to use the `.repeat()` function when building your dataset.';

/** A positive integer or null/undefined (meaning "not given"). */
function optionalSteps(v: unknown, name: string): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ValueError(`fit: ${name} must be a positive integer or null, found ${JSON.stringify(v)}`);
  return v;
}

/** Keras's `fit`: see Model.fit. `x` may be a Dataset (then `y` is undefined: the Dataset yields labels). */
export async function fit(model: TrainableModel, x: ModelData | Dataset, y: ModelData | null | undefined, args: FitOptions = {}): Promise<History> {
  checkOptions('fit', args, FIT_OPTIONS);
  const compiled = compiledOf(model, 'fit');
  const epochs = option<number>(args, 'epochs') ?? 1;
  const initialEpoch = option<number>(args, 'initialEpoch') ?? 0;
  if (!Number.isInteger(epochs) || epochs < 0) throw new ValueError(`fit: epochs must be a non-negative integer, found ${epochs}`);
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) throw new ValueError(`fit: initialEpoch must be a non-negative integer, found ${initialEpoch}`);
  // As Keras: a Dataset batches, labels and splits itself, and its own shuffle setting rules
  // (fit's `shuffle` is ignored for it).
  if (isDataset(x)) refuseWithDataset('fit', y, args, ['batchSize', 'sampleWeight', 'validationSplit']);
  const batchSize = isDataset(x) ? x.batchSize : checkBatchSize(option(args, 'batchSize'), 'fit');
  const verbose = checkVerbose(option(args, 'verbose'), 'fit');
  const shuffle = isDataset(x) ? x.shuffle : option<boolean>(args, 'shuffle') ?? true;
  const validationFreq = option<number>(args, 'validationFreq') ?? 1;
  if (!Number.isInteger(validationFreq) || validationFreq < 1) {
    throw new ValueError(`fit: validationFreq must be a positive integer, found ${JSON.stringify(validationFreq)}`);
  }
  const stepsPerEpoch = optionalSteps(option(args, 'stepsPerEpoch'), 'stepsPerEpoch');
  const validationSteps = optionalSteps(option(args, 'validationSteps'), 'validationSteps');
  const { data, val } = fitData(model, x, y, args);

  // The progress bar's target and the plan's steps are stepsPerEpoch when given, as in Keras.
  const steps = stepsPerEpoch ?? batchCount(data, batchSize);
  const history = new History();
  const userCallbacks = option<Callback[]>(args, 'callbacks') ?? [];
  const monitor = monitorFor(option(args, 'monitor'));
  const callbacks = defaultCallbacks(monitor ? [...userCallbacks, monitor] : userCallbacks, verbose, history);
  if (monitor) attachMonitor(monitor, model, compiled, history, callbacks, userCallbacks, verbose);
  callbacks.setModel(model);
  callbacks.setParams({
    epochs, steps, verbose, metrics: metricNames(compiled, val !== null),
    settings: {
      epochs, batchSize, initialEpoch, shuffle, validationFreq, stepsPerEpoch, validationSteps,
      validationSplit: option(args, 'validationSplit') ?? 0, validationData: option(args, 'validationData') !== undefined,
      classWeight: option(args, 'classWeight') ?? null, trainSamples: sampleCount(data), validationSamples: val ? sampleCount(val) : 0,
    },
  });
  model.stopTraining = false;
  const plan: LoopPlan = {
    epochs, initialEpoch, batchSize, stepsPerEpoch: steps, shuffle,
    trainSamples: sampleCount(data), validationSamples: val ? sampleCount(val) : 0,
  };
  // Array data has its class weights folded into its sample weights already (fitData); a Dataset's
  // are applied batch by batch.
  const datasetClassWeight = isDataset(data) ? option<Record<number, number>>(args, 'classWeight') ?? null : null;
  const loop = new FitLoop({
    model, compiled, data, val, history, statefulCallbacks: monitor ? [...userCallbacks, monitor] : userCallbacks, plan, classWeight: datasetClassWeight,
  });
  if (isDataset(val)) refuseWithDataset('fit (validationData)', undefined, args, ['validationBatchSize']);
  const validation = {
    freq: validationFreq, batchSize: checkBatchSize(option(args, 'validationBatchSize') ?? batchSize, 'fit'), steps: validationSteps,
  };
  try {
    await callbacks.callOptional('onTrainSetup', loop);
    await callbacks.call('onTrainBegin', {});
    // After onTrainBegin, so the loggers (which open their files there) record these events too.
    // The start-of-fit data checks read one feature matrix and one label array.
    // A Dataset is never held whole, so the checks (which read all of it) are for arrays only.
    if (!isDataset(data) && !isDataset(val) && data.x.length === 1 && data.y.length === 1) {
      monitor?.checkData({ x: data.x[0]!, y: data.y[0]!, val: val ? { x: val.x[0]!, y: val.y[0]! } : null });
    }
    const epochLogs = await loop.run(callbacks, validation);
    // Swaps in the moving-average weights when the optimizer keeps them (use_ema), as Keras does.
    compiled.optimizer.finalizeVariableValues(model.trainableWeights);
    await callbacks.call('onTrainEnd', epochLogs);
    if (option<boolean>(args, 'plot')) process.stdout.write(`${lossChart(history)}\n`);
  } catch (e) {
    await callbacks.callOptional('onTrainAbort', e);
    throw e;
  }
  return history;
}

/**
 * x, y and sample weights prepared, the validation part split off, then class weights folded into
 * the training part only: Keras 3 splits first, and validation is never class-weighted (sample
 * weights given as `validationData[2]`, or split off with the rows, still apply).
 */
function fitData(model: TrainableModel, x: ModelData | Dataset, y: ModelData | null | undefined, args: FitOptions): { data: LoopData; val: LoopData | null } {
  const validationData = option<FitArgs['validationData']>(args, 'validationData');
  const valSet = isDataset(validationData) ? validationData : null;
  if (valSet && !valSet.labeled) throw new ValueError('fit: the validationData Dataset yields no labels (labelMode null); validation needs them');
  if (isDataset(x)) {
    if (!x.labeled) throw new ValueError('fit: the Dataset yields no labels (labelMode null); fit needs them');
    const val = valSet ?? (validationData ? validationArrays(model, validationData as [ModelData, ModelData, DataLike?]) : null);
    return { data: x, val };
  }
  if (y === undefined || y === null) throw new ValueError('fit: y (the labels) is required when x is arrays; only a Dataset carries its own');
  let data: FitData = prepareData(model, x, y, option(args, 'sampleWeight'), ['x', 'y', 'sampleWeight']);
  let val: LoopData | null = valSet;
  const validationSplit = option<number>(args, 'validationSplit');
  if (valSet) {
    // Validation on a Dataset while training on arrays: nothing to prepare here.
  } else if (validationData) {
    val = validationArrays(model, validationData as [ModelData, ModelData, DataLike?]);
  } else if (validationSplit) {
    const nx = data.x.length;
    const ny = data.y.length;
    const { train, val: v } = splitForValidation([...data.x, ...data.y, data.sw], validationSplit);
    const part = (arrays: (Tensor | null)[]): FitData => ({
      x: arrays.slice(0, nx) as Tensor[], y: arrays.slice(nx, nx + ny) as Tensor[], sw: arrays[nx + ny] ?? null,
    });
    data = part(train);
    val = part(v);
  }
  const classWeight = option<Record<number, number>>(args, 'classWeight');
  if (classWeight) {
    // As Keras 3: class weights say how much each class of one label array counts.
    if (data.y.length !== 1) throw new ValueError(`fit: classWeight is for a model with one output; this one has ${data.y.length} (${model.outputNames.join(', ')}); use sampleWeight`);
    const cw = classWeightToSampleWeight(data.y[0]!, classWeight, model.forward(data.x.map((t) => P.slice(t, [0], [1])), false)[0]!.shape);
    data = { ...data, sw: data.sw ? P.binary('mul', P.reshape(data.sw, [-1]), cw) : cw };
  }
  return { data, val };
}

/** `validationData` given as arrays: `[xVal, yVal]` or `[xVal, yVal, sampleWeightVal]`. */
function validationArrays(model: TrainableModel, validationData: [ModelData, ModelData, DataLike?]): FitData {
  if (!Array.isArray(validationData) || validationData.length < 2) {
    throw new ValueError('fit: validationData must be a Dataset, [xVal, yVal] or [xVal, yVal, sampleWeightVal]');
  }
  return prepareData(model, validationData[0], validationData[1], validationData[2], ['validationData[0]', 'validationData[1]', 'validationData[2]']);
}
