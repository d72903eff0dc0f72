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

export interface PermuteArgs extends LayerArgs {
  /** A permutation of the sample axes, 1-based as in Keras (the batch axis 0 never moves): `[2, 1]` swaps them. */
  dims: readonly number[];
}

/**
 * Permutes the axes of each sample: `dims: [2, 1]` turns `[batch, a, b]` into `[batch, b, a]`.
 *
 * ```ts
 * kiln.layers.permute({ dims: [2, 1] }).apply(kiln.zeros([4, 10, 64])).shape; // [4, 64, 10]
 * ```
 */
export class Permute extends Layer {
  static override readonly className = 'Permute';
  static override readonly optionNames = optionNames<PermuteArgs>({ ...LAYER_OPTIONS, dims: true });
  readonly dims: number[];

  constructor(args: Spelled<PermuteArgs>) {
    super(args);
    const dims = option<unknown>(args, 'dims');
    const ok = Array.isArray(dims) && dims.length > 0 && [...dims].sort((a, b) => a - b).every((d, i) => d === i + 1);
    if (!ok) {
      throw new ValueError(`${layerLabel(this)}: dims must be a permutation of 1..n (1-based sample axes, as Keras), found ${show(dims)}`);
    }
    this.dims = [...(dims as number[])];
  }

  private checkRank(shape: readonly (number | null)[]): void {
    if (shape.length !== this.dims.length + 1) {
      throw new ShapeError(
        `${layerLabel(this)}: dims ${show(this.dims)} expects inputs of rank ${this.dims.length + 1} (batch included), found shape ${formatShape(shape)}`,
      );
    }
  }

  override build(inputShape: SymbolicShape): void {
    this.checkRank(inputShape);
    super.build(inputShape);
  }

  call(x: Tensor, _options: CallOptions): Tensor {
    this.checkRank(x.shape);
    return P.transpose(x, [0, ...this.dims]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.checkRank(inputShape);
    return [inputShape[0] ?? null, ...this.dims.map((d) => inputShape[d] ?? null)];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), dims: [...this.dims] };
  }
}
registerClass(Permute, { module: 'keras.layers' });
