import { valueAndGrads } from '../core/autograd.js';
import { noGrad } from '../core/engine.js';
import * as P from '../core/primitives.js';
import { stepScope } from '../core/scope.js';
import { formatShape } from '../core/shape.js';
import type { Tensor, Variable } from '../core/tensor.js';
import type { Callback, CallbackModel, LogValue, Logs } from '../callbacks/callback.js';
import { CallbackList } from '../callbacks/callback.js';
import { History } from '../callbacks/history.js';
import { ProgbarLogger } from '../callbacks/progbar_logger.js';
import { NotCompiledError, ValueError } from '../errors.js';
import { concat } from '../ops/shape.js';
import { option } from '../utils/args.js';
import type { Spelled } from '../utils/options.js';
import type { Layer } from '../layers/layer.js';
import type { MonitorOptions } from '../health/index.js';
import type { StepObservation } from './step_inspection.js';
import { layerStepStats } from './step_inspection.js';
import { checkOptions, optionNames } from '../utils/options.js';
import type { CompiledState } from './compile.js';
import type { DataLike } from './data_adapter.js';
import { assertSameLength, checkBatchSize, numBatches, takeRows, toTensor } from './data_adapter.js';
import type { ModelData, OutputStructure } from './structure.js';
import { flattenData, structureOutputs } from './structure.js';
import type { Dataset } from '../data/dataset.js';
import type { LoopData } from './dataset_feed.js';
import { batchCount, datasetBatch, isDataset, refuseWithDataset } from './dataset_feed.js';
import { predictDataset } from './predict_dataset.js';

/** The part of a model the training loop needs. Models implement it; the loop knows nothing else. */
export interface TrainableModel extends CallbackModel {
  readonly name: string;
  compiled: CompiledState | null;
  readonly trainableWeights: Variable[];
  /** The names of the model's inputs and outputs (the keys of record data; per-output log names). */
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** How `predict` returns several outputs: a list, or a record when the outputs were declared as one. */
  readonly outputStructure: OutputStructure;
  /** Builds the model for `xs` (one tensor per input) if needed and checks their shapes, throwing a ShapeError naming the layer. */
  prepareInputs(xs: readonly Tensor[], argName: string): void;
  /** The model's layers in forward order (the step's inspection reports on them). */
  readonly layers: readonly Layer[];
  /** The forward pass, one tensor per input in and per output out; `tap` sees each layer's output as it is made. */
  forward(xs: readonly Tensor[], training: boolean, tap?: (layer: Layer, output: Tensor) => void): Tensor[];
  regularizationLosses(): Tensor[];
}

/** Keras's verbosity: 0 silent, 1 progress bar, 2 one line per epoch; 'auto' is 1 (as in Keras outside Colab-style notebooks). */
export type Verbosity = 0 | 1 | 2 | 'auto';

export interface FitArgs {
  epochs?: number;
  batchSize?: number;
  /** 0 silent, 1 progress bar (default), 2 one line per epoch, 'auto' (= 1). */
  verbose?: Verbosity;
  callbacks?: Callback[];
  validationSplit?: number;
  /** Validation data: a Dataset, or arrays `[xVal, yVal]` / `[xVal, yVal, sampleWeightVal]`. */
  validationData?: [ModelData, ModelData] | [ModelData, ModelData, DataLike] | Dataset;
  shuffle?: boolean;
  classWeight?: Record<number, number>;
  sampleWeight?: DataLike;
  initialEpoch?: number;
  validationBatchSize?: number;
  /** Validate every N epochs (Keras's validation_freq as an integer). */
  validationFreq?: number;
  /**
   * Training batches per epoch (Keras's steps_per_epoch; default: one pass over the data). Fewer
   * than a pass: the next epoch continues the same pass where this one stopped. More than the
   * batches left in the pass: the epoch ends early when the pass runs out, with Keras's warning.
   */
  stepsPerEpoch?: number | null;
  /** Validation batches per validation run (Keras's validation_steps; default: all of them). */
  validationSteps?: number | null;
  /**
   * The training-health monitor (default on): `false` turns it off, an object tunes it (see
   * MonitorOptions). Its events are in `history.events`.
   */
  monitor?: boolean | Spelled<MonitorOptions>;
  /** Print a text chart of loss (and val_loss) per epoch after training (default false). */
  plot?: boolean;
}

