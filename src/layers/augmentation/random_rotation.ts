import type { RandomStream } from '../../core/random.js';
import type { Tensor } from '../../core/tensor.js';
import type { Config } from '../../serialization/registry.js';
import { registerClass } from '../../serialization/registry.js';
import { option } from '../../utils/args.js';
import type { Spelled } from '../../utils/options.js';
import { optionNames } from '../../utils/options.js';
import type { DataFormat } from '../flatten.js';
import type { LayerArgs } from '../layer.js';
import { LAYER_OPTIONS } from '../layer.js';
import type { AffineTransform, FillMode, Interpolation } from './affine.js';
import { affineTransform } from './affine.js';
import type { Factor } from './factor.js';
import { factorConfig, factorRange } from './factor.js';
import type { FillOptions } from './image_layer.js';
import { RandomImageLayer, fillOptions, uniformIn } from './image_layer.js';

export interface RandomRotationArgs extends LayerArgs {
  /**
   * The rotation range as a fraction of a full turn: f means [-f·2π, f·2π], `[lo, hi]` that range.
   * Positive angles rotate counter-clockwise.
   */
  factor: Factor;
  /** How points outside the image are filled (default 'reflect'). */
  fillMode?: FillMode;
  interpolation?: Interpolation;
  /** The value for fill_mode 'constant' (default 0). */
  fillValue?: number;
  seed?: number | null;
  dataFormat?: DataFormat | null;
}

/**
 * Rotates each image by a random angle about its centre while training.
 *
 * ```ts
 * kiln.layers.randomRotation({ factor: 0.1 }); // up to ±36°
 * ```
 */
export class RandomRotation extends RandomImageLayer {
  static override readonly className = 'RandomRotation';
  static override readonly optionNames = optionNames<RandomRotationArgs>({
    ...LAYER_OPTIONS, factor: true, fillMode: true, interpolation: true, fillValue: true, seed: true, dataFormat: true,
  });
  readonly factor: Factor;
  readonly range: [number, number];
  readonly fill: FillOptions;

  constructor(args: Spelled<RandomRotationArgs>) {
    super(args, true);
    this.range = factorRange(this, 'factor', option(args, 'factor'));
    this.factor = option<Factor>(args, 'factor')!;
    this.fill = fillOptions(this, args);
  }

  protected augment(x: Tensor, stream: RandomStream): Tensor {
    const [n, h, w] = x.shape as [number, number, number];
    const transforms: AffineTransform[] = [];
    for (let i = 0; i < n; i++) {
      const angle = uniformIn(stream, this.range) * 2 * Math.PI;
      const cos = Math.cos(angle);
      const sin = Math.sin(angle);
      // Rotation about the centre ((w-1)/2, (h-1)/2): the offsets keep the centre fixed.
      const xOffset = (w - 1 - (cos * (w - 1) - sin * (h - 1))) / 2;
      const yOffset = (h - 1 - (sin * (w - 1) + cos * (h - 1))) / 2;
      transforms.push([cos, -sin, xOffset, sin, cos, yOffset]);
    }
    return affineTransform(x, transforms, this.fill.interpolation, this.fill.fillMode, this.fill.fillValue);
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      factor: factorConfig(this.factor),
      fill_mode: this.fill.fillMode,
      interpolation: this.fill.interpolation,
      fill_value: this.fill.fillValue,
      data_format: this.dataFormat,
    };
  }
}
registerClass(RandomRotation, { module: 'keras.layers' });
