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

/** A shape with the batch dimension (and any other unknown dimension) as null. */
export type SymbolicShape = (number | null)[];

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
  build(inputShape: SymbolicShape): void {
    this.builtInputShape = [...inputShape];
    this.built = true;
  }

  /** The forward computation. */
  abstract call(inputs: Tensor, options: CallOptions): Tensor;

  /** The output shape for an input shape; the default keeps the shape (elementwise layers). */
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape];
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

  /**
   * Runs the layer on a tensor: builds it on first use, checks the input against the built shape,
   * and collects activity-regularization penalties while training.
   */
  apply(inputs: Tensor, options: Partial<CallOptions> = {}): Tensor {
    if (!this.built) this.ensureBuilt([null, ...inputs.shape.slice(1)]);
    else this.assertInputCompatible(inputs.shape);
    const callOptions: CallOptions = { training: options.training ?? false };
    if (options.tap) callOptions.tap = options.tap;
    // A model's mask reaches `call` (null means none); layers that have no use for masks ignore it.
    if (options.mask) callOptions.mask = options.mask;
    const out = this.call(inputs, callOptions);
    this.activityLosses = this.activityRegularizer && isRecording() ? [this.activityRegularizer.call(out)] : [];
    return out;
  }

  /** Builds the layer for `inputShape` unless it is built already (models build layers this way, symbolically). */
  ensureBuilt(inputShape: SymbolicShape): void {
    if (this.built) return;
    this.build(inputShape);
    this.built = true;
    this.builtInputShape ??= [...inputShape];
  }

  /** Throws a ShapeError naming this layer when `shape` does not match what it was built for. */
  assertInputCompatible(shape: readonly number[]): void {
    const expected = this.builtInputShape;
    if (!expected) return;
    const ok = expected.length === shape.length && expected.every((d, i) => d === null || d === shape[i]);
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
