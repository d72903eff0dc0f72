import type { Tensor, Variable } from '../core/tensor.js';
import * as ops from '../ops/index.js';
import type { Config } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import { ADAM_KEYS } from './adam.js';
import type { OptimizerArgs } from './optimizer.js';
import { Optimizer } from './optimizer.js';
import type { Options } from './options.js';
import { numberOption } from './options.js';

export interface AdamaxArgs extends OptimizerArgs {
  /** Default 0.9. */
  beta1?: number;
  /** Decay of the infinity norm. Default 0.999. */
  beta2?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

const KEYS = [ADAM_KEYS.beta1, ADAM_KEYS.beta2, ADAM_KEYS.epsilon];

/**
 * Adamax, Adam with the infinity norm — Keras 3 `keras/src/optimizers/adamax.py`. With `t = iterations + 1`:
 * `m += (g - m)(1 - β1)`, `u = max(β2·u, |g|)`, `w -= lr·m / ((1 - β1ᵗ)(u + ε))`.
 * Default learning rate 0.001. Slots per variable, interleaved: `momentum`, `norm`.
 *
 * ```ts
 * const opt = new kiln.optimizers.Adamax({ learningRate: 2e-3 });
 * ```
 */
export class Adamax extends Optimizer {
  static override readonly className = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private m: Variable[] = [];
  private u: Variable[] = [];

  constructor(args: AdamaxArgs = {}) {
    super(args, 0.001, KEYS);
    const a = args as Options;
    this.beta1 = numberOption(a, ADAM_KEYS.beta1, 0.9, 'Adamax', { min: 0, max: 1, maxExclusive: true });
    this.beta2 = numberOption(a, ADAM_KEYS.beta2, 0.999, 'Adamax', { min: 0, max: 1 });
    this.epsilon = numberOption(a, ADAM_KEYS.epsilon, 1e-7, 'Adamax', { min: 0 });
  }

  override build(variables: readonly Variable[]): void {
    if (this.built) return;
    super.build(variables);
    [this.m, this.u] = this.addOptimizerVariables(variables, ['momentum', 'norm']) as [Variable[], Variable[]];
  }

  updateStep(gradient: Tensor, variable: Variable, learningRate: number): void {
    const i = this.variableIndex(variable);
    const t = this.iterations + 1;
    const m = this.m[i]!;
    const u = this.u[i]!;
    m.assign(ops.add(m, ops.mul(ops.sub(gradient, m), 1 - this.beta1)));
    u.assign(ops.maximum(ops.mul(u, this.beta2), ops.abs(gradient)));
    const denom = ops.mul(ops.add(u, this.epsilon), 1 - this.beta1 ** t);
    variable.assign(ops.sub(variable, ops.div(ops.mul(m, learningRate), denom)));
  }

  override getConfig(): Config {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}

registerClass(Adamax, { module: 'keras.optimizers' });
