import type { Tensor } from '../core/tensor.js';
import * as ops from '../ops/index.js';
import type { Config, Serializable, SerializedObject } from '../serialization/registry.js';
import { serialize } from '../serialization/registry.js';

/** A penalty on a weight (or an activation) added to the training loss. */
export abstract class Regularizer implements Serializable {
  static readonly className: string;
  abstract call(x: Tensor): Tensor;
  abstract getConfig(): Config;
}

// SKELETON: helper completes (L1, L2, L1L2 with fromConfig, registration, names).
export class L1L2 extends Regularizer {
  static override readonly className = 'L1L2';
  constructor(readonly l1 = 0, readonly l2 = 0) {
    super();
  }
  call(x: Tensor): Tensor {
    let out = ops.scalar(0);
    if (this.l1) out = ops.add(out, ops.mul(this.l1, ops.sum(ops.abs(x))));
    if (this.l2) out = ops.add(out, ops.mul(this.l2, ops.sum(ops.square(x))));
    return out;
  }
  getConfig(): Config {
    return { l1: this.l1, l2: this.l2 };
  }
}

export type RegularizerIdentifier = string | Regularizer | SerializedObject;

export function getRegularizer(identifier: RegularizerIdentifier | null | undefined): Regularizer | null {
  if (identifier === null || identifier === undefined) return null;
  if (typeof identifier === 'string') return identifier === 'l2' ? new L1L2(0, 0.01) : new L1L2(0.01, 0);
  if (identifier instanceof Regularizer) return identifier;
  return new L1L2(); // SKELETON: helper deserializes configs
}

/** The config form: null, or `{ class_name, config }` like Keras. */
export function serializeRegularizer(identifier: RegularizerIdentifier | null | undefined): SerializedObject | null {
  const r = getRegularizer(identifier);
  return r ? serialize(r) : null;
}
