import * as P from '../../core/primitives.js';
import type { Tensor, Variable } from '../../core/tensor.js';
import { ValueError } from '../../errors.js';
import { range } from '../../ops/creation.js';
import type { Config, SerializedObject } from '../../serialization/registry.js';
import { deserialize, registerClass, serialize } from '../../serialization/registry.js';
import { option } from '../../utils/args.js';
import type { Spelled } from '../../utils/options.js';
import { optionNames } from '../../utils/options.js';
import type { CallOptions, LayerArgs, LayerShape, SymbolicShape } from '../layer.js';
import { LAYER_OPTIONS, Layer, isShapeList } from '../layer.js';
import { layerLabel, show } from '../validation.js';
import type { WeightGroup } from '../weight_groups.js';
import type { RecurrentCallOptions } from './rnn.js';
import { Recurrent } from './rnn.js';

export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;
const MERGE_MODES: readonly MergeMode[] = ['concat', 'sum', 'mul', 'ave', null];

export interface BidirectionalArgs extends LayerArgs {
  /** The recurrent layer to run forwards (a copy named `forward_<name>` is used), or its config. */
  layer: Recurrent | SerializedObject;
  /** How the two directions' outputs combine (default 'concat'); null keeps both (see `applyBoth`). */
  mergeMode?: MergeMode;
  /** The layer to run backwards; by default a copy of `layer` with go_backwards flipped. */
  backwardLayer?: Recurrent | SerializedObject;
}

/**
 * Runs a recurrent layer over the sequence in both directions and merges the two outputs, as
 * Keras's Bidirectional. Both directions are copies made from the wrapped layer's config (named
 * `forward_<name>` and `backward_<name>`, as Keras names them and their weights). With
 * returnSequences the backward outputs are flipped back into input order before merging.
 *
 * ```ts
 * kiln.layers.bidirectional({ layer: kiln.layers.lstm({ units: 8, returnSequences: true }), mergeMode: 'concat' });
 * ```
 */
export class Bidirectional extends Layer {
  static override readonly className = 'Bidirectional';
  static override readonly optionNames = optionNames<BidirectionalArgs>({ ...LAYER_OPTIONS, layer: true, mergeMode: true, backwardLayer: true });
  // Keras 3.16 sets supports_masking = False here: the wrapper consumes a mask (both directions
  // skip masked steps) but does not pass one on to the layers after it. kiln does the same, so a
  // Keras model predicts the same in kiln.
  override supportsMasking = false;
  readonly forwardLayer: Recurrent;
  readonly backwardLayer: Recurrent;
  readonly mergeMode: MergeMode;

  constructor(args: Spelled<BidirectionalArgs>) {
    super(args);
    const layer = option<Recurrent | SerializedObject>(args, 'layer');
    const mergeMode = option<MergeMode>(args, 'mergeMode');
    this.mergeMode = mergeMode === undefined ? 'concat' : mergeMode;
    if (!MERGE_MODES.includes(this.mergeMode)) {
      throw new ValueError(`${layerLabel(this)}: merge_mode must be one of 'concat', 'sum', 'mul', 'ave' or null, found ${show(mergeMode)}`);
    }
    const spec = this.recurrentSpec(layer, 'layer');
    this.forwardLayer = this.copy(spec, 'forward_', spec.config.go_backwards === true);
    const backward = option<Recurrent | SerializedObject>(args, 'backwardLayer');
    if (backward === undefined || backward === null) {
      this.backwardLayer = this.copy(spec, 'backward_', spec.config.go_backwards !== true);
    } else {
      const backSpec = this.recurrentSpec(backward, 'backward_layer');
      this.backwardLayer = deserialize<Recurrent>(backSpec, layerLabel(this), 'keras.layers');
    }
    const f = this.forwardLayer;
    const b = this.backwardLayer;
    // Keras 3 forces zero_output_for_mask = return_sequences on both directions, so that a masked
    // step of the flipped backward sequence lines up as 0 rather than as a carried output.
    f.zeroOutputForMask = f.returnSequences;
    b.zeroOutputForMask = b.returnSequences;
    if (f.returnSequences !== b.returnSequences || f.returnState !== b.returnState || f.goBackwards === b.goBackwards) {
      throw new ValueError(
        `${layerLabel(this)}: the forward and backward layers must agree on return_sequences and return_state and run in opposite directions`,
      );
    }
    // A wrapped layer given an inputShape makes the Bidirectional a model's first layer (as in Keras).
    const wrappedShape = spec.config.batch_input_shape;
    if (!this.batchInputShape && Array.isArray(wrappedShape)) this.batchInputShape = [...(wrappedShape as (number | null)[])];
  }

