import { NotImplementedError } from '../../errors.js';
import type { Layer, SymbolicShape } from '../../layers/layer.js';
import { Concatenate } from '../../layers/merge/concatenate.js';
import { Dot } from '../../layers/merge/dot.js';
import { Add, Average, Maximum, Minimum, Multiply, Subtract } from '../../layers/merge/merge.js';
import type { GraphBuilder } from './graph.js';
import { int } from './graph.js';

/** Elementwise merges as one variadic ONNX op (Sum, Mul folds pairwise, Max, Min, Mean) or Sub. */
const ELEMENTWISE: [abstract new (...a: never[]) => Layer, string, boolean][] = [
  [Add, 'Sum', true], [Subtract, 'Sub', false], [Multiply, 'Mul', false], [Average, 'Mean', true], [Maximum, 'Max', true], [Minimum, 'Min', true],
];

/** Class names of the merge layers `exportOnnx` can lower. */
export const ONNX_MERGE_CLASSES: readonly string[] = ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate', 'Dot'];

/** True for a layer that takes a list of inputs and has a lowering here. */
export function isMergeLayer(layer: Layer): boolean {
  return ELEMENTWISE.some(([cls]) => layer.constructor === cls) || layer.constructor === Concatenate || layer.constructor === Dot;
}

/** Appends the ONNX nodes for a merge layer applied to values `xs` of shapes `shapes`; returns its output value. */
export function lowerMerge(layer: Layer, g: GraphBuilder, xs: readonly string[], shapes: readonly SymbolicShape[]): string {
  const elementwise = ELEMENTWISE.find(([cls]) => layer.constructor === cls);
  if (elementwise) {
    const [, op, variadic] = elementwise;
    if (variadic) return g.node(op, xs, `${layer.name}/${op}`);
    let y = xs[0]!;
    for (let i = 1; i < xs.length; i++) y = g.node(op, [y, xs[i]!], `${layer.name}/${op}_${i}`);
    return y;
  }
  if (layer instanceof Concatenate) {
    const rank = shapes[0]!.length;
    return g.node('Concat', xs, `${layer.name}/Concat`, { axis: int(layer.axis < 0 ? rank + layer.axis : layer.axis) });
  }
  if (layer instanceof Dot) {
    const axes = Array.isArray(layer.axes) ? layer.axes : [layer.axes, layer.axes];
    const [a, b] = shapes as [SymbolicShape, SymbolicShape];
    const contracted = a[a.length - 1];
    const flat = a.length === 2 && b.length === 2 && axes.every((ax) => ax === 1 || ax === -1);
    if (!flat || contracted === null || contracted === undefined) {
      throw new NotImplementedError(`exportOnnx: layer '${layer.name}' (Dot): only the dot of two [batch, n] inputs along axis 1 is lowered, found ${JSON.stringify(shapes)} with axes ${JSON.stringify(layer.axes)}`);
    }
    let [x, y] = xs as [string, string];
    if (layer.normalize) {
      x = g.node('LpNormalization', [x], `${layer.name}/Normalize_a`, { axis: int(1), p: int(2) });
      y = g.node('LpNormalization', [y], `${layer.name}/Normalize_b`, { axis: int(1), p: int(2) });
    }
    // Row-wise sums as a product with a column of ones: [b, n]·[n, 1] → [b, 1].
    const ones = g.initializer(`${layer.name}/ones`, [contracted, 1], new Float32Array(contracted).fill(1));
    return g.node('MatMul', [g.node('Mul', [x, y], `${layer.name}/Mul`), ones], `${layer.name}/MatMul`);
  }
  throw new NotImplementedError(`exportOnnx: layer '${layer.name}' has no ONNX lowering for a list of inputs; supported: ${ONNX_MERGE_CLASSES.join(', ')}`);
}
