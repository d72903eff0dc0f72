import { noGrad } from '../core/engine.js';
import { formatShape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { Variable } from '../core/tensor.js';
import { ShapeError, ValueError } from '../errors.js';
import { uniqueName } from '../utils/naming.js';
import * as ops from '../ops/index.js';
import type { Config, Serializable, SerializedObject } from '../serialization/registry.js';
import { constructFromConfig } from '../serialization/registry.js';
import { OptimizerState } from './state.js';
import type { OptionKey, Options } from './options.js';
import { booleanOption, checkKnown, checkNumber, nullableNumber, numberOption, pick } from './options.js';
import { LearningRateSchedule, getSchedule, serializeSchedule } from './schedules.js';
import { clipByGlobalNorm, clipByNorm, clipByValueSymmetric } from './clipping.js';

/** Options every optimizer accepts (camelCase, or Keras snake_case as in a saved config). */
export interface OptimizerArgs {
  /** A number, or a schedule evaluated at the step count before each update. */
  learningRate?: number | LearningRateSchedule | SerializedObject;
  /** Decoupled weight decay applied before each update: `w -= w * weightDecay * lr`. */
  weightDecay?: number | null;
  /** Rescale each gradient so its own L2 norm is at most this. */
  clipnorm?: number | null;
  /** Limit each gradient element to [-clipvalue, clipvalue]. */
  clipvalue?: number | null;
  /** Rescale all gradients together so their joint L2 norm is at most this. */
  globalClipnorm?: number | null;
  /** Keep an exponential moving average of the weights (see `finalizeVariableValues`). */
  useEma?: boolean;
  emaMomentum?: number;
  /** Overwrite the weights with their average every this many steps (null: only at the end). */
  emaOverwriteFrequency?: number | null;
  /** The loss was multiplied by this (see `scaleLoss`); gradients are divided by it before use. */
  lossScaleFactor?: number | null;
  /** Average gradients over this many calls and update once per group. */
  gradientAccumulationSteps?: number | null;
  name?: string;
}

/** The base options' two spellings, shared with subclasses' unknown-option checks. */
export const BASE_KEYS = {
  learningRate: ['learningRate', 'learning_rate'],
  weightDecay: ['weightDecay', 'weight_decay'],
  clipnorm: ['clipnorm', 'clipnorm'],
  clipvalue: ['clipvalue', 'clipvalue'],
  globalClipnorm: ['globalClipnorm', 'global_clipnorm'],
  useEma: ['useEma', 'use_ema'],
  emaMomentum: ['emaMomentum', 'ema_momentum'],
  emaOverwriteFrequency: ['emaOverwriteFrequency', 'ema_overwrite_frequency'],
  lossScaleFactor: ['lossScaleFactor', 'loss_scale_factor'],
  gradientAccumulationSteps: ['gradientAccumulationSteps', 'gradient_accumulation_steps'],
  name: ['name', 'name'],
} satisfies Record<string, OptionKey>;

/** A gradient and the variable it belongs to; a null gradient means "no gradient" and is skipped. */
export type GradientPair = readonly [Tensor | null | undefined, Variable];

/**
 * The base of every optimizer, with Keras 3's contract (`keras/src/optimizers/base_optimizer.py`):
 * `build(variables)` creates the slot variables, `updateStep(gradient, variable, lr)` updates one
 * variable, and `applyGradients(pairs)` does clipping, weight decay, the updates, and then counts
 * the step. Updates run under `noGrad` and write with `variable.assign`.
 *
 * ```ts
 * const opt = kiln.optimizers.adam({ learningRate: 1e-3 });
 * const w = kiln.variable(kiln.zeros([3]), { name: 'w' });
 * const { grads } = kiln.valueAndGrads(() => kiln.sum(kiln.square(kiln.sub(w, 1))), [w]);
 * opt.applyGradients([[grads[0]!, w]]);
 * opt.iterations; // 1
 * ```
 */
export abstract class Optimizer extends OptimizerState implements Serializable {
  static readonly className: string = 'Optimizer';

  readonly weightDecay: number | null;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
  readonly lossScaleFactor: number | null;

  private _trainable: Variable[] = [];
  private readonly _index = new Map<Variable, number>();
  private _accumulators: Variable[] = [];
  private _excluded = new Set<Variable>();
  private _excludedPattern: RegExp | null = null;

  /**
   * @param args the user's options (either spelling)
   * @param defaultLearningRate Keras's default for this optimizer
   * @param ownKeys the subclass's own option names, so misspelt options can be refused
   */
  constructor(args: OptimizerArgs, defaultLearningRate: number, ownKeys: readonly OptionKey[] = []) {
    const a = args as Options;
    const where = (new.target as typeof Optimizer).className;
    checkKnown(a, [...Object.values(BASE_KEYS), ...ownKeys], where, ['decay']);
    if (a['decay'] !== undefined && a['decay'] !== null) console.warn(`${where}: option 'decay' is no longer supported (Keras 3) and is ignored`);
    const name = pick(a, BASE_KEYS.name);
    if (name !== undefined && name !== null && typeof name !== 'string') {
      throw new ValueError(`${where}: option 'name' must be a string, found ${JSON.stringify(name)}`);
    }
    super({
      name: (name as string | undefined) ?? uniqueName(where),
      learningRate: readLearningRate(pick(a, BASE_KEYS.learningRate) ?? defaultLearningRate, where),
      gradientAccumulationSteps: nullableNumber(a, BASE_KEYS.gradientAccumulationSteps, null, where, { min: 2, integer: true }),
      useEma: booleanOption(a, BASE_KEYS.useEma, false, where),
      // Keras checks these only when use_ema is on; kiln always does (a bad value is never useful).
      emaMomentum: numberOption(a, BASE_KEYS.emaMomentum, 0.99, where, { min: 0, max: 1 }),
      emaOverwriteFrequency: nullableNumber(a, BASE_KEYS.emaOverwriteFrequency, null, where, { min: 1, integer: true }),
    });
    this.weightDecay = nullableNumber(a, BASE_KEYS.weightDecay, null, where, { min: 0 });
    this.clipnorm = nullableNumber(a, BASE_KEYS.clipnorm, null, where, { min: 0 });
    this.clipvalue = nullableNumber(a, BASE_KEYS.clipvalue, null, where, { min: 0 });
    this.globalClipnorm = nullableNumber(a, BASE_KEYS.globalClipnorm, null, where, { min: 0 });
    this.lossScaleFactor = nullableNumber(a, BASE_KEYS.lossScaleFactor, null, where, { min: 0, minExclusive: true });
    const clips = (['clipnorm', 'clipvalue', 'globalClipnorm'] as const).filter((k) => this[k] !== null);
    if (clips.length > 1) {
      throw new ValueError(
        `${where}: only one of 'clipnorm', 'clipvalue' and 'globalClipnorm' can be set, found ${clips.map((k) => `${k}=${this[k]}`).join(', ')}`,
      );
    }
  }

  /**
   * Creates the optimizer's variables for `variables` (the trainable weights, in the order
   * gradients will arrive). Subclasses override it, return early when `built`, call
   * `super.build(variables)` first, then add their slots — Keras's order.
   */
  build(variables: readonly Variable[]): void {
    if (this.built) return;
    variables.forEach((v, i) => {
      if (!(v instanceof Variable)) throw new ValueError(`${this.name}.build: item ${i} is not a Variable`);
      if (this._index.has(v)) throw new ValueError(`${this.name}.build: variable '${v.name}' appears twice`);
      this._index.set(v, i);
    });
    if (this.useEma) this.averages = this.addOptimizerVariables(variables, 'average');
    if (this.gradientAccumulationSteps) this._accumulators = variables.map((v) => this.addVariableFromReference(v, 'gradient_accumulator'));
    this._trainable = [...variables];
    this.built = true;
  }

  /** Updates one variable from its (clipped) gradient. `learningRate` is this step's rate. */
  abstract updateStep(gradient: Tensor, variable: Variable, learningRate: number): void;

  /**
   * Applies one step of gradients: unscale, clip, decay, update, then `iterations += 1`.
   * Builds the optimizer on first use. Pairs whose gradient is null are skipped (with a warning).
   */
  applyGradients(pairs: readonly GradientPair[]): void {
    this.apply(
      pairs.map((p) => p[0] ?? null),
      pairs.map((p) => p[1]),
    );
  }

  /** `applyGradients` as two lists; `variables` may be left out once built (then all, in build order). */
  apply(grads: readonly (Tensor | null | undefined)[], variables?: readonly Variable[]): void {
    if (grads.length === 0) return;
    let vars: readonly Variable[];
    if (variables === undefined) {
      if (!this.built) throw new ValueError(`${this.name}.apply: without variables, the optimizer must be built first (call build(variables))`);
      if (grads.length !== this._trainable.length) {
        throw new ValueError(`${this.name}.apply: expected ${this._trainable.length} gradients (one per built variable), found ${grads.length}`);
      }
      vars = this._trainable;
    } else {
      if (variables.length !== grads.length) throw new ValueError(`${this.name}.apply: ${grads.length} gradients for ${variables.length} variables`);
      if (!this.built) this.build(variables);
      for (const v of variables) {
        if (!this._index.has(v)) {
          throw new ValueError(
            `${this.name}: unknown variable '${v?.name}'. An optimizer can only update the variables it was built with; create a new optimizer for new variables.`,
          );
        }
      }
      vars = variables;
    }
    const kept: [Tensor, Variable][] = [];
    const missing: string[] = [];
    grads.forEach((g, i) => (g ? kept.push([g, vars[i]!]) : missing.push(vars[i]!.name)));
    if (kept.length === 0) throw new ValueError(`${this.name}: no gradients provided for any variable`);
    if (missing.length > 0) console.warn(`${this.name}: gradients do not exist for variables ${missing.join(', ')}`);
    for (const [g, v] of kept) {
      if (g.shape.length !== v.shape.length || g.shape.some((d, k) => d !== v.shape[k])) {
        throw new ShapeError(`${this.name}: gradient for '${v.name}' has shape ${formatShape(g.shape)}, expected ${formatShape(v.shape)}`);
      }
    }
    this.runStep(() =>
      noGrad(() => {
        let gs = kept.map(([g, v]) => (g.dtype === v.dtype ? g : ops.cast(g, v.dtype)));
        if (this.lossScaleFactor !== null) gs = gs.map((g) => ops.div(g, this.lossScaleFactor!));
        const vs = kept.map(([, v]) => v);
        this.accumulateOrUpdate(gs, vs);
        for (const v of vs) applyConstraint(v);
        this.afterStep(this._trainable);
      }),
    );
  }

  /** Keras's `_backend_apply_gradients`: gradient accumulation around clip → decay → update. */
  private accumulateOrUpdate(grads: Tensor[], vars: Variable[]): void {
    const steps = this.gradientAccumulationSteps;
    if (!steps) return this.clipDecayUpdate(grads, vars);
    const acc = vars.map((v) => this._accumulators[this.variableIndex(v)]!);
    if ((this.rawIterations + 1) % steps === 0) {
      const averaged = grads.map((g, i) => ops.div(ops.add(g, acc[i]!), steps));
      this.clipDecayUpdate(averaged, vars);
      for (const a of this._accumulators) a.assign(ops.zerosLike(a));
    } else {
      acc.forEach((a, i) => a.assign(ops.add(grads[i]!, a)));
    }
  }

  private clipDecayUpdate(grads: Tensor[], vars: Variable[]): void {
    const clipped = this.clipGradients(grads);
    const lr = this.learningRate;
    this.applyWeightDecay(vars, lr);
    this.updateSteps(clipped, vars, lr);
  }

  /** Runs `updateStep` for each pair (Keras's `_backend_update_step`; Nadam hooks in here). */
  protected updateSteps(grads: Tensor[], vars: Variable[], learningRate: number): void {
    grads.forEach((g, i) => this.updateStep(g, vars[i]!, learningRate));
  }

  /** Applies this optimizer's clipping option to a list of gradients. */
  clipGradients(grads: Tensor[]): Tensor[] {
    if (this.clipnorm) return grads.map((g) => clipByNorm(g, this.clipnorm!));
    if (this.globalClipnorm) return clipByGlobalNorm(grads, this.globalClipnorm);
    if (this.clipvalue) return grads.map((g) => clipByValueSymmetric(g, this.clipvalue!));
    return grads;
  }

  /**
   * Keeps variables out of weight decay: these instances, or any whose name contains one of
   * `varNames` (e.g. `['bias']`). Call before the optimizer is built, as in Keras.
   */
  excludeFromWeightDecay({ varList = [], varNames = [] }: { varList?: Variable[]; varNames?: string[] }): void {
    if (this.built) throw new ValueError(`${this.name}.excludeFromWeightDecay: call it before the optimizer is built`);
    this._excluded = new Set(varList);
    const escaped = varNames.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this._excludedPattern = escaped.length > 0 ? new RegExp(escaped.join('|')) : null;
  }

  private applyWeightDecay(vars: Variable[], lr: number): void {
    if (this.weightDecay === null) return;
    const factor = this.weightDecay * lr;
    for (const v of vars) {
      if (this._excluded.has(v) || this._excludedPattern?.test(v.name)) continue;
      v.assign(ops.sub(v, ops.mul(v, factor)));
    }
  }

  /** The position of `variable` in the list the optimizer was built with (its slots' index). */
  protected variableIndex(variable: Variable): number {
    const i = this._index.get(variable);
    if (i === undefined) throw new ValueError(`${this.name}: unknown variable '${variable.name}'`);
    return i;
  }

  /** The trainable variables the optimizer was built with, in order. */
  get builtVariables(): Variable[] {
    return [...this._trainable];
  }

  /** Multiplies the loss by `lossScaleFactor` (identity when unset), before gradients are taken. */
  scaleLoss(loss: Tensor): Tensor {
    return this.lossScaleFactor === null ? loss : ops.mul(loss, this.lossScaleFactor);
  }

  /**
   * The config in Keras 3's keys: `name, learning_rate, weight_decay, clipnorm, global_clipnorm,
   * clipvalue, use_ema, ema_momentum, ema_overwrite_frequency, loss_scale_factor,
   * gradient_accumulation_steps`, then the subclass's own. A constant learning rate is the stored
   * float32 value (as Keras writes it); a schedule is written as `{ class_name, config }`.
   */
  getConfig(): Config {
    const schedule = this.learningRateSchedule;
    return {
      name: this.name,
      learning_rate: schedule ? serializeSchedule(schedule) : this.learningRate,
      weight_decay: this.weightDecay,
      clipnorm: this.clipnorm,
      global_clipnorm: this.globalClipnorm,
      clipvalue: this.clipvalue,
      use_ema: this.useEma,
      ema_momentum: this.emaMomentum,
      ema_overwrite_frequency: this.emaOverwriteFrequency,
      loss_scale_factor: this.lossScaleFactor,
      gradient_accumulation_steps: this.gradientAccumulationSteps,
    };
  }

  /** Rebuilds the optimizer from `getConfig()` output (a fresh optimizer: no state). */
  static fromConfig(config: Config): Optimizer {
    return constructFromConfig<Optimizer>(this, config);
  }
}

function readLearningRate(value: unknown, where: string): number | LearningRateSchedule {
  if (value instanceof LearningRateSchedule) return value;
  if (value !== null && typeof value === 'object' && typeof (value as SerializedObject).class_name === 'string') {
    return getSchedule(value as SerializedObject);
  }
  return checkNumber(value, BASE_KEYS.learningRate, where, { min: 0 });
}

/**
 * Keras applies `variable.constraint` after every update. kiln's Variable has no such field yet;
 * a layer that wants one can attach `constraint: (w) => Tensor` to the variable.
 */
function applyConstraint(v: Variable): void {
  const c = (v as unknown as { constraint?: unknown }).constraint;
  if (typeof c === 'function') v.assign((c as (w: Tensor) => Tensor)(v));
  else if (c && typeof (c as { call?: unknown }).call === 'function') v.assign((c as { call(w: Tensor): Tensor }).call(v));
}
