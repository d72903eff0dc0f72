import type { Tensor, Variable } from '../core/tensor.js';
import * as ops from '../ops/index.js';
import type { Config } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import { ADAM_KEYS } from './adam.js';
import type { OptimizerArgs } from './optimizer.js';
import { Optimizer } from './optimizer.js';
import type { Options } from './options.js';
import { numberOption } from './options.js';

export interface NadamArgs extends OptimizerArgs {
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

const KEYS = [ADAM_KEYS.beta1, ADAM_KEYS.beta2, ADAM_KEYS.epsilon];

/** Dozat's momentum schedule: μₜ = β1·(1 - 0.5·0.96ᵗ). */
const DECAY = 0.96;

/**
 * Nadam, Adam with Nesterov momentum — Keras 3 `keras/src/optimizers/nadam.py`. With `t = iterations + 1`,
 * `μₜ = β1(1 - ½·0.96ᵗ)` and the running product `Πₜ = μ₁…μₜ` (the `u_product` variable):
 * `m += (g - m)(1 - β1)`, `v += (g² - v)(1 - β2)`,
 * `m̂ = μₜ₊₁·m/(1 - Πₜ·μₜ₊₁) + (1 - μₜ)·g/(1 - Πₜ)`, `v̂ = v/(1 - β2ᵗ)`, `w -= lr·m̂/(sqrt(v̂) + ε)`.
 * Default learning rate 0.001. Slots per variable, interleaved: `momentum`, `velocity`; then the
 * scalar `u_product` (starting at 1), which is state and is saved with the others.
 *
 * ```ts
 * const opt = new kiln.optimizers.Nadam({ learningRate: 2e-3 });
 * ```
 */
export class Nadam extends Optimizer {
  static override readonly className = 'Nadam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private momentums: Variable[] = [];
  private velocities: Variable[] = [];
  private uProduct: Variable | null = null;
  /** Πₜ for the step being applied, read once per step. */
  private uProductValue = 1;

  constructor(args: NadamArgs = {}) {
    super(args, 0.001, KEYS);
    const a = args as Options;
    this.beta1 = numberOption(a, ADAM_KEYS.beta1, 0.9, 'Nadam', { min: 0, max: 1, maxExclusive: true });
    this.beta2 = numberOption(a, ADAM_KEYS.beta2, 0.999, 'Nadam', { min: 0, max: 1, maxExclusive: true });
    this.epsilon = numberOption(a, ADAM_KEYS.epsilon, 1e-7, 'Nadam', { min: 0 });
  }

  override build(variables: readonly Variable[]): void {
    if (this.built) return;
    super.build(variables);
    [this.momentums, this.velocities] = this.addOptimizerVariables(variables, ['momentum', 'velocity']) as [Variable[], Variable[]];
    // Keras leaves this variable unnamed (its path is then an auto-generated 'variable_N');
    // kiln names it for what it is. Its position (last) is what saving relies on.
    this.uProduct = this.addVariable([], 'u_product', 1, variables[0]?.dtype ?? 'float32');
  }

  private mu(step: number): number {
    return this.beta1 * (1 - 0.5 * DECAY ** step);
  }

  protected override updateSteps(grads: Tensor[], vars: Variable[], learningRate: number): void {
    const u = this.uProduct!;
    u.assign(ops.mul(u, this.mu(this.iterations + 1)));
    this.uProductValue = u.item();
    super.updateSteps(grads, vars, learningRate);
  }

  updateStep(gradient: Tensor, variable: Variable, learningRate: number): void {
    const i = this.variableIndex(variable);
    const t = this.iterations + 1;
    const uT = this.mu(t);
    const uT1 = this.mu(t + 1);
    const uProductT = this.uProductValue;
    const uProductT1 = uProductT * uT1;
    const m = this.momentums[i]!;
    const v = this.velocities[i]!;
    m.assign(ops.add(m, ops.mul(ops.sub(gradient, m), 1 - this.beta1)));
    v.assign(ops.add(v, ops.mul(ops.sub(ops.square(gradient), v), 1 - this.beta2)));
    const mHat = ops.add(ops.mul(m, uT1 / (1 - uProductT1)), ops.mul(gradient, (1 - uT) / (1 - uProductT)));
    const vHat = ops.div(v, 1 - this.beta2 ** t);
    variable.assign(ops.sub(variable, ops.div(ops.mul(mHat, learningRate), ops.add(ops.sqrt(vHat), this.epsilon))));
  }

  override getConfig(): Config {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}

registerClass(Nadam, { module: 'keras.optimizers' });
