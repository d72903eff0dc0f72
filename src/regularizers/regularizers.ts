import type { Tensor } from '../core/tensor.js';
import { ValueError } from '../errors.js';
import * as ops from '../ops/index.js';
import type { Config, Serializable } from '../serialization/registry.js';
import { constructFromConfig, registerClass } from '../serialization/registry.js';
import { option } from '../utils/args.js';

/**
 * Weight penalties of Keras 3 (`keras/src/regularizers/regularizers.py`).
 */

/**
 * A penalty on a weight (or an activation) added to the training loss. Subclasses set
 * `static className`, implement `call` (returning a scalar) and `getConfig`; the inherited
 * `static fromConfig` calls the constructor with the config.
 *
 * ```ts
 * new kiln.regularizers.L2({ l2: 0.1 }).call(kiln.ones([2, 2])).item(); // 0.4
 * ```
 */
export abstract class Regularizer implements Serializable {
  static readonly className: string;

  /** Rebuilds a regularizer from `getConfig()` output: `new this(config)`, as Keras's default `from_config`. */
  static fromConfig(config: Config): Regularizer {
    return constructFromConfig<Regularizer>(this, config);
  }

  abstract call(x: Tensor): Tensor;
  abstract getConfig(): Config;
}

/** Reads a penalty factor: a finite, non-negative number (Keras's `validate_float_arg`). */
function factor(args: object | undefined, name: 'l1' | 'l2', fallback: number, where: string): number {
  const v = option<number | null>(args, name) ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new ValueError(`${where}: ${name} must be a non-negative number, found ${JSON.stringify(v)}`);
  }
  return v;
}

/**
 * Keras 3 keeps the factors as float32 tensors and writes `float(factor)` to configs, so its
 * configs hold the float32 value (0.01 is written 0.009999999776482582). kiln writes the same.
 */
const asWritten = (v: number): number => Math.fround(v);

const l1Penalty = (l1: number, x: Tensor): Tensor => ops.mul(ops.sum(ops.abs(x)), l1);
const l2Penalty = (l2: number, x: Tensor): Tensor => ops.mul(ops.sum(ops.square(x)), l2);

/**
 * `l1 · Σ|x|`, default l1 = 0.01.
 *
 * ```ts
 * kiln.layers.dense({ units: 8, kernelRegularizer: new kiln.regularizers.L1({ l1: 1e-4 }) });
 * ```
 */
export class L1 extends Regularizer {
  static override readonly className = 'L1';
  readonly l1: number;
  constructor(args: { l1?: number | null } = {}) {
    super();
    this.l1 = factor(args, 'l1', 0.01, 'L1');
  }
  call(x: Tensor): Tensor {
    return l1Penalty(this.l1, x);
  }
  getConfig(): Config {
    return { l1: asWritten(this.l1) };
  }
}

/**
 * `l2 · Σx²`, default l2 = 0.01. (No ½ factor: Keras's convention, unlike some weight-decay texts.)
 *
 * ```ts
 * kiln.layers.dense({ units: 8, kernelRegularizer: new kiln.regularizers.L2({ l2: 1e-4 }) });
 * ```
 */
export class L2 extends Regularizer {
  static override readonly className = 'L2';
  readonly l2: number;
  constructor(args: { l2?: number | null } = {}) {
    super();
    this.l2 = factor(args, 'l2', 0.01, 'L2');
  }
  call(x: Tensor): Tensor {
    return l2Penalty(this.l2, x);
  }
  getConfig(): Config {
    return { l2: asWritten(this.l2) };
  }
}

/**
 * `l1 · Σ|x| + l2 · Σx²`. The class's defaults are 0 and 0, as in Keras 3 (so `new L1L2({ l2: 0.1 })`
 * has no L1 part); the name 'l1_l2' and the `l1l2()` factory give 0.01 and 0.01.
 *
 * ```ts
 * new kiln.regularizers.L1L2({ l1: 0.01, l2: 0.01 }).call(kiln.tensor([1, -2])).item(); // 0.08
 * ```
 */
export class L1L2 extends Regularizer {
  static override readonly className = 'L1L2';
  readonly l1: number;
  readonly l2: number;
  constructor(args: { l1?: number | null; l2?: number | null } = {}) {
    super();
    this.l1 = factor(args, 'l1', 0, 'L1L2');
    this.l2 = factor(args, 'l2', 0, 'L1L2');
  }
  call(x: Tensor): Tensor {
    // Like Keras, a zero factor adds no term (and no work); a regularizer of zeros returns 0.
    if (this.l1 && this.l2) return ops.add(l1Penalty(this.l1, x), l2Penalty(this.l2, x));
    if (this.l1) return l1Penalty(this.l1, x);
    if (this.l2) return l2Penalty(this.l2, x);
    return ops.scalar(0);
  }
  getConfig(): Config {
    return { l1: asWritten(this.l1), l2: asWritten(this.l2) };
  }
}

registerClass(L1, { module: 'keras.regularizers' });
registerClass(L2, { module: 'keras.regularizers' });
registerClass(L1L2, { module: 'keras.regularizers' });
