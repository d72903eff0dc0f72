// Elementwise binary kernels with the broadcast modes of abi.ts, and `select`.
//
// Every mode reduces to three SIMD segment loops over a run of `len` elements:
//   VV: a[i] ∘ b[i]     VS: a[i] ∘ s     SV: s ∘ b[i]      (s = one value, splatted)
// e.g. B_ROW (bias add) is VV per row with b rewound, B_COL is VS per row with s = b[row].
// Ops are inline f32x4 functions specialised per op code, as in unary.ts. pow and mod run per
// lane in float64 (Math.pow; floor-mod a - floor(a/b)·b like Python/TensorFlow), rounding once.
//
// Tails (len % 4) run the same vector code on a partly filled vector (padding lanes hold 1, so
// division and pow stay quiet there), so every element is treated bit-identically.
//
// NaN rules: maximum/minimum use WebAssembly's f32x4.max/min, which return NaN when either lane is
// NaN (NumPy semantics; x64 maxps alone would not). Comparisons with NaN are false, except
// notEqual, which is true, as in IEEE 754.
import {
  A_COL, A_ROW, A_SCALAR, B_ADD, B_COL, B_DIV, B_EQUAL, B_GREATER, B_GREATER_EQUAL, B_LESS,
  B_LESS_EQUAL, B_MAXIMUM, B_MINIMUM, B_MOD, B_MUL, B_NOT_EQUAL, B_POW, B_ROW, B_SCALAR, B_SUB, SAME,
} from './codes';
import { f4, loadTail, storeTail } from './simd';

@inline function scalar64(op: i32, a: f64, b: f64): f64 {
  if (op == B_POW) return Math.pow(a, b);
  return a - Math.floor(a / b) * b;
}

@inline function perLane(op: i32, a: v128, b: v128): v128 {
  let r = f32x4.splat(0);
  r = f32x4.replace_lane(r, 0, <f32>scalar64(op, f32x4.extract_lane(a, 0), f32x4.extract_lane(b, 0)));
  r = f32x4.replace_lane(r, 1, <f32>scalar64(op, f32x4.extract_lane(a, 1), f32x4.extract_lane(b, 1)));
  r = f32x4.replace_lane(r, 2, <f32>scalar64(op, f32x4.extract_lane(a, 2), f32x4.extract_lane(b, 2)));
  r = f32x4.replace_lane(r, 3, <f32>scalar64(op, f32x4.extract_lane(a, 3), f32x4.extract_lane(b, 3)));
  return r;
}

@inline function ones(mask: v128): v128 {
  return v128.and(mask, f32x4.splat(1));
}

@inline function binaryV(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case B_ADD: return f32x4.add(a, b);
    case B_SUB: return f32x4.sub(a, b);
    case B_MUL: return f32x4.mul(a, b);
    case B_DIV: return f32x4.div(a, b);
    case B_MAXIMUM: return f32x4.max(a, b);
    case B_MINIMUM: return f32x4.min(a, b);
    case B_EQUAL: return ones(f32x4.eq(a, b));
    case B_NOT_EQUAL: return ones(f32x4.ne(a, b));
    case B_GREATER: return ones(f32x4.gt(a, b));
    case B_GREATER_EQUAL: return ones(f32x4.ge(a, b));
    case B_LESS: return ones(f32x4.lt(a, b));
    case B_LESS_EQUAL: return ones(f32x4.le(a, b));
    default: return perLane(op, a, b);
  }
}

// Segment kinds: which operand is a single (splatted) value.
const VV = 0, VS = 1, SV = 2;

/**
 * One run of `len` outputs; for VS (SV) `b` (`a`) points at the single value. Two vectors per
 * iteration halve the loop overhead (V8 adds a stack check to every loop iteration).
 */
