import * as P from '../core/primitives.js';
import { formatShape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { ShapeError, ValueError } from '../errors.js';
import type { Config } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import { option } from '../utils/args.js';
import type { Spelled } from '../utils/options.js';
import { optionNames } from '../utils/options.js';
import type { CallOptions, LayerArgs, SymbolicShape } from './layer.js';
import { LAYER_OPTIONS, Layer } from './layer.js';
import { layerLabel, show } from './validation.js';
import { toSnakeCase } from '../utils/naming.js';

export type DataFormat = 'channels_last' | 'channels_first';

export interface FlattenArgs extends LayerArgs {
  /**
   * `'channels_last'` (default, `[batch, ..., channels]`) or `'channels_first'`; with the latter the
   * channels axis is moved last before flattening, so the element order matches a channels-last model.
   */
  dataFormat?: DataFormat | null;
}

/**
 * Flattens each sample to one dimension: `[batch, d1, d2, …]` → `[batch, d1·d2·…]`. A rank-1
 * input `[batch]` becomes `[batch, 1]` (as in Keras).
 *
 * ```ts
 * kiln.layers.flatten().apply(kiln.zeros([2, 3, 4])).shape; // [2, 12]
 * ```
 */
export class Flatten extends Layer {
  static override readonly className = 'Flatten';
  static override readonly optionNames = optionNames<FlattenArgs>({ ...LAYER_OPTIONS, dataFormat: true });
  readonly dataFormat: DataFormat;

  constructor(args: Spelled<FlattenArgs> = {}) {
    super(args);
    const format = option<string | null>(args, 'dataFormat') ?? 'channels_last';
    // tfjs spells these 'channelsLast' / 'channelsFirst'; accept both spellings.
    const normalized = toSnakeCase(format);
    if (normalized !== 'channels_last' && normalized !== 'channels_first') {
      throw new ValueError(`${layerLabel(this)}: data_format must be 'channels_last' or 'channels_first', found ${show(format)}`);
    }
    this.dataFormat = normalized;
  }

  call(x: Tensor, _options: CallOptions): Tensor {
    if (x.rank < 1) throw new ShapeError(`${layerLabel(this)}: expected input of rank >= 1 (a batch), found shape ${formatShape(x.shape)}`);
    if (this.dataFormat === 'channels_first' && x.rank > 2) {
      x = P.transpose(x, [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2), 1]);
    }
    // The product is computed rather than passed as -1, so an empty batch still reshapes unambiguously.
    const features = x.shape.slice(1).reduce((a, b) => a * b, 1);
    return P.reshape(x, [x.shape[0]!, features]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const rest = inputShape.slice(1);
    const features = rest.some((d) => d === null) ? null : rest.reduce<number>((a, b) => a * b!, 1);
    return [inputShape[0] ?? null, features];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), data_format: this.dataFormat };
  }
}
registerClass(Flatten, { module: 'keras.layers' });
