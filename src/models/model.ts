import type { Tensor } from '../core/tensor.js';
import type { Variable } from '../core/tensor.js';
import type { Callback, Logs, RunModelInfo } from '../callbacks/callback.js';
import type { History } from '../callbacks/history.js';
import { ValueError } from '../errors.js';
import type { CallOptions, LayerArgs, LayerShape, SymbolicShape } from '../layers/layer.js';
import type { Graph } from './graph.js';
import { isInputLayer } from './graph.js';
import { Layer } from '../layers/layer.js';
import type { WeightGroup } from '../layers/weight_groups.js';
import { nestedWeightGroups } from '../layers/weight_groups.js';
import type { Optimizer } from '../optimizers/index.js';
import type { CompileOptions } from '../training/compile.js';
import { CompiledState } from '../training/compile.js';
import type { DataLike } from '../training/data_adapter.js';
import type { ModelData, OutputStructure } from '../training/structure.js';
import type { Dataset } from '../data/dataset.js';
import { fit as runFit } from '../training/fit_loop.js';
import * as trainer from '../training/trainer.js';
import type { BatchResult, EvaluateOptions, EvaluateResult, FitOptions, PredictOptions, TrainableModel } from '../training/trainer.js';
import { formatSummary } from './summary.js';
import { option } from '../utils/args.js';
import type { Spelled } from '../utils/options.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { modelFileIo } from './file_io.js';

/** `summary`'s options (Keras's `print_fn`); a function alone is taken as `printFn`. */
export interface SummaryOptions {
  /** Receives each line (default console.log). */
  printFn?: (line: string) => void;
}

const SUMMARY_OPTIONS = optionNames<SummaryOptions>({ printFn: true });

/**
 * The base of every model: a Layer made of layers, with Keras's training workflow
 * (compile, fit, evaluate, predict). Sequential is one kind; the functional Model (a later issue)
 * will be another, implementing `call` over a graph of layers instead of a list.
 */
export abstract class Model extends Layer implements TrainableModel {
  /** Set to true (e.g. by a callback) to stop `fit` after the current batch. */
  stopTraining = false;
  compiled: CompiledState | null = null;

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  /** The model's layers, in order. */
  abstract get layers(): Layer[];

  /** Builds the model for inputs shaped like `x` (if needed) and checks the shape matches. */
  abstract prepareInput(x: Tensor, argName: string): void;

  /** The model's output shape (batch dim null), once built. */
  abstract get outputShape(): SymbolicShape | null;

  /** The names of the model's inputs (the keys a record of input data is matched by). */
  get inputNames(): string[] {
    return ['input'];
  }
  /** The names of the model's outputs (Keras names per-output losses and metrics by them). */
  get outputNames(): string[] {
    return [this.layers.at(-1)?.name ?? 'output'];
  }
  /** How `predict` returns several outputs (see Functional); a model with one output returns one tensor. */
  get outputStructure(): OutputStructure {
    return { kind: 'single' };
  }

  /** Builds the model for one tensor per input (if needed) and checks their shapes. */
  prepareInputs(xs: readonly Tensor[], argName: string): void {
    if (xs.length !== 1) throw new ValueError(`${argName}: model '${this.name}' has one input, found ${xs.length} arrays`);
    this.prepareInput(xs[0]!, argName);
  }

  forward(xs: readonly Tensor[], training: boolean, tap?: CallOptions['tap']): Tensor[] {
    const out = this.apply(xs.length === 1 ? xs[0]! : xs, tap ? { training, tap } : { training }) as Tensor | Tensor[];
    return Array.isArray(out) ? out : [out];
  }

  abstract override call(inputs: Tensor, options: CallOptions): Tensor;

  override get weights(): Variable[] {
    return this.layers.flatMap((l) => l.weights);
  }
  override get trainableWeights(): Variable[] {
    return this.trainable ? this.layers.flatMap((l) => l.trainableWeights) : [];
  }
  override get nonTrainableWeights(): Variable[] {
    return this.trainable ? this.layers.flatMap((l) => l.nonTrainableWeights) : this.weights;
  }
  override regularizationLosses(): Tensor[] {
    return [...this.layers.flatMap((l) => l.regularizationLosses()), ...this.activityLosses];
  }

  /** The layer with this name (or at this index). */
  getLayer(nameOrIndex: string | number): Layer {
    const layer = typeof nameOrIndex === 'number' ? this.layers[nameOrIndex] : this.layers.find((l) => l.name === nameOrIndex);
    if (!layer) throw new ValueError(`getLayer: no layer ${JSON.stringify(nameOrIndex)} in model '${this.name}'; layers: ${this.layers.map((l) => l.name).join(', ')}`);
    return layer;
  }

  /**
   * Configures training: optimizer, loss and metrics (names in Keras snake_case or tfjs camelCase, or objects).
   *
   * ```ts
   * model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
   * ```
   */
  compile(args: CompileOptions): void {
    this.compiled = new CompiledState(args, this.outputNames);
  }

