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

export interface RandomTranslationArgs extends LayerArgs {
  /** Vertical shift as a fraction of the height: f means [-f, f], `[lo, hi]` that range; positive shifts down. In [-1, 1]. */
  heightFactor: Factor;
  /** Horizontal shift as a fraction of the width, as heightFactor; positive shifts right. */
  widthFactor: Factor;
  fillMode?: FillMode;
  interpolation?: Interpolation;
  fillValue?: number;
  seed?: number | null;
  dataFormat?: DataFormat | null;
}

/**
 * Shifts each image by a random fraction of its height and width while training.
 *
 * ```ts
 * kiln.layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1 });
 * ```
 */
export class RandomTranslation extends RandomImageLayer {
  static override readonly className = 'RandomTranslation';
  static override readonly optionNames = optionNames<RandomTranslationArgs>({
    ...LAYER_OPTIONS, heightFactor: true, widthFactor: true, fillMode: true, interpolation: true, fillValue: true, seed: true, dataFormat: true,
  });
  readonly heightFactor: Factor;
  readonly widthFactor: Factor;
  readonly heightRange: [number, number];
  readonly widthRange: [number, number];
  readonly fill: FillOptions;

  constructor(args: Spelled<RandomTranslationArgs>) {
    super(args, true);
    this.heightRange = factorRange(this, 'height_factor', option(args, 'heightFactor'), 1);
    this.widthRange = factorRange(this, 'width_factor', option(args, 'widthFactor'), 1);
    this.heightFactor = option<Factor>(args, 'heightFactor')!;
    this.widthFactor = option<Factor>(args, 'widthFactor')!;
    this.fill = fillOptions(this, args);
  }

  protected augment(x: Tensor, stream: RandomStream): Tensor {
    const [n, h, w] = x.shape as [number, number, number];
    const transforms: AffineTransform[] = [];
    for (let i = 0; i < n; i++) {
      const dy = uniformIn(stream, this.heightRange) * h;
      const dx = uniformIn(stream, this.widthRange) * w;
      // Output (x, y) reads input (x - dx, y - dy): the content moves by +dx, +dy.
      transforms.push([1, 0, -dx, 0, 1, -dy]);
    }
    return affineTransform(x, transforms, this.fill.interpolation, this.fill.fillMode, this.fill.fillValue);
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      height_factor: factorConfig(this.heightFactor),
      width_factor: factorConfig(this.widthFactor),
      fill_mode: this.fill.fillMode,
      interpolation: this.fill.interpolation,
      fill_value: this.fill.fillValue,
      data_format: this.dataFormat,
    };
  }
}
registerClass(RandomTranslation, { module: 'keras.layers' });
