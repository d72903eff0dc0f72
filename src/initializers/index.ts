import type { DType } from '../core/dtype.js';
import { randomStream } from '../core/random.js';
import type { Tensor } from '../core/tensor.js';
import { fromValues, zeros } from '../ops/creation.js';
import { NameTable } from '../serialization/names.js';
import type { Config, Serializable, SerializedObject } from '../serialization/registry.js';
import { serialize } from '../serialization/registry.js';

/** Makes the initial value of a weight. Random initializers draw from the seeded 'init' stream. */
export abstract class Initializer implements Serializable {
  static readonly className: string;
  abstract call(shape: readonly number[], dtype?: DType): Tensor;
  getConfig(): Config {
    return {};
  }
}

// SKELETON: helper completes the full list (with fromConfig and registration).
export class Zeros extends Initializer {
  static override readonly className = 'Zeros';
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    return zeros(shape, dtype);
  }
}

export class GlorotUniform extends Initializer {
  static override readonly className = 'GlorotUniform';
  call(shape: readonly number[]): Tensor {
    const fanIn = shape.length >= 2 ? shape[shape.length - 2]! : shape[0]!;
    const fanOut = shape[shape.length - 1]!;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const r = randomStream('init');
    const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < v.length; i++) v[i] = (2 * r.uniform() - 1) * limit;
    return fromValues(v, shape);
  }
}

const table = new NameTable<() => Initializer>('initializer');
table.add(['zeros'], () => new Zeros());
table.add(['glorot_uniform'], () => new GlorotUniform());

export type InitializerIdentifier = string | Initializer | SerializedObject;

/** Resolves an initializer by Keras or tfjs name, or passes an instance through. */
export function getInitializer(identifier: InitializerIdentifier): Initializer {
  if (typeof identifier === 'string') return table.get(identifier, 'initializer')();
  if (identifier instanceof Initializer) return identifier;
  return table.get(identifier.class_name, 'initializer')(); // SKELETON: helper deserializes configs
}

/** The config form: `{ class_name, config }` like Keras. */
export function serializeInitializer(identifier: InitializerIdentifier): SerializedObject {
  return serialize(getInitializer(identifier));
}
