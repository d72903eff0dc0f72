import { Tensor } from '../core/tensor.js';
import { ValueError } from '../errors.js';
import type { Config, SerializedObject } from '../serialization/registry.js';
import { constructFromConfig, deserialize, registerClass } from '../serialization/registry.js';
import type { OptionKey, Options } from './options.js';
import { booleanOption, checkKnown, checkNumber, nullableNumber, numberOption, pick } from './options.js';

/**
 * Learning-rate schedules: a function of the optimizer's step count, evaluated once per
 * `applyGradients` (Keras 3 `keras/src/optimizers/schedules/learning_rate_schedule.py`).
 * Arithmetic is done in float64 here; Keras does it in float32, a difference of ~1e-7 relative.
 *
 * ```ts
 * const lr = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96 });
 * lr.call(2000); // 0.1 * 0.96 ** 2
 * const opt = kiln.optimizers.sgd({ learningRate: lr });
 * ```
 */
export abstract class LearningRateSchedule {
  static readonly className: string = 'LearningRateSchedule';
  /** The learning rate at optimizer step `step` (0 for the first update). */
  abstract call(step: number | Tensor): number;
  abstract getConfig(): Config;
  static fromConfig(config: Config): LearningRateSchedule {
    return constructFromConfig<LearningRateSchedule>(this, config);
  }
}

const stepValue = (step: number | Tensor): number => (step instanceof Tensor ? step.item() : step);

const K = {
  initialLearningRate: ['initialLearningRate', 'initial_learning_rate'],
  decaySteps: ['decaySteps', 'decay_steps'],
  decayRate: ['decayRate', 'decay_rate'],
  staircase: ['staircase', 'staircase'],
  name: ['name', 'name'],
  boundaries: ['boundaries', 'boundaries'],
  values: ['values', 'values'],
  alpha: ['alpha', 'alpha'],
  warmupTarget: ['warmupTarget', 'warmup_target'],
  warmupSteps: ['warmupSteps', 'warmup_steps'],
} satisfies Record<string, OptionKey>;

function required(args: Options, key: OptionKey, where: string): unknown {
  const v = pick(args, key);
  if (v === undefined || v === null) throw new ValueError(`${where}: option '${key[0]}' (${key[1]}) is required`);
  return v;
}

function nameOption(args: Options, def: string, where: string): string {
  const v = pick(args, K.name);
  if (v === undefined || v === null) return def;
  if (typeof v !== 'string') throw new ValueError(`${where}: option 'name' must be a string, found ${JSON.stringify(v)}`);
  return v;
}

export interface DecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  staircase?: boolean;
  name?: string;
}

/** Shared by the two `decay_rate` schedules: reads and checks the common options. */
function readDecay(args: Options, where: string, defaultName: string) {
  checkKnown(args, [K.initialLearningRate, K.decaySteps, K.decayRate, K.staircase, K.name], where);
  return {
    initialLearningRate: checkNumber(required(args, K.initialLearningRate, where), K.initialLearningRate, where, { min: 0 }),
    decaySteps: checkNumber(required(args, K.decaySteps, where), K.decaySteps, where, { min: 0, minExclusive: true }),
    decayRate: checkNumber(required(args, K.decayRate, where), K.decayRate, where),
    staircase: booleanOption(args, K.staircase, false, where),
    name: nameOption(args, defaultName, where),
  };
}

/**
 * The shared shape of the two step-decay schedules (Keras gives both the same options and config):
 * `p = step / decaySteps` (floored with `staircase`), then a subclass's `decay(p)`.
 */
abstract class StepDecay extends LearningRateSchedule {
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;
  constructor(args: DecayArgs, className: string) {
    super();
    const o = readDecay(args as unknown as Options, className, className);
    this.initialLearningRate = o.initialLearningRate;
    this.decaySteps = o.decaySteps;
    this.decayRate = o.decayRate;
    this.staircase = o.staircase;
    this.name = o.name;
  }
  protected abstract decay(p: number): number;
  call(step: number | Tensor): number {
    let p = stepValue(step) / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.decay(p);
  }
  getConfig(): Config {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      decay_rate: this.decayRate,
      staircase: this.staircase,
      name: this.name,
    };
  }
}

