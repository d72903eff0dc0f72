import type { Tensor, Variable } from '../core/tensor.js';
import * as ops from '../ops/index.js';
import type { Config } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import type { OptimizerArgs } from './optimizer.js';
import { Optimizer } from './optimizer.js';
import type { OptionKey, Options } from './options.js';
import { booleanOption, numberOption } from './options.js';

export interface RMSpropArgs extends OptimizerArgs {
  /** Decay of the mean-square average. Default 0.9. */
  rho?: number;
  /** Default 0 (no momentum slot). */
  momentum?: number;
  /** Added inside the square root. Default 1e-7. */
  epsilon?: number;
  /** Divide by the estimated variance (mean square minus squared mean) instead. Default false. */
  centered?: boolean;
}

const KEYS = {
  rho: ['rho', 'rho'],
  momentum: ['momentum', 'momentum'],
  epsilon: ['epsilon', 'epsilon'],
  centered: ['centered', 'centered'],
} satisfies Record<string, OptionKey>;

/**
 * RMSprop — Keras 3 `keras/src/optimizers/rmsprop.py`:
 * `ms = ρ·ms + (1-ρ)g²`; centered also `mg = ρ·mg + (1-ρ)g` and uses `ms - mg²`;
 * `Δ = lr·g / sqrt(ms [- mg²] + ε)`; with momentum `mom = momentum·mom + Δ`, `w -= mom`, else `w -= Δ`.
 * Default learning rate 0.001. Slots, grouped by kind: `velocity` for every variable, then
 * `momentum` (momentum > 0), then `average_gradient` (centered).
 *
 * ```ts
 * const opt = new kiln.optimizers.RMSprop({ learningRate: 1e-3, centered: true });
 * ```
 */
export class RMSprop extends Optimizer {
  static override readonly className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
  private velocities: Variable[] = [];
  private momentums: Variable[] = [];
  private averageGradients: Variable[] = [];

  constructor(args: RMSpropArgs = {}) {
    super(args, 0.001, Object.values(KEYS));
    const a = args as Options;
    this.rho = numberOption(a, KEYS.rho, 0.9, 'RMSprop', { min: 0, max: 1 });
    this.momentum = numberOption(a, KEYS.momentum, 0, 'RMSprop', { min: 0 });
    this.epsilon = numberOption(a, KEYS.epsilon, 1e-7, 'RMSprop', { min: 0 });
    this.centered = booleanOption(a, KEYS.centered, false, 'RMSprop');
  }

  override build(variables: readonly Variable[]): void {
    if (this.built) return;
    super.build(variables);
    this.velocities = this.addOptimizerVariables(variables, 'velocity');
    if (this.momentum > 0) this.momentums = this.addOptimizerVariables(variables, 'momentum');
    if (this.centered) this.averageGradients = this.addOptimizerVariables(variables, 'average_gradient');
  }

  updateStep(gradient: Tensor, variable: Variable, learningRate: number): void {
    const i = this.variableIndex(variable);
    const velocity = this.velocities[i]!;
    velocity.assign(ops.add(ops.mul(velocity, this.rho), ops.mul(ops.square(gradient), 1 - this.rho)));
    let denominator: Tensor;
    if (this.centered) {
      const avg = this.averageGradients[i]!;
      avg.assign(ops.add(ops.mul(avg, this.rho), ops.mul(gradient, 1 - this.rho)));
      denominator = ops.add(ops.sub(velocity, ops.square(avg)), this.epsilon);
    } else {
      denominator = ops.add(velocity, this.epsilon);
    }
    const increment = ops.div(ops.mul(gradient, learningRate), ops.sqrt(denominator));
    if (this.momentum > 0) {
      const mom = this.momentums[i]!;
      mom.assign(ops.add(ops.mul(mom, this.momentum), increment));
      variable.assign(ops.sub(variable, mom));
    } else {
      variable.assign(ops.sub(variable, increment));
    }
  }

  override getConfig(): Config {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}

registerClass(RMSprop, { module: 'keras.optimizers' });