/** `fit`'s options in either spelling (`batchSize` or `batch_size`). */
export type FitOptions = Spelled<FitArgs>;

/** Every option `fit` knows: the one list the runtime check uses, complete by type. */
export const FIT_OPTIONS = optionNames<FitArgs>({
  epochs: true, batchSize: true, verbose: true, callbacks: true, validationSplit: true, validationData: true,
  shuffle: true, classWeight: true, sampleWeight: true, initialEpoch: true, validationBatchSize: true,
  validationFreq: true, stepsPerEpoch: true, validationSteps: true, monitor: true, plot: true,
});

export interface EvaluateArgs {
  batchSize?: number;
  verbose?: Verbosity;
  sampleWeight?: DataLike;
  callbacks?: Callback[];
  /** Return `{ loss, <metric>: value, … }` instead of `[loss, ...metrics]` (Keras's `return_dict`). */
  returnDict?: boolean;
}

/** `evaluate`'s options in either spelling. */
export type EvaluateOptions = Spelled<EvaluateArgs>;

export const EVALUATE_OPTIONS = optionNames<EvaluateArgs>({
  batchSize: true, verbose: true, sampleWeight: true, callbacks: true, returnDict: true,
});

/**
 * `evaluate`'s result without `returnDict`, as in Keras: the loss alone (a number) when the model
 * was compiled without metrics, otherwise `[loss, ...metrics]` (a per-class metric is an array).
 * Which of the two depends on compile's metrics, which the type cannot see, so it is typed as both:
 * `const [loss, acc] = await model.evaluate(x, y)` and `(await model.evaluate(x, y)).toFixed(4)`
 * each compile, and each is right for its kind of model. `returnDict: true` gives a result whose
 * type is exact.
 */
export type EvaluateResult = number & [loss: number, ...metrics: LogValue[]];

/** `trainOnBatch`/`testOnBatch`'s result: the loss alone, or `[loss, ...metrics]` (Keras's shape). */
export type BatchResult = number | LogValue[];

export interface PredictArgs {
  batchSize?: number;
  /** 0 (default, like tfjs), or 1 (or 'auto') for Keras's progress bar. */
  verbose?: Verbosity;
  callbacks?: Callback[];
}

/** `predict`'s options in either spelling. */
export type PredictOptions = Spelled<PredictArgs>;

export const PREDICT_OPTIONS = optionNames<PredictArgs>({ batchSize: true, verbose: true, callbacks: true });

export function compiledOf(model: TrainableModel, where: string): CompiledState {
  if (!model.compiled) {
    throw new NotCompiledError(`${where}: the model must be compiled first: call model.compile({ optimizer, loss, metrics }) before ${where}()`);
  }
  return model.compiled;
}

/** One batch: a tensor per input and per output, and the sample weights. */
export interface Batch {
  x: Tensor[];
  y: Tensor[];
  sw: Tensor | null;
}

/** The number of samples in prepared data. */
export function rowCount(data: { x: readonly Tensor[] }): number {
  return data.x[0]!.shape[0]!;
}

/** Rows [start, end) of every array of a batch source (in `order` when shuffled). */
export function batchOf(data: Batch, start: number, end: number, order: Int32Array | null): Batch {
  return {
    x: data.x.map((t) => takeRows(t, start, end, order)),
    y: data.y.map((t) => takeRows(t, start, end, order)),
    sw: data.sw ? takeRows(data.sw, start, end, order) : null,
  };
}

/**
 * One optimization step on the batch `batch()` makes; updates the loss tracker and metrics.
 * One scope per step: the batch is made inside it, so its row slices and every intermediate are
 * released at the step's end (variables update in place).
 */
