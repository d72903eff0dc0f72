import * as P from '../core/primitives.js';
import type { Tensor } from '../core/tensor.js';
import { scalar, tensor } from './creation.js';
import type { TensorLike } from './creation.js';

/**
 * Elementwise math. Binary functions broadcast like NumPy and accept numbers or arrays for either
 * operand. Most are primitives; the rest compose primitives (and so get gradients for free).
 *
 * ```ts
 * kiln.add(kiln.tensor([1, 2]), 10);     // [11, 12]
 * kiln.mul(x, kiln.tensor([[2], [3]]));  // broadcasts rows
 * ```
 */
export const asTensor = (x: TensorLike | Tensor): Tensor => (typeof x === 'number' ? scalar(x) : tensor(x));

export const add = (a: TensorLike, b: TensorLike) => P.binary('add', asTensor(a), asTensor(b));
export const sub = (a: TensorLike, b: TensorLike) => P.binary('sub', asTensor(a), asTensor(b));
export const mul = (a: TensorLike, b: TensorLike) => P.binary('mul', asTensor(a), asTensor(b));
export const div = (a: TensorLike, b: TensorLike) => P.binary('div', asTensor(a), asTensor(b));
export const pow = (a: TensorLike, b: TensorLike) => P.binary('pow', asTensor(a), asTensor(b));
export const maximum = (a: TensorLike, b: TensorLike) => P.binary('maximum', asTensor(a), asTensor(b));
export const minimum = (a: TensorLike, b: TensorLike) => P.binary('minimum', asTensor(a), asTensor(b));
export const mod = (a: TensorLike, b: TensorLike) => P.binary('mod', asTensor(a), asTensor(b));
export const equal = (a: TensorLike, b: TensorLike) => P.binary('equal', asTensor(a), asTensor(b));
export const notEqual = (a: TensorLike, b: TensorLike) => P.binary('notEqual', asTensor(a), asTensor(b));
export const greater = (a: TensorLike, b: TensorLike) => P.binary('greater', asTensor(a), asTensor(b));
export const greaterEqual = (a: TensorLike, b: TensorLike) => P.binary('greaterEqual', asTensor(a), asTensor(b));
export const less = (a: TensorLike, b: TensorLike) => P.binary('less', asTensor(a), asTensor(b));
export const lessEqual = (a: TensorLike, b: TensorLike) => P.binary('lessEqual', asTensor(a), asTensor(b));

export const neg = (x: TensorLike) => P.unary('neg', asTensor(x));
export const abs = (x: TensorLike) => P.unary('abs', asTensor(x));
export const sign = (x: TensorLike) => P.unary('sign', asTensor(x));
export const exp = (x: TensorLike) => P.unary('exp', asTensor(x));
export const expm1 = (x: TensorLike) => P.unary('expm1', asTensor(x));
export const log = (x: TensorLike) => P.unary('log', asTensor(x));
export const log1p = (x: TensorLike) => P.unary('log1p', asTensor(x));
export const sqrt = (x: TensorLike) => P.unary('sqrt', asTensor(x));
export const rsqrt = (x: TensorLike) => P.unary('rsqrt', asTensor(x));
export const square = (x: TensorLike) => P.unary('square', asTensor(x));
export const reciprocal = (x: TensorLike) => P.unary('reciprocal', asTensor(x));
export const tanh = (x: TensorLike) => P.unary('tanh', asTensor(x));
export const sigmoid = (x: TensorLike) => P.unary('sigmoid', asTensor(x));
export const erf = (x: TensorLike) => P.unary('erf', asTensor(x));
export const relu = (x: TensorLike) => P.unary('relu', asTensor(x));
export const floor = (x: TensorLike) => P.unary('floor', asTensor(x));
export const ceil = (x: TensorLike) => P.unary('ceil', asTensor(x));
export const round = (x: TensorLike) => P.unary('round', asTensor(x));
export const sin = (x: TensorLike) => P.unary('sin', asTensor(x));
export const cos = (x: TensorLike) => P.unary('cos', asTensor(x));
export const isNaN = (x: TensorLike) => P.unary('isnan', asTensor(x));
export const isFinite = (x: TensorLike) => P.unary('isfinite', asTensor(x));
export const logicalNot = (x: TensorLike) => P.unary('logicalNot', asTensor(x));

/** `cond ? a : b` elementwise (cond is nonzero/zero), broadcasting all three. */
export const where = (cond: TensorLike, a: TensorLike, b: TensorLike) => P.select(asTensor(cond), asTensor(a), asTensor(b));

/** Limits values to [lo, hi]. The gradient passes through inside the range, 0 outside. */
export const clipByValue = (x: TensorLike, lo: number, hi: number) => minimum(maximum(x, lo), hi);

/**
 * log(1 + exp(x)) without overflow: max(x, 0) + log1p(exp(-|x|)), with max(x, 0) written as
 * (x + |x|) / 2 so the gradient at exactly 0 is 0.5 (relu and abs both take 0 there).
 */
export const softplus = (x: TensorLike) => {
  const t = asTensor(x);
  return add(mul(add(t, abs(t)), 0.5), log1p(exp(neg(abs(t)))));
};

export const matMul = (a: TensorLike, b: TensorLike, transposeA = false, transposeB = false) =>
  P.matmul(asTensor(a), asTensor(b), transposeA, transposeB);

export const cast = P.cast;
