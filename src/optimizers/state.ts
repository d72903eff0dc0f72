import type { DType } from '../core/dtype.js';
import { formatShape } from '../core/shape.js';
import { Tensor, Variable } from '../core/tensor.js';
import { ShapeError, ValueError } from '../errors.js';
import * as ops from '../ops/index.js';
import type { OptionKey } from './options.js';
import { checkNumber } from './options.js';
import { LearningRateSchedule } from './schedules.js';

const LR_KEY: OptionKey = ['learningRate', 'learning_rate'];

/** What the optimizer base passes down once it has read and checked the options. */
export interface StateInit {
  name: string;
  learningRate: number | LearningRateSchedule;
  gradientAccumulationSteps: number | null;
  useEma: boolean;
  emaMomentum: number;
  emaOverwriteFrequency: number | null;
}

/**
 * The stateful half of an optimizer: its variables (in Keras 3's order and with Keras 3's paths),
 * the step counter, the learning rate, and the weights' moving average. Kept apart from the update
 * logic in `optimizer.ts` so each file holds one concept.
 *
 * Variable order, as Keras 3 tracks them: `<name>/iteration` (int32), `<name>/learning_rate`
 * (float32; absent when the rate is a schedule), then whatever `build` adds — EMA averages,
 * gradient accumulators, and the optimizer's slots, interleaved per model variable
 * (`adam/dense_kernel_momentum, adam/dense_kernel_velocity, adam/dense_bias_momentum, …`).
 */
export abstract class OptimizerState {
  name: string;
  built = false;
  readonly useEma: boolean;
  readonly emaMomentum: number;
  readonly emaOverwriteFrequency: number | null;
  readonly gradientAccumulationSteps: number | null;
  /** The moving averages of the trainable variables, when `useEma`. */
  protected averages: Variable[] = [];

  private readonly _variables: Variable[] = [];
  private readonly _iterations: Variable;
  private _lrVariable: Variable | null = null;
  private _schedule: LearningRateSchedule | null = null;
  /** The raw step count while a step runs, so it is read from the backend once per step. */
  private _stepCache: number | null = null;

  constructor(init: StateInit) {
    this.name = init.name;
    this.useEma = init.useEma;
    this.emaMomentum = init.emaMomentum;
    this.emaOverwriteFrequency = init.emaOverwriteFrequency;
    this.gradientAccumulationSteps = init.gradientAccumulationSteps;
    this._iterations = this.addVariable([], 'iteration', 0, 'int32');
    if (init.learningRate instanceof LearningRateSchedule) this._schedule = init.learningRate;
    else this._lrVariable = this.addVariable([], 'learning_rate', init.learningRate);
  }

  /**
   * Completed optimizer steps. With gradient accumulation this counts updates, not calls
   * (Keras: `_iterations // gradient_accumulation_steps`).
   */
  get iterations(): number {
    const raw = this.rawIterations;
    return this.gradientAccumulationSteps ? Math.floor(raw / this.gradientAccumulationSteps) : raw;
  }

  /** The int32 step-counter variable (`<name>/iteration`), counting every `applyGradients` call. */
  get iterationsVariable(): Variable {
    return this._iterations;
  }

  /** Calls of `applyGradients` so far; schedules are evaluated at this count. */
  protected get rawIterations(): number {
    return this._stepCache ?? this._iterations.item();
  }

  /**
   * Runs one step with the step count read once (kept for `iterations`/`learningRate` reads inside
   * it), then counts the step — only if it completed, as Keras does.
   */
  protected runStep(fn: () => void): void {
    const raw = this._iterations.item();
    this._stepCache = raw;
    try {
      fn();
    } finally {
      this._stepCache = null;
    }
    this._iterations.assign(ops.scalar(raw + 1, 'int32'));
  }

  /**
   * The learning rate the next step will use (a schedule is evaluated at the current step).
   * Setting a number changes the rate from the next step on (ReduceLROnPlateau does this); setting
   * a schedule replaces the rate and drops the `learning_rate` variable. As in Keras 3, a number
   * cannot replace a schedule: that throws.
   */
  get learningRate(): number {
    return this._schedule ? this._schedule.call(this.rawIterations) : this._lrVariable!.item();
  }

  set learningRate(value: number | LearningRateSchedule) {
    if (value instanceof LearningRateSchedule) {
      this._schedule = value;
      if (this._lrVariable) {
        this._variables.splice(this._variables.indexOf(this._lrVariable), 1);
        this._lrVariable = null;
      }
      return;
    }
    if (this._schedule) {
      throw new ValueError(
        `${this.name}: learningRate is a ${(this._schedule.constructor as typeof LearningRateSchedule).className} schedule and cannot be set to a number ` +
          '(as in Keras 3). Create the optimizer with a numeric learningRate to make it settable.',
      );
    }
    this._lrVariable!.assign(ops.scalar(checkNumber(value, LR_KEY, this.name, { min: 0 })));
  }

