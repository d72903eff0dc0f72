import type { Tensor } from '../core/tensor.js';
import { formatShape } from '../core/shape.js';
import { ShapeError, ValueError } from '../errors.js';
import { KerasTensor } from '../layers/keras_tensor.js';
import type { CallOptions, LayerArgs, LayerShape, SymbolicShape } from '../layers/layer.js';
import { Layer } from '../layers/layer.js';
import { InputLayer } from '../layers/input_layer.js';
import { Graph, isInputLayer } from './graph.js';
import type { Config, SerializedObject } from '../serialization/registry.js';
import { deserialize, registerClass, serialize } from '../serialization/registry.js';
import { Model } from './model.js';

export interface SequentialArgs extends LayerArgs {
  /** The layers in order; the first may be `kiln.input(...)` (or an InputLayer). */
  layers?: (Layer | KerasTensor)[];
}

/**
 * A plain stack of layers, each feeding the next (Keras's Sequential). When the first layer knows
 * its input shape (`inputShape`, or a `kiln.input(...)` first), the model builds as layers
 * are added, so `summary()` works before training. Built, it is a functional graph made layer by
 * layer (as in Keras 3): it runs, trains and saves through the same graph engine as `kiln.model`.
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
  /** The graph the built model runs (input layer → each layer in turn). */
  private graphCache: Graph | null = null;
  /** The symbolic input and the last layer's symbolic output, once built; the Graph is made from them when first needed. */
  private ends: { input: KerasTensor; output: KerasTensor } | null = null;

  /** The graph between the two ends, made on first use after a change (adding n layers stays linear). */
  private get graph(): Graph | null {
    if (!this.ends) return null;
    this.graphCache ??= new Graph([this.ends.input], [this.ends.output], this.name);
    return this.graphCache;
  }

  constructor(args: SequentialArgs | (Layer | KerasTensor)[] = {}) {
    const opts = Array.isArray(args) ? { layers: args } : args;
    super({ ...opts, inputShape: undefined, batchInputShape: undefined });
    for (const layer of opts.layers ?? []) this.add(layer);
  }

  /** The layers, without the InputLayer (as Keras's `model.layers`). */
  get layers(): Layer[] {
    this.layerCache ??= this.stack.filter((l) => !isInputLayer(l));
    return this.layerCache;
  }

  /** Appends a layer (or `kiln.input(...)` first); builds it right away when the input shape is known. */
  add(given: Layer | KerasTensor): void {
    // keras.Input in a Sequential stands for its input layer.
    const layer = given instanceof KerasTensor && isInputLayer(given.history.layer) ? given.history.layer : given;
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
    if (this.ends && !isInputLayer(layer)) {
      // Built already: the new layer extends the graph (re-applying every layer would give each
      // of them one more node per add).
      const x = layer.apply(this.ends.output);
      if (Array.isArray(x)) throw new ShapeError(`Sequential '${this.name}': layer '${layer.name}' has several outputs; a Sequential model needs one output per layer (use kiln.model)`);
      this.ends = { input: this.ends.input, output: x };
      this.graphCache = null;
    } else if (this.built || this.batchInputShape) {
      this.built = false;
      this.buildFor(this.batchInputShape ?? this.builtInputShape!);
    }
  }

  /** Removes the last layer. */
  pop(): Layer {
    const layer = this.stack.pop();
    this.layerCache = null;
    if (!layer) throw new ValueError(`Sequential.pop: '${this.name}' has no layers`);
    if (this.built) {
      this.built = false;
      this.buildFor(this.builtInputShape!);
    }
    return layer;
  }

  get outputShape(): SymbolicShape | null {
    return this.ends ? [...this.ends.output.shape] : null;
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    if (Array.isArray(inputShape[0])) throw new ShapeError(`Sequential '${this.name}' takes one input, found ${inputShape.length}`);
    if (!this.built) this.buildFor(inputShape as SymbolicShape);
    return this.outputShape!;
  }

  /** The graph's symbolic input (Keras's `model.inputs[0]`), once built. */
  get inputs(): KerasTensor[] {
    return this.graph ? [...this.graph.inputs] : [];
  }
  /** The graph's symbolic output (Keras's `model.outputs[0]`), once built. */
  get outputs(): KerasTensor[] {
    return this.graph ? [...this.graph.outputs] : [];
  }

  /**
   * Builds the graph: the input layer (the stack's own, or one made for `inputShape`) applied to
   * every layer in turn, so each layer is built for the previous one's output shape.
   */
  private buildFor(inputShape: SymbolicShape): void {
    const first = this.stack[0];
    const inputLayer = first instanceof InputLayer ? first : new InputLayer({ batchShape: inputShape, name: `${this.name}_input` });
    let x = inputLayer.output;
    for (const layer of this.layers) {
      x = layer.apply(x);
      if (Array.isArray(x)) throw new ShapeError(`Sequential '${this.name}': layer '${layer.name}' has several outputs; a Sequential model needs one output per layer (use kiln.model)`);
    }
    this.ends = { input: inputLayer.output, output: x };
    this.graphCache = null;
    this.builtInputShape = [...inputShape];
    this.built = true;
  }

  override build(inputShape: LayerShape): void {
    if (Array.isArray(inputShape[0])) throw new ShapeError(`Sequential '${this.name}' takes one input, found ${inputShape.length}`);
    this.buildFor(inputShape as SymbolicShape);
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
    if (!this.graph) this.prepareInput(x, 'inputs');
    return this.graph!.run([x], options)[0]!;
  }

  /** Names the model and its first layer when data has the wrong shape. */
  override assertInputCompatible(shape: readonly (number | null)[]): void {
    const expected = this.builtInputShape ?? this.batchInputShape;
    if (!expected) return;
    const ok = expected.length === shape.length && expected.every((d, i) => i === 0 || d === null || shape[i] === null || d === shape[i]);
    if (!ok) {
      const first = this.layers[0];
      throw new ShapeError(`inputs: model '${this.name}' expects input of shape ${formatShape(expected)}${first ? ` (layer '${first.name}')` : ''}, found ${formatShape(shape)}`);
    }
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
    if (!model.built && Array.isArray(buildShape)) model.build(buildShape as SymbolicShape);
    return model;
  }
}

registerClass(Sequential, { module: 'keras.models' });

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
export function sequential(layers: (Layer | KerasTensor)[] | SequentialArgs = []): Sequential {
  return new Sequential(layers);
}
