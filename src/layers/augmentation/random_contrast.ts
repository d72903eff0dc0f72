import * as P from '../../core/primitives.js';
import type { RandomStream } from '../../core/random.js';
import type { Tensor } from '../../core/tensor.js';
import { ValueError } from '../../errors.js';
import { fromValues, scalar } from '../../ops/creation.js';
import type { Config } from '../../serialization/registry.js';
import { registerClass } from '../../serialization/registry.js';
import { option } from '../../utils/args.js';
import type { Spelled } from '../../utils/options.js';
import { optionNames } from '../../utils/options.js';
import type { LayerArgs } from '../layer.js';
import { LAYER_OPTIONS } from '../layer.js';
import { layerLabel, show } from '../validation.js';
import type { Factor } from './factor.js';
import { factorConfig } from './factor.js';
import { RandomImageLayer, uniformIn } from './image_layer.js';

export interface RandomContrastArgs extends LayerArgs {
  /**
   * f: the contrast factor is drawn from [1 - f, 1 + f]; `[lower, upper]`: from [1 - lower, 1 + upper].
   * lower must lie in [0, 1] (a factor below 0 would invert the image), upper >= 0.
   */
  factor: Factor;
  /** The range the output is clipped to (default [0, 255]). */
  valueRange?: readonly [number, number];
  seed?: number | null;
}

/**
 * Scales each image's contrast by a random factor c while training: per image and channel,
 * x ↦ (x − mean) · c + mean, the mean taken over height and width, then clipped to valueRange.
 *
 * ```ts
 * kiln.layers.randomContrast({ factor: 0.2 });
 * ```
 */
export class RandomContrast extends RandomImageLayer {
  static override readonly className = 'RandomContrast';
  static override readonly optionNames = optionNames<RandomContrastArgs>({ ...LAYER_OPTIONS, factor: true, valueRange: true, seed: true });
  readonly factor: Factor;
  readonly range: [number, number];
  readonly valueRange: [number, number];

  constructor(args: Spelled<RandomContrastArgs>) {
    super(args, false);
    const factor = option<unknown>(args, 'factor');
    const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
    const [lower, upper] = finite(factor) ? [factor, factor] : Array.isArray(factor) && factor.length === 2 && factor.every(finite) ? factor : [NaN, NaN];
    if (!(lower >= 0 && lower <= 1 && upper >= 0)) {
      throw new ValueError(`${layerLabel(this)}: factor must be a number or a pair [lower, upper] with lower in [0, 1] and upper >= 0, found ${show(factor)}`);
    }
    this.factor = factor as Factor;
    this.range = [1 - lower, 1 + upper];
    const valueRange = option<unknown>(args, 'valueRange') ?? [0, 255];
    if (!(Array.isArray(valueRange) && valueRange.length === 2 && valueRange.every(finite) && valueRange[0] < valueRange[1])) {
      throw new ValueError(`${layerLabel(this)}: value_range must be a pair [low, high] with low < high, found ${show(valueRange)}`);
    }
    this.valueRange = [valueRange[0], valueRange[1]];
  }

  protected augment(x: Tensor, stream: RandomStream): Tensor {
    const [n, h, w] = x.shape as [number, number, number];
    const c = Float32Array.from({ length: n }, () => uniformIn(stream, this.range));
    const mean = P.binary('div', P.reshape(P.reduce('sum', x, [1, 2]), [n, 1, 1, x.shape[3]!]), scalar(h * w));
    const scaled = P.binary('add', P.binary('mul', P.binary('sub', x, mean), fromValues(c, [n, 1, 1, 1])), mean);
    return P.binary('minimum', P.binary('maximum', scaled, scalar(this.valueRange[0])), scalar(this.valueRange[1]));
  }

  override getConfig(): Config {
    return { ...super.getConfig(), factor: factorConfig(this.factor), value_range: [...this.valueRange] };
  }
}
registerClass(RandomContrast, { module: 'keras.layers' });
