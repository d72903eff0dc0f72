import * as P from '../core/primitives.js';
import type { Tensor } from '../core/tensor.js';
import { ValueError } from '../errors.js';
import type { Config } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import { option } from '../utils/args.js';
import type { Spelled } from '../utils/options.js';
import { optionNames } from '../utils/options.js';
import type { CallOptions, LayerArgs } from './layer.js';
import { LAYER_OPTIONS, Layer } from './layer.js';
import { layerLabel, show } from './validation.js';

export interface RescalingArgs extends LayerArgs {
  /** Multiplies the inputs (e.g. 1/255 to bring pixels to [0, 1]). */
  scale: number;
  /** Added after scaling (e.g. -1 with scale 1/127.5 for [-1, 1]); default 0. */
  offset?: number;
}

/**
 * `x * scale + offset`, Keras's Rescaling preprocessing layer: put it first so a saved model takes
 * raw pixels (0–255) and normalizes them itself.
 *
 * ```ts
 * kiln.layers.rescaling({ scale: 1 / 255 }).apply(kiln.tensor([[0, 255]])); // [[0, 1]]
 * ```
 */
export class Rescaling extends Layer {
  static override readonly className = 'Rescaling';
  static override readonly optionNames = optionNames<RescalingArgs>({ ...LAYER_OPTIONS, scale: true, offset: true });
  readonly scale: number;
  readonly offset: number;

  constructor(args: Spelled<RescalingArgs>) {
    super(args);
    const scale = option<unknown>(args, 'scale');
    const offset = option<unknown>(args, 'offset') ?? 0;
    if (typeof scale !== 'number' || !Number.isFinite(scale)) throw new ValueError(`${layerLabel(this)}: scale must be a finite number, found ${show(scale)}`);
    if (typeof offset !== 'number' || !Number.isFinite(offset)) throw new ValueError(`${layerLabel(this)}: offset must be a finite number, found ${show(offset)}`);
    this.scale = scale;
    this.offset = offset;
  }

  call(x: Tensor, _options: CallOptions): Tensor {
    const xf = x.dtype === 'float32' ? x : P.cast(x, 'float32');
    const scaled = P.binary('mul', xf, P.fill([], this.scale, 'float32'));
    return this.offset === 0 ? scaled : P.binary('add', scaled, P.fill([], this.offset, 'float32'));
  }

  override getConfig(): Config {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }
}
registerClass(Rescaling, { module: 'keras.layers' });
