import * as P from '../core/primitives.js';
import { formatShape } from '../core/shape.js';
import type { Tensor, Variable } from '../core/tensor.js';
import { ShapeError, ValueError } from '../errors.js';
import type { Initializer, InitializerIdentifier } from '../initializers/index.js';
import { getInitializer, serializeInitializer } from '../initializers/index.js';
import * as ops from '../ops/index.js';
import type { Regularizer, RegularizerIdentifier } from '../regularizers/index.js';
import { getRegularizer, serializeRegularizer } from '../regularizers/index.js';
import type { Config } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import { option } from '../utils/args.js';
import type { Spelled } from '../utils/options.js';
import { optionNames } from '../utils/options.js';
import type { CallOptions, LayerArgs, SymbolicShape } from './layer.js';
import { LAYER_OPTIONS, Layer } from './layer.js';
import { boolOption, broadcastShapeFor, layerLabel, numberOption, rejectConstraints, resolveNamed, show } from './validation.js';

export interface LayerNormalizationArgs extends LayerArgs {
  /** The axis or axes normalized over, per sample (default -1). */
  axis?: number | readonly number[];
  /** Added to the variance before the square root (default 1e-3). */
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  /**
   * Keras 3's deprecated `rms_scaling`: `x / sqrt(var(x) + epsilon) · gamma`, without centering and
   * without beta. (It scales by the variance, not the root mean square; kept for loading Keras models.)
   */
  rmsScaling?: boolean;
  betaInitializer?: InitializerIdentifier | Initializer;
  gammaInitializer?: InitializerIdentifier | Initializer;
  betaRegularizer?: RegularizerIdentifier | Regularizer | null;
  gammaRegularizer?: RegularizerIdentifier | Regularizer | null;
  /** Only null: kiln has no weight constraints yet. */
  betaConstraint?: null;
  gammaConstraint?: null;
}

/**
 * Layer normalization (Ba et al., 2016), as in Keras 3: each sample is normalized over `axis` with
 * its own mean and (biased) variance, then scaled by `gamma` and shifted by `beta`, which span the
 * normalized axes. Training and inference behave the same.
 *
 * ```ts
 * const ln = kiln.layers.layerNormalization({ axis: -1 });
 * ln.apply(kiln.randomNormal([4, 16])); // each row: mean 0, variance ≈ 1
 * ```
 */
export class LayerNormalization extends Layer {
  static override readonly className = 'LayerNormalization';
  // Per-timestep (or elementwise) layers keep a sequence's mask for the layers after them, as in Keras.
  override supportsMasking = true;
  static override readonly optionNames = optionNames<LayerNormalizationArgs>({ ...LAYER_OPTIONS, axis: true, epsilon: true, center: true, scale: true, rmsScaling: true, betaInitializer: true, gammaInitializer: true, betaRegularizer: true, gammaRegularizer: true, betaConstraint: true, gammaConstraint: true });
  /** As given until built; then the sorted non-negative axes, as Keras 3 stores (and saves) them. */
  axis: number | number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly rmsScaling: boolean;
  readonly betaInitializer: InitializerIdentifier | Initializer;
  readonly gammaInitializer: InitializerIdentifier | Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  private paramShape: number[] = [];

  constructor(args: Spelled<LayerNormalizationArgs> = {}) {
    super(args);
    const axis = option<unknown>(args, 'axis') ?? -1;
    const valid = Number.isInteger(axis) || (Array.isArray(axis) && axis.length > 0 && axis.every((a) => Number.isInteger(a)));
    if (!valid) throw new ValueError(`${layerLabel(this)}: axis must be an integer or a non-empty list of integers, found ${show(axis)}`);
    this.axis = Array.isArray(axis) ? [...(axis as number[])] : (axis as number);
    this.epsilon = numberOption(this, args, 'epsilon', 1e-3, { min: 0 });
    this.center = boolOption(this, args, 'center', true);
    this.scale = boolOption(this, args, 'scale', true);
    this.rmsScaling = boolOption(this, args, 'rmsScaling', false);
    const init = (camel: string, fallback: InitializerIdentifier) => {
      const id = option<InitializerIdentifier | Initializer | null>(args, camel) ?? fallback;
      resolveNamed(this, camel, () => getInitializer(id));
      return id;
    };
    this.betaInitializer = init('betaInitializer', 'zeros');
    this.gammaInitializer = init('gammaInitializer', 'ones');
    this.betaRegularizer = resolveNamed(this, 'betaRegularizer', () => getRegularizer(option(args, 'betaRegularizer')));
    this.gammaRegularizer = resolveNamed(this, 'gammaRegularizer', () => getRegularizer(option(args, 'gammaRegularizer')));
    rejectConstraints(this, args, ['betaConstraint', 'gammaConstraint']);
  }