export function trainStep(model: TrainableModel, compiled: CompiledState, batch: () => Batch, observe?: StepObservation): void {
  stepScope(() => trainStepInScope(model, compiled, batch(), observe));
}

/**
 * With `observe`, the step also reports its batch loss, and per-layer statistics when asked to
 * inspect or when the loss is not finite; they are taken before the update, from this step's own
 * tensors (no second forward pass). Without it the step does nothing extra.
 */
function trainStepInScope(model: TrainableModel, compiled: CompiledState, { x, y, sw }: Batch, observe?: StepObservation): void {
  // A Dataset batch whose every sample was skipped (unreadable images) trains nothing.
  if (x[0]!.shape[0] === 0) return;
  const vars = model.trainableWeights;
  let yPred!: Tensor[];
  let lossValue!: Tensor;
  let parts!: Tensor[];
  const outputs = observe ? new Map<Layer, Tensor>() : null;
  const tap = outputs ? (layer: Layer, out: Tensor) => void outputs.set(layer, out) : undefined;
  const { grads } = valueAndGrads(() => {
    yPred = model.forward(x, true, tap);
    const computed = compiled.computeLoss(y, yPred, sw ?? undefined);
    parts = computed.parts;
    let loss = computed.total;
    for (const r of model.regularizationLosses()) loss = P.binary('add', loss, r);
    lossValue = loss;
    // Loss scaling (a no-op unless the optimizer sets lossScaleFactor) scales the gradients only.
    return compiled.optimizer.scaleLoss(loss);
  }, vars);
  if (observe && outputs) {
    const loss = lossValue.dataSync()[0]!;
    observe.loss = loss;
    if (observe.inspect || !Number.isFinite(loss)) {
      observe.layers = noGrad(() => layerStepStats(model.layers, vars, grads, outputs, observe.gradients, !Number.isFinite(loss)));
    }
  }
  compiled.optimizer.applyGradients(grads.map((g, i) => [g, vars[i]!] as [Tensor, Variable]));
  noGrad(() => compiled.updateMetrics(lossValue, parts, y, yPred, sw ?? undefined, x[0]!.shape[0]!));
}

/** Forward pass without training on the batch `batch()` makes, in one scope as in `trainStep`; updates the loss tracker and metrics. */
export function testStep(model: TrainableModel, compiled: CompiledState, batch: () => Batch): void {
  stepScope(() => noGrad(() => {
    const { x, y, sw } = batch();
    if (x[0]!.shape[0] === 0) return;
    const yPred = model.forward(x, false);
    const { total, parts } = compiled.computeLoss(y, yPred, sw ?? undefined);
    let loss = total;
    for (const r of model.regularizationLosses()) loss = P.binary('add', loss, r);
    compiled.updateMetrics(loss, parts, y, yPred, sw ?? undefined, x[0]!.shape[0]!);
  }));
}

export function defaultCallbacks(user: Callback[] | undefined, verbose: number, history?: History): CallbackList {
  const list: Callback[] = [...(user ?? [])];
  if (verbose > 0) list.unshift(new ProgbarLogger());
  if (history) list.push(history);
  return new CallbackList(list);
}

export function metricNames(compiled: CompiledState, withVal: boolean): string[] {
  const names = [...compiled.lossLogNames(), ...compiled.metricLogNames()];
  return withVal ? [...names, ...names.map((n) => `val_${n}`)] : names;
}

/** Keras's `verbose`: 0, 1, 2 or 'auto' (which is 1, as in Keras); `undefined` is 'auto'. */
export function checkVerbose(v: unknown, where: string): 0 | 1 | 2 {
  if (v === undefined || v === 'auto') return 1;
  if (v !== 0 && v !== 1 && v !== 2) throw new ValueError(`${where}: verbose must be 0, 1, 2 or 'auto', found ${JSON.stringify(v)}`);
  return v;
}