@inline function seg(op: i32, kind: i32, a: usize, b: usize, out: usize, len: i32): void {
  const v2end = f4(len & ~7);
  const vend = f4(len & ~3);
  const t = len & 3;
  let i: usize = 0;
  if (kind == VV) {
    for (; i < v2end; i += 32) {
      v128.store(out + i, binaryV(op, v128.load(a + i), v128.load(b + i)));
      v128.store(out + i, binaryV(op, v128.load(a + i, 16), v128.load(b + i, 16)), 16);
    }
    if (i < vend) v128.store(out + i, binaryV(op, v128.load(a + i), v128.load(b + i)));
    if (t) storeTail(out + vend, binaryV(op, loadTail(a + vend, t, 1), loadTail(b + vend, t, 1)), t);
  } else if (kind == VS) {
    const sv = v128.load32_splat(b);
    for (; i < v2end; i += 32) {
      v128.store(out + i, binaryV(op, v128.load(a + i), sv));
      v128.store(out + i, binaryV(op, v128.load(a + i, 16), sv), 16);
    }
    if (i < vend) v128.store(out + i, binaryV(op, v128.load(a + i), sv));
    if (t) storeTail(out + vend, binaryV(op, loadTail(a + vend, t, 1), sv), t);
  } else {
    const sv = v128.load32_splat(a);
    for (; i < v2end; i += 32) {
      v128.store(out + i, binaryV(op, sv, v128.load(b + i)));
      v128.store(out + i, binaryV(op, sv, v128.load(b + i, 16)), 16);
    }
    if (i < vend) v128.store(out + i, binaryV(op, sv, v128.load(b + i)));
    if (t) storeTail(out + vend, binaryV(op, sv, loadTail(b + vend, t, 1)), t);
  }
}

// One function per op, each with its loops specialised. (Inlining `seg` straight into the switch
// below let the optimizer fold the 14 copies back into one loop with the op switch inside it,
// 3× slower; separate functions stay separate.)
function seg_B_ADD(kind: i32, a: usize, b: usize, out: usize, len: i32): void { seg(B_ADD, kind, a, b, out, len); }
function seg_B_SUB(kind: i32, a: usize, b: usize, out: usize, len: i32): void { seg(B_SUB, kind, a, b, out, len); }
function seg_B_MUL(kind: i32, a: usize, b: usize, out: usize, len: i32): void { seg(B_MUL, kind, a, b, out, len); }
function seg_B_DIV(kind: i32, a: usize, b: usize, out: usize, len: i32): void { seg(B_DIV, kind, a, b, out, len); }
function seg_B_POW(kind: i32, a: usize, b: usize, out: usize, len: i32): void { seg(B_POW, kind, a, b, out, len); }
function seg_B_MAXIMUM(kind: i32, a: usize, b: usize, out: usize, len: i32): void { seg(B_MAXIMUM, kind, a, b, out, len); }
function seg_B_MINIMUM(kind: i32, a: usize, b: usize, out: usize, len: i32): void { seg(B_MINIMUM, kind, a, b, out, len); }
function seg_B_MOD(kind: i32, a: usize, b: usize, out: usize, len: i32): void { seg(B_MOD, kind, a, b, out, len); }
function seg_B_EQUAL(kind: i32, a: usize, b: usize, out: usize, len: i32): void { seg(B_EQUAL, kind, a, b, out, len); }
function seg_B_NOT_EQUAL(kind: i32, a: usize, b: usize, out: usize, len: i32): void { seg(B_NOT_EQUAL, kind, a, b, out, len); }
function seg_B_GREATER(kind: i32, a: usize, b: usize, out: usize, len: i32): void { seg(B_GREATER, kind, a, b, out, len); }
function seg_B_GREATER_EQUAL(kind: i32, a: usize, b: usize, out: usize, len: i32): void { seg(B_GREATER_EQUAL, kind, a, b, out, len); }
function seg_B_LESS(kind: i32, a: usize, b: usize, out: usize, len: i32): void { seg(B_LESS, kind, a, b, out, len); }
function seg_B_LESS_EQUAL(kind: i32, a: usize, b: usize, out: usize, len: i32): void { seg(B_LESS_EQUAL, kind, a, b, out, len); }

