import * as P from '../core/primitives.js';
import { formatShape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { ShapeError } from '../errors.js';
import type { Config } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import type { Spelled } from '../utils/options.js';
import { optionNames } from '../utils/options.js';
import type { CallOptions, LayerArgs } from './layer.js';
import { LAYER_OPTIONS, Layer } from './layer.js';
import { layerLabel, numberOption } from './validation.js';

export interface MaskingArgs extends LayerArgs {
  /** Timesteps whose features all equal this value are masked (default 0). */
  maskValue?: number;
}

/**
 * Marks padding timesteps: a timestep of a `[batch, time, features]` input is masked when every
 * feature equals `maskValue`. Its output is the input with masked timesteps set to 0, and it
 * passes the mask to the layers after it (recurrent layers then skip those steps), as Keras does.
 *
 * ```ts
 * kiln.sequential([kiln.layers.masking({ maskValue: 0, inputShape: [10, 3] }), kiln.layers.lstm({ units: 8 })]);
 * ```
 */
export class Masking extends Layer {
  static override readonly className = 'Masking';
  static override readonly optionNames = optionNames<MaskingArgs>({ ...LAYER_OPTIONS, maskValue: true });
  override supportsMasking = true;
  readonly maskValue: number;

  constructor(args: Spelled<MaskingArgs> = {}) {
    super(args);
    this.maskValue = numberOption(this, args, 'maskValue', 0);
  }

  /** 1 for timesteps with any feature different from maskValue: any(x != v) over the last axis. */
  private timestepMask(x: Tensor): Tensor {
    if (x.rank < 2) throw new ShapeError(`${layerLabel(this)}: expected an input with a feature axis (rank >= 2), found rank ${x.rank}`);
    return P.reduce('max', P.binary('notEqual', x, P.fill([], this.maskValue, 'float32')), [x.rank - 1]);
  }

  /** Sequence lengths may vary between calls; only the feature size is fixed once built. */
  override assertInputCompatible(shape: readonly number[]): void {
    const features = this.builtInputShape?.at(-1);
    if (shape.length >= 2 && features !== null && features !== undefined && shape.at(-1) !== features) {
      throw new ShapeError(`${layerLabel(this)}: expected ${features} features on the last axis, found shape ${formatShape(shape)}`);
    }
  }

  call(x: Tensor, _options: CallOptions): Tensor {
    const keep = this.timestepMask(x);
    return P.binary('mul', x.dtype === 'float32' ? x : P.cast(x, 'float32'), P.reshape(keep, [...keep.shape, 1]));
  }

  override computeMask(inputs: Tensor, _mask: Tensor | null): Tensor {
    return this.timestepMask(inputs);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), mask_value: this.maskValue };
  }
}
registerClass(Masking, { module: 'keras.layers' });
