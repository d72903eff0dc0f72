import type { Shape } from './shape.js';
import { shapesEqual } from './shape.js';
import * as P from './primitives.js';
import type { PrimitiveName } from './primitives.js';
import type { Tensor } from './tensor.js';

/**
 * Every gradient rule in kiln, in one table keyed by primitive name (as in tinygrad's gradient.py
 * and candle's backprop.rs). A rule gets the upstream gradient `dy`, the primitive's inputs, its
 * output and attributes, and returns one gradient per input (null where none flows: indices,
 * masks, comparisons). Rules are written with primitives, so they run on any backend.
 */
export type GradientRule = (dy: Tensor, inputs: readonly Tensor[], out: Tensor, attrs: any, needs: readonly boolean[]) => (Tensor | null)[];

const scalar = (v: number): Tensor => P.fill([], v, 'float32');

const add = (a: Tensor, b: Tensor) => P.binary('add', a, b);
const sub = (a: Tensor, b: Tensor) => P.binary('sub', a, b);
const mul = (a: Tensor, b: Tensor) => P.binary('mul', a, b);
const div = (a: Tensor, b: Tensor) => P.binary('div', a, b);
const zeroGrad: GradientRule = (_dy, inputs) => inputs.map(() => null);

/** Sums a broadcast gradient back down to the shape of the input it came from. */
export function sumToShape(dy: Tensor, shape: Shape): Tensor {
  if (shapesEqual(dy.shape, shape)) return dy;
  const lead = dy.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < dy.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && dy.shape[i] !== 1)) axes.push(i);
  }
  return P.reshape(axes.length ? P.reduce('sum', dy, axes) : dy, shape);
}

/** Puts back the reduced axes as size-1 dims so a reduction's result broadcasts against its input. */
function keepDims(t: Tensor, inShape: Shape, axes: readonly number[]): Tensor {
  return P.reshape(t, inShape.map((d, i) => (axes.includes(i) ? 1 : d)));
}

