import type { Tensor, Variable } from '../core/tensor.js';
import { sgdUpdate } from '../core/updates.js';
import type { Config } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import type { OptimizerArgs } from './optimizer.js';
import { Optimizer } from './optimizer.js';
import type { OptionKey, Options } from './options.js';
import { booleanOption, numberOption } from './options.js';

export interface SGDArgs extends OptimizerArgs {
  /** In [0, 1]; 0 is plain gradient descent. Default 0. */
  momentum?: number;
  nesterov?: boolean;
}

const KEYS = { momentum: ['momentum', 'momentum'], nesterov: ['nesterov', 'nesterov'] } satisfies Record<string, OptionKey>;

/**
 * Gradient descent, optionally with (Nesterov) momentum — Keras 3 `keras/src/optimizers/sgd.py`:
 * without momentum `w -= lr * g`; with it `v = momentum * v - lr * g`, then `w += v`, or with
 * Nesterov `w += momentum * v - lr * g`. Default learning rate 0.01. One `momentum` slot per
 * variable, only when momentum > 0.
 *
 * ```ts
 * const opt = new kiln.optimizers.SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true });
 * ```
 */
export class SGD extends Optimizer {
  static override readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;
  private momentums: Variable[] = [];

  constructor(args: SGDArgs = {}) {
    super(args, 0.01, Object.values(KEYS));
    this.momentum = numberOption(args as Options, KEYS.momentum, 0, 'SGD', { min: 0, max: 1 });
    this.nesterov = booleanOption(args as Options, KEYS.nesterov, false, 'SGD');
  }

  override build(variables: readonly Variable[]): void {
    if (this.built) return;
    super.build(variables);
    if (this.momentum !== 0) this.momentums = this.addOptimizerVariables(variables, 'momentum');
  }

  updateStep(gradient: Tensor, variable: Variable, learningRate: number): void {
    // Composed from primitives, or the backend's fused in-place kernel where it has one (same bits).
    const velocity = this.momentum === 0 ? null : this.momentums[this.variableIndex(variable)]!;
    sgdUpdate(variable, velocity, gradient, { lr: learningRate, momentum: this.momentum, nesterov: this.nesterov });
  }

  override getConfig(): Config {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}

registerClass(SGD, { module: 'keras.optimizers' });
