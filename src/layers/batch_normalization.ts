import * as P from '../core/primitives.js';
import { noGrad } from '../core/engine.js';
import { formatShape } from '../core/shape.js';
import type { Tensor, Variable } from '../core/tensor.js';
import { NotImplementedError, ShapeError, ValueError } from '../errors.js';
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

export interface BatchNormalizationArgs extends LayerArgs {
  /** The features axis, normalized per entry (default -1; use 1 for channels-first images). */
  axis?: number;
  /** Moving-average momentum (default 0.99). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-3). */
  epsilon?: number;
  /** Learn an offset `beta` (default true). */
  center?: boolean;
  /** Learn a scale `gamma` (default true). */
  scale?: boolean;
  betaInitializer?: InitializerIdentifier | Initializer;
  gammaInitializer?: InitializerIdentifier | Initializer;
  movingMeanInitializer?: InitializerIdentifier | Initializer;
  movingVarianceInitializer?: InitializerIdentifier | Initializer;
  betaRegularizer?: RegularizerIdentifier | Regularizer | null;
  gammaRegularizer?: RegularizerIdentifier | Regularizer | null;
  /** Only null: kiln has no weight constraints yet. */
  betaConstraint?: null;
  gammaConstraint?: null;
  /** Accepted from Keras configs; on one device batch statistics are already global. */
  synchronized?: boolean;
  /** Batch renormalization is not implemented; only false is accepted. */
  renorm?: boolean;
  /** Read from Keras 3.14+ configs and ignored (they only matter with renorm). */
  renormClipping?: Record<string, number> | null;
  renormMomentum?: number;
}

/**
 * Batch normalization (Ioffe & Szegedy, 2015), as in Keras 3. In training
 * (`apply(x, { training: true })`, which `fit` does) it normalizes with the batch's mean and biased
 * variance over every axis but `axis`, and moves its statistics towards them:
 * `moving = moving · momentum + batch · (1 − momentum)`. At inference it normalizes with the moving
 * statistics. Output: `gamma · (x − mean) / sqrt(var + epsilon) + beta`.
 * A frozen layer (`trainable: false`) always runs in inference mode, as in Keras.
 *
 * Weights, in Keras order: gamma, beta (trainable), moving_mean, moving_variance (not trainable).
 *
 * ```ts
 * const bn = kiln.layers.batchNormalization({ momentum: 0.9 });
 * bn.apply(kiln.randomNormal([32, 8]), { training: true }); // per-feature mean 0, variance ≈ 1
 * ```
 */
export class BatchNormalization extends Layer {
  static override readonly className = 'BatchNormalization';
  static override readonly optionNames = optionNames<BatchNormalizationArgs>({ ...LAYER_OPTIONS, axis: true, momentum: true, epsilon: true, center: true, scale: true, betaInitializer: true, gammaInitializer: true, movingMeanInitializer: true, movingVarianceInitializer: true, betaRegularizer: true, gammaRegularizer: true, betaConstraint: true, gammaConstraint: true, synchronized: true, renorm: true, renormClipping: true, renormMomentum: true });
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: InitializerIdentifier | Initializer;
  readonly gammaInitializer: InitializerIdentifier | Initializer;
  readonly movingMeanInitializer: InitializerIdentifier | Initializer;
  readonly movingVarianceInitializer: InitializerIdentifier | Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly synchronized: boolean;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  movingMean: Variable | null = null;
  movingVariance: Variable | null = null;
  /** Set by build: the normalized axis as a non-negative index, the others, and the broadcast shape. */
  private featureAxis = -1;
  private reductionAxes: number[] = [];
  private paramShape: number[] = [];

  constructor(args: Spelled<BatchNormalizationArgs> = {}) {
    super(args);
    const axis = option<unknown>(args, 'axis') ?? -1;
    if (!Number.isInteger(axis)) throw new ValueError(`${layerLabel(this)}: axis must be an integer, found ${show(axis)}`);
    this.axis = axis as number;
    this.momentum = numberOption(this, args, 'momentum', 0.99, { min: 0, max: 1 });
    this.epsilon = numberOption(this, args, 'epsilon', 1e-3, { min: 0 });
    this.center = boolOption(this, args, 'center', true);
    this.scale = boolOption(this, args, 'scale', true);
    const init = (camel: string, fallback: InitializerIdentifier) => {
      const id = option<InitializerIdentifier | Initializer | null>(args, camel) ?? fallback;
      resolveNamed(this, camel, () => getInitializer(id)); // fail now on a bad name, not at build
      return id;
    };
    this.betaInitializer = init('betaInitializer', 'zeros');
    this.gammaInitializer = init('gammaInitializer', 'ones');
    this.movingMeanInitializer = init('movingMeanInitializer', 'zeros');
    this.movingVarianceInitializer = init('movingVarianceInitializer', 'ones');
    this.betaRegularizer = resolveNamed(this, 'betaRegularizer', () => getRegularizer(option(args, 'betaRegularizer')));
    this.gammaRegularizer = resolveNamed(this, 'gammaRegularizer', () => getRegularizer(option(args, 'gammaRegularizer')));
    rejectConstraints(this, args, ['betaConstraint', 'gammaConstraint']);
    this.synchronized = boolOption(this, args, 'synchronized', false);
    if (boolOption(this, args, 'renorm', false)) {
      throw new NotImplementedError(`${layerLabel(this)}: renorm=true (batch renormalization) is not supported yet`);
    }
    // renorm_clipping and renorm_momentum only matter with renorm (refused above); they are ignored.
  }

