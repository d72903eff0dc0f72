import type { DType } from '../core/dtype.js';
import { formatShape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { ShapeError } from '../errors.js';
import { fill, fromValues } from '../ops/creation.js';
import type { Config } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import { Initializer, checkRequest, numberOption } from './initializer.js';

/**
 * The deterministic initializers of Keras 3 (`keras/src/initializers/constant_initializers.py`).
 */

/**
 * All zeros — Keras's default bias initializer.
 *
 * ```ts
 * new kiln.initializers.Zeros().call([3]); // [0, 0, 0]
 * ```
 */
export class Zeros extends Initializer {
  static override readonly className = 'Zeros';
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    checkRequest(shape, dtype, 'Zeros');
    return fill(shape, 0, dtype);
  }
}

/**
 * All ones.
 *
 * ```ts
 * new kiln.initializers.Ones().call([2]); // [1, 1]
 * ```
 */
export class Ones extends Initializer {
  static override readonly className = 'Ones';
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    checkRequest(shape, dtype, 'Ones');
    return fill(shape, 1, dtype);
  }
}

/**
 * Every element equal to `value` (a scalar; Keras 3's default is 0).
 *
 * ```ts
 * new kiln.initializers.Constant({ value: 0.1 }).call([2, 2]);
 * ```
 */
export class Constant extends Initializer {
  static override readonly className = 'Constant';
  readonly value: number;
  constructor(args: { value?: number } = {}) {
    super();
    this.value = numberOption(args, 'value', 0, 'Constant');
  }
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    checkRequest(shape, dtype, 'Constant');
    return fill(shape, this.value, dtype);
  }
  override getConfig(): Config {
    return { value: this.value };
  }
}

/**
 * `gain` times the identity matrix (2-D shapes only; non-square shapes get ones on the main diagonal).
 *
 * ```ts
 * new kiln.initializers.Identity().call([3, 3]);
 * ```
 */
export class Identity extends Initializer {
  static override readonly className = 'Identity';
  readonly gain: number;
  constructor(args: { gain?: number } = {}) {
    super();
    this.gain = numberOption(args, 'gain', 1, 'Identity');
  }
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    checkRequest(shape, dtype, 'Identity');
    if (shape.length !== 2) {
      throw new ShapeError(`Identity: can only make 2-D matrices, found shape ${formatShape(shape)} of rank ${shape.length}`);
    }
    const [rows, cols] = shape as [number, number];
    const v = dtype === 'int32' ? new Int32Array(rows * cols) : new Float32Array(rows * cols);
    for (let i = 0; i < Math.min(rows, cols); i++) v[i * cols + i] = this.gain;
    return fromValues(v, shape, dtype);
  }
  override getConfig(): Config {
    return { gain: this.gain };
  }
}

registerClass(Zeros, { module: 'keras.initializers' });
registerClass(Ones, { module: 'keras.initializers' });
registerClass(Constant, { module: 'keras.initializers' });
// 'Identity' is also a Keras layer's class name; the global registry keeps the layer under that
// name, and kiln's initializer lookup finds this class through its own table first. Keras 3.0
// wrote 'IdentityInitializer', which stays unambiguous.
registerClass(Identity, { module: 'keras.initializers' });
