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

export interface DotArgs extends LayerArgs {
  /** The axis of each input to contract (counting the batch axis as 0), or one for both. */
  axes: number | [number, number];
  /** L2-normalize both inputs along `axes` first, so the result is the cosine similarity. */
  normalize?: boolean;
}

/**
 * The dot product of two inputs, sample by sample (Keras's Dot / batch_dot): `[b, n]·[b, n]` →
 * `[b, 1]`; `[b, n, d]·[b, m, d]` with `axes: 2` → `[b, n, m]`.
 *
 * ```ts
 * const similarity = kiln.layers.dot({ axes: 1, normalize: true }).apply([a, b]); // [null, 1]
 * ```
 */
export class Dot extends Layer {
  static override readonly className = 'Dot';
  static override readonly optionNames = optionNames<DotArgs>({ ...LAYER_OPTIONS, axes: true, normalize: true });
  readonly axes: number | [number, number];
  readonly normalize: boolean;

  constructor(args: Spelled<DotArgs>) {
    super(args);
    const axes = option<unknown>(args, 'axes');
    const ok = Number.isInteger(axes) || (Array.isArray(axes) && axes.length === 2 && axes.every(Number.isInteger));
    if (!ok) throw new ValueError(`${layerLabel(this)}: axes must be an integer or a pair of integers, found ${show(axes)}`);
    this.axes = Array.isArray(axes) ? [axes[0], axes[1]] : (axes as number);
    const normalize = option<unknown>(args, 'normalize') ?? false;
    if (typeof normalize !== 'boolean') throw new ValueError(`${layerLabel(this)}: normalize must be true or false, found ${show(normalize)}`);
    this.normalize = normalize;
  }

  /** The contracted axis of each input, made non-negative. */
  private resolvedAxes(ranks: [number, number]): [number, number] {
    const given = Array.isArray(this.axes) ? this.axes : [this.axes, this.axes];
    return [0, 1].map((i) => (given[i]! < 0 ? given[i]! + ranks[i]! : given[i]!)) as [number, number];
  }

  override build(inputShape: LayerShape): void {
    this.computeOutputShape(inputShape);
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: LayerShape): SymbolicShape {
    const [a, b] = mergeShapes(this, inputShape, 2, 2) as [SymbolicShape, SymbolicShape];
    const [ax, bx] = this.resolvedAxes([a.length, b.length]);
    if (ax <= 0 || ax >= a.length || bx <= 0 || bx >= b.length) {
      throw new ValueError(`${layerLabel(this)}: axes ${show(this.axes)} are out of range for inputs ${formatShape(a)} and ${formatShape(b)} (axis 0 is the batch)`);
    }
    if (a[ax] !== null && b[bx] !== null && a[ax] !== b[bx]) {
      throw new ShapeError(`${layerLabel(this)}: the contracted dimensions differ: ${formatShape(a)} axis ${ax} is ${a[ax]}, ${formatShape(b)} axis ${bx} is ${b[bx]}`);
    }
    const rest = [...a.slice(1).filter((_, i) => i + 1 !== ax), ...b.slice(1).filter((_, i) => i + 1 !== bx)];
    return [null, ...(rest.length === 0 ? [1] : rest)];
  }

  call(inputs: Tensor[], _options: CallOptions): Tensor {
    if (!Array.isArray(inputs) || inputs.length !== 2) throw new ValueError(`${layerLabel(this)}: expects a list of exactly 2 tensors`);
    let [a, b] = inputs as [Tensor, Tensor];
    const outShape = this.computeOutputShape([[null, ...a.shape.slice(1)], [null, ...b.shape.slice(1)]]);
    const [ax, bx] = this.resolvedAxes([a.rank, b.rank]);
    if (this.normalize) {
      a = l2Normalize(a, ax);
      b = l2Normalize(b, bx);
    }
    const batch = a.shape[0]!;
    const d = a.shape[ax]!;
    // Contracted axis last on a, first (after the batch) on b; the rest flattened: one batched matmul.
    const aPerm = [0, ...range(1, a.rank).filter((i) => i !== ax), ax];
    const bPerm = [0, bx, ...range(1, b.rank).filter((i) => i !== bx)];
    const a3 = P.reshape(P.transpose(a, aPerm), [batch, a.size / batch / d, d]);
    const b3 = P.reshape(P.transpose(b, bPerm), [batch, d, b.size / batch / d]);
    return P.reshape(P.matmul(a3, b3), [batch, ...(outShape.slice(1) as number[])]);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), axes: this.axes, normalize: this.normalize };
  }
}
registerClass(Dot, { module: 'keras.layers' });

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/** x / max(‖x‖, 1e-12) along `axis` (Keras's l2_normalize epsilon). */
function l2Normalize(x: Tensor, axis: number): Tensor {
  const sq = P.reduce('sum', P.unary('square', x), [axis]);
  const keep = x.shape.map((s, i) => (i === axis ? 1 : s));
  const norm = P.reshape(P.unary('sqrt', P.binary('maximum', sq, P.fill([], 1e-24, 'float32'))), keep);
  return P.binary('div', x, norm);
}
