// Reductions over the middle axis of a [outer, mid, inner] view, and argMax.
//
// Layout decides the vector direction:
//   inner == 1  (reduce the last axis: softmax sums, per-row losses): rows are contiguous, so each
//               row is folded four lanes at a time into two vector accumulators, then across lanes;
//   inner >= 4  (reduce a leading axis: bias gradients, batch means): 16 (then 4) output columns
//               at a time, walking down k, so every load is a full contiguous vector;
//   otherwise   scalar.
// Float32 accumulation in a different order from a sequential loop; the several accumulators also
// make long sums more accurate than one running total.
//
// NaN rule: max and min return NaN when any element is NaN (NumPy), via f32x4.max/min, which
// propagate NaN, and an explicit check in the scalar paths.
import { R_MAX, R_MIN, R_PROD, R_SUM } from './codes';
import { f4 } from './simd';

@inline function identity(op: i32): f32 {
  switch (op) {
    case R_SUM: return 0;
    case R_PROD: return 1;
    case R_MAX: return -Infinity;
    default: return Infinity;
  }
}

@inline function combineV(op: i32, acc: v128, x: v128): v128 {
  switch (op) {
    case R_SUM: return f32x4.add(acc, x);
    case R_PROD: return f32x4.mul(acc, x);
    case R_MAX: return f32x4.max(acc, x);
    default: return f32x4.min(acc, x);
  }
}

@inline function combineS(op: i32, acc: f32, x: f32): f32 {
  switch (op) {
    case R_SUM: return acc + x;
    case R_PROD: return acc * x;
    case R_MAX: return x > acc || x != x ? x : acc;
    default: return x < acc || x != x ? x : acc;
  }
}

/** Folds the four lanes of v into one value. */
@inline function lanes(op: i32, v: v128): f32 {
  let r = combineS(op, f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1));
  r = combineS(op, r, f32x4.extract_lane(v, 2));
  return combineS(op, r, f32x4.extract_lane(v, 3));
}

/** Reduces one contiguous row of `len` elements. */
@inline function reduceRow(op: i32, x: usize, len: i32): f32 {
  const id = f32x4.splat(identity(op));
  let a0 = id, a1 = id;
  let p = x;
  const end8 = x + f4(len & ~7);
  for (; p < end8; p += 32) {
    a0 = combineV(op, a0, v128.load(p));
    a1 = combineV(op, a1, v128.load(p, 16));
  }
  if (len & 4) {
    a0 = combineV(op, a0, v128.load(p));
    p += 16;
  }
  let r = lanes(op, combineV(op, a0, a1));
  for (const end = x + f4(len); p < end; p += 4) r = combineS(op, r, load<f32>(p));
  return r;
}

@inline function reduceOp(op: i32, x: usize, out: usize, outer: i32, mid: i32, inner: i32): void {
  if (inner == 1) {
    for (let o = 0; o < outer; o++) store<f32>(out + f4(o), reduceRow(op, x + f4(o * mid), mid));
    return;
  }
  const id = f32x4.splat(identity(op));
  const step = f4(inner);
  for (let o = 0; o < outer; o++) {
    const xo = x + f4(o * mid * inner);
    const oo = out + f4(o * inner);
    let i = 0;
    for (; i + 16 <= inner; i += 16) {
      let a0 = id, a1 = id, a2 = id, a3 = id;
      let p = xo + f4(i);
      for (let k = 0; k < mid; k++) {
        a0 = combineV(op, a0, v128.load(p));
        a1 = combineV(op, a1, v128.load(p, 16));
        a2 = combineV(op, a2, v128.load(p, 32));
        a3 = combineV(op, a3, v128.load(p, 48));
        p += step;
      }
      const q = oo + f4(i);
      v128.store(q, a0); v128.store(q, a1, 16); v128.store(q, a2, 32); v128.store(q, a3, 48);
    }
    for (; i + 4 <= inner; i += 4) {
      let a0 = id;
      let p = xo + f4(i);
      for (let k = 0; k < mid; k++) {
        a0 = combineV(op, a0, v128.load(p));
        p += step;
      }
      v128.store(oo + f4(i), a0);
    }
    for (; i < inner; i++) {
      let r = identity(op);
      let p = xo + f4(i);
      for (let k = 0; k < mid; k++) {
        r = combineS(op, r, load<f32>(p));
        p += step;
      }
      store<f32>(oo + f4(i), r);
    }
  }
}

// One function per op so each keeps its own specialised loops (see unary.ts).
function reduceSum(x: usize, out: usize, outer: i32, mid: i32, inner: i32): void { reduceOp(R_SUM, x, out, outer, mid, inner); }
function reduceMax(x: usize, out: usize, outer: i32, mid: i32, inner: i32): void { reduceOp(R_MAX, x, out, outer, mid, inner); }
function reduceMin(x: usize, out: usize, outer: i32, mid: i32, inner: i32): void { reduceOp(R_MIN, x, out, outer, mid, inner); }
function reduceProd(x: usize, out: usize, outer: i32, mid: i32, inner: i32): void { reduceOp(R_PROD, x, out, outer, mid, inner); }

/** out[o*inner + i] = reduce over k < mid of x[(o*mid + k)*inner + i]; mid = 0 gives the identity. */
export function reduce(op: i32, x: usize, out: usize, outer: i32, mid: i32, inner: i32): void {
  switch (op) {
    case R_SUM: reduceSum(x, out, outer, mid, inner); break;
    case R_MAX: reduceMax(x, out, outer, mid, inner); break;
    case R_MIN: reduceMin(x, out, outer, mid, inner); break;
    case R_PROD: reduceProd(x, out, outer, mid, inner); break;
    default: unreachable();
  }
}

/**
 * out[o*inner + i] (i32) = index k < mid of the largest x[(o*mid + k)*inner + i]: the first one on
 * ties, and the first NaN if there is one (NaN wins, so a bad value is visible in the result).
 * mid = 0 gives 0.
 */
export function argMax(x: usize, out: usize, outer: i32, mid: i32, inner: i32): void {
  const step = f4(inner);
  for (let o = 0; o < outer; o++) {
    const xo = x + f4(o * mid * inner);
    const oo = out + f4(o * inner);
    let i = 0;
    // Four columns at a time: lanes update where x > best, or x is the first NaN seen.
    for (; i + 4 <= inner; i += 4) {
      let best = f32x4.splat(-Infinity);
      let idx = i32x4.splat(0);
      let p = xo + f4(i);
      for (let k = 0; k < mid; k++) {
        const v = v128.load(p);
        const take = v128.or(f32x4.gt(v, best), v128.and(f32x4.ne(v, v), f32x4.eq(best, best)));
        best = v128.bitselect(v, best, take);
        idx = v128.bitselect(i32x4.splat(k), idx, take);
        p += step;
      }
      v128.store(oo + f4(i), idx);
    }
    for (; i < inner; i++) {
      let best: f32 = -Infinity;
      let bestK = 0;
      let p = xo + f4(i);
      for (let k = 0; k < mid; k++) {
        const v = load<f32>(p);
        if (v > best || (v != v && best == best)) {
          best = v;
          bestK = k;
        }
        p += step;
      }
      store<i32>(oo + f4(i), bestK);
    }
  }
}
