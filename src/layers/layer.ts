import type { DType } from '../core/dtype.js';
import type { Tensor } from '../core/tensor.js';
import { Variable } from '../core/tensor.js';
import { formatShape } from '../core/shape.js';
import { DTypeError, ShapeError, ValueError } from '../errors.js';
import type { Initializer, InitializerIdentifier } from '../initializers/index.js';
import { getInitializer } from '../initializers/index.js';
import { fromValues } from '../ops/creation.js';
import type { Regularizer, RegularizerIdentifier } from '../regularizers/index.js';
import { getRegularizer } from '../regularizers/index.js';
import type { Config, Serializable } from '../serialization/registry.js';
import { constructFromConfig } from '../serialization/registry.js';
import { option } from '../utils/args.js';
import type { OptionNameRecord } from '../utils/options.js';
import { checkOptions } from '../utils/options.js';
import { uniqueName } from '../utils/naming.js';
import { isRecording } from '../core/engine.js';
import { KerasTensor, isSymbolic } from './keras_tensor.js';
import { Node } from './node.js';

/** A shape with the batch dimension (and any other unknown dimension) as null. */
export type SymbolicShape = (number | null)[];

/** What a layer is built for and reports: one shape, or one per input (merge layers) or output (an RNN's states). */
export type LayerShape = SymbolicShape | SymbolicShape[];

/** True when `shape` is a list of shapes rather than one shape. */
export function isShapeList(shape: LayerShape): shape is SymbolicShape[] {
  return shape.length > 0 && Array.isArray(shape[0]);
}

/** Options every layer accepts (camelCase or Keras snake_case). */
export interface LayerArgs {
  name?: string;
  trainable?: boolean;
  dtype?: DType;
  /** Shape of one sample, without the batch dimension; makes the layer the model's first. */
  inputShape?: readonly (number | null)[];
  batchInputShape?: readonly (number | null)[];
  batchSize?: number;
  activityRegularizer?: RegularizerIdentifier | null;
}

/** The names every layer knows; each layer's own list extends it (see `Layer.optionNames`). */
export const LAYER_OPTIONS: OptionNameRecord<LayerArgs> = {
  name: true, trainable: true, dtype: true, inputShape: true, batchInputShape: true, batchSize: true, activityRegularizer: true,
};

// Configs read from model files: Keras writes keys kiln does not model (kernel_constraint, lora_rank…),
// so they skip the unknown-option check that catches a user's typo.
const loadedConfigs = new WeakSet<object>();

/** Marks a config as read from a file, for `fromConfig`: `new Dense(loadedConfig(config))`. */
export function loadedConfig<T>(config: object): T {
  loadedConfigs.add(config);
  return config as T;
}

/** Refuses unknown option names for layer class `cls` (unless `args` is a loaded config). */
export function checkLayerOptions(cls: { className: string }, args: object | undefined, names: readonly string[]): void {
  if (args && loadedConfigs.has(args)) return;
  checkOptions(cls.className, args, names);
}

export interface CallOptions {
  /** True inside `fit` (dropout drops, batch normalization uses batch statistics). */
  training: boolean;
  /**
   * Called by a model with each of its layers' outputs as the forward pass makes them; the
   * training step passes one when a callback inspects steps (the monitor), so layer statistics
   * come from the step's own forward pass.
   */
  tap?: (layer: Layer, output: Tensor) => void;
  /**
   * Masks (Keras's `mask` call argument): which timesteps of the input are real, as a float 0/1
   * tensor over the input's leading dims — `[batch, time]` for a sequence. Absent or null: no mask.
   * A model passes each layer the mask the previous layer's `computeMask` returned; layers that
   * consume masks (recurrent layers) read it here, the rest ignore it.
   */
  mask?: Tensor | null;
}

/**
 * The base of every layer, following Keras 3's lifecycle: weights are created in `build(inputShape)`
 * on first use, `call(inputs, { training })` computes the output, `getConfig()` describes the layer
 * so `fromConfig` can rebuild it. Subclasses set a static `className` (the Keras class name).
 *
 * ```ts
 * class Scale extends kiln.layers.Layer {
 *   static override className = 'Scale';
 *   w!: kiln.Variable;
 *   override build(shape: (number | null)[]) { this.w = this.addWeight('w', [shape.at(-1)!], 'ones'); }
 *   override call(x: kiln.Tensor) { return kiln.mul(x, this.w); }
 * }
 * ```
 */
