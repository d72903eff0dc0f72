import type { Activation, ActivationIdentifier } from '../../activations/index.js';
import { getActivation, serializeActivation } from '../../activations/index.js';
import { isRecording } from '../../core/engine.js';
import * as P from '../../core/primitives.js';
import { RandomStream, randomStream } from '../../core/random.js';
import { formatShape } from '../../core/shape.js';
import type { Tensor } from '../../core/tensor.js';
import { Variable } from '../../core/tensor.js';
import { ShapeError, ValueError } from '../../errors.js';
import type { Initializer, InitializerIdentifier } from '../../initializers/index.js';
import { getInitializer, serializeInitializer } from '../../initializers/index.js';
import { fromValues } from '../../ops/creation.js';
import type { Regularizer, RegularizerIdentifier } from '../../regularizers/index.js';
import { getRegularizer, serializeRegularizer } from '../../regularizers/index.js';
import type { Config } from '../../serialization/registry.js';
import { option } from '../../utils/args.js';
import type { OptionNameRecord } from '../../utils/options.js';
import type { CallOptions, LayerArgs, LayerShape, SymbolicShape } from '../layer.js';
import { LAYER_OPTIONS, Layer } from '../layer.js';
import { boolOption, layerLabel, numberOption, rejectConstraints, resolveNamed, show } from '../validation.js';
import type { KerasTensor } from '../keras_tensor.js';
import type { WeightGroup } from '../weight_groups.js';
import { trainableFirst } from '../weight_groups.js';

/** Options every recurrent layer (SimpleRNN, LSTM, GRU) accepts, camelCase or Keras snake_case. */
export interface RecurrentArgs extends LayerArgs {
  units: number;
  activation?: ActivationIdentifier;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier | Initializer;
  recurrentInitializer?: InitializerIdentifier | Initializer;
  biasInitializer?: InitializerIdentifier | Initializer;
  kernelRegularizer?: RegularizerIdentifier | Regularizer | null;
  recurrentRegularizer?: RegularizerIdentifier | Regularizer | null;
  biasRegularizer?: RegularizerIdentifier | Regularizer | null;
  /** Only null: kiln has no weight constraints yet. */
  kernelConstraint?: null;
  recurrentConstraint?: null;
  biasConstraint?: null;
  /** Fraction of the inputs dropped while training (one mask per sequence, shared by all timesteps). */
  dropout?: number;
  /** Fraction of the recurrent state dropped before the recurrent product while training. */
  recurrentDropout?: number;
  /** A private random stream for the dropout masks; without it they come from kiln's 'dropout' stream. */
  seed?: number | null;
  /** Output every timestep's output ([batch, time, units]) instead of the last one. */
  returnSequences?: boolean;
  /** `applyWithStates` also returns the final states (Keras's return_state). */
  returnState?: boolean;
  /** Process the sequence from last to first (outputs come in processing order, as in Keras). */
  goBackwards?: boolean;
  /** Carry the final states of one batch into the next (reset with `resetStates()`). */
  stateful?: boolean;
  /** Accepted for Keras configs; kiln always runs the loop step by step (the result is the same). */
  unroll?: boolean;
  /** With returnSequences and a mask: masked timesteps output 0 instead of the previous output. */
  zeroOutputForMask?: boolean;
}

export const RECURRENT_OPTIONS: OptionNameRecord<RecurrentArgs> = {
  ...LAYER_OPTIONS, units: true, activation: true, useBias: true, kernelInitializer: true, recurrentInitializer: true, biasInitializer: true,
  kernelRegularizer: true, recurrentRegularizer: true, biasRegularizer: true, kernelConstraint: true, recurrentConstraint: true, biasConstraint: true,
  dropout: true, recurrentDropout: true, seed: true, returnSequences: true, returnState: true, goBackwards: true, stateful: true, unroll: true,
  zeroOutputForMask: true,
};

/** What one timestep of a cell computes from its input projection and the previous states. */
export type StepFn = (inputProjection: Tensor, states: readonly Tensor[], recurrentInput: Tensor) => { output: Tensor; states: Tensor[] };

/** A recurrent layer's outputs: the main output and the final states (h, or h and c for an LSTM). */
export interface RecurrentResult {
  output: Tensor;
  states: Tensor[];
}

/** Options of `applyWithStates`: a layer call's options plus initial states (Keras's initial_state). */
export interface RecurrentCallOptions extends Partial<CallOptions> {
  initialState?: readonly Tensor[];
}