/** Prepares x, y and sample weights: tensors (one per input / output), finite, same length, model-compatible. */
export function prepareData(model: TrainableModel, x: ModelData, y: ModelData, sampleWeight: DataLike | undefined, names: [string, string, string]): Batch {
  const xs = flattenData(x, model.inputNames, names[0], 'inputs');
  const ys = flattenData(y, model.outputNames, names[1], 'outputs');
  const xName = xs.length === 1 ? names[0] : `${names[0]}[0]`;
  assertSameLength(xs[0]!, ys[0]!, xName, ys.length === 1 ? names[1] : `${names[1]}[0]`);
  model.prepareInputs(xs, names[0]);
  let sw: Tensor | null = null;
  if (sampleWeight !== undefined && sampleWeight !== null) {
    sw = toTensor(sampleWeight, names[2], 'float32');
    assertSameLength(xs[0]!, sw, xName, names[2]);
    if (sw.rank !== 1 && !(sw.rank === 2 && sw.shape[1] === 1)) {
      throw new ValueError(`${names[2]}: expected one weight per sample, shape [${xs[0]!.shape[0]}], found ${formatShape(sw.shape)}`);
    }
  }
  return { x: xs, y: ys, sw };
}

/**
 * One validation/evaluation pass: metrics reset, test hooks called, logs returned. A Dataset is
 * asked for the batches of pass `pass` (fit passes the epoch, so a shuffling validation Dataset with
 * validationSteps sees other batches each epoch, as in Keras).
 */
export async function evaluateLoop(
  model: TrainableModel, compiled: CompiledState, data: LoopData, batchSize: number,
  callbacks: CallbackList, maxSteps: number | null = null, pass = 0,
): Promise<Logs> {
  compiled.resetMetrics();
  // validationSteps: the first maxSteps batches (validation arrays are never shuffled).
  const steps = Math.min(batchCount(data, batchSize), maxSteps ?? Infinity);
  await callbacks.call('onTestBegin', {});
  for (let step = 0; step < steps; step++) {
    await callbacks.call('onTestBatchBegin', step, {});
    if (isDataset(data)) testStep(model, compiled, () => datasetBatch(model, data, step, pass, 'evaluate', true));
    else {
      const start = step * batchSize;
      testStep(model, compiled, () => batchOf(data, start, Math.min(rowCount(data), start + batchSize), null));
    }
    await callbacks.call('onTestBatchEnd', step, compiled.logs());
  }
  const logs = compiled.logs();
  await callbacks.call('onTestEnd', logs);
  return logs;
}

/**
 * Keras's evaluate: the loss (and metrics) over all samples, as `[loss, ...metrics]`, or the loss
 * alone, or with `returnDict` as `{ loss, <metric>: value }`.
 */
export async function evaluate(model: TrainableModel, x: ModelData | Dataset, y: ModelData | null | undefined, args: EvaluateOptions = {}): Promise<EvaluateResult | Logs> {
  checkOptions('evaluate', args, EVALUATE_OPTIONS);
  const compiled = compiledOf(model, 'evaluate');
  const returnDict = option<unknown>(args, 'returnDict') ?? false;
  if (typeof returnDict !== 'boolean') throw new ValueError(`evaluate: returnDict must be true or false, found ${JSON.stringify(returnDict)}`);
  const batchSize = checkBatchSize(option(args, 'batchSize'), 'evaluate');
  const verbose = checkVerbose(option(args, 'verbose'), 'evaluate');
  let data: LoopData;
  if (isDataset(x)) {
    refuseWithDataset('evaluate', y, args, ['batchSize', 'sampleWeight']);
    if (!x.labeled) throw new ValueError('evaluate: the Dataset yields no labels (labelMode null); evaluate needs them');
    data = x;
  } else {
    if (y === undefined || y === null) throw new ValueError('evaluate: y (the labels) is required when x is arrays');
    data = prepareData(model, x, y, option(args, 'sampleWeight'), ['x', 'y', 'sampleWeight']);
  }
  const callbacks = defaultCallbacks(option(args, 'callbacks'), verbose);
  callbacks.setModel(model);
  callbacks.setParams({ epochs: 1, steps: batchCount(data, batchSize), verbose, metrics: metricNames(compiled, false) });
  const logs = await evaluateLoop(model, compiled, data, batchSize, callbacks);
  return returnDict ? logs : asResult(logs);
}