/**
 * `initialLearningRate * decayRate ** (step / decaySteps)`; with `staircase` the exponent is floored,
 * so the rate drops in steps every `decaySteps`.
 *
 * ```ts
 * new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true }).call(25); // 0.025
 * ```
 */
export class ExponentialDecay extends StepDecay {
  static override readonly className = 'ExponentialDecay';
  constructor(args: DecayArgs) {
    super(args, 'ExponentialDecay');
  }
  protected decay(p: number): number {
    return this.initialLearningRate * this.decayRate ** p;
  }
}

/**
 * `initialLearningRate / (1 + decayRate * step / decaySteps)` (exponent floored with `staircase`).
 *
 * ```ts
 * new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 }).call(2); // 0.05
 * ```
 */
export class InverseTimeDecay extends StepDecay {
  static override readonly className = 'InverseTimeDecay';
  constructor(args: DecayArgs) {
    super(args, 'InverseTimeDecay');
  }
  protected decay(p: number): number {
    return this.initialLearningRate / (1 + this.decayRate * p);
  }
}

export interface PiecewiseConstantDecayArgs {
  /** Increasing step boundaries; one fewer than `values`. */
  boundaries: number[];
  values: number[];
  name?: string;
}

/**
 * `values[0]` while `step <= boundaries[0]`, `values[i]` while `boundaries[i-1] < step <= boundaries[i]`,
 * and the last value after the last boundary.
 *
 * ```ts
 * const s = new PiecewiseConstantDecay({ boundaries: [100, 200], values: [1, 0.5, 0.1] });
 * s.call(100); // 1
 * s.call(101); // 0.5
 * ```
 */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  static override readonly className = 'PiecewiseConstantDecay';
  readonly boundaries: number[];
  readonly values: number[];
  readonly name: string;
  constructor(args: PiecewiseConstantDecayArgs) {
    super();
    const where = 'PiecewiseConstantDecay';
    const a = args as unknown as Options;
    checkKnown(a, [K.boundaries, K.values, K.name], where);
    const boundaries = required(a, K.boundaries, where);
    const values = required(a, K.values, where);
    if (!Array.isArray(boundaries) || !Array.isArray(values)) {
      throw new ValueError(`${where}: 'boundaries' and 'values' must be arrays of numbers`);
    }
    if (boundaries.length !== values.length - 1) {
      throw new ValueError(
        `${where}: 'values' must have one more element than 'boundaries', found ${boundaries.length} boundaries and ${values.length} values`,
      );
    }
    boundaries.forEach((b, i) => {
      checkNumber(b, ['boundaries', `boundaries[${i}]`], where);
      if (i > 0 && b <= boundaries[i - 1]) throw new ValueError(`${where}: 'boundaries' must increase, found ${JSON.stringify(boundaries)}`);
    });
    values.forEach((v) => checkNumber(v, K.values, where));
    this.boundaries = [...(boundaries as number[])];
    this.values = [...(values as number[])];
    this.name = nameOption(a, 'PiecewiseConstant', where);
  }
  call(step: number | Tensor): number {
    const s = stepValue(step);
    const i = this.boundaries.findIndex((b) => s <= b);
    return this.values[i === -1 ? this.values.length - 1 : i]!;
  }
  getConfig(): Config {
    return { boundaries: [...this.boundaries], values: [...this.values], name: this.name };
  }
}

export interface CosineDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  /** The floor, as a fraction of the starting rate. Default 0. */
  alpha?: number;
  /** With `warmupSteps`: the rate rises linearly from `initialLearningRate` to this, then decays from it. */
  warmupTarget?: number | null;
  warmupSteps?: number;
  name?: string;
}

/**
 * Cosine decay (SGDR without restarts) with optional linear warmup, as Keras 3:
 * after warmup, `lr = from * ((1 - alpha) * 0.5 * (1 + cos(pi * t / decaySteps)) + alpha)` with
 * `t = min(step - warmupSteps, decaySteps)` and `from` the warmup target (or the initial rate).
 *
 * ```ts
 * new CosineDecay({ initialLearningRate: 0, decaySteps: 1000, warmupTarget: 0.1, warmupSteps: 100 }).call(50); // 0.05
 * ```
 */
