// Elementwise unary kernels: out[i] = f(x[i]).
//
// Each op is one inline f32x4 function, and each op gets its own copy of the loop (map_U_*), two
// vectors per iteration. Tails (n % 4) run the same vector function on a partly filled vector, so
// every element gets bit-identical treatment. exp, tanh and sigmoid are SIMD polynomials
// (math.ts, ≤ 2–3 ulp); log, expm1, log1p, erf, sin and cos run per lane in float64 and round
// once (accurate, ~10–25 ns per element).
import {
  U_ABS, U_CEIL, U_COS, U_ERF, U_EXP, U_EXPM1, U_FLOOR, U_ISFINITE, U_ISNAN, U_LOG, U_LOG1P,
  U_LOGICAL_NOT, U_NEG, U_RECIPROCAL, U_RELU, U_ROUND, U_RSQRT, U_SIGMOID, U_SIGN, U_SIN, U_SQRT,
  U_SQUARE, U_STEP, U_TANH,
} from './codes';
import { erf64, expV, sigmoidV, tanhV } from './math';
import { f4, loadTail, storeTail } from './simd';

/** Applies a float64 function to each lane (for ops without a vector form). */
@inline function perLane(op: i32, x: v128): v128 {
  let r = f32x4.splat(0);
  r = f32x4.replace_lane(r, 0, <f32>scalar64(op, <f64>f32x4.extract_lane(x, 0)));
  r = f32x4.replace_lane(r, 1, <f32>scalar64(op, <f64>f32x4.extract_lane(x, 1)));
  r = f32x4.replace_lane(r, 2, <f32>scalar64(op, <f64>f32x4.extract_lane(x, 2)));
  r = f32x4.replace_lane(r, 3, <f32>scalar64(op, <f64>f32x4.extract_lane(x, 3)));
  return r;
}

@inline function scalar64(op: i32, x: f64): f64 {
  switch (op) {
    case U_EXPM1: return Math.expm1(x);
    case U_LOG: return Math.log(x);
    case U_LOG1P: return Math.log1p(x);
    case U_ERF: return erf64(x);
    case U_SIN: return Math.sin(x);
    default: return Math.cos(x);
  }
}

/** 1.0 where the mask lane is set, 0.0 elsewhere. */
@inline function ones(mask: v128): v128 {
  return v128.and(mask, f32x4.splat(1));
}

@inline function unaryV(op: i32, x: v128): v128 {
  const zero = f32x4.splat(0);
  switch (op) {
    case U_NEG: return f32x4.neg(x);
    case U_ABS: return f32x4.abs(x);
    case U_SIGN: {
      // 1, -1, 0 (also for -0), NaN for NaN.
      let r = v128.bitselect(f32x4.splat(1), zero, f32x4.gt(x, zero));
      r = v128.bitselect(f32x4.splat(-1), r, f32x4.lt(x, zero));
      return v128.bitselect(x, r, f32x4.ne(x, x));
    }
    case U_EXP: return expV(x);
    case U_SQRT: return f32x4.sqrt(x);
    case U_RSQRT: return f32x4.div(f32x4.splat(1), f32x4.sqrt(x));
    case U_SQUARE: return f32x4.mul(x, x);
    case U_RECIPROCAL: return f32x4.div(f32x4.splat(1), x);
    case U_TANH: return tanhV(x);
    case U_SIGMOID: return sigmoidV(x);
    // pmax(x, 0) = x < 0 ? 0 : x: keeps NaN (relu must not hide bad values).
    case U_RELU: return f32x4.pmax(x, zero);
    case U_STEP: return ones(f32x4.gt(x, zero));
    case U_FLOOR: return f32x4.floor(x);
    case U_CEIL: return f32x4.ceil(x);
    // WebAssembly's nearest rounds half to even, like NumPy and TensorFlow.
    case U_ROUND: return f32x4.nearest(x);
    case U_ISNAN: return ones(f32x4.ne(x, x));
    // |x| < Inf is false for ±Inf and NaN.
    case U_ISFINITE: return ones(f32x4.lt(f32x4.abs(x), f32x4.splat(Infinity)));
    case U_LOGICAL_NOT: return ones(f32x4.eq(x, zero));
    default: return perLane(op, x);
  }
}

/** The loop, two vectors per iteration (halves V8's per-iteration loop overhead). */
@inline function map(op: i32, x: usize, out: usize, n: i32): void {
  const v2end = f4(n & ~7);
  const vend = f4(n & ~3);
  let i: usize = 0;
  for (; i < v2end; i += 32) {
    v128.store(out + i, unaryV(op, v128.load(x + i)));
    v128.store(out + i, unaryV(op, v128.load(x + i, 16)), 16);
  }
  if (i < vend) v128.store(out + i, unaryV(op, v128.load(x + i)));
  if (n & 3) storeTail(out + vend, unaryV(op, loadTail(x + vend, n & 3, 0)), n & 3);
}