  /** The schedule in use, or null for a constant (settable) learning rate. */
  get learningRateSchedule(): LearningRateSchedule | null {
    return this._schedule;
  }

  /** All of the optimizer's variables, in Keras 3's order (see the class comment). */
  variables(): Variable[] {
    return [...this._variables];
  }

  /**
   * Copies of every variable's value, in `variables()` order: what persistence saves.
   *
   * ```ts
   * const saved = opt.getState();
   * const restored = kiln.optimizers.adam();
   * restored.build(model.trainableWeights);
   * restored.setState(saved); // continues exactly where `opt` was
   * ```
   */
  getState(): Tensor[] {
    return this._variables.map((v) => ops.fromValues(v.dataSync(), v.shape, v.dtype));
  }

  /**
   * Restores values saved by `getState()` (same order; checked for count and shape before anything
   * is written). Build the optimizer on the model's trainable weights first so its slots exist.
   */
  setState(values: readonly Tensor[]): void {
    if (values.length !== this._variables.length) {
      throw new ValueError(
        `${this.name}.setState: expected ${this._variables.length} values (${this._variables.map((v) => v.name).join(', ')}), found ${values.length}` +
          (this.built ? '' : '. The optimizer is not built yet: call build(model.trainableWeights) first'),
      );
    }
    values.forEach((t, i) => {
      const v = this._variables[i]!;
      if (!(t instanceof Tensor)) throw new ValueError(`${this.name}.setState: value ${i} ('${v.name}') is not a Tensor`);
      if (t.shape.length !== v.shape.length || t.shape.some((d, k) => d !== v.shape[k])) {
        throw new ShapeError(`${this.name}.setState: '${v.name}' has shape ${formatShape(v.shape)}, found ${formatShape(t.shape)}`);
      }
    });
    values.forEach((t, i) => {
      const v = this._variables[i]!;
      v.assign(t.dtype === v.dtype ? t : ops.cast(t, v.dtype));
    });
  }

  /** Creates and tracks a non-trainable optimizer variable named `<optimizer name>/<name>`. */
  protected addVariable(shape: readonly number[], name: string, initialValue = 0, dtype: DType = 'float32'): Variable {
    const v = new Variable(ops.fill(shape, initialValue, dtype), `${this.name}/${name}`, false);
    this._variables.push(v);
    return v;
  }

  /** A slot shaped like `reference`, named as Keras 3 does: `<opt>/<ref path with / → _>_<slot>`. */
  protected addVariableFromReference(reference: Variable, slot: string, initialValue = 0): Variable {
    return this.addVariable(reference.shape, `${reference.name.replaceAll('/', '_')}_${slot}`, initialValue, reference.dtype);
  }

  /**
   * One slot per variable for each name, interleaved per variable like Keras 3
   * (`v0_momentum, v0_velocity, v1_momentum, …`). Returns one list per name.
   */
  protected addOptimizerVariables(variables: readonly Variable[], names: string, initialValue?: number): Variable[];
  protected addOptimizerVariables(variables: readonly Variable[], names: readonly string[], initialValue?: number): Variable[][];
  protected addOptimizerVariables(variables: readonly Variable[], names: string | readonly string[], initialValue = 0): Variable[] | Variable[][] {
    const list = typeof names === 'string' ? [names] : names;
    const out = list.map(() => [] as Variable[]);
    for (const v of variables) list.forEach((n, i) => out[i]!.push(this.addVariableFromReference(v, n, initialValue)));
    return typeof names === 'string' ? out[0]! : out;
  }

  /** After each step: update the moving average, and overwrite the weights with it when due. */
  protected afterStep(trainable: readonly Variable[]): void {
    if (!this.useEma) return;
    const step = this.iterations;
    // The first step copies the weights (momentum 0), so the average starts where training is.
    const m = step !== 0 ? this.emaMomentum : 0;
    trainable.forEach((v, i) => {
      const avg = this.averages[i]!;
      avg.assign(ops.add(ops.mul(avg, m), ops.mul(v, 1 - m)));
    });
    if (this.emaOverwriteFrequency && (step + 1) % this.emaOverwriteFrequency === 0) this.finalizeVariableValues(trainable);
  }

  /**
   * With `useEma`, replaces the weights by their moving average (`fit` calls this after the last
   * epoch, as Keras does). Otherwise does nothing.
   */
  finalizeVariableValues(variables: readonly Variable[]): void {
    if (!this.useEma) return;
    if (variables.length !== this.averages.length) {
      throw new ValueError(`${this.name}.finalizeVariableValues: ${variables.length} variables given, the optimizer averages ${this.averages.length}`);
    }
    variables.forEach((v, i) => v.assign(this.averages[i]!));
  }
}