export const GRADIENTS: Record<PrimitiveName, GradientRule> = {
  // Unary
  neg: (dy) => [P.unary('neg', dy)],
  abs: (dy, [x]) => [mul(dy, P.unary('sign', x!))],
  exp: (dy, _x, out) => [mul(dy, out)],
  expm1: (dy, _x, out) => [mul(dy, add(out, scalar(1)))],
  log: (dy, [x]) => [div(dy, x!)],
  log1p: (dy, [x]) => [div(dy, add(x!, scalar(1)))],
  sqrt: (dy, _x, out) => [div(dy, mul(out, scalar(2)))],
  rsqrt: (dy, [x], out) => [mul(dy, mul(scalar(-0.5), div(out, x!)))],
  square: (dy, [x]) => [mul(dy, mul(x!, scalar(2)))],
  reciprocal: (dy, _x, out) => [P.unary('neg', mul(dy, P.unary('square', out)))],
  tanh: (dy, _x, out) => [mul(dy, sub(scalar(1), P.unary('square', out)))],
  sigmoid: (dy, _x, out) => [mul(dy, mul(out, sub(scalar(1), out)))],
  erf: (dy, [x]) => [mul(dy, mul(scalar(2 / Math.sqrt(Math.PI)), P.unary('exp', P.unary('neg', P.unary('square', x!)))))],
  // The derivative of relu at exactly 0 is taken as 0, matching TensorFlow.
  relu: (dy, [x]) => [mul(dy, P.unary('step', x!))],
  sin: (dy, [x]) => [mul(dy, P.unary('cos', x!))],
  cos: (dy, [x]) => [P.unary('neg', mul(dy, P.unary('sin', x!)))],
  sign: zeroGrad, step: zeroGrad, floor: zeroGrad, ceil: zeroGrad, round: zeroGrad,
  isnan: zeroGrad, isfinite: zeroGrad, logicalNot: zeroGrad,

  // Binary (broadcasting: each gradient is summed back to its input's shape)
  add: (dy, [a, b]) => [sumToShape(dy, a!.shape), sumToShape(dy, b!.shape)],
  sub: (dy, [a, b]) => [sumToShape(dy, a!.shape), sumToShape(P.unary('neg', dy), b!.shape)],
  mul: (dy, [a, b]) => [sumToShape(mul(dy, b!), a!.shape), sumToShape(mul(dy, a!), b!.shape)],
  div: (dy, [a, b]) => [
    sumToShape(div(dy, b!), a!.shape),
    sumToShape(P.unary('neg', div(mul(dy, a!), P.unary('square', b!))), b!.shape),
  ],
  pow: (dy, [a, b], out) => {
    const da = mul(dy, mul(b!, P.binary('pow', a!, sub(b!, scalar(1)))));
    // d/db a^b = a^b ln a, defined only for a > 0.
    const positive = P.binary('greater', a!, scalar(0));
    const safeLog = P.unary('log', P.select(positive, a!, scalar(1)));
    const db = mul(dy, mul(out, safeLog));
    return [sumToShape(da, a!.shape), sumToShape(db, b!.shape)];
  },
  // Ties send the gradient to the first argument (TensorFlow's convention).
  maximum: (dy, [a, b]) => {
    const m = P.binary('greaterEqual', a!, b!);
    return [sumToShape(mul(dy, m), a!.shape), sumToShape(mul(dy, sub(scalar(1), m)), b!.shape)];
  },
  minimum: (dy, [a, b]) => {
    const m = P.binary('lessEqual', a!, b!);
    return [sumToShape(mul(dy, m), a!.shape), sumToShape(mul(dy, sub(scalar(1), m)), b!.shape)];
  },
  mod: (dy, [a, b]) => [
    sumToShape(dy, a!.shape),
    sumToShape(mul(P.unary('neg', dy), P.unary('floor', div(a!, b!))), b!.shape),
  ],
  equal: zeroGrad, notEqual: zeroGrad, greater: zeroGrad, greaterEqual: zeroGrad, less: zeroGrad, lessEqual: zeroGrad,

  select: (dy, [cond, a, b]) => {
    const zero = scalar(0);
    return [null, sumToShape(P.select(cond!, dy, zero), a!.shape), sumToShape(P.select(cond!, zero, dy), b!.shape)];
  },

  // Reductions
  sum: (dy, [x], _out, { axes }) => [P.broadcastTo(keepDims(dy, x!.shape, axes), x!.shape)],
  prod: (dy, [x], out, { axes }) => [div(mul(keepDims(dy, x!.shape, axes), keepDims(out, x!.shape, axes)), x!)],
  // Ties share the gradient equally (TensorFlow's reduce_max rule), so the sum is preserved.
  max: (dy, [x], out, { axes }) => [extremumGrad(dy, x!, out, axes)],
  min: (dy, [x], out, { axes }) => [extremumGrad(dy, x!, out, axes)],
  argMax: zeroGrad,

  // Products are the expensive rules: an input that needs no gradient (a batch of data) gets none.
  matmul: (dy, [a, b], _out, { transposeA: tA, transposeB: tB }, needs) => {
    const da = !needs[0] ? null : tA ? P.matmul(b!, dy, tB, true) : P.matmul(dy, b!, false, !tB);
    const db = !needs[1] ? null : tB ? P.matmul(dy, a!, true, tA) : P.matmul(a!, dy, !tA, false);
    return [da && sumToShape(da, a!.shape), db && sumToShape(db, b!.shape)];
  },

  // Movement
  transpose: (dy, _x, _out, { perm }) => {
    const inverse = new Array<number>(perm.length);
    perm.forEach((p: number, i: number) => (inverse[p] = i));
    return [P.transpose(dy, inverse)];
  },
  reshape: (dy, _x, _out, { shape }) => [P.reshape(dy, shape)],
  slice: (dy, [x], _out, { begin, size }) => [
    P.pad(dy, x!.shape.map((d, i) => [begin[i], d - begin[i] - size[i]] as const)),
  ],
  pad: (dy, [x], _out, { paddings }) => [P.slice(dy, paddings.map((p: [number, number]) => p[0]), x!.shape)],
  concat: (dy, inputs, _out, { axis }) => {
    let offset = 0;
    return inputs.map((x) => {
      const begin = dy.shape.map((_, i) => (i === axis ? offset : 0));
      offset += x.shape[axis]!;
      return P.slice(dy, begin, x.shape);
    });
  },
  gather: (dy, [x, indices], _out, { axis }) => [P.scatterAdd(dy, indices!, axis, x!.shape), null],
  scatterAdd: (dy, [, indices], _out, { axis }) => [P.gather(dy, indices!, axis), null],
  broadcastTo: (dy, [x]) => [sumToShape(dy, x!.shape)],
  oneHot: zeroGrad,
  cast: (dy, [x]) => [x!.dtype === 'float32' ? P.cast(dy, 'float32') : null],

  // Fused softmax family: dx = y ⊙ (dy − Σ dy⊙y) and dx = dy − softmax(x) Σ dy.
  softmax: (dy, _x, out) => {
    const last = [out.rank - 1];
    const s = keepDims(P.reduce('sum', mul(dy, out), last), out.shape, last);
    return [mul(out, sub(dy, s))];
  },
  // Fused dense: dz = dy ⊙ act'(out) (each derivative written from the output), then the matmul rules.
  dense: (dy, [x, w, bias], out, { activation }, needs) => {
    let dz = dy;
    if (activation === 'relu') dz = mul(dy, P.unary('step', out));
    else if (activation === 'sigmoid') dz = mul(dy, mul(out, sub(scalar(1), out)));
    else if (activation === 'tanh') dz = mul(dy, sub(scalar(1), P.unary('square', out)));
    // The first layer's input is data: skipping its gradient saves a third of the layer's backward work.
    const grads: (Tensor | null)[] = [needs[0] ? P.matmul(dz, w!, false, true) : null, needs[1] ? P.matmul(x!, dz, true, false) : null];
    if (bias) grads.push(needs[2] ? P.reduce('sum', dz, [0]) : null);
    return grads;
  },
  // Convolution: the two backprop ops are each other's and conv2d's gradients (all three are
  // bilinear in their two inputs), so a transposed convolution trains with the same three kernels.
  conv2d: (dy, [x, w], _out, { info }, needs) => [
    needs[0] ? P.conv2dBackpropInput(dy, w!, info) : null,
    needs[1] ? P.conv2dBackpropFilter(x!, dy, info) : null,
  ],
  conv2dBackpropInput: (g, [dy, w], _out, { info }, needs) => [
    needs[0] ? P.conv2d(g, w!, info) : null,
    needs[1] ? P.conv2dBackpropFilter(g, dy!, info) : null,
  ],
  conv2dBackpropFilter: (g, [x, dy], _out, { info }, needs) => [
    needs[0] ? P.conv2dBackpropInput(dy!, g, info) : null,
    needs[1] ? P.conv2d(x!, g, info) : null,
  ],
  maxPool2d: (dy, [x], _out, { info }) => [P.maxPool2dGrad(x!, dy, info)],
  avgPool2d: (dy, _x, _out, { info }) => [P.avgPool2dGrad(dy, info)],
  sparseSoftmaxCrossEntropy: (dy, [logits, labels]) => [P.sparseSoftmaxCrossEntropyGrad(logits!, labels!, dy), null],
  logSoftmax: (dy, _x, out) => {
    const last = [out.rank - 1];
    const s = keepDims(P.reduce('sum', dy, last), out.shape, last);
    return [sub(dy, mul(P.unary('exp', out), s))];
  },
};

function extremumGrad(dy: Tensor, x: Tensor, out: Tensor, axes: readonly number[]): Tensor {
  const mask = P.binary('equal', x, keepDims(out, x.shape, axes));
  const count = keepDims(P.reduce('sum', mask, axes), x.shape, axes);
  return mul(div(mask, count), keepDims(dy, x.shape, axes));
}