  /** The direction of the compiled metric logged as `name` (see CallbackModel.metricDirection). */
  metricDirection(name: string): 'up' | 'down' | null | undefined {
    return this.compiled?.metricDirection(name);
  }

  get optimizer(): Optimizer | null {
    return this.compiled?.optimizer ?? null;
  }

  /**
   * Trains the model. Prints Keras's progress output unless `verbose: 0`.
   *
   * ```ts
   * const history = await model.fit(x, y, { epochs: 10, batchSize: 32, validationSplit: 0.2 });
   * history.history.val_loss;
   * ```
   *
   * Or on a Dataset (Keras's `fit(dataset)`), which makes its own batches and labels, so `y`,
   * `batchSize`, `sampleWeight` and `validationSplit` are not given (`shuffle` is the Dataset's own;
   * `classWeight` applies to each batch as it comes):
   *
   * ```ts
   * const [train, val] = kiln.data.imageFolder('photos', { imageSize: [64, 64], validationSplit: 0.2, subset: 'both', seed: 1 });
   * await model.fit(train, undefined, { epochs: 10, validationData: val });
   * ```
   */
  fit(dataset: Dataset, y?: null, args?: FitOptions): Promise<History>;
  fit(x: ModelData, y: ModelData, args?: FitOptions): Promise<History>;
  fit(x: ModelData | Dataset, y?: ModelData | null, args?: FitOptions): Promise<History> {
    return runFit(this, x, y, args);
  }

  /**
   * Loss and metrics on data: `[loss, ...metrics]`, or the loss alone when there are no metrics
   * (see EvaluateResult), or with `returnDict: true` `{ loss, <metric>: value }`. A per-class
   * metric (F1Score with average null) is an array.
   *
   * ```ts
   * const [testLoss, testAcc] = await model.evaluate(xTest, yTest, { verbose: 2 });
   * const { loss, accuracy } = await model.evaluate(xTest, yTest, { returnDict: true });
   * ```
   */
  /** On a Dataset (`model.evaluate(ds)`), which yields the labels itself: no `y`, `batchSize` or `sampleWeight`. */
  evaluate(dataset: Dataset, y: null | undefined, args: EvaluateOptions & ({ returnDict: true } | { return_dict: true })): Promise<Logs>;
  evaluate(dataset: Dataset, y?: null, args?: EvaluateOptions & { returnDict?: false; return_dict?: false }): Promise<EvaluateResult>;
  evaluate(x: ModelData, y: ModelData, args: EvaluateOptions & ({ returnDict: true } | { return_dict: true })): Promise<Logs>;
  evaluate(x: ModelData, y: ModelData, args?: EvaluateOptions & { returnDict?: false; return_dict?: false }): Promise<EvaluateResult>;
  evaluate(x: ModelData, y: ModelData, args?: EvaluateOptions): Promise<EvaluateResult | Logs>;
  evaluate(x: ModelData | Dataset, y?: ModelData | null, args?: EvaluateOptions): Promise<EvaluateResult | Logs> {
    return trainer.evaluate(this, x, y, args);
  }

  /**
   * Outputs for `x`, computed in batches (inference mode: dropout off, batch norm uses moving
   * statistics). A model with several inputs takes a list or a record by input name. A model with
   * several outputs returns a list (or a record, when its outputs were declared as one): name the
   * type you expect, `model.predict<kiln.Tensor[]>([a, b])`. A Dataset is predicted over one pass,
   * in its order (make an imageFolder with `shuffle: false` for rows in `filePaths` order).
   *
   * ```ts
   * const probs = model.predict(xNew);   // Tensor [n, 10]
   * await probs.array();
   * ```
   */
  predict<T extends Tensor | Tensor[] | Record<string, Tensor> = Tensor>(x: ModelData | Dataset, args?: PredictOptions): NoInfer<T> {
    return trainer.predict(this, x, args) as T;
  }

  /** One gradient step on one batch; returns that batch's `[loss, ...metrics]`. */
  trainOnBatch(x: ModelData, y: ModelData, sampleWeight?: DataLike): BatchResult {
    return trainer.trainOnBatch(this, x, y, sampleWeight);
  }

  /** Loss and metrics on one batch, without training. */
  testOnBatch(x: ModelData, y: ModelData, sampleWeight?: DataLike): BatchResult {
    return trainer.testOnBatch(this, x, y, sampleWeight);
  }

  /** Outputs for one batch. */
  predictOnBatch<T extends Tensor | Tensor[] | Record<string, Tensor> = Tensor>(x: ModelData): NoInfer<T> {
    return trainer.predict(this, x, { batchSize: Number.MAX_SAFE_INTEGER }) as T;
  }

  /**
   * Saves the model — architecture, weights, compile config and optimizer state — in the format
   * the extension names: `.keras` (Keras 3 archive) or `.h5`/`.hdf5` (legacy Keras HDF5). Written
   * to a temporary file and renamed, so a failed save leaves no partial file.
   *
   * ```ts
   * await model.save('model.keras');
   * const again = await kiln.loadModel('model.keras');
   * ```
   */
  async save(path: string, options?: { includeOptimizer?: boolean }): Promise<void> {
    return modelFileIo().saveModel(this, path, options);
  }