/**
 * The shared machinery of SimpleRNN, LSTM and GRU: weights in Keras 3's layout (one `kernel`
 * [in, units·gates], one `recurrent_kernel` [units, units·gates], a `bias`), and the time loop.
 *
 * The loop is written with primitives, so autodiff gives the backward pass. It is arranged for
 * speed: the input projection x·kernel (+ bias) of every timestep is one matmul up front, over the
 * time-major input [time·batch, features]; each step then slices its rows (contiguous) and adds one
 * matmul with the recurrent kernel. Subclasses supply the gate arithmetic of one step (`makeStep`).
 *
 * Masks (CallOptions.mask, [batch, time]): at a masked timestep every state keeps its previous value
 * and the output repeats the previous output (or 0 with zeroOutputForMask), as Keras does, so a
 * zero-padded sequence ends in the same state as the unpadded one.
 */
export abstract class Recurrent extends Layer {
  /** The Keras cell's name, which Keras puts in weight paths (`lstm/lstm_cell/kernel`). */
  protected abstract readonly cellName: string;
  /** Gate blocks in the kernels: 1 (SimpleRNN), 4 (LSTM: i, f, c, o), 3 (GRU: z, r, h). */
  protected abstract readonly gates: number;
  /** How many state tensors the cell carries (LSTM: h and c). */
  protected abstract readonly stateCount: number;
  /** Builds one step's arithmetic for the current weights (slices of weights are taken once per call). */
  protected abstract makeStep(): StepFn;

  override supportsMasking = true;
  readonly units: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly recurrentRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly seed: number | null;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  readonly unroll: boolean;
  /** Writable: Bidirectional sets it to returnSequences on both directions, as Keras 3 does. */
  zeroOutputForMask: boolean;
  kernel: Variable | Tensor | null = null;
  recurrentKernel: Variable | Tensor | null = null;
  bias: Variable | Tensor | null = null;
  /** The carried states of a stateful layer (private variables, not weights: Keras does not save them). */
  private carried: Variable[] | null = null;
  private readonly stream: RandomStream | null;

  constructor(args: RecurrentArgs, defaultActivation = 'tanh') {
    super(args);
    const units = option<unknown>(args, 'units');
    if (!Number.isInteger(units) || (units as number) <= 0) throw new ValueError(`${layerLabel(this)}: units must be a positive integer, found ${show(units)}`);
    this.units = units as number;
    this.activation = resolveNamed(this, 'activation', () => getActivation(option(args, 'activation') ?? defaultActivation));
    this.useBias = boolOption(this, args, 'useBias', true);
    const init = (camel: string, fallback: string) => resolveNamed(this, camel, () => getInitializer(option(args, camel) ?? fallback));
    this.kernelInitializer = init('kernelInitializer', 'glorot_uniform');
    this.recurrentInitializer = init('recurrentInitializer', 'orthogonal');
    this.biasInitializer = init('biasInitializer', 'zeros');
    const reg = (camel: string) => resolveNamed(this, camel, () => getRegularizer(option(args, camel)));
    this.kernelRegularizer = reg('kernelRegularizer');
    this.recurrentRegularizer = reg('recurrentRegularizer');
    this.biasRegularizer = reg('biasRegularizer');
    rejectConstraints(this, args, ['kernelConstraint', 'recurrentConstraint', 'biasConstraint']);
    this.dropout = numberOption(this, args, 'dropout', 0, { min: 0, max: 1 });
    this.recurrentDropout = numberOption(this, args, 'recurrentDropout', 0, { min: 0, max: 1 });
    const seed = option<unknown>(args, 'seed') ?? null;
    if (seed !== null && !Number.isInteger(seed)) throw new ValueError(`${layerLabel(this)}: seed must be an integer or null, found ${show(seed)}`);
    this.seed = seed as number | null;
    this.stream = this.seed === null ? null : new RandomStream(this.seed, 'dropout');
    this.returnSequences = boolOption(this, args, 'returnSequences', false);
    this.returnState = boolOption(this, args, 'returnState', false);
    this.goBackwards = boolOption(this, args, 'goBackwards', false);
    this.stateful = boolOption(this, args, 'stateful', false);
    this.unroll = boolOption(this, args, 'unroll', false);
    this.zeroOutputForMask = boolOption(this, args, 'zeroOutputForMask', false);
  }