export class CosineDecay extends LearningRateSchedule {
  static override readonly className = 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;
  readonly name: string;
  constructor(args: CosineDecayArgs) {
    super();
    const where = 'CosineDecay';
    const a = args as unknown as Options;
    checkKnown(a, [K.initialLearningRate, K.decaySteps, K.alpha, K.warmupTarget, K.warmupSteps, K.name], where);
    this.initialLearningRate = checkNumber(required(a, K.initialLearningRate, where), K.initialLearningRate, where, { min: 0 });
    this.decaySteps = checkNumber(required(a, K.decaySteps, where), K.decaySteps, where, { min: 0, minExclusive: true });
    this.alpha = numberOption(a, K.alpha, 0, where);
    this.warmupTarget = nullableNumber(a, K.warmupTarget, null, where, { min: 0 });
    this.warmupSteps = numberOption(a, K.warmupSteps, 0, where, { min: 0 });
    this.name = nameOption(a, 'CosineDecay', where);
  }
  private decay(step: number, from: number): number {
    const cosine = 0.5 * (1 + Math.cos((Math.PI * step) / this.decaySteps));
    return from * ((1 - this.alpha) * cosine + this.alpha);
  }
  call(step: number | Tensor): number {
    const s = stepValue(step);
    if (this.warmupTarget === null) return this.decay(Math.min(s, this.decaySteps), this.initialLearningRate);
    const t = Math.min(s, this.decaySteps + this.warmupSteps);
    if (t < this.warmupSteps) {
      return (this.warmupTarget - this.initialLearningRate) * (t / this.warmupSteps) + this.initialLearningRate;
    }
    return this.decay(t - this.warmupSteps, this.warmupTarget);
  }
  getConfig(): Config {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      alpha: this.alpha,
      name: this.name,
      warmup_target: this.warmupTarget,
      warmup_steps: this.warmupSteps,
    };
  }
}

for (const cls of [ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, CosineDecay]) registerClass(cls, { module: 'keras.optimizers.schedules' });

/**
 * Keras's serialized form of a schedule, as it appears inside an optimizer's `learning_rate`.
 *
 * ```ts
 * serializeSchedule(cosineDecay({ initialLearningRate: 0.1, decaySteps: 100 }));
 * // { module: 'keras.optimizers.schedules', class_name: 'CosineDecay', config: {...}, registered_name: null }
 * ```
 */
export function serializeSchedule(schedule: LearningRateSchedule): SerializedObject {
  const cls = schedule.constructor as typeof LearningRateSchedule;
  return { module: 'keras.optimizers.schedules', class_name: cls.className, config: schedule.getConfig(), registered_name: null };
}

/**
 * Rebuilds a schedule from `{ class_name, config }` (or passes an instance through).
 *
 * ```ts
 * getSchedule({ class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.9 } });
 * ```
 */
export function getSchedule(identifier: LearningRateSchedule | SerializedObject): LearningRateSchedule {
  if (identifier instanceof LearningRateSchedule) return identifier;
  const obj = deserialize(identifier, 'learning rate schedule', 'keras.optimizers.schedules');
  if (!(obj instanceof LearningRateSchedule)) {
    throw new ValueError(`learning rate schedule: '${identifier.class_name}' is not a LearningRateSchedule`);
  }
  return obj;
}

/** Factory for {@link ExponentialDecay}: `schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.9 })`. */
export const exponentialDecay = (args: DecayArgs) => new ExponentialDecay(args);
/** Factory for {@link InverseTimeDecay}: `schedules.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 })`. */
export const inverseTimeDecay = (args: DecayArgs) => new InverseTimeDecay(args);
/** Factory for {@link PiecewiseConstantDecay}: `schedules.piecewiseConstantDecay({ boundaries: [100], values: [0.1, 0.01] })`. */
export const piecewiseConstantDecay = (args: PiecewiseConstantDecayArgs) => new PiecewiseConstantDecay(args);
/** Factory for {@link CosineDecay}: `schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 1000 })`. */
export const cosineDecay = (args: CosineDecayArgs) => new CosineDecay(args);