  /**
   * Saves the weights (and the optimizer state, when compiled) as Keras 3's `.weights.h5`.
   *
   * ```ts
   * await model.saveWeights('ckpt.weights.h5');
   * ```
   */
  async saveWeights(path: string): Promise<void> {
    return modelFileIo().saveWeights(this, path);
  }

  /**
   * Loads weights saved by `saveWeights` (or Keras's `save_weights`, or a legacy `.h5`) into this
   * built model; shapes must match exactly.
   *
   * ```ts
   * await model.loadWeights('ckpt.weights.h5');
   * ```
   */
  async loadWeights(path: string): Promise<void> {
    return modelFileIo().loadWeights(this, path);
  }

  /**
   * Prints Keras's summary table (layer, output shape, parameter count, totals).
   *
   * ```ts
   * model.summary();
   * ```
   */
  summary(options: Spelled<SummaryOptions> | ((line: string) => void) = {}): void {
    if (typeof options !== 'function') checkOptions('summary', options, SUMMARY_OPTIONS);
    const printFn = (typeof options === 'function' ? options : option<(line: string) => void>(options, 'printFn')) ?? console.log;
    const graph = this.summaryGraph();
    const lines = formatSummary({
      name: this.name,
      built: this.built,
      withConnections: graph !== null && !isChain(graph),
      layers: this.layers.map((l) => ({
        name: l.name,
        className: (l.constructor as typeof Layer).className,
        outputShape: graph ? graphOutputShape(l, graph) : l.builtInputShape ? l.computeOutputShape(l.builtInputShape) : null,
        ...(graph ? { connectedTo: connections(l, graph) } : {}),
        params: l.countParams(),
        trainableParams: l.trainableWeights.reduce((n, w) => n + w.size, 0),
      })),
    });
    for (const line of lines) printFn(line);
  }

  /** Where a nested model's variables go in a Keras 3 weight file (see layers/weight_groups.ts). */
  kerasWeightGroups(): WeightGroup[] {
    return nestedWeightGroups(this.layers);
  }

  /** The graph whose layers the summary lists with their connections (functional models); null prints a plain stack. */
  protected summaryGraph(): Graph | null {
    return null;
  }

  /** The model as a run record describes it (jsonlLogger's `run_begin`, the report). */
  runInfo(): RunModelInfo {
    const lines: string[] = [];
    this.summary((line) => lines.push(line));
    const compiled = this.compiled;
    const lossSpec = compiled?.lossSpec;
    return {
      name: this.name,
      className: (this.constructor as typeof Model).className,
      summary: lines.join('\n'),
      params: { total: this.countParams(), trainable: this.trainableWeights.reduce((n, w) => n + w.size, 0) },
      loss: lossSpec === undefined ? null : typeof lossSpec === 'string' ? lossSpec : lossNameOf(lossSpec),
      optimizer: compiled ? { className: (compiled.optimizer.constructor as { className?: string }).className ?? null, ...compiled.optimizer.getConfig() } : null,
      metrics: compiled ? compiled.metricLogNames() : [],
    };
  }
}

/** A layer's output shape in this graph as Keras 2 prints it: input layers as a list, shared layers as 'multiple'. */
function graphOutputShape(layer: Layer, graph: Graph): LayerShape | null {
  if (isInputLayer(layer)) return [[...layer.batchInputShape!]];
  const nodes = layer.inboundNodes.filter((n) => graph.has(n));
  if (nodes.length !== 1) return null;
  const outs = nodes[0]!.outputs.map((t) => [...t.shape]);
  return outs.length === 1 ? outs[0]! : outs;
}

/** "Connected to": the `layer[node][tensor]` each of the layer's calls in this graph reads. */
function connections(layer: Layer, graph: Graph): string[] {
  return layer.inboundNodes.filter((n) => graph.has(n)).flatMap((n) => n.inputs.map((t) => `${t.history.layer.name}[${t.history.nodeIndex}][${t.history.tensorIndex}]`));
}

/** Keras prints a graph that is one chain (one input, each layer called once on one tensor) like a Sequential model. */
function isChain(graph: Graph): boolean {
  if (graph.inputs.length !== 1 || graph.outputs.length !== 1) return false;
  const reads = new Map<number, number>();
  const calls = new Map<Layer, number>();
  for (const n of graph.nodes) {
    if (n.inputs.length !== 1 || n.outputs.length !== 1) return false;
    const id = n.inputs[0]!.id;
    reads.set(id, (reads.get(id) ?? 0) + 1);
    calls.set(n.layer, (calls.get(n.layer) ?? 0) + 1);
  }
  return [...reads.values(), ...calls.values()].every((c) => c === 1);
}

/** A loss given as an object or a function, by its class or function name. */
function lossNameOf(loss: object): string {
  const ctor = (loss as { constructor?: { className?: string; name?: string } }).constructor;
  return typeof loss === 'function' ? (loss as { name: string }).name || 'custom' : ctor?.className ?? ctor?.name ?? 'custom';
}

export type { Callback };