  override build(inputShape: SymbolicShape): void {
    const features = inputShape[2];
    if (inputShape.length !== 3 || features === null || features === undefined) {
      throw new ShapeError(`${layerLabel(this)}: expected a 3-D input [batch, timesteps, features] with known features, found shape ${formatShape(inputShape)}`);
    }
    const width = this.units * this.gates;
    this.kernel = this.addWeight(`${this.cellName}/kernel`, [features, width], this.kernelInitializer, { regularizer: this.kernelRegularizer });
    this.recurrentKernel = this.addWeight(`${this.cellName}/recurrent_kernel`, [this.units, width], this.recurrentInitializer, { regularizer: this.recurrentRegularizer });
    if (this.useBias) this.bias = this.addWeight(`${this.cellName}/bias`, this.biasShape(), this.biasInitialValue(), { regularizer: this.biasRegularizer });
    super.build(inputShape);
  }

  /** The bias's shape; GRU with reset_after has two rows (input and recurrent biases). */
  protected biasShape(): number[] {
    return [this.units * this.gates];
  }

  /** The bias initializer (LSTM's unit_forget_bias wraps it). */
  protected biasInitialValue(): Initializer {
    return this.biasInitializer;
  }

  /** The bias added to the input projection x·kernel, or null (GRU reset_after: its first row). */
  protected inputBias(): Tensor | null {
    return this.bias;
  }

  /** Timesteps may vary between calls: only the rank and the feature size are fixed. */
  override assertInputCompatible(shape: readonly (number | null)[]): void {
    const expected = this.builtInputShape;
    if (shape.length !== 3 || (expected && expected[2] !== shape[2])) {
      throw new ShapeError(`${layerLabel(this)}: expected a 3-D input [batch, timesteps, ${expected?.[2] ?? 'features'}], found shape ${formatShape(shape)}`);
    }
  }

  /** Checks the rank before building, so the error shows the input's real shape. */
  override apply(inputs: KerasTensor | readonly KerasTensor[], options?: Partial<CallOptions>): KerasTensor;
  override apply(inputs: Tensor | readonly Tensor[], options?: Partial<CallOptions>): Tensor;
  override apply(inputs: Tensor | readonly Tensor[] | KerasTensor | readonly KerasTensor[], options: Partial<CallOptions> = {}): Tensor | KerasTensor {
    const one = Array.isArray(inputs) ? inputs[0] : inputs;
    if (one && one.shape.length !== 3) {
      throw new ShapeError(`${layerLabel(this)}: expected a 3-D input [batch, timesteps, features], found shape ${formatShape(one.shape)}`);
    }
    return super.apply(inputs as Tensor, options);
  }

  private checkRank(x: Tensor): void {
    if (x.rank !== 3) {
      throw new ShapeError(`${layerLabel(this)}: expected a 3-D input [batch, timesteps, features], found shape ${formatShape(x.shape)}`);
    }
  }

  /** The output, or with `returnState` the list `[output, ...finalStates]` (a functional model gets one symbolic tensor each). */
  call(x: Tensor, options: CallOptions): Tensor | Tensor[] {
    const { output, states } = this.run(x, options);
    return this.returnState ? [output, ...states] : output;
  }

  /**
   * Runs the layer and returns `[output, ...finalStates]` (Keras's `return_state=True` result:
   * LSTM `[output, h, c]`, GRU and SimpleRNN `[output, h]`); `initialState` starts from given states.
   *
   * ```ts
   * const lstm = kiln.layers.lstm({ units: 8, returnState: true });
   * const [out, h, c] = lstm.applyWithStates(x);
   * ```
   */
  applyWithStates(inputs: Tensor, options: RecurrentCallOptions = {}): Tensor[] {
    this.checkRank(inputs);
    if (!this.built) this.ensureBuilt([null, ...inputs.shape.slice(1)]);
    else this.assertInputCompatible(inputs.shape);
    const { initialState, ...rest } = options;
    const callOptions: CallOptions = { training: rest.training ?? false };
    if (rest.mask) callOptions.mask = rest.mask;
    const { output, states } = this.run(inputs, callOptions, initialState);
    return [output, ...states];
  }