  /** The wrapped layer as a serialized recurrent layer (a layer object is serialized first). */
  private recurrentSpec(layer: unknown, arg: string): SerializedObject {
    if (layer instanceof Recurrent) return serialize(layer);
    const isSpec = layer && typeof layer === 'object' && typeof (layer as SerializedObject).class_name === 'string';
    if (!isSpec) throw new ValueError(`${layerLabel(this)}: ${arg} must be a recurrent layer (lstm, gru, simpleRNN), found ${show(layer)}`);
    return layer as SerializedObject;
  }

  /** A fresh layer from `spec`, renamed `<prefix><name>` (Keras strips an existing prefix first). */
  private copy(spec: SerializedObject, prefix: string, goBackwards: boolean): Recurrent {
    const name = String(spec.config.name ?? 'rnn').replace(/^(forward_|backward_)/, '');
    const config: Config = { ...spec.config, name: prefix + name, go_backwards: goBackwards };
    delete config.batch_input_shape;
    const layer = deserialize<Layer>({ ...spec, config }, layerLabel(this), 'keras.layers');
    if (!(layer instanceof Recurrent)) throw new ValueError(`${layerLabel(this)}: layer must be a recurrent layer (lstm, gru, simpleRNN), found class '${spec.class_name}'`);
    return layer;
  }

  override build(inputShape: SymbolicShape): void {
    this.forwardLayer.ensureBuilt(inputShape);
    this.backwardLayer.ensureBuilt(inputShape);
    super.build(inputShape);
  }

  override assertInputCompatible(shape: readonly number[]): void {
    this.forwardLayer.assertInputCompatible(shape);
  }

  override get weights(): Variable[] {
    return [...this.forwardLayer.weights, ...this.backwardLayer.weights];
  }

  override regularizationLosses(): Tensor[] {
    return [...this.forwardLayer.regularizationLosses(), ...this.backwardLayer.regularizationLosses(), ...this.activityLosses];
  }

  override setTrainable(trainable: boolean): void {
    super.setTrainable(trainable);
    this.forwardLayer.setTrainable(trainable);
    this.backwardLayer.setTrainable(trainable);
  }

  /** Both directions' results, the backward one flipped into input order when it is a sequence. */
  private runBoth(x: Tensor, options: CallOptions, initialState?: readonly Tensor[]): { forward: Tensor[]; backward: Tensor[] } {
    const half = initialState ? initialState.length / 2 : 0;
    const opts = (states?: readonly Tensor[]): RecurrentCallOptions => ({ training: options.training, ...(options.mask ? { mask: options.mask } : {}), ...(states ? { initialState: states } : {}) });
    const forward = this.forwardLayer.applyWithStates(x, opts(initialState?.slice(0, half)));
    const backward = this.backwardLayer.applyWithStates(x, opts(initialState?.slice(half)));
    if (this.backwardLayer.returnSequences) backward[0] = reverseTime(backward[0]!);
    return { forward, backward };
  }

  private merge(a: Tensor, b: Tensor): Tensor {
    switch (this.mergeMode) {
      case 'concat': return P.concat([a, b], -1);
      case 'sum': return P.binary('add', a, b);
      case 'mul': return P.binary('mul', a, b);
      case 'ave': return P.binary('mul', P.binary('add', a, b), P.fill([], 0.5, 'float32'));
      default:
        throw new ValueError(`${layerLabel(this)}: merge_mode null gives two outputs; use applyBoth() instead of apply()/call()`);
    }
  }

