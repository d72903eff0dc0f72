import type { Tensor } from '../core/tensor.js';
import { formatShape } from '../core/shape.js';
import { ShapeError, ValueError } from '../errors.js';
import { KerasTensor } from '../layers/keras_tensor.js';
import type { CallOptions, Layer, LayerArgs, LayerShape, SymbolicShape } from '../layers/layer.js';
import type { Config } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import { option } from '../utils/args.js';
import { checkOptions } from '../utils/options.js';
import { functionalConfig, functionalFromConfig } from './functional_config.js';
import { Graph } from './graph.js';
import { Model } from './model.js';

/** Symbolic tensors given as one, a list, or a record keyed by name (Keras's dict inputs/outputs). */
export type TensorStructure = KerasTensor | readonly KerasTensor[] | Readonly<Record<string, KerasTensor>>;

export interface FunctionalArgs extends Pick<LayerArgs, 'name' | 'trainable'> {
  inputs: TensorStructure;
  outputs: TensorStructure;
}

const FUNCTIONAL_OPTIONS = ['inputs', 'outputs', 'name', 'trainable'];

/** How a structure was given, so calls and results keep the user's shape (one, list or record). */
export type StructureKind = { kind: 'single' } | { kind: 'list' } | { kind: 'dict'; keys: string[] };

function flatten(given: unknown, what: 'inputs' | 'outputs', owner: string): { tensors: KerasTensor[]; structure: StructureKind } {
  const bad = (found: unknown) =>
    new ValueError(`model '${owner}': ${what} must be symbolic tensors (from kiln.input or a layer's apply), found ${describe(found)}`);
  if (given instanceof KerasTensor) return { tensors: [given], structure: { kind: 'single' } };
  if (Array.isArray(given)) {
    if (given.length === 0) throw new ValueError(`model '${owner}': ${what} is an empty list`);
    given.forEach((t) => { if (!(t instanceof KerasTensor)) throw bad(t); });
    return { tensors: [...given] as KerasTensor[], structure: { kind: 'list' } };
  }
  if (given && typeof given === 'object' && Object.getPrototypeOf(given) === Object.prototype) {
    const entries = Object.entries(given as Record<string, unknown>);
    if (entries.length === 0) throw new ValueError(`model '${owner}': ${what} is an empty record`);
    for (const [, t] of entries) if (!(t instanceof KerasTensor)) throw bad(t);
    return { tensors: entries.map(([, t]) => t as KerasTensor), structure: { kind: 'dict', keys: entries.map(([k]) => k) } };
  }
  throw bad(given);
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'object';
  return typeof x;
}

/**
 * A model made from a graph of layers (Keras's functional API): several inputs and outputs,
 * shared layers, merges, and models nested as layers. Build it from symbolic tensors with
 * `kiln.model({ inputs, outputs })`; it compiles, trains, evaluates, predicts and saves like a
 * Sequential model (both run on the same graph engine).
 *
 * ```ts
 * const numeric = kiln.input({ shape: [5], name: 'numeric' });
 * const extra = kiln.input({ shape: [3], name: 'extra' });
 * const hidden = kiln.layers.dense({ units: 8, activation: 'relu' }).apply(numeric);
 * const merged = kiln.layers.concatenate().apply([hidden, extra]);
 * const label = kiln.layers.dense({ units: 1, activation: 'sigmoid', name: 'label' }).apply(merged);
 * const model = kiln.model({ inputs: [numeric, extra], outputs: label });
 * ```
 */
export class Functional extends Model {
  static override readonly className = 'Functional';
  readonly graph: Graph;
  readonly inputStructure: StructureKind;
  private readonly outputStructure_: StructureKind;

  constructor(args: FunctionalArgs) {
    if (!args || typeof args !== 'object') throw new ValueError('kiln.model: expected { inputs, outputs }');
    checkOptions('kiln.model', args, FUNCTIONAL_OPTIONS);
    const name = option<string>(args, 'name');
    super({ ...(name !== undefined ? { name } : {}), ...(option(args, 'trainable') !== undefined ? { trainable: option<boolean>(args, 'trainable')! } : {}) });
    const ins = flatten(args.inputs, 'inputs', this.name);
    const outs = flatten(args.outputs, 'outputs', this.name);
    const seen = new Set<number>();
    for (const t of ins.tensors) {
      if (seen.has(t.id)) throw new ValueError(`model '${this.name}': input '${t.name}' is given twice`);
      seen.add(t.id);
    }
    this.graph = new Graph(ins.tensors, outs.tensors, this.name);
    this.inputStructure = ins.structure;
    this.outputStructure_ = outs.structure;
    const names = new Set<string>();
    for (const layer of this.graph.layers) {
      if (names.has(layer.name)) throw new ValueError(`model '${this.name}': two different layers are named '${layer.name}'; layer names must be unique in a model`);
      names.add(layer.name);
    }
    if (ins.tensors.length === 1) this.builtInputShape = [...ins.tensors[0]!.shape];
    this.built = true;
  }