  /** The time loop. `initialState` overrides zeros (or a stateful layer's carried states). */
  run(x: Tensor, { training, mask }: CallOptions, initialState?: readonly Tensor[]): RecurrentResult {
    this.checkRank(x);
    const [batch, steps, features] = x.shape as [number, number, number];
    if (steps === 0) throw new ShapeError(`${layerLabel(this)}: the input has no timesteps (shape ${formatShape(x.shape)})`);
    const maskT = mask ? this.checkMask(mask, batch, steps) : null;
    let input = x.dtype === 'float32' ? x : P.cast(x, 'float32');
    // One input-dropout mask per sequence, shared by all timesteps (and gates), as Keras 3's cells do.
    if (training && this.dropout > 0) input = P.binary('mul', input, this.dropoutMask([batch, 1, features], this.dropout));
    const recurrentMask = training && this.recurrentDropout > 0 ? this.dropoutMask([batch, this.units], this.recurrentDropout) : null;

    // Time-major so that each step's rows are one contiguous block of the projection.
    const width = this.units * this.gates;
    let projection = P.matmul(P.reshape(P.transpose(input, [1, 0, 2]), [steps * batch, features]), this.kernel!);
    const bias = this.inputBias();
    if (bias) projection = P.binary('add', projection, bias);

    let states = this.initialStates(batch, initialState);
    const step = this.makeStep();
    const stepInputs = splitSteps(projection, steps, batch);
    const outputs: Tensor[] = [];
    let last: Tensor | null = null;
    for (let s = 0; s < steps; s++) {
      const t = this.goBackwards ? steps - 1 - s : s;
      const xp = stepInputs[t]!;
      const h = states[0]!;
      const next = step(xp, states, recurrentMask ? P.binary('mul', h, recurrentMask) : h);
      let output = next.output;
      let sequenceOutput = output;
      if (maskT) {
        const m = P.slice(maskT, [t, 0], [1, batch]);
        const keep = P.reshape(m, [batch, 1]);
        next.states = next.states.map((n, i) => P.select(keep, n, states[i]!));
        const previous = last ?? P.fill([batch, this.units], 0, 'float32');
        output = P.select(keep, output, previous);
        sequenceOutput = this.zeroOutputForMask ? P.select(keep, next.output, P.fill([], 0, 'float32')) : output;
      }
      states = next.states;
      last = output;
      if (this.returnSequences) outputs.push(P.reshape(sequenceOutput, [batch, 1, this.units]));
    }
    if (this.stateful) this.carry(states);
    return { output: this.returnSequences ? P.concat(outputs, 1) : last!, states };
  }

  /** The mask as [time, batch] float (rows sliced per step), checked against the input. */
  private checkMask(mask: Tensor, batch: number, steps: number): Tensor {
    if (mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== steps) {
      throw new ShapeError(`${layerLabel(this)}: mask must have shape [${batch}, ${steps}] (batch, timesteps), found ${formatShape(mask.shape)}`);
    }
    return P.transpose(mask.dtype === 'float32' ? mask : P.cast(mask, 'float32'), [1, 0]);
  }