// One function per op, each with its loop specialised: inlining `map` straight into the switch
// let the optimizer fold the 24 copies into one loop with the op switch inside (3× slower).
function map_U_NEG(x: usize, out: usize, n: i32): void { map(U_NEG, x, out, n); }
function map_U_ABS(x: usize, out: usize, n: i32): void { map(U_ABS, x, out, n); }
function map_U_SIGN(x: usize, out: usize, n: i32): void { map(U_SIGN, x, out, n); }
function map_U_EXP(x: usize, out: usize, n: i32): void { map(U_EXP, x, out, n); }
function map_U_EXPM1(x: usize, out: usize, n: i32): void { map(U_EXPM1, x, out, n); }
function map_U_LOG(x: usize, out: usize, n: i32): void { map(U_LOG, x, out, n); }
function map_U_LOG1P(x: usize, out: usize, n: i32): void { map(U_LOG1P, x, out, n); }
function map_U_SQRT(x: usize, out: usize, n: i32): void { map(U_SQRT, x, out, n); }
function map_U_RSQRT(x: usize, out: usize, n: i32): void { map(U_RSQRT, x, out, n); }
function map_U_SQUARE(x: usize, out: usize, n: i32): void { map(U_SQUARE, x, out, n); }
function map_U_RECIPROCAL(x: usize, out: usize, n: i32): void { map(U_RECIPROCAL, x, out, n); }
function map_U_TANH(x: usize, out: usize, n: i32): void { map(U_TANH, x, out, n); }
function map_U_SIGMOID(x: usize, out: usize, n: i32): void { map(U_SIGMOID, x, out, n); }
function map_U_ERF(x: usize, out: usize, n: i32): void { map(U_ERF, x, out, n); }
function map_U_RELU(x: usize, out: usize, n: i32): void { map(U_RELU, x, out, n); }
function map_U_STEP(x: usize, out: usize, n: i32): void { map(U_STEP, x, out, n); }
function map_U_FLOOR(x: usize, out: usize, n: i32): void { map(U_FLOOR, x, out, n); }
function map_U_CEIL(x: usize, out: usize, n: i32): void { map(U_CEIL, x, out, n); }
function map_U_ROUND(x: usize, out: usize, n: i32): void { map(U_ROUND, x, out, n); }
function map_U_SIN(x: usize, out: usize, n: i32): void { map(U_SIN, x, out, n); }
function map_U_COS(x: usize, out: usize, n: i32): void { map(U_COS, x, out, n); }
function map_U_ISNAN(x: usize, out: usize, n: i32): void { map(U_ISNAN, x, out, n); }
function map_U_ISFINITE(x: usize, out: usize, n: i32): void { map(U_ISFINITE, x, out, n); }
function map_U_LOGICAL_NOT(x: usize, out: usize, n: i32): void { map(U_LOGICAL_NOT, x, out, n); }


/** out[i] = f(x[i]) for i < n; `out` may equal `x`. Op codes: UNARY_CODES in abi.ts. */
export function unary(op: i32, x: usize, out: usize, n: i32): void {
  switch (op) {
    case U_NEG: map_U_NEG(x, out, n); break;
    case U_ABS: map_U_ABS(x, out, n); break;
    case U_SIGN: map_U_SIGN(x, out, n); break;
    case U_EXP: map_U_EXP(x, out, n); break;
    case U_EXPM1: map_U_EXPM1(x, out, n); break;
    case U_LOG: map_U_LOG(x, out, n); break;
    case U_LOG1P: map_U_LOG1P(x, out, n); break;
    case U_SQRT: map_U_SQRT(x, out, n); break;
    case U_RSQRT: map_U_RSQRT(x, out, n); break;
    case U_SQUARE: map_U_SQUARE(x, out, n); break;
    case U_RECIPROCAL: map_U_RECIPROCAL(x, out, n); break;
    case U_TANH: map_U_TANH(x, out, n); break;
    case U_SIGMOID: map_U_SIGMOID(x, out, n); break;
    case U_ERF: map_U_ERF(x, out, n); break;
    case U_RELU: map_U_RELU(x, out, n); break;
    case U_STEP: map_U_STEP(x, out, n); break;
    case U_FLOOR: map_U_FLOOR(x, out, n); break;
    case U_CEIL: map_U_CEIL(x, out, n); break;
    case U_ROUND: map_U_ROUND(x, out, n); break;
    case U_SIN: map_U_SIN(x, out, n); break;
    case U_COS: map_U_COS(x, out, n); break;
    case U_ISNAN: map_U_ISNAN(x, out, n); break;
    case U_ISFINITE: map_U_ISFINITE(x, out, n); break;
    case U_LOGICAL_NOT: map_U_LOGICAL_NOT(x, out, n); break;
    default: unreachable();
  }
}
