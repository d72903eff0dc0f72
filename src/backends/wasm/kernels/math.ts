// Vectorised transcendental functions on f32x4, accurate to a few float32 ulps, and the scalar
// (float64) special functions the elementwise kernels fall back to.
//
// NaN rule: every function here returns NaN for a NaN lane. Clamps use pmin/pmax (one minps/maxps
// on x64) with the argument order that returns the *input* lane when the comparison is false,
// which is the case for NaN, so NaN flows through instead of being clamped to a number.

/** pmax(x, lo) = x < lo ? lo : x — NaN stays NaN. */
@inline export function clampLow(x: v128, lo: f32): v128 {
  return f32x4.pmax(x, f32x4.splat(lo));
}

/** pmin(x, hi) = hi < x ? hi : x — NaN stays NaN. */
@inline export function clampHigh(x: v128, hi: f32): v128 {
  return f32x4.pmin(x, f32x4.splat(hi));
}

/**
 * e^x per lane, ≤ 2 ulp (Cephes expf scheme): x = n·ln2 + r with |r| ≤ ln2/2, e^r by a degree-7
 * polynomial, then scaled by 2^n. The scale is applied as two powers of two (2^⌊n/2⌋ · 2^⌈n/2⌉),
 * so n may range over [-150, 128]: results overflow to +Inf above ln(FLT_MAX) ≈ 88.72, become
 * correctly rounded subnormals down to ≈ -103.9 and 0 below, with no special-case selects.
 */
@inline export function expV(x: v128): v128 {
  x = clampHigh(clampLow(x, -104.0), 88.8);
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  // ln2 split in two so n·LN2_HI is exact (LN2_HI has 9 significant bits, n at most 8).
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  // e^r ≈ 1 + r + r²·P(r), P of degree 5, evaluated by Estrin's scheme (three independent
  // pairs, then two levels) rather than Horner: half the dependency chain, so more vectors of a
  // loop overlap in the out-of-order window.
  const r2 = f32x4.mul(r, r);
  const q0 = f32x4.add(f32x4.splat(5.0000001201e-1), f32x4.mul(f32x4.splat(1.6666665459e-1), r));
  const q1 = f32x4.add(f32x4.splat(4.1665795894e-2), f32x4.mul(f32x4.splat(8.3334519073e-3), r));
  const q2 = f32x4.add(f32x4.splat(1.3981999507e-3), f32x4.mul(f32x4.splat(1.9875691500e-4), r));
  const p = f32x4.add(q0, f32x4.mul(r2, f32x4.add(q1, f32x4.mul(r2, q2))));
  const y = f32x4.add(f32x4.add(f32x4.splat(1), r), f32x4.mul(r2, p));
  // trunc_sat maps a NaN lane to 0; y is already NaN there, so the scale does not matter.
  const ni = i32x4.trunc_sat_f32x4_s(n);
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  const bias = i32x4.splat(127);
  const s1 = i32x4.shl(i32x4.add(n1, bias), 23);
  const s2 = i32x4.shl(i32x4.add(n2, bias), 23);
  return f32x4.mul(f32x4.mul(y, s1), s2);
}

/** Logistic 1/(1+e^-x), stable: uses e = e^-|x| ≤ 1, giving e/(1+e) for x < 0 (no overflow, full precision). */
@inline export function sigmoidV(x: v128): v128 {
  const e = expV(f32x4.neg(f32x4.abs(x)));
  const s = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), e));
  // x >= 0 is false for NaN, and e·s is NaN there.
  return v128.bitselect(s, f32x4.mul(e, s), f32x4.ge(x, f32x4.splat(0)));
}

/**
 * tanh per lane, ≤ 3 ulp. |x| < 0.625: odd polynomial (Cephes tanhf), where 1 - 2/(e^2x + 1)
 * would cancel; otherwise 1 - 2/(e^2|x| + 1) with x's sign (e^2|x| = +Inf gives exactly ±1).
 */
@inline export function tanhV(x: v128): v128 {
  const signBit = f32x4.splat(-0.0);
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(x, f32x4.mul(f32x4.mul(x, z), p));
  const e = expV(f32x4.add(ax, ax));
  const big = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(e, f32x4.splat(1))));
  const signed = v128.or(big, v128.and(x, signBit));
  return v128.bitselect(small, signed, f32x4.lt(ax, f32x4.splat(0.625)));
}

/**
 * erf to ~1.2e-7 absolute, in float64: the same Numerical Recipes erfc fit as core/special.ts, so
 * this kernel and the reference backend (and the gradient, which uses erf's exact derivative)
 * agree to float32 rounding.
 */
export function erf64(x: f64): f64 {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(
    -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
      t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
  );
  return x >= 0 ? 1 - r : r - 1;
}
