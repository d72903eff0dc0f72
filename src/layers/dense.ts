import type { Activation, ActivationName } from '../activations/index.js';
import { getActivation, serializeActivation } from '../activations/index.js';
import type { DenseActivation } from '../core/backend.js';
import * as P from '../core/primitives.js';
import type { Tensor, Variable } from '../core/tensor.js';
import { ShapeError, ValueError } from '../errors.js';
import type { Initializer, InitializerIdentifier } from '../initializers/index.js';
import { serializeInitializer } from '../initializers/index.js';
import type { Regularizer, RegularizerIdentifier } from '../regularizers/index.js';
import { serializeRegularizer } from '../regularizers/index.js';
import type { Config } from '../serialization/registry.js';
import { option } from '../utils/args.js';
import type { Spelled } from '../utils/options.js';
import { optionNames } from '../utils/options.js';
import type { CallOptions, LayerArgs, SymbolicShape } from './layer.js';
import { LAYER_OPTIONS, Layer } from './layer.js';

/** Activations the fused dense primitive applies itself; others run after a linear dense. */
// sigmoid is left out on purpose: applied as its own op, its output remembers the logits, so
// binary crossentropy uses them (exact and unclipped, as with softmax).
const FUSED_ACTIVATIONS = new Map<string, DenseActivation>([['linear', 'linear'], ['relu', 'relu'], ['tanh', 'tanh']]);

export interface DenseArgs extends LayerArgs {
  units: number;
  activation?: ActivationName | Activation | null;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier | Initializer;
  biasInitializer?: InitializerIdentifier | Initializer;
  kernelRegularizer?: RegularizerIdentifier | Regularizer | null;
  biasRegularizer?: RegularizerIdentifier | Regularizer | null;
}

/**
 * A fully connected layer: `activation(x · kernel + bias)`, applied over the last axis.
 *
 * ```ts
 * kiln.layers.dense({ units: 64, activation: 'relu', inputShape: [784] });
 * ```
 */
export class Dense extends Layer {
  static override readonly className = 'Dense';
  // Per-timestep (or elementwise) layers keep a sequence's mask for the layers after them, as in Keras.
  override supportsMasking = true;
  static override readonly optionNames = optionNames<DenseArgs>({ ...LAYER_OPTIONS, units: true, activation: true, useBias: true, kernelInitializer: true, biasInitializer: true, kernelRegularizer: true, biasRegularizer: true });
  readonly units: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerIdentifier | Initializer;
  readonly biasInitializer: InitializerIdentifier | Initializer;
  readonly kernelRegularizer: RegularizerIdentifier | Regularizer | null;
  readonly biasRegularizer: RegularizerIdentifier | Regularizer | null;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(args: Spelled<DenseArgs>) {
    super(args);
    const units = option<number>(args, 'units');
    if (!Number.isInteger(units) || units! <= 0) {
      throw new ValueError(`Dense '${this.name}': units must be a positive integer, found ${JSON.stringify(units)}`);
    }
    this.units = units!;
    this.activation = getActivation(option(args, 'activation'));
    this.useBias = option<boolean>(args, 'useBias') ?? true;
    this.kernelInitializer = option(args, 'kernelInitializer') ?? 'glorot_uniform';
    this.biasInitializer = option(args, 'biasInitializer') ?? 'zeros';
    this.kernelRegularizer = option(args, 'kernelRegularizer') ?? null;
    this.biasRegularizer = option(args, 'biasRegularizer') ?? null;
  }

  override build(inputShape: SymbolicShape): void {
    const inputDim = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || inputDim === null || inputDim === undefined) {
      throw new ShapeError(`Dense '${this.name}': needs inputs with a known last dimension, found shape [${inputShape.join(', ')}]`);
    }
    this.kernel = this.addWeight('kernel', [inputDim, this.units], this.kernelInitializer, { regularizer: this.kernelRegularizer });
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], this.biasInitializer, { regularizer: this.biasRegularizer });
    super.build(inputShape);
  }

  call(x: Tensor, _options: CallOptions): Tensor {
    if (x.rank === 2) {
      // The fused primitive applies the common activations itself; any other (softmax, gelu…) follows it.
      const fused = FUSED_ACTIVATIONS.get(this.activation.name);
      const y = P.dense(x, this.kernel!, this.bias, fused ?? 'linear');
      return fused ? y : this.activation.fn(y);
    }
    // Higher ranks: a matmul over the last axis of the rows flattened to 2-D, then the shape back.
    let y = P.matmul(P.reshape(x, [-1, x.shape[x.rank - 1]!]), this.kernel!);
    if (this.bias) y = P.binary('add', y, this.bias);
    return this.activation.fn(P.reshape(y, [...x.shape.slice(0, -1), this.units]));
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: serializeActivation(this.activation),
      use_bias: this.useBias,
      kernel_initializer: serializeInitializer(this.kernelInitializer),
      bias_initializer: serializeInitializer(this.biasInitializer),
      kernel_regularizer: serializeRegularizer(this.kernelRegularizer),
      bias_regularizer: serializeRegularizer(this.biasRegularizer),
      activity_regularizer: serializeRegularizer(this.activityRegularizer),
      kernel_constraint: null,
      bias_constraint: null,
    };
  }
}
