import * as P from '../../core/primitives.js';
import { formatShape } from '../../core/shape.js';
import type { Tensor } from '../../core/tensor.js';
import { ShapeError, ValueError } from '../../errors.js';
import type { Config } from '../../serialization/registry.js';
import { registerClass } from '../../serialization/registry.js';
import { option } from '../../utils/args.js';
import type { Spelled } from '../../utils/options.js';
import { optionNames } from '../../utils/options.js';
import type { CallOptions, LayerArgs, SymbolicShape } from '../layer.js';
import { LAYER_OPTIONS, Layer } from '../layer.js';
import { layerLabel, show } from '../validation.js';

export interface ReshapeArgs extends LayerArgs {
  /** The shape of one sample (no batch dim); one entry may be -1, inferred from the input's size. */
  targetShape: readonly number[];
}

/**
 * Reshapes each sample to `targetShape` (the batch dimension is kept). Costs nothing: the output
 * shares the input's storage.
 *
 * ```ts
 * kiln.layers.reshape({ targetShape: [-1, 4] }).apply(kiln.zeros([2, 3, 4, 2])).shape; // [2, 6, 4]
 * ```
 */
export class Reshape extends Layer {
  static override readonly className = 'Reshape';
  static override readonly optionNames = optionNames<ReshapeArgs>({ ...LAYER_OPTIONS, targetShape: true });
  readonly targetShape: number[];

  constructor(args: Spelled<ReshapeArgs>) {
    super(args);
    const target = option<unknown>(args, 'targetShape');
    const ok = Array.isArray(target) && target.every((d) => d === -1 || (Number.isInteger(d) && d > 0));
    if (!ok) throw new ValueError(`${layerLabel(this)}: target_shape must be a list of positive integers (one may be -1), found ${show(target)}`);
    if ((target as number[]).filter((d) => d === -1).length > 1) {
      throw new ValueError(`${layerLabel(this)}: target_shape may contain -1 only once, found ${show(target)}`);
    }
    this.targetShape = [...(target as number[])];
  }

  /** The per-sample output shape for a per-sample input shape (nulls where the input's size is unknown). */
  private resolve(sample: readonly (number | null)[]): (number | null)[] {
    const unknown = this.targetShape.indexOf(-1);
    const known = this.targetShape.reduce((a, d) => (d === -1 ? a : a * d), 1);
    if (sample.some((d) => d === null)) {
      // Keras's symbolic rule: without the full input size the -1 stays unknown.
      return this.targetShape.map((d) => (d === -1 ? null : d));
    }
    const size = (sample as number[]).reduce((a, b) => a * b, 1);
    const fits = unknown >= 0 ? known > 0 && size % known === 0 : size === known;
    if (!fits) {
      throw new ShapeError(
        `${layerLabel(this)}: cannot reshape a sample of shape ${formatShape(sample)} (${size} elements) to target_shape ${formatShape(this.targetShape)}` +
          (unknown >= 0 ? ` (${size} is not a multiple of ${known})` : ` (${known} elements)`),
      );
    }
    return this.targetShape.map((d) => (d === -1 ? size / known : d));
  }

  override build(inputShape: SymbolicShape): void {
    this.resolve(inputShape.slice(1));
    super.build(inputShape);
  }

  call(x: Tensor, _options: CallOptions): Tensor {
    const sample = this.resolve(x.shape.slice(1)) as number[];
    return P.reshape(x, [x.shape[0]!, ...sample]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0] ?? null, ...this.resolve(inputShape.slice(1))];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), target_shape: [...this.targetShape] };
  }
}
registerClass(Reshape, { module: 'keras.layers' });