  /**
   * The merged output; with mergeMode null the two directions' outputs; with returnState the final
   * states follow (forward's, then backward's), as Keras's Bidirectional returns them.
   */
  call(x: Tensor, options: CallOptions): Tensor | Tensor[] {
    const { forward, backward } = this.runBoth(x, options);
    const states = this.forwardLayer.returnState ? [...forward.slice(1), ...backward.slice(1)] : [];
    const outputs = this.mergeMode === null ? [forward[0]!, backward[0]!] : [this.merge(forward[0]!, backward[0]!)];
    return outputs.length === 1 && states.length === 0 ? outputs[0]! : [...outputs, ...states];
  }

  /**
   * With mergeMode null: `[forwardOutput, backwardOutput]` (the backward sequence in input order).
   * With returnState, the final states follow: the forward layer's, then the backward layer's.
   */
  applyBoth(inputs: Tensor, options: RecurrentCallOptions = {}): Tensor[] {
    if (!this.built) this.ensureBuilt([null, ...inputs.shape.slice(1)]);
    const { forward, backward } = this.runBoth(inputs, { training: options.training ?? false, ...(options.mask ? { mask: options.mask } : {}) }, options.initialState);
    return [forward[0]!, backward[0]!, ...(this.forwardLayer.returnState ? [...forward.slice(1), ...backward.slice(1)] : [])];
  }

  /**
   * The merged output followed by both directions' final states (Keras's return_state result:
   * `[output, forward states…, backward states…]`); `initialState` lists forward states then backward.
   */
  applyWithStates(inputs: Tensor, options: RecurrentCallOptions = {}): Tensor[] {
    if (!this.built) this.ensureBuilt([null, ...inputs.shape.slice(1)]);
    const { forward, backward } = this.runBoth(inputs, { training: options.training ?? false, ...(options.mask ? { mask: options.mask } : {}) }, options.initialState);
    return [this.merge(forward[0]!, backward[0]!), ...forward.slice(1), ...backward.slice(1)];
  }

  override computeOutputShape(inputShape: SymbolicShape): LayerShape {
    const inner = this.forwardLayer.computeOutputShape(inputShape);
    // The inner layer's shapes: its output, then (with returnState) each state.
    const [f, ...states] = isShapeList(inner) ? inner : [inner];
    const outputs = this.mergeMode === null ? [f!, f!] : this.mergeMode === 'concat' ? [[...f!.slice(0, -1), f!.at(-1) === null ? null : f!.at(-1)! * 2]] : [f!];
    const all = [...outputs, ...states, ...states];
    return all.length === 1 ? all[0]! : all;
  }

  /** Keras 3 keeps the two directions under the attributes that hold them. */
  kerasWeightGroups(): WeightGroup[] {
    const prefixed = (path: string, groups: WeightGroup[]) => groups.map((g) => ({ path: g.path ? `${path}/${g.path}` : path, variables: g.variables }));
    return [
      { path: '', variables: [] },
      ...prefixed('forward_layer', this.forwardLayer.kerasWeightGroups()),
      ...prefixed('backward_layer', this.backwardLayer.kerasWeightGroups()),
    ];
  }

  override getConfig(): Config {
    const config: Config = { ...super.getConfig(), merge_mode: this.mergeMode, layer: serialize(this.forwardLayer), backward_layer: serialize(this.backwardLayer) };
    return config;
  }
}
registerClass(Bidirectional, { module: 'keras.layers' });

/** Reverses axis 1 (time) of [batch, time, …]: a gather with indices T−1…0, so its gradient is a scatter. */
export function reverseTime(x: Tensor): Tensor {
  const steps = x.shape[1]!;
  return P.gather(x, P.cast(range(steps - 1, -1, -1), 'int32'), 1, false);
}