export abstract class Layer implements Serializable {
  static readonly className: string = 'Layer';
  /**
   * The option names this class's constructor knows (camelCase; snake_case is accepted too). A class
   * that sets its own list has unknown options refused with a ValueError; one that does not (a user
   * subclass taking options of its own) is not checked.
   */
  static readonly optionNames: readonly string[] | null = null;

  /**
   * Rebuilds a layer from `getConfig()` output: `new this(config)`, as Keras's default
   * `from_config`; the config is marked as loaded, so keys kiln does not model don't refuse a file.
   */
  static fromConfig(config: Config): Layer {
    return constructFromConfig<Layer>(this, loadedConfig(config));
  }

  name: string;
  trainable: boolean;
  readonly dtype: DType;
  built = false;
  /** The full input shape (batch dim included) when given up front; set by `inputShape`. */
  batchInputShape: SymbolicShape | null = null;
  /** The input shape this layer was built for (batch dim null). */
  builtInputShape: SymbolicShape | null = null;
  activityRegularizer: Regularizer | null;
  /** Activity penalties from the latest call in a recorded (training) step. */
  activityLosses: Tensor[] = [];

  /** One node per call on symbolic tensors (see `apply`); a shared layer has several. */
  readonly inboundNodes: Node[] = [];

  /**
   * Whether the layer passes a mask on (Keras's `supports_masking`): true for layers that keep the
   * time axis and treat timesteps independently (Dense, Dropout, Activation…). A layer that does not
   * support masking drops the mask, so the layers after it see none (Keras warns and does the same).
   */
  supportsMasking = false;

  private readonly _weights: Variable[] = [];
  private readonly _weightRegularizers: [Variable, Regularizer][] = [];

  constructor(args: LayerArgs = {}) {
    const ctor = this.constructor as typeof Layer;
    if (Object.hasOwn(ctor, 'optionNames') && ctor.optionNames) checkLayerOptions(ctor, args, ctor.optionNames);
    this.name = option<string>(args, 'name') ?? uniqueName(ctor.className);
    this.trainable = option<boolean>(args, 'trainable') ?? true;
    this.dtype = normalizeDType(option(args, 'dtype'), this.name);
    this.activityRegularizer = getRegularizer(option(args, 'activityRegularizer'));
    const batchInputShape = option<SymbolicShape>(args, 'batchInputShape');
    const inputShape = option<SymbolicShape>(args, 'inputShape');
    if (batchInputShape) this.batchInputShape = [...batchInputShape];
    else if (inputShape) {
      if (!Array.isArray(inputShape)) throw new ValueError(`${this.name}: inputShape must be an array, found ${JSON.stringify(inputShape)}`);
      this.batchInputShape = [option<number>(args, 'batchSize') ?? null, ...inputShape];
    }
  }

  /** Creates the layer's weights for inputs of `inputShape` (batch dim null). Called once. */
  build(inputShape: LayerShape): void {
    if (!isShapeList(inputShape)) this.builtInputShape = [...inputShape];
    this.built = true;
  }

  /** The forward computation: one tensor in and out, or lists for merge layers and multi-output layers. */
  abstract call(inputs: Tensor | Tensor[], options: CallOptions): Tensor | Tensor[];

  /** The output shape for an input shape; the default keeps the shape (elementwise layers). */
  computeOutputShape(inputShape: LayerShape): LayerShape {
    return isShapeList(inputShape) ? inputShape.map((s) => [...s]) : [...inputShape];
  }

  /**
   * The mask the output carries, given the input and the mask that came with it (Keras's
   * `compute_mask`). By default the mask passes through when `supportsMasking`, else it is dropped.
   * Layers that make masks (Embedding with maskZero, Masking) or end the time axis (a recurrent
   * layer without returnSequences) override it.
   */
  computeMask(_inputs: Tensor, mask: Tensor | null): Tensor | null {
    return this.supportsMasking ? mask : null;
  }

