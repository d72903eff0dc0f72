import * as P from '../../core/primitives.js';
import { formatShape } from '../../core/shape.js';
import type { Tensor } from '../../core/tensor.js';
import { ShapeError, ValueError } from '../../errors.js';
import type { Config } from '../../serialization/registry.js';
import { registerClass } from '../../serialization/registry.js';
import { option } from '../../utils/args.js';
import type { Spelled } from '../../utils/options.js';
import { optionNames } from '../../utils/options.js';
import type { CallOptions, LayerArgs, LayerShape, SymbolicShape } from '../layer.js';
import { LAYER_OPTIONS, Layer } from '../layer.js';
import { layerLabel, show } from '../validation.js';
import { mergeShapes } from './merge.js';

export interface ConcatenateArgs extends LayerArgs {
  /** The axis to join along (default -1, the features). */
  axis?: number;
}

/**
 * Joins its inputs along `axis`; every other dimension must match.
 *
 * ```ts
 * const merged = kiln.layers.concatenate().apply([hidden, extra]); // [null, 8] + [null, 3] → [null, 11]
 * ```
 */
export class Concatenate extends Layer {
  static override readonly className = 'Concatenate';
  static override readonly optionNames = optionNames<ConcatenateArgs>({ ...LAYER_OPTIONS, axis: true });
  readonly axis: number;

  constructor(args: Spelled<ConcatenateArgs> = {}) {
    super(args);
    const axis = option<unknown>(args, 'axis') ?? -1;
    if (!Number.isInteger(axis)) throw new ValueError(`${layerLabel(this)}: axis must be an integer, found ${show(axis)}`);
    this.axis = axis as number;
  }

  override build(inputShape: LayerShape): void {
    this.computeOutputShape(inputShape);
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: LayerShape): SymbolicShape {
    const shapes = mergeShapes(this, inputShape, 1);
    const rank = shapes[0]!.length;
    const axis = this.axis < 0 ? rank + this.axis : this.axis;
    if (axis <= 0 || axis >= rank) {
      throw new ValueError(`${layerLabel(this)}: axis ${this.axis} is out of range for inputs of rank ${rank} (the batch axis cannot be joined)`);
    }
    const mismatch = () =>
      new ShapeError(
        `${layerLabel(this)}: inputs must match in every dimension but axis ${this.axis}, found shapes ${shapes.map((s) => formatShape(s)).join(', ')}`,
      );
    if (shapes.some((s) => s.length !== rank)) throw mismatch();
    const out: SymbolicShape = [...shapes[0]!];
    for (let d = 1; d < rank; d++) {
      if (d === axis) continue;
      const known = [...new Set(shapes.map((s) => s[d]).filter((v): v is number => v !== null))];
      if (known.length > 1) throw mismatch();
      out[d] = known[0] ?? null;
    }
    out[0] = null;
    out[axis] = shapes.some((s) => s[axis] === null) ? null : shapes.reduce((n, s) => n + s[axis]!, 0);
    return out;
  }

  call(inputs: Tensor[], _options: CallOptions): Tensor {
    if (!Array.isArray(inputs)) throw new ValueError(`${layerLabel(this)}: expects a list of tensors, found one tensor`);
    this.computeOutputShape(inputs.map((t) => [null, ...t.shape.slice(1)]));
    const rank = inputs[0]!.rank;
    return P.concat(inputs, this.axis < 0 ? rank + this.axis : this.axis);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), axis: this.axis };
  }
}
registerClass(Concatenate, { module: 'keras.layers' });
