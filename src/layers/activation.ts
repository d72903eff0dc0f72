import type { ActivationIdentifier, Activation as ActivationFn } from '../activations/index.js';
import { getActivation, serializeActivation } from '../activations/index.js';
import type { Tensor } from '../core/tensor.js';
import { ValueError } from '../errors.js';
import type { Config } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import { option } from '../utils/args.js';
import type { Spelled } from '../utils/options.js';
import { optionNames } from '../utils/options.js';
import type { CallOptions, LayerArgs } from './layer.js';
import { LAYER_OPTIONS, Layer } from './layer.js';
import { layerLabel, resolveNamed, show } from './validation.js';

export interface ActivationArgs extends LayerArgs {
  /** A Keras or tfjs activation name ('relu', 'softmax', …), or an activation object / function. */
  activation: NonNullable<ActivationIdentifier>;
}

/**
 * Applies an activation function to its input; the output has the input's shape.
 *
 * ```ts
 * const relu = kiln.layers.activation({ activation: 'relu' });
 * relu.apply(kiln.tensor([[-3, -1, 0, 2]])); // [[0, 0, 0, 2]]
 * ```
 */
export class Activation extends Layer {
  static override readonly className = 'Activation';
  // Per-timestep (or elementwise) layers keep a sequence's mask for the layers after them, as in Keras.
  override supportsMasking = true;
  static override readonly optionNames = optionNames<ActivationArgs>({ ...LAYER_OPTIONS, activation: true });
  readonly activation: ActivationFn;

  constructor(args: Spelled<ActivationArgs>) {
    super(args);
    const identifier = option<ActivationArgs['activation'] | null>(args, 'activation');
    if (identifier === undefined || identifier === null) {
      throw new ValueError(`${layerLabel(this)}: activation is required, e.g. { activation: 'relu' }, found ${show(identifier)}`);
    }
    // Name the layer in lookup errors: in a 20-layer config a bare "unknown activation" is hard to place.
    this.activation = resolveNamed(this, 'activation', () => getActivation(identifier));
  }

  call(x: Tensor, _options: CallOptions): Tensor {
    return this.activation.fn(x);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), activation: serializeActivation(this.activation) };
  }
}
registerClass(Activation, { module: 'keras.layers' });