  /** The output shape of a single-input, single-output call (what Sequential stacks rely on). */
  outputShapeFor(inputShape: SymbolicShape): SymbolicShape {
    const out = this.computeOutputShape(inputShape);
    if (isShapeList(out)) throw new ShapeError(`Layer '${this.name}' has ${out.length} outputs; it cannot be used where one output is expected (e.g. in a Sequential model)`);
    return out;
  }

  /**
   * Runs the layer. On tensors: builds it on first use, checks the input against the built shape,
   * computes the output, and collects activity-regularization penalties while training. On
   * symbolic tensors (`kiln.input`, or another layer's symbolic output): builds it for their
   * shapes and returns symbolic outputs, recording the call as a node of the functional graph.
   *
   * ```ts
   * const dense = kiln.layers.dense({ units: 2 });
   * dense.apply(kiln.ones([3, 4])).shape;               // [3, 2]
   * dense.apply(kiln.input({ shape: [4] })).shape;      // [null, 2]
   * ```
   */
  apply(inputs: KerasTensor | readonly KerasTensor[], options?: Partial<CallOptions>): KerasTensor;
  apply(inputs: Tensor | readonly Tensor[], options?: Partial<CallOptions>): Tensor;
  apply(inputs: Tensor | readonly Tensor[] | KerasTensor | readonly KerasTensor[], options: Partial<CallOptions> = {}): Tensor | KerasTensor {
    if (isSymbolic(inputs)) return this.applySymbolic(inputs) as KerasTensor;
    const given = inputs as Tensor | Tensor[];
    if (Array.isArray(given)) {
      if (!this.built) this.ensureBuilt(given.map((t) => [null, ...t.shape.slice(1)]));
    } else if (!this.built) this.ensureBuilt([null, ...given.shape.slice(1)]);
    else this.assertInputCompatible(given.shape);
    const callOptions: CallOptions = { training: options.training ?? false };
    if (options.tap) callOptions.tap = options.tap;
    // A model's mask reaches `call` (null means none); layers that have no use for masks ignore it.
    if (options.mask) callOptions.mask = options.mask;
    const out = this.call(given, callOptions);
    this.activityLosses = this.activityRegularizer && isRecording() ? (Array.isArray(out) ? out : [out]).map((o) => this.activityRegularizer!.call(o)) : [];
    return out as Tensor;
  }

  /** The symbolic call: output shapes from `computeOutputShape`, and a node that records it. */
  private applySymbolic(inputs: KerasTensor | readonly KerasTensor[]): KerasTensor | KerasTensor[] {
    const list = Array.isArray(inputs);
    const ins: KerasTensor[] = list ? [...(inputs as readonly KerasTensor[])] : [inputs as KerasTensor];
    const shapes = ins.map((t) => [...t.shape]);
    const shapeArg: LayerShape = list ? shapes : shapes[0]!;
    if (!this.built) this.ensureBuilt(shapeArg);
    else if (!list) this.assertInputCompatible(shapes[0]!);
    const outShape = this.computeOutputShape(shapeArg);
    const outShapes = isShapeList(outShape) ? outShape : [outShape];
    const nodeIndex = this.inboundNodes.length;
    const outs = outShapes.map((shape, tensorIndex) => new KerasTensor(shape, this.outputDType(), { layer: this, nodeIndex, tensorIndex }));
    this.inboundNodes.push(new Node(this, ins, outs, list));
    return isShapeList(outShape) ? outs : outs[0]!;
  }

  /** The dtype of the layer's outputs (its own dtype; an input layer's is what it declares). */
  protected outputDType(): DType {
    return this.dtype;
  }

  /** Builds the layer for `inputShape` unless it is built already (models build layers this way, symbolically). */
  ensureBuilt(inputShape: LayerShape): void {
    if (this.built) return;
    this.build(inputShape);
    this.built = true;
    if (!isShapeList(inputShape)) this.builtInputShape ??= [...inputShape];
  }

