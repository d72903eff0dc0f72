import type { Tensor } from '../core/tensor.js';
import { formatShape } from '../core/shape.js';
import { ShapeError, ValueError } from '../errors.js';
import type { CallOptions, LayerArgs, SymbolicShape } from '../layers/layer.js';
import { Layer } from '../layers/layer.js';
import type { Config, SerializedObject } from '../serialization/registry.js';
import { deserialize, registerClass, serialize } from '../serialization/registry.js';
import { Model } from './model.js';

export interface SequentialArgs extends LayerArgs {
  layers?: Layer[];
}

/**
 * A plain stack of layers, each feeding the next (Keras's Sequential). When the first layer knows
 * its input shape (`inputShape`, or a `kiln.layers.input(...)` first), the model builds as layers
 * are added, so `summary()` works before training.
 *
 * ```ts
 * const model = kiln.sequential([
 *   kiln.layers.dense({ units: 64, activation: 'relu', inputShape: [784] }),
 *   kiln.layers.dense({ units: 10, activation: 'softmax' }),
 * ]);
 * model.add(kiln.layers.dropout({ rate: 0.1 }));
 * ```
 */
export class Sequential extends Model {
  static override readonly className = 'Sequential';
  private readonly stack: Layer[] = [];
  /** `layers` is read several times per training step; kept until the stack changes. */
  private layerCache: Layer[] | null = null;

  constructor(args: SequentialArgs | Layer[] = {}) {
    const opts = Array.isArray(args) ? { layers: args } : args;
    super({ ...opts, inputShape: undefined, batchInputShape: undefined });
    for (const layer of opts.layers ?? []) this.add(layer);
  }

  /** The layers, without the InputLayer (as Keras's `model.layers`). */
  get layers(): Layer[] {
    this.layerCache ??= this.stack.filter((l) => !isInputLayer(l));
    return this.layerCache;
  }

  /** Appends a layer; builds it right away when the input shape is known. */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) {
      throw new ValueError(`Sequential.add: expected a layer (e.g. kiln.layers.dense({...})), found ${describe(layer)}`);
    }
    if (isInputLayer(layer) && this.stack.length > 0) {
      throw new ValueError(`Sequential.add: an input layer can only be the first layer of '${this.name}'`);
    }
    if (this.stack.some((l) => l.name === layer.name)) {
      throw new ValueError(`Sequential.add: '${this.name}' already has a layer named '${layer.name}'; layer names must be unique`);
    }
    this.stack.push(layer);
    this.layerCache = null;
    if (this.stack.length === 1 && layer.batchInputShape) this.batchInputShape = [...layer.batchInputShape];
    if (this.built || this.batchInputShape) {
      this.built = false;
      this.buildFor(this.batchInputShape ?? this.builtInputShape!);
    }
  }

  /** Removes the last layer. */
  pop(): Layer {
    const layer = this.stack.pop();
    this.layerCache = null;
    if (!layer) throw new ValueError(`Sequential.pop: '${this.name}' has no layers`);
    return layer;
  }

  get outputShape(): SymbolicShape | null {
    if (!this.builtInputShape) return null;
    return this.layers.reduce<SymbolicShape>((shape, l) => l.computeOutputShape(shape), this.builtInputShape);
  }

  /** Builds every layer in turn, passing each the previous one's output shape. */
  private buildFor(inputShape: SymbolicShape): void {
    let shape: SymbolicShape = [...inputShape];
    for (const layer of this.layers) {
      layer.ensureBuilt(shape);
      shape = layer.computeOutputShape(shape);
    }
    this.builtInputShape = [...inputShape];
    this.built = true;
  }

  override build(inputShape: SymbolicShape): void {
    this.buildFor(inputShape);
  }

  prepareInput(x: Tensor, argName: string): void {
    if (this.layers.length === 0) throw new ValueError(`'${this.name}' has no layers; add some before using it`);
    const expected = this.builtInputShape ?? this.batchInputShape;
    if (expected) {
      const ok = expected.length === x.rank && expected.every((d, i) => i === 0 || d === null || d === x.shape[i]);
      if (!ok) {
        const first = this.layers[0]!;
        throw new ShapeError(
          `${argName}: model '${this.name}' expects input of shape ${formatShape(expected)} (layer '${first.name}'), found ${formatShape(x.shape)}`,
        );
      }
    }
    if (!this.built) this.buildFor([null, ...x.shape.slice(1)]);
  }

  call(x: Tensor, options: CallOptions): Tensor {
    let out = x;
    const tap = options.tap;
    // Mask threading (Keras's `_keras_mask`): each layer gets the mask its predecessor's
    // computeMask returned (an Embedding with maskZero or a Masking layer starts one; layers with
    // supportsMasking pass it on; a recurrent layer consumes it). The graph engine does the same per edge.
    let mask = options.mask ?? null;
    for (const layer of this.layers) {
      const input = out;
      out = layer.apply(input, mask ? { ...options, mask } : { ...options, mask: null });
      mask = layer.computeMask(input, mask);
      if (tap) tap(layer, out);
    }
    return out;
  }

  override apply(inputs: Tensor, options: Partial<CallOptions> = {}): Tensor {
    this.prepareInput(inputs, 'inputs');
    const callOptions: CallOptions = { training: options.training ?? false };
    if (options.tap) callOptions.tap = options.tap;
    if (options.mask) callOptions.mask = options.mask;
    return this.call(inputs, callOptions);
  }

  override getConfig(): Config {
    const layers: SerializedObject[] = this.stack.map((l) => serialize(l));
    const config: Config = { name: this.name, trainable: this.trainable, dtype: this.dtype, layers };
    if (this.builtInputShape) config.build_input_shape = this.builtInputShape;
    return config;
  }

  static override fromConfig(config: Config): Sequential {
    const specs = config.layers;
    if (!Array.isArray(specs)) throw new ValueError(`Sequential.fromConfig: 'layers' must be a list, found ${JSON.stringify(specs)}`);
    const model = new Sequential({ name: config.name as string | undefined });
    for (const spec of specs) model.add(deserialize<Layer>(spec as SerializedObject, `Sequential '${model.name}'`, 'keras.layers'));
    const buildShape = config.build_input_shape as SymbolicShape | undefined;
    if (!model.built && Array.isArray(buildShape)) model.build(buildShape);
    return model;
  }
}

registerClass(Sequential, { module: 'keras.models' });

function isInputLayer(layer: Layer): boolean {
  return (layer.constructor as typeof Layer).className === 'InputLayer';
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'object';
  return typeof x;
}

/**
 * Makes a Sequential model from a list of layers.
 *
 * ```ts
 * const model = kiln.sequential([kiln.layers.dense({ units: 1, inputShape: [4] })]);
 * ```
 */
export function sequential(layers: Layer[] | SequentialArgs = []): Sequential {
  return new Sequential(layers);
}