/** Keras's list form of logs: the loss alone when there are no metrics, else every value in order. */
function asResult(logs: Logs): EvaluateResult {
  const values = Object.values(logs);
  return (values.length === 1 ? values[0]! : values) as EvaluateResult;
}

/**
 * Batched inference; returns one tensor with all rows per output (one tensor for a model with one
 * output, else a list, or a record when the outputs were declared as one). Synchronous, like tfjs's `predict`.
 */
export function predict(model: TrainableModel, x: ModelData | Dataset, args: PredictOptions = {}): Tensor | Tensor[] | Record<string, Tensor> {
  checkOptions('predict', args, PREDICT_OPTIONS);
  const batchSize = checkBatchSize(option(args, 'batchSize'), 'predict');
  // tfjs's default is silent; 'auto' is Keras's progress bar.
  const verbose = option(args, 'verbose') === undefined ? 0 : checkVerbose(option(args, 'verbose'), 'predict');
  if (isDataset(x)) {
    refuseWithDataset('predict', undefined, args, ['batchSize']);
    return predictDataset(model, x, verbose, option<Callback[]>(args, 'callbacks') ?? []);
  }
  const xs = flattenData(x, model.inputNames, 'x', 'inputs');
  model.prepareInputs(xs, 'x');
  const n = xs[0]!.shape[0]!;
  const steps = numBatches(n, batchSize);
  // Predict is synchronous, so callback hooks run but a returned promise is not awaited.
  const cbs: Callback[] = [...(option<Callback[]>(args, 'callbacks') ?? [])];
  if (verbose > 0) cbs.unshift(new ProgbarLogger());
  for (const cb of cbs) {
    cb.setModel(model);
    cb.setParams({ epochs: 1, steps, verbose, metrics: [] });
  }
  return noGrad(() => {
    for (const cb of cbs) void cb.onPredictBegin({});
    if (n <= batchSize) {
      const out = stepScope(() => model.forward(xs, false), (o) => o);
      for (const cb of cbs) void cb.onPredictBatchEnd(0, {});
      for (const cb of cbs) void cb.onPredictEnd({});
      return structureOutputs(out, model.outputStructure);
    }
    const outs: Tensor[][] = [];
    for (let step = 0; step < steps; step++) {
      for (const cb of cbs) void cb.onPredictBatchBegin(step, {});
      const start = step * batchSize;
      const size = Math.min(n, start + batchSize) - start;
      outs.push(stepScope(() => model.forward(xs.map((t) => P.slice(t, [start], [size])), false), (o) => o));
      for (const cb of cbs) void cb.onPredictBatchEnd(step, {});
    }
    for (const cb of cbs) void cb.onPredictEnd({});
    return structureOutputs(outs[0]!.map((_, k) => concat(outs.map((o) => o[k]!), 0)), model.outputStructure);
  });
}

/** One training step on one batch, returning that batch's `[loss, ...metrics]` (metrics reset first, as in Keras). */
export function trainOnBatch(model: TrainableModel, x: ModelData, y: ModelData, sampleWeight?: DataLike): BatchResult {
  return onOneBatch(model, x, y, sampleWeight, 'trainOnBatch', trainStep);
}

/** Loss and metrics on one batch, without training (metrics reset first, as in Keras). */
export function testOnBatch(model: TrainableModel, x: ModelData, y: ModelData, sampleWeight?: DataLike): BatchResult {
  return onOneBatch(model, x, y, sampleWeight, 'testOnBatch', testStep);
}

function onOneBatch(
  model: TrainableModel, x: ModelData, y: ModelData, sampleWeight: DataLike | undefined, where: string,
  step: (model: TrainableModel, compiled: CompiledState, batch: () => Batch) => void,
): BatchResult {
  const compiled = compiledOf(model, where);
  compiled.resetMetrics();
  const batch = prepareData(model, x, y, sampleWeight, ['x', 'y', 'sampleWeight']);
  step(model, compiled, () => batch);
  return asResult(compiled.logs());
}