  /** The axis as an index into a shape of `rank`, or a ValueError naming the layer. */
  private resolveAxis(rank: number): number {
    const a = this.axis < 0 ? this.axis + rank : this.axis;
    if (a < 0 || a >= rank) {
      throw new ValueError(`${layerLabel(this)}: axis ${this.axis} is out of range for inputs of rank ${rank} (expected -${rank}..${rank - 1})`);
    }
    return a;
  }

  override build(inputShape: SymbolicShape): void {
    const rank = inputShape.length;
    if (rank < 2) throw new ShapeError(`${layerLabel(this)}: expected inputs of rank >= 2 ([batch, features, …]), found ${formatShape(inputShape)}`);
    const a = this.resolveAxis(rank);
    const dim = inputShape[a];
    if (dim === null || dim === undefined) {
      throw new ShapeError(`${layerLabel(this)}: the normalized axis ${this.axis} needs a known size, found input shape ${formatShape(inputShape)}`);
    }
    this.featureAxis = a;
    this.reductionAxes = inputShape.map((_, i) => i).filter((i) => i !== a);
    this.paramShape = broadcastShapeFor(rank, [a], [dim]);
    if (this.scale) this.gamma = this.addWeight('gamma', [dim], this.gammaInitializer, { regularizer: this.gammaRegularizer });
    if (this.center) this.beta = this.addWeight('beta', [dim], this.betaInitializer, { regularizer: this.betaRegularizer });
    this.movingMean = this.addWeight('moving_mean', [dim], this.movingMeanInitializer, { trainable: false });
    this.movingVariance = this.addWeight('moving_variance', [dim], this.movingVarianceInitializer, { trainable: false });
    super.build(inputShape);
  }

  call(inputs: Tensor, { training }: CallOptions): Tensor {
    const x = inputs.dtype === 'float32' ? inputs : P.cast(inputs, 'float32');
    // Per-feature vectors broadcast directly when the axis is last; otherwise shape them [1, C, 1, …].
    const lastAxis = this.featureAxis === x.rank - 1;
    const bcast = (t: Tensor) => (lastAxis ? t : P.reshape(t, this.paramShape));
    let centered: Tensor;
    let variance: Tensor;
    if (training && this.trainable) {
      const mean = ops.mean(x, this.reductionAxes, true);
      centered = ops.sub(x, mean);
      // Biased (divide by N) variance, as Keras 3 uses for both normalization and the moving average.
      variance = ops.mean(ops.square(centered), this.reductionAxes, true);
      this.updateMovingStatistics(mean, variance);
    } else {
      centered = ops.sub(x, bcast(this.movingMean!));
      variance = bcast(this.movingVariance!);
    }
    // Fold gamma into the per-feature factor so the full-size work is one multiply and one add.
    let factor = ops.rsqrt(ops.add(variance, this.epsilon));
    if (this.gamma) factor = ops.mul(factor, bcast(this.gamma));
    const out = ops.mul(centered, factor);
    return this.beta ? ops.add(out, bcast(this.beta)) : out;
  }

  /**
   * The moving averages are state, not part of the computation being differentiated: they are
   * updated outside the gradient tape and in place, so the training step's graph never holds them.
   */
  private updateMovingStatistics(batchMean: Tensor, batchVariance: Tensor): void {
    noGrad(() => {
      const c = this.movingMean!.shape;
      const m = this.momentum;
      const ema = (moving: Variable, batch: Tensor) => ops.add(ops.mul(moving, m), ops.mul(P.reshape(batch, c), 1 - m));
      this.movingMean!.assign(ema(this.movingMean!, batchMean));
      this.movingVariance!.assign(ema(this.movingVariance!, batchVariance));
    });
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.resolveAxis(inputShape.length);
    return [...inputShape];
  }

  /** Keras 3's keys (the set every Keras 3 release reads; see the note on renorm below). */
  override getConfig(): Config {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: serializeInitializer(this.betaInitializer),
      gamma_initializer: serializeInitializer(this.gammaInitializer),
      moving_mean_initializer: serializeInitializer(this.movingMeanInitializer),
      moving_variance_initializer: serializeInitializer(this.movingVarianceInitializer),
      beta_regularizer: serializeRegularizer(this.betaRegularizer),
      gamma_regularizer: serializeRegularizer(this.gammaRegularizer),
      beta_constraint: null,
      gamma_constraint: null,
      synchronized: this.synchronized,
      // Keras 3.14 added renorm, renorm_clipping and renorm_momentum; earlier Keras 3 versions refuse
      // unknown keys, and renorm is always off here, so they are read but not written.
    };
  }
}
registerClass(BatchNormalization, { module: 'keras.layers' });
