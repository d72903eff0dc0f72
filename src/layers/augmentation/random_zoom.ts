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

export interface RandomZoomArgs extends LayerArgs {
  /**
   * Vertical zoom as a fraction of the height: f means [-f, f], `[lo, hi]` that range. Positive
   * values zoom out (the image shrinks), negative zoom in; values lie in [-1, 1].
   */
  heightFactor: Factor;
  /** Horizontal zoom, as heightFactor; null (default) zooms both axes by the same draw, keeping the aspect ratio. */
  widthFactor?: Factor | null;
  fillMode?: FillMode;
  interpolation?: Interpolation;
  fillValue?: number;
  seed?: number | null;
  dataFormat?: DataFormat | null;
}

/**
 * Zooms each image in or out about its centre by a random amount while training.
 *
 * ```ts
 * kiln.layers.randomZoom({ heightFactor: [-0.2, 0.2] });
 * ```
 */
export class RandomZoom extends RandomImageLayer {
  static override readonly className = 'RandomZoom';
  static override readonly optionNames = optionNames<RandomZoomArgs>({
    ...LAYER_OPTIONS, heightFactor: true, widthFactor: true, fillMode: true, interpolation: true, fillValue: true, seed: true, dataFormat: true,
  });
  readonly heightFactor: Factor;
  readonly widthFactor: Factor | null;
  readonly heightRange: [number, number];
  readonly widthRange: [number, number] | null;
  readonly fill: FillOptions;

  constructor(args: Spelled<RandomZoomArgs>) {
    super(args, true);
    this.heightRange = factorRange(this, 'height_factor', option(args, 'heightFactor'), 1);
    this.heightFactor = option<Factor>(args, 'heightFactor')!;
    this.widthFactor = option<Factor | null>(args, 'widthFactor') ?? null;
    this.widthRange = this.widthFactor === null ? null : factorRange(this, 'width_factor', this.widthFactor, 1);
    this.fill = fillOptions(this, args);
  }

  protected augment(x: Tensor, stream: RandomStream): Tensor {
    const [n, h, w] = x.shape as [number, number, number];
    const transforms: AffineTransform[] = [];
    for (let i = 0; i < n; i++) {
      // A zoom z samples the input over z times the output's extent: z > 1 shows more (zoom out).
      const zy = 1 + uniformIn(stream, this.heightRange);
      const zx = this.widthRange ? 1 + uniformIn(stream, this.widthRange) : zy;
      transforms.push([zx, 0, ((w - 1) / 2) * (1 - zx), 0, zy, ((h - 1) / 2) * (1 - zy)]);
    }
    return affineTransform(x, transforms, this.fill.interpolation, this.fill.fillMode, this.fill.fillValue);
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      height_factor: factorConfig(this.heightFactor),
      width_factor: this.widthFactor === null ? null : factorConfig(this.widthFactor),
      fill_mode: this.fill.fillMode,
      interpolation: this.fill.interpolation,
      fill_value: this.fill.fillValue,
      data_format: this.dataFormat,
    };
  }
}
registerClass(RandomZoom, { module: 'keras.layers' });
