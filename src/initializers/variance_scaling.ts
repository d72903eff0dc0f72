import type { DType } from '../core/dtype.js';
import type { Tensor } from '../core/tensor.js';
import { ValueError } from '../errors.js';
import type { Config } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import { option } from '../utils/args.js';
import type { SeedArgs } from './initializer.js';
import { RandomInitializer, numberOption } from './initializer.js';
import { truncatedNormalDraw } from './random.js';

/**
 * Variance-scaling initializers (`keras/src/initializers/random_initializers.py`): the scale of
 * the values adapts to the weight's fan-in and fan-out. Glorot, He and LeCun are fixed settings.
 */

/**
 * Keras's `compute_fans`: [fanIn, fanOut] of a weight shape.
 * Rank 0 → [1, 1]; rank 1 → [n, n]; rank 2 → [rows, cols]; rank ≥ 3 is a convolution kernel
 * (…spatial, inputDepth, outputDepth): both fans are multiplied by the receptive field size.
 *
 * ```ts
 * kiln.initializers.computeFans([3, 3, 16, 32]); // [144, 288]
 * ```
 */
export function computeFans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0]!, shape[0]!];
  if (shape.length === 2) return [shape[0]!, shape[1]!];
  let receptive = 1;
  for (const d of shape.slice(0, -2)) receptive *= d;
  return [shape[shape.length - 2]! * receptive, shape[shape.length - 1]! * receptive];
}

/**
 * The standard deviation of a standard normal truncated to [−2, 2]. Dividing the wanted stddev by
 * it makes the truncated sample's stddev come out as wanted (the constant Keras 3 uses).
 */
export const TRUNCATED_STDDEV_FACTOR = 0.87962566103423978;

export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';
export type ScalingDistribution = 'truncated_normal' | 'untruncated_normal' | 'uniform';

export interface VarianceScalingArgs extends SeedArgs {
  /** Positive factor (default 1). */
  scale?: number;
  /** Which fan divides the scale (default 'fan_in'). tfjs's 'fanIn' spellings are accepted. */
  mode?: FanMode | 'fanIn' | 'fanOut' | 'fanAvg';
  /** Default 'truncated_normal'; 'normal' means truncated normal, as in Keras. */
  distribution?: ScalingDistribution | 'normal' | 'truncatedNormal' | 'untruncatedNormal';
}

const MODES: Record<string, FanMode> = { fanin: 'fan_in', fanout: 'fan_out', fanavg: 'fan_avg' };
const DISTRIBUTIONS: Record<string, ScalingDistribution> = {
  normal: 'truncated_normal',
  truncatednormal: 'truncated_normal',
  untruncatednormal: 'untruncated_normal',
  uniform: 'uniform',
};
const squash = (s: string) => s.replace(/_/g, '').toLowerCase();

/**
 * Values with variance `scale / n`, where n is the fan-in, fan-out or their mean (`mode`).
 * 'uniform' draws from [−limit, limit] with limit = √(3·scale/n); 'truncated_normal' draws a
 * normal truncated at 2 stddev, with stddev = √(scale/n) / 0.8796… so the truncated values keep
 * the wanted variance; 'untruncated_normal' draws a plain normal with stddev √(scale/n).
 *
 * ```ts
 * new kiln.initializers.VarianceScaling({ scale: 2, mode: 'fan_in', distribution: 'uniform' }).call([64, 32]);
 * ```
 */
export class VarianceScaling extends RandomInitializer {
  static override readonly className: string = 'VarianceScaling';
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: ScalingDistribution;