  /** The axes as sorted indices into a shape of `rank`; a ValueError naming the layer otherwise. */
  private resolveAxes(rank: number): number[] {
    const given = typeof this.axis === 'number' ? [this.axis] : this.axis;
    const axes = given.map((a) => {
      const k = a < 0 ? a + rank : a;
      if (k < 0 || k >= rank) {
        throw new ValueError(`${layerLabel(this)}: axis ${a} is out of range for inputs of rank ${rank} (expected -${rank}..${rank - 1})`);
      }
      return k;
    });
    if (new Set(axes).size !== axes.length) throw new ValueError(`${layerLabel(this)}: duplicate axes are not allowed, found axis=${show(this.axis)}`);
    return axes.sort((a, b) => a - b);
  }

  override build(inputShape: SymbolicShape): void {
    const axes = this.resolveAxes(inputShape.length);
    const dims = axes.map((a) => inputShape[a]);
    if (dims.some((d) => d === null || d === undefined)) {
      throw new ShapeError(`${layerLabel(this)}: the normalized axes ${show(axes)} need known sizes, found input shape ${formatShape(inputShape)}`);
    }
    const shape = dims as number[];
    this.axis = axes;
    this.paramShape = broadcastShapeFor(inputShape.length, axes, shape);
    if (this.scale || this.rmsScaling) this.gamma = this.addWeight('gamma', shape, this.gammaInitializer, { regularizer: this.gammaRegularizer });
    if (this.center && !this.rmsScaling) this.beta = this.addWeight('beta', shape, this.betaInitializer, { regularizer: this.betaRegularizer });
    super.build(inputShape);
  }

  call(inputs: Tensor, _options: CallOptions): Tensor {
    const x = inputs.dtype === 'float32' ? inputs : P.cast(inputs, 'float32');
    const axes = this.axis as number[];
    // gamma/beta span the normalized axes; give them size-1 dims elsewhere so they broadcast.
    const bcast = (t: Tensor) => P.reshape(t, this.paramShape);
    const mean = ops.mean(x, axes, true);
    const centered = ops.sub(x, mean);
    const variance = ops.mean(ops.square(centered), axes, true);
    let factor = ops.rsqrt(ops.add(variance, this.epsilon));
    if (this.rmsScaling) {
      // Keras's deprecated path: scale the *uncentered* input by 1/sqrt(var + eps).
      const out = ops.mul(x, factor);
      return this.gamma ? ops.mul(out, bcast(this.gamma)) : out;
    }
    if (this.gamma) factor = ops.mul(factor, bcast(this.gamma));
    const out = ops.mul(centered, factor);
    return this.beta ? ops.add(out, bcast(this.beta)) : out;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.resolveAxes(inputShape.length);
    return [...inputShape];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      axis: Array.isArray(this.axis) ? [...this.axis] : this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      rms_scaling: this.rmsScaling,
      beta_initializer: serializeInitializer(this.betaInitializer),
      gamma_initializer: serializeInitializer(this.gammaInitializer),
      beta_regularizer: serializeRegularizer(this.betaRegularizer),
      gamma_regularizer: serializeRegularizer(this.gammaRegularizer),
      beta_constraint: null,
      gamma_constraint: null,
    };
  }
}
registerClass(LayerNormalization, { module: 'keras.layers' });
