import * as P from '../../core/primitives.js';
import { formatShape } from '../../core/shape.js';
import type { Tensor } from '../../core/tensor.js';
import { ShapeError, ValueError } from '../../errors.js';
import { registerClass } from '../../serialization/registry.js';
import type { Spelled } from '../../utils/options.js';
import { optionNames } from '../../utils/options.js';
import type { CallOptions, LayerArgs, LayerShape, SymbolicShape } from '../layer.js';
import { LAYER_OPTIONS, Layer, isShapeList } from '../layer.js';
import { layerLabel } from '../validation.js';

export type MergeArgs = LayerArgs;

/** The list of shapes a merge layer was given, or a clear error when it was given one tensor. */
export function mergeShapes(layer: Layer, shape: LayerShape, min: number, max = Infinity): SymbolicShape[] {
  if (!isShapeList(shape)) {
    throw new ValueError(`${layerLabel(layer)}: expects a list of at least ${min} tensors, found one tensor of shape ${formatShape(shape)}`);
  }
  if (shape.length < min || shape.length > max) {
    const wanted = max === min ? `exactly ${min}` : `at least ${min}`;
    throw new ValueError(`${layerLabel(layer)}: expects ${wanted} inputs, found ${shape.length}`);
  }
  return shape;
}

/**
 * The common base of the elementwise merges (Add, Subtract, Multiply, Average, Maximum, Minimum):
 * inputs of one shape, or shapes that broadcast (a 1 against any size), combined position by
 * position. Shapes that do not fit are an error naming the layer and every input's shape.
 */
export abstract class Merge extends Layer {
  static override readonly optionNames = optionNames<MergeArgs>({ ...LAYER_OPTIONS });
  protected readonly maxInputs: number = Infinity;

  constructor(args: Spelled<MergeArgs> = {}) {
    super(args);
  }

  /** Combines two tensors (the merge folds its inputs left to right). */
  protected abstract combine(a: Tensor, b: Tensor): Tensor;

  override build(inputShape: LayerShape): void {
    this.computeOutputShape(inputShape);
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: LayerShape): SymbolicShape {
    const shapes = mergeShapes(this, inputShape, 2, this.maxInputs);
    const rank = Math.max(...shapes.map((s) => s.length));
    if (shapes.some((s) => s.length !== rank)) {
      throw new ShapeError(`${layerLabel(this)}: inputs must have the same rank, found shapes ${shapes.map((s) => formatShape(s)).join(', ')}`);
    }
    const out: SymbolicShape = [];
    for (let d = 0; d < rank; d++) {
      const dims = shapes.map((s) => s[d]!);
      const known = [...new Set(dims.filter((v): v is number => v !== null && v !== 1))];
      if (known.length > 1) {
        throw new ShapeError(
          `${layerLabel(this)}: input shapes do not match at axis ${d}: ${shapes.map((s) => formatShape(s)).join(', ')}; inputs of an elementwise merge need equal shapes (or 1 to broadcast)`,
        );
      }
      out.push(d === 0 ? null : known.length === 1 ? known[0]! : dims.some((v) => v === null) ? null : 1);
    }
    return out;
  }

  call(inputs: Tensor[], _options: CallOptions): Tensor {
    if (!Array.isArray(inputs)) throw new ValueError(`${layerLabel(this)}: expects a list of tensors, found one tensor`);
    this.computeOutputShape(inputs.map((t) => [null, ...t.shape.slice(1)]));
    let out = inputs[0]!;
    for (let i = 1; i < inputs.length; i++) out = this.combine(out, inputs[i]!);
    return this.finish(out, inputs.length);
  }

  /** A last step on the folded result (Average divides by the count). */
  protected finish(out: Tensor, _count: number): Tensor {
    return out;
  }
}

/** Sums its inputs: `kiln.layers.add().apply([a, b])`. */
export class Add extends Merge {
  static override readonly className = 'Add';
  protected combine(a: Tensor, b: Tensor): Tensor {
    return P.binary('add', a, b);
  }
}

/** `a - b` of exactly two inputs: `kiln.layers.subtract().apply([a, b])`. */
export class Subtract extends Merge {
  static override readonly className = 'Subtract';
  protected override readonly maxInputs = 2;
  protected combine(a: Tensor, b: Tensor): Tensor {
    return P.binary('sub', a, b);
  }
}

/** Multiplies its inputs elementwise: `kiln.layers.multiply().apply([a, b])`. */
export class Multiply extends Merge {
  static override readonly className = 'Multiply';
  protected combine(a: Tensor, b: Tensor): Tensor {
    return P.binary('mul', a, b);
  }
}

/** The elementwise mean of its inputs: `kiln.layers.average().apply([a, b])`. */
export class Average extends Merge {
  static override readonly className = 'Average';
  protected combine(a: Tensor, b: Tensor): Tensor {
    return P.binary('add', a, b);
  }
  protected override finish(out: Tensor, count: number): Tensor {
    return P.binary('mul', out, P.fill([], 1 / count, out.dtype));
  }
}

/** The elementwise maximum of its inputs: `kiln.layers.maximum().apply([a, b])`. */
export class Maximum extends Merge {
  static override readonly className = 'Maximum';
  protected combine(a: Tensor, b: Tensor): Tensor {
    return P.binary('maximum', a, b);
  }
}

/** The elementwise minimum of its inputs: `kiln.layers.minimum().apply([a, b])`. */
export class Minimum extends Merge {
  static override readonly className = 'Minimum';
  protected combine(a: Tensor, b: Tensor): Tensor {
    return P.binary('minimum', a, b);
  }
}

for (const cls of [Add, Subtract, Multiply, Average, Maximum, Minimum]) registerClass(cls, { module: 'keras.layers' });