  /** Every layer, input layers included, in graph order (as Keras's `model.layers`). */
  get layers(): Layer[] {
    return [...this.graph.layers];
  }
  get inputs(): KerasTensor[] {
    return [...this.graph.inputs];
  }
  get outputs(): KerasTensor[] {
    return [...this.graph.outputs];
  }
  /** The input layers' names, in input order (the keys a record of input data is matched by). */
  override get inputNames(): string[] {
    return this.graph.inputs.map((t) => t.history.layer.name);
  }
  /** The output layers' names, in output order (Keras names per-output losses and metrics by them). */
  override get outputNames(): string[] {
    if (this.outputStructure.kind === 'dict') return [...this.outputStructure.keys];
    return this.graph.outputs.map((t) => t.history.layer.name);
  }

  get outputShape(): SymbolicShape | null {
    return this.graph.outputs.length === 1 ? [...this.graph.outputs[0]!.shape] : null;
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const shapes = this.graph.inputs.length === 1 ? [inputShape as SymbolicShape] : (inputShape as SymbolicShape[]);
    shapes.forEach((s, i) => this.checkShape(s, i, 'inputs'));
    const outs = this.graph.outputs.map((t) => [...t.shape]);
    return outs.length === 1 ? outs[0]! : outs;
  }

  override get outputStructure(): StructureKind {
    return this.outputStructure_;
  }

  override prepareInputs(xs: readonly Tensor[], argName: string): void {
    if (xs.length !== this.graph.inputs.length) {
      throw new ValueError(`${argName}: model '${this.name}' has ${this.graph.inputs.length} inputs (${this.inputNames.join(', ')}), found ${xs.length} arrays`);
    }
    xs.forEach((x, i) => this.checkShape(x.shape, i, argName));
  }

  prepareInput(x: Tensor, argName: string): void {
    if (this.graph.inputs.length !== 1) {
      throw new ValueError(`${argName}: model '${this.name}' has ${this.graph.inputs.length} inputs (${this.inputNames.join(', ')}); pass a list or a record of ${this.graph.inputs.length} arrays`);
    }
    this.checkShape(x.shape, 0, argName);
  }

  /** Checks data for input `i` against that input's declared shape (batch dimension free). */
  checkShape(shape: readonly (number | null)[], i: number, argName: string): void {
    const expected = this.graph.inputs[i]!.shape;
    const ok = expected.length === shape.length && expected.every((d, k) => k === 0 || d === null || shape[k] === null || d === shape[k]);
    if (!ok) {
      const where = this.graph.inputs.length === 1 ? argName : `${argName}[${i}]`;
      throw new ShapeError(`${where}: model '${this.name}' expects input '${this.inputNames[i]}' of shape ${formatShape(expected)}, found ${formatShape(shape)}`);
    }
  }

  override assertInputCompatible(shape: readonly (number | null)[]): void {
    if (this.graph.inputs.length === 1) this.checkShape(shape, 0, 'inputs');
  }

  call(inputs: Tensor | Tensor[], options: CallOptions): Tensor {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (list.length !== this.graph.inputs.length) {
      throw new ValueError(`model '${this.name}' has ${this.graph.inputs.length} inputs (${this.inputNames.join(', ')}), called with ${list.length}`);
    }
    list.forEach((t, i) => this.checkShape(t.shape, i, 'inputs'));
    const outs = this.graph.run(list, options);
    // One output is returned as a tensor; several as a list (the caller knows which it built).
    return (outs.length === 1 ? outs[0]! : outs) as Tensor;
  }

  protected override summaryGraph(): Graph {
    return this.graph;
  }

  override getConfig(): Config {
    return functionalConfig(this);
  }

  static override fromConfig(config: Config): Functional {
    return functionalFromConfig(config, (args) => new Functional(args));
  }
}

registerClass(Functional, { module: 'keras.src.models.functional' });

/**
 * Makes a functional model from symbolic inputs and outputs, like `keras.Model(inputs, outputs)`.
 *
 * ```ts
 * const inp = kiln.input({ shape: [4] });
 * const out = kiln.layers.dense({ units: 1 }).apply(kiln.layers.dense({ units: 8, activation: 'relu' }).apply(inp));
 * const model = kiln.model({ inputs: inp, outputs: out });
 * ```
 */
export function model(args: FunctionalArgs): Functional {
  return new Functional(args);
}
