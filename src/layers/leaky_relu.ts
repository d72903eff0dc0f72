import * as P from '../core/primitives.js';
import type { Tensor } from '../core/tensor.js';
import { scalar } from '../ops/creation.js';
import type { Config } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import { option } from '../utils/args.js';
import type { Spelled } from '../utils/options.js';
import { optionNames } from '../utils/options.js';
import type { CallOptions, LayerArgs } from './layer.js';
import { LAYER_OPTIONS, Layer } from './layer.js';
import { numberOption } from './validation.js';

export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for negative inputs, >= 0. Default 0.3 (Keras 3 and tfjs). */
  negativeSlope?: number;
  /** The tfjs / Keras 2 name of `negativeSlope`. */
  alpha?: number;
}

/**
 * Leaky rectified linear unit: `x` for `x > 0`, `negative_slope · x` otherwise.
 *
 * ```ts
 * kiln.layers.leakyReLU({ negativeSlope: 0.5 }).apply(kiln.tensor([[-10, -5, 0, 5]])); // [[-5, -2.5, 0, 5]]
 * ```
 */
export class LeakyReLU extends Layer {
  static override readonly className = 'LeakyReLU';
  // Per-timestep (or elementwise) layers keep a sequence's mask for the layers after them, as in Keras.
  override supportsMasking = true;
  static override readonly optionNames = optionNames<LeakyReLUArgs>({ ...LAYER_OPTIONS, negativeSlope: true, alpha: true });
  readonly negativeSlope: number;

  constructor(args: Spelled<LeakyReLUArgs> = {}) {
    super(args);
    // Keras 3 still reads the deprecated `alpha`; it wins only when negative_slope is absent.
    const key = option(args, 'negativeSlope') !== undefined ? 'negativeSlope' : 'alpha';
    this.negativeSlope = numberOption(this, args, key, 0.3, { min: 0 });
  }

  call(x: Tensor, _options: CallOptions): Tensor {
    // A select rather than max(x, a·x): that shortcut is wrong for slopes above 1. The gradient at
    // exactly 0 is the slope, as in TensorFlow's leaky_relu (the condition is x > 0).
    const positive = P.binary('greater', x, scalar(0));
    return P.select(positive, x, P.binary('mul', x, scalar(this.negativeSlope)));
  }

  override getConfig(): Config {
    return { ...super.getConfig(), negative_slope: this.negativeSlope };
  }
}
registerClass(LeakyReLU, { module: 'keras.layers' });