  /** Inverted-dropout mask of `shape`: 0 with probability `rate`, else 1 / (1 - rate). */
  private dropoutMask(shape: number[], rate: number): Tensor {
    const stream = this.stream ?? randomStream('dropout');
    const scale = rate < 1 ? 1 / (1 - rate) : 0;
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < values.length; i++) values[i] = stream.uniform() >= rate ? scale : 0;
    return fromValues(values, shape);
  }

  private initialStates(batch: number, given?: readonly Tensor[]): Tensor[] {
    if (given) {
      if (given.length !== this.stateCount || given.some((s) => s.rank !== 2 || s.shape[0] !== batch || s.shape[1] !== this.units)) {
        throw new ShapeError(
          `${layerLabel(this)}: initialState must be ${this.stateCount} tensor(s) of shape [${batch}, ${this.units}], found ${given.map((s) => formatShape(s.shape)).join(', ') || 'none'}`,
        );
      }
      return given.map((s) => (s.dtype === 'float32' ? s : P.cast(s, 'float32')));
    }
    if (this.stateful && this.carried) {
      if (this.carried[0]!.shape[0] !== batch) {
        throw new ShapeError(
          `${layerLabel(this)}: a stateful layer carries states for batch size ${this.carried[0]!.shape[0]}, found a batch of ${batch}; use a fixed batch size (and shuffle: false) or call resetStates()`,
        );
      }
      return [...this.carried];
    }
    return Array.from({ length: this.stateCount }, () => P.fill([batch, this.units], 0, 'float32'));
  }

  /** Keeps a stateful layer's final states for the next call (values only: no gradient crosses batches). */
  private carry(states: readonly Tensor[]): void {
    if (!this.carried) {
      this.carried = states.map((s, i) => new Variable(P.stopGradient(s), `${this.name}/state_${i}`, false));
      return;
    }
    states.forEach((s, i) => this.carried![i]!.assign(s));
  }

  /**
   * Forgets a stateful layer's carried states (the next call starts from zeros), or sets them to
   * `states` (one [batch, units] tensor per state).
   */
  resetStates(states?: readonly Tensor[]): void {
    if (!this.stateful) throw new ValueError(`${layerLabel(this)}: resetStates() needs a stateful layer (stateful: true)`);
    if (!states) {
      this.carried = null;
      return;
    }
    const batch = states[0]?.shape[0] ?? 0;
    this.carried = null;
    this.carry(this.initialStates(batch, states));
  }

  /** The carried states of a stateful layer (copies), or null before its first call / after a reset. */
  getStates(): Tensor[] | null {
    return this.carried ? this.carried.map((v) => fromValues(v.dataSync(), v.shape)) : null;
  }

  override computeOutputShape(inputShape: SymbolicShape): LayerShape {
    const batch = inputShape[0] ?? null;
    const output = this.returnSequences ? [batch, inputShape[1] ?? null, this.units] : [batch, this.units];
    // Keras's return_state: the output, then each final state ([batch, units]) as further outputs.
    return this.returnState ? [output, ...Array.from({ length: this.stateCount }, () => [batch, this.units])] : output;
  }

  /** The mask survives only with returnSequences (the time axis is gone otherwise). */
  override computeMask(_inputs: Tensor, mask: Tensor | null): Tensor | null {
    return this.returnSequences ? mask : null;
  }

  /** Keras 3 keeps the cell's variables under `<layer>/cell/vars` in a .keras weight file. */
  kerasWeightGroups(): WeightGroup[] {
    return [{ path: '', variables: [] }, { path: 'cell', variables: trainableFirst(this.weights) }];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      return_sequences: this.returnSequences,
      return_state: this.returnState,
      go_backwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
      zero_output_for_mask: this.zeroOutputForMask,
      units: this.units,
      activation: serializeActivation(this.activation),
      use_bias: this.useBias,
      kernel_initializer: serializeInitializer(this.kernelInitializer),
      recurrent_initializer: serializeInitializer(this.recurrentInitializer),
      bias_initializer: serializeInitializer(this.biasInitializer),
      kernel_regularizer: serializeRegularizer(this.kernelRegularizer),
      recurrent_regularizer: serializeRegularizer(this.recurrentRegularizer),
      bias_regularizer: serializeRegularizer(this.biasRegularizer),
      activity_regularizer: serializeRegularizer(this.activityRegularizer),
      kernel_constraint: null,
      recurrent_constraint: null,
      bias_constraint: null,
      dropout: this.dropout,
      recurrent_dropout: this.recurrentDropout,
      seed: this.seed,
    };
  }
}

/**
 * The per-timestep row blocks [batch, width] of a time-major projection [steps·batch, width].
 *
 * Why not one slice per step: a slice's gradient is its input's full size (a pad), so T slices of
 * one projection cost T full-size pads and adds in the backward pass — O(T²). While recording,
 * the blocks are cut by halving instead (a binary tree of slices): every level of the tree pads
 * the projection's size once in total, so the backward costs O(T log T) and the forward only
 * log T extra copies. Without a tape (inference) the blocks are sliced directly.
 */
export function splitSteps(projection: Tensor, steps: number, batch: number): Tensor[] {
  const width = projection.shape[1]!;
  const rows = (x: Tensor, from: number, count: number) => P.slice(x, [from * batch, 0], [count * batch, width]);
  if (!(isRecording() && projection.requiresGrad) || steps <= 2) {
    return Array.from({ length: steps }, (_, t) => rows(projection, t, 1));
  }
  const out: Tensor[] = [];
  const cut = (x: Tensor, count: number): void => {
    if (count === 1) {
      out.push(x);
      return;
    }
    const half = count >> 1;
    cut(rows(x, 0, half), half);
    cut(rows(x, half, count - half), count - half);
  };
  cut(projection, steps);
  return out;
}

/** Column block `k` (of `size` columns) of a 2-D tensor: one gate's slice of a fused projection. */
export function gate(t: Tensor, k: number, size: number): Tensor {
  return P.slice(t, [0, k * size], [t.shape[0]!, size]);
}

/** Reads recurrent_activation (LSTM and GRU), default sigmoid. */
export function recurrentActivationOption(layer: Layer, args: object): Activation {
  return resolveNamed(layer, 'recurrentActivation', () => getActivation(option<ActivationIdentifier>(args, 'recurrentActivation') ?? 'sigmoid'));
}