/** Runs one segment of op `op`; the op switch costs a br_table per segment (per row). */
function segment(op: i32, kind: i32, a: usize, b: usize, out: usize, len: i32): void {
  switch (op) {
    case B_ADD: seg_B_ADD(kind, a, b, out, len); break;
    case B_SUB: seg_B_SUB(kind, a, b, out, len); break;
    case B_MUL: seg_B_MUL(kind, a, b, out, len); break;
    case B_DIV: seg_B_DIV(kind, a, b, out, len); break;
    case B_POW: seg_B_POW(kind, a, b, out, len); break;
    case B_MAXIMUM: seg_B_MAXIMUM(kind, a, b, out, len); break;
    case B_MINIMUM: seg_B_MINIMUM(kind, a, b, out, len); break;
    case B_MOD: seg_B_MOD(kind, a, b, out, len); break;
    case B_EQUAL: seg_B_EQUAL(kind, a, b, out, len); break;
    case B_NOT_EQUAL: seg_B_NOT_EQUAL(kind, a, b, out, len); break;
    case B_GREATER: seg_B_GREATER(kind, a, b, out, len); break;
    case B_GREATER_EQUAL: seg_B_GREATER_EQUAL(kind, a, b, out, len); break;
    case B_LESS: seg_B_LESS(kind, a, b, out, len); break;
    case B_LESS_EQUAL: seg_B_LESS_EQUAL(kind, a, b, out, len); break;
    default: unreachable();
  }
}

/** Elementwise a ∘ b with a BroadcastMode (abi.ts); comparisons write 1 or 0. n = output length. */
export function binary(op: i32, a: usize, b: usize, out: usize, n: i32, mode: i32, inner: i32): void {
  if (inner <= 0) inner = 1;
  const rows = n / inner;
  const rb = f4(inner);
  switch (mode) {
    case SAME: segment(op, VV, a, b, out, n); break;
    case B_SCALAR: segment(op, VS, a, b, out, n); break;
    case A_SCALAR: segment(op, SV, a, b, out, n); break;
    case B_ROW: {
      if (inner == 1) segment(op, VS, a, b, out, n);
      else for (let r: usize = 0; r < <usize>rows; r++) segment(op, VV, a + r * rb, b, out + r * rb, inner);
      break;
    }
    case A_ROW: {
      if (inner == 1) segment(op, SV, a, b, out, n);
      else for (let r: usize = 0; r < <usize>rows; r++) segment(op, VV, a, b + r * rb, out + r * rb, inner);
      break;
    }
    case B_COL: {
      if (inner == 1) segment(op, VV, a, b, out, n);
      else for (let r: usize = 0; r < <usize>rows; r++) segment(op, VS, a + r * rb, b + (r << 2), out + r * rb, inner);
      break;
    }
    case A_COL: {
      if (inner == 1) segment(op, VV, a, b, out, n);
      else for (let r: usize = 0; r < <usize>rows; r++) segment(op, SV, a + (r << 2), b + r * rb, out + r * rb, inner);
      break;
    }
    default: unreachable();
  }
}

/** out[i] = cond[i] != 0 ? a[i] : b[i] (a NaN condition counts as true, as in the reference backend). */
export function select(cond: usize, a: usize, b: usize, out: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const vend = f4(n & ~3);
  for (let i: usize = 0; i < vend; i += 16) {
    v128.store(out + i, v128.bitselect(v128.load(a + i), v128.load(b + i), f32x4.ne(v128.load(cond + i), zero)));
  }
  for (let i = f4(n & ~3), end = f4(n); i < end; i += 4) {
    store<f32>(out + i, load<f32>(cond + i) != 0 ? load<f32>(a + i) : load<f32>(b + i));
  }
}
