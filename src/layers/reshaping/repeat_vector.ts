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

export interface RepeatVectorArgs extends LayerArgs {
  /** How many times to repeat each input vector. */
  n: number;
}

/**
 * Repeats each input vector `n` times: `[batch, features]` → `[batch, n, features]` (feeding one
 * encoding to every step of a decoder).
 *
 * ```ts
 * kiln.layers.repeatVector({ n: 3 }).apply(kiln.zeros([2, 5])).shape; // [2, 3, 5]
 * ```
 */
export class RepeatVector extends Layer {
  static override readonly className = 'RepeatVector';
  static override readonly optionNames = optionNames<RepeatVectorArgs>({ ...LAYER_OPTIONS, n: true });
  readonly n: number;

  constructor(args: Spelled<RepeatVectorArgs>) {
    super(args);
    const n = option<unknown>(args, 'n');
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new ValueError(`${layerLabel(this)}: n must be an integer >= 1, found ${show(n)}`);
    this.n = n;
  }

  private checkRank(shape: readonly (number | null)[]): void {
    if (shape.length !== 2) throw new ShapeError(`${layerLabel(this)}: expected input of rank 2 [batch, features], found shape ${formatShape(shape)}`);
  }

  override build(inputShape: SymbolicShape): void {
    this.checkRank(inputShape);
    super.build(inputShape);
  }

  call(x: Tensor, _options: CallOptions): Tensor {
    this.checkRank(x.shape);
    const [batch, features] = x.shape as [number, number];
    // A broadcast of a size-1 axis: its gradient (sum over the repeats) comes from broadcastTo's rule.
    return P.broadcastTo(P.reshape(x, [batch, 1, features]), [batch, this.n, features]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.checkRank(inputShape);
    return [inputShape[0] ?? null, this.n, inputShape[1] ?? null];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), n: this.n };
  }
}
registerClass(RepeatVector, { module: 'keras.layers' });
