import type { Tensor, Variable } from '../core/tensor.js';
import * as ops from '../ops/index.js';
import type { Config } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import type { OptimizerArgs } from './optimizer.js';
import { Optimizer } from './optimizer.js';
import type { OptionKey, Options } from './options.js';
import { numberOption } from './options.js';

export interface AdagradArgs extends OptimizerArgs {
  /** Starting value of every accumulator element. Default 0.1. */
  initialAccumulatorValue?: number;
  /** Added inside the square root. Default 1e-7. */
  epsilon?: number;
}

const KEYS = {
  initialAccumulatorValue: ['initialAccumulatorValue', 'initial_accumulator_value'],
  epsilon: ['epsilon', 'epsilon'],
} satisfies Record<string, OptionKey>;

/**
 * Adagrad — Keras 3 `keras/src/optimizers/adagrad.py`: `acc += g²`, `w -= lr·g / sqrt(acc + ε)`.
 * Default learning rate 0.001. One `accumulator` slot per variable, starting at
 * `initialAccumulatorValue`.
 *
 * ```ts
 * const opt = new kiln.optimizers.Adagrad({ learningRate: 0.01 });
 * ```
 */
export class Adagrad extends Optimizer {
  static override readonly className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;
  private accumulators: Variable[] = [];

  constructor(args: AdagradArgs = {}) {
    super(args, 0.001, Object.values(KEYS));
    const a = args as Options;
    this.initialAccumulatorValue = numberOption(a, KEYS.initialAccumulatorValue, 0.1, 'Adagrad', { min: 0 });
    this.epsilon = numberOption(a, KEYS.epsilon, 1e-7, 'Adagrad', { min: 0 });
  }

  override build(variables: readonly Variable[]): void {
    if (this.built) return;
    super.build(variables);
    this.accumulators = this.addOptimizerVariables(variables, 'accumulator', this.initialAccumulatorValue);
  }

  updateStep(gradient: Tensor, variable: Variable, learningRate: number): void {
    const acc = this.accumulators[this.variableIndex(variable)]!;
    acc.assign(ops.add(acc, ops.square(gradient)));
    variable.assign(ops.sub(variable, ops.div(ops.mul(gradient, learningRate), ops.sqrt(ops.add(acc, this.epsilon)))));
  }

  override getConfig(): Config {
    return { ...super.getConfig(), initial_accumulator_value: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}

registerClass(Adagrad, { module: 'keras.optimizers' });