  constructor(args: VarianceScalingArgs = {}) {
    super(args);
    const where = (this.constructor as typeof VarianceScaling).className;
    this.scale = numberOption(args, 'scale', 1, where);
    if (!(this.scale > 0)) throw new ValueError(`${where}: scale must be a positive number, found ${this.scale}`);
    const mode = option<string>(args, 'mode') ?? 'fan_in';
    const m = typeof mode === 'string' ? MODES[squash(mode)] : undefined;
    if (!m) throw new ValueError(`${where}: mode must be one of 'fan_in', 'fan_out', 'fan_avg', found ${JSON.stringify(mode)}`);
    this.mode = m;
    const dist = option<string>(args, 'distribution') ?? 'truncated_normal';
    const d = typeof dist === 'string' ? DISTRIBUTIONS[squash(dist)] : undefined;
    if (!d) {
      throw new ValueError(`${where}: distribution must be one of 'uniform', 'truncated_normal', 'untruncated_normal', found ${JSON.stringify(dist)}`);
    }
    this.distribution = d;
  }

  /** The variance the sample aims for, scale / max(1, n), for a given weight shape. */
  variance(shape: readonly number[]): number {
    const [fanIn, fanOut] = computeFans(shape);
    const n = this.mode === 'fan_in' ? fanIn : this.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    return this.scale / Math.max(1, n);
  }

  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const variance = this.variance(shape);
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return this.sample(shape, dtype, (r) => limit * (2 * r.uniform() - 1));
    }
    if (this.distribution === 'untruncated_normal') {
      const stddev = Math.sqrt(variance);
      return this.sample(shape, dtype, (r) => stddev * r.normal());
    }
    const stddev = Math.sqrt(variance) / TRUNCATED_STDDEV_FACTOR;
    return this.sample(shape, dtype, (r) => truncatedNormalDraw(r, 0, stddev));
  }

  override getConfig(): Config {
    return { ...super.getConfig(), scale: this.scale, mode: this.mode, distribution: this.distribution };
  }
}

/** The fixed presets: their config is only `{seed}`, as in Keras 3. */
abstract class Preset extends VarianceScaling {
  constructor(args: SeedArgs, scale: number, mode: FanMode, distribution: ScalingDistribution) {
    super({ seed: option<number | null>(args, 'seed') ?? null, scale, mode, distribution });
  }
  override getConfig(): Config {
    return { seed: this.seed };
  }
}

/**
 * Glorot (Xavier) uniform: limit √(6 / (fanIn + fanOut)). Keras's default kernel initializer.
 *
 * ```ts
 * new kiln.initializers.GlorotUniform({ seed: 1 }).call([784, 64]);
 * ```
 */
export class GlorotUniform extends Preset {
  static override readonly className = 'GlorotUniform';
  constructor(args: SeedArgs = {}) {
    super(args, 1, 'fan_avg', 'uniform');
  }
}

/** Glorot (Xavier) normal: truncated normal with stddev √(2 / (fanIn + fanOut)). */
export class GlorotNormal extends Preset {
  static override readonly className = 'GlorotNormal';
  constructor(args: SeedArgs = {}) {
    super(args, 1, 'fan_avg', 'truncated_normal');
  }
}

/** He normal: truncated normal with stddev √(2 / fanIn); suits relu layers. */
export class HeNormal extends Preset {
  static override readonly className = 'HeNormal';
  constructor(args: SeedArgs = {}) {
    super(args, 2, 'fan_in', 'truncated_normal');
  }
}

/** He uniform: limit √(6 / fanIn). */
export class HeUniform extends Preset {
  static override readonly className = 'HeUniform';
  constructor(args: SeedArgs = {}) {
    super(args, 2, 'fan_in', 'uniform');
  }
}

/** LeCun normal: truncated normal with stddev √(1 / fanIn); pair with selu. */
export class LecunNormal extends Preset {
  static override readonly className = 'LecunNormal';
  constructor(args: SeedArgs = {}) {
    super(args, 1, 'fan_in', 'truncated_normal');
  }
}

/** LeCun uniform: limit √(3 / fanIn). */
export class LecunUniform extends Preset {
  static override readonly className = 'LecunUniform';
  constructor(args: SeedArgs = {}) {
    super(args, 1, 'fan_in', 'uniform');
  }
}

for (const cls of [VarianceScaling, GlorotUniform, GlorotNormal, HeNormal, HeUniform, LecunNormal, LecunUniform]) registerClass(cls, { module: 'keras.initializers' });
