import type { Tensor, Variable } from '../core/tensor.js';
import { adamUpdate } from '../core/updates.js';
import { ValueError } from '../errors.js';
import type { Config } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import type { OptimizerArgs } from './optimizer.js';
import { Optimizer } from './optimizer.js';
import type { OptionKey, Options } from './options.js';
import { booleanOption, numberOption } from './options.js';

export interface AdamArgs extends OptimizerArgs {
  /** Decay of the first-moment average. Default 0.9. */
  beta1?: number;
  /** Decay of the second-moment average. Default 0.999. */
  beta2?: number;
  /** Keras's "epsilon hat", added to sqrt(v) before the bias correction of v. Default 1e-7. */
  epsilon?: number;
  /** Use the running maximum of v (AMSGrad). Default false. */
  amsgrad?: boolean;
}

export const ADAM_KEYS = {
  beta1: ['beta1', 'beta_1'],
  beta2: ['beta2', 'beta_2'],
  epsilon: ['epsilon', 'epsilon'],
  amsgrad: ['amsgrad', 'amsgrad'],
} satisfies Record<string, OptionKey>;

/**
 * Adam — Keras 3 `keras/src/optimizers/adam.py`. With `t = iterations + 1`:
 * `m += (g - m)(1 - β1)`, `v += (g² - v)(1 - β2)`, `w -= m · lr·sqrt(1 - β2ᵗ)/(1 - β1ᵗ) / (sqrt(v) + ε)`.
 * Note ε is added to the uncorrected sqrt(v) ("epsilon hat"); tfjs adds it after the correction.
 * Slots per variable, interleaved: `momentum`, `velocity`; then `velocity_hat` for all (amsgrad).
 *
 * ```ts
 * const opt = new kiln.optimizers.Adam({ learningRate: 1e-3, amsgrad: true });
 * ```
 */
export class Adam extends Optimizer {
  static override readonly className: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;
  private momentums: Variable[] = [];
  private velocities: Variable[] = [];
  private velocityHats: Variable[] = [];

  constructor(args: AdamArgs = {}) {
    super(args, 0.001, Object.values(ADAM_KEYS));
    const where = (this.constructor as typeof Optimizer).className;
    const a = args as Options;
    this.beta1 = numberOption(a, ADAM_KEYS.beta1, 0.9, where, { min: 0, max: 1, maxExclusive: true });
    this.beta2 = numberOption(a, ADAM_KEYS.beta2, 0.999, where, { min: 0, max: 1, maxExclusive: true });
    this.epsilon = numberOption(a, ADAM_KEYS.epsilon, 1e-7, where, { min: 0 });
    this.amsgrad = booleanOption(a, ADAM_KEYS.amsgrad, false, where);
  }

  override build(variables: readonly Variable[]): void {
    if (this.built) return;
    super.build(variables);
    [this.momentums, this.velocities] = this.addOptimizerVariables(variables, ['momentum', 'velocity']) as [Variable[], Variable[]];
    if (this.amsgrad) this.velocityHats = this.addOptimizerVariables(variables, 'velocity_hat');
  }

  updateStep(gradient: Tensor, variable: Variable, learningRate: number): void {
    const i = this.variableIndex(variable);
    const t = this.iterations + 1;
    // Composed from primitives, or the backend's fused in-place kernel where it has one (same bits).
    adamUpdate(variable, this.momentums[i]!, this.velocities[i]!, gradient, {
      lr: learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon,
      beta1Power: this.beta1 ** t, beta2Power: this.beta2 ** t,
    }, this.amsgrad ? this.velocityHats[i]! : null);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}

/**
 * AdamW — Adam with decoupled weight decay (Keras 3 `keras/src/optimizers/adamw.py`): before each
 * update `w -= w · weightDecay · lr` (the base class's weight decay), then the Adam step.
 * Default weightDecay 0.004; it may not be null.
 *
 * ```ts
 * const opt = new kiln.optimizers.AdamW({ learningRate: 1e-3, weightDecay: 0.01 });
 * ```
 */
export class AdamW extends Adam {
  static override readonly className: string = 'AdamW';
  constructor(args: AdamArgs = {}) {
    const a = args as Options;
    const wd = a['weightDecay'] !== undefined ? a['weightDecay'] : a['weight_decay'];
    if (wd === null) throw new ValueError("AdamW: option 'weightDecay' (weight_decay) must be a number, found null");
    super({ ...args, ...(wd === undefined ? { weightDecay: 0.004 } : {}) });
  }
}

registerClass(Adam, { module: 'keras.optimizers' });
registerClass(AdamW, { module: 'keras.optimizers' });