  /**
   * Throws a ShapeError naming this layer when `shape` does not match what it was built for. An
   * unknown (null) dimension on either side matches, as Keras's input-spec check.
   */
  assertInputCompatible(shape: readonly (number | null)[]): void {
    const expected = this.builtInputShape;
    if (!expected) return;
    const ok = expected.length === shape.length && expected.every((d, i) => d === null || shape[i] === null || d === shape[i]);
    if (!ok) {
      throw new ShapeError(
        `Layer '${this.name}': expected input of shape ${formatShape(expected)}, found ${formatShape(shape)}`,
      );
    }
  }

  /**
   * Creates a weight. Its path is `<layer name>/<name>` (Keras 3's `variable.path`).
   */
  addWeight(
    name: string,
    shape: readonly number[],
    initializer: InitializerIdentifier | Initializer = 'glorot_uniform',
    options: { trainable?: boolean; regularizer?: RegularizerIdentifier | Regularizer | null; dtype?: DType } = {},
  ): Variable {
    const init = getInitializer(initializer);
    const value = init.call(shape, options.dtype ?? this.dtype);
    const v = new Variable(value, `${this.name}/${name}`, (options.trainable ?? true) && this.trainable);
    this._weights.push(v);
    const reg = getRegularizer(options.regularizer);
    if (reg) this._weightRegularizers.push([v, reg]);
    return v;
  }

  /** All weights in creation order (Keras order: kernel, then bias, …). */
  get weights(): Variable[] {
    return [...this._weights];
  }
  get trainableWeights(): Variable[] {
    return this.trainable ? this.weights.filter((w) => w.trainable) : [];
  }
  get nonTrainableWeights(): Variable[] {
    return this.trainable ? this.weights.filter((w) => !w.trainable) : this.weights;
  }

  /** Freezes or unfreezes the layer's weights (frozen weights are not trained). */
  setTrainable(trainable: boolean): void {
    this.trainable = trainable;
    for (const w of this.weights) w.requiresGrad = trainable && w.trainable;
  }

  /** Weight penalties (kernel/bias regularizers) computed from the current weights, plus activity penalties. */
  regularizationLosses(): Tensor[] {
    const losses = this._weightRegularizers.filter(([v]) => v.trainable && this.trainable).map(([v, r]) => r.call(v));
    return [...losses, ...this.activityLosses];
  }

  /** Copies of the weights' values, in Keras order. */
  getWeights(): Tensor[] {
    return this.weights.map((w) => fromValues(w.dataSync(), w.shape, w.dtype));
  }

  /** Sets every weight; shapes must match exactly. */
  setWeights(weights: readonly Tensor[]): void {
    const own = this.weights;
    if (weights.length !== own.length) {
      throw new ValueError(`'${this.name}': setWeights expected ${own.length} arrays, found ${weights.length}`);
    }
    own.forEach((w, i) => {
      const given = weights[i]!;
      if (given.shape.length !== w.shape.length || given.shape.some((d, k) => d !== w.shape[k])) {
        throw new ShapeError(`'${this.name}': weight '${w.name}' has shape ${formatShape(w.shape)}, setWeights gave ${formatShape(given.shape)}`);
      }
      w.assign(given.dtype === w.dtype ? given : fromValues(Float32Array.from(given.dataSync()), given.shape, w.dtype));
    });
  }

  countParams(): number {
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /** The Keras config (snake_case keys). Subclasses extend it with their own options. */
  getConfig(): Config {
    const config: Config = { name: this.name, trainable: this.trainable, dtype: this.dtype };
    if (this.batchInputShape) config.batch_input_shape = this.batchInputShape;
    return config;
  }
}

/**
 * Layer dtypes arrive as 'float32' or, in Keras 3 files, as a policy object
 * `{ class_name: 'DTypePolicy', config: { name: 'float32' } }`; both mean the same here.
 */
function normalizeDType(given: unknown, layerName: string): DType {
  if (given === undefined || given === null) return 'float32';
  const name =
    typeof given === 'string'
      ? given
      : ((given as { config?: { name?: unknown } }).config?.name ?? (given as { name?: unknown }).name);
  if (name === 'float32' || name === 'int32') return name;
  throw new DTypeError(`Layer '${layerName}': dtype must be 'float32' or 'int32' (or a DTypePolicy naming one), found ${JSON.stringify(given)}`);
}
