import * as P from '../../core/primitives.js';
import type { RandomStream } from '../../core/random.js';
import type { Tensor } from '../../core/tensor.js';
import { ValueError } from '../../errors.js';
import { fromValues } from '../../ops/creation.js';
import type { Config } from '../../serialization/registry.js';
import { registerClass } from '../../serialization/registry.js';
import { option } from '../../utils/args.js';
import type { Spelled } from '../../utils/options.js';
import { optionNames } from '../../utils/options.js';
import type { DataFormat } from '../flatten.js';
import type { LayerArgs } from '../layer.js';
import { LAYER_OPTIONS } from '../layer.js';
import { layerLabel, show } from '../validation.js';
import { RandomImageLayer } from './image_layer.js';

export type FlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';
const FLIP_MODES: readonly FlipMode[] = ['horizontal', 'vertical', 'horizontal_and_vertical'];

export interface RandomFlipArgs extends LayerArgs {
  /** Which flips to draw, each with probability ½ per image (default 'horizontal_and_vertical', as Keras). */
  mode?: FlipMode;
  /** Gives the layer its own random stream (otherwise kiln's seeded 'dropout' stream). */
  seed?: number | null;
  dataFormat?: DataFormat | null;
}

/**
 * Flips each image left–right and/or top–bottom with probability ½ while training.
 *
 * ```ts
 * kiln.layers.randomFlip({ mode: 'horizontal' });
 * ```
 */
export class RandomFlip extends RandomImageLayer {
  static override readonly className = 'RandomFlip';
  static override readonly optionNames = optionNames<RandomFlipArgs>({ ...LAYER_OPTIONS, mode: true, seed: true, dataFormat: true });
  readonly mode: FlipMode;

  constructor(args: Spelled<RandomFlipArgs> = {}) {
    super(args, true);
    const mode = option<unknown>(args, 'mode') ?? 'horizontal_and_vertical';
    if (!FLIP_MODES.includes(mode as FlipMode)) {
      throw new ValueError(`${layerLabel(this)}: mode must be one of ${FLIP_MODES.map((m) => `'${m}'`).join(', ')}, found ${show(mode)}`);
    }
    this.mode = mode as FlipMode;
  }

  /**
   * A reversed gather along the axis, chosen per image by a select: exact (no resampling), and
   * the gradient flows back through the flip like through any gather.
   */
  private flipSome(x: Tensor, axis: number, stream: RandomStream): Tensor {
    const n = x.shape[0]!;
    const len = x.shape[axis]!;
    const flip = Float32Array.from({ length: n }, () => (stream.uniform() < 0.5 ? 1 : 0));
    if (!flip.some((f) => f === 1)) return x;
    const reversed = P.gather(x, fromValues(Int32Array.from({ length: len }, (_, i) => len - 1 - i), [len]), axis, false);
    return P.select(fromValues(flip, [n, 1, 1, 1]), reversed, x);
  }

  protected augment(x: Tensor, stream: RandomStream): Tensor {
    let y = x;
    if (this.mode !== 'vertical') y = this.flipSome(y, 2, stream);
    if (this.mode !== 'horizontal') y = this.flipSome(y, 1, stream);
    return y;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), mode: this.mode, data_format: this.dataFormat };
  }
}
registerClass(RandomFlip, { module: 'keras.layers' });
