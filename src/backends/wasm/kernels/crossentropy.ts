// Sparse softmax crossentropy over rows of logits [rows, n] with int32 labels [rows], fused with
// the softmax, shifted by the row maximum so exp never overflows (logits of ±1e4 are fine):
//   loss[r] = (max + log Σ e^(x - max)) - x[label]      dx = (softmax(x) - onehot(label)) · dy[r]
//
// The exponentials are float32 SIMD (expV, ≤ 2 ulp), but their sum is accumulated in float64 and
// without the row maximum's own e^0 = 1: with confident logits Σ = 1 + tiny, and adding the 1
// first would round the tiny part away (in float32 the loss would be exactly 0 where the truth is
// 2e-9; even in float64 a loss of 1e-12 keeps only 4 digits). So log Σ = log1p(rest) for a unique
// maximum. The final scalar is formed in float64, (x[label] - max) - log Σ, and rounded once.
// A ragged row end (n % 4) is one vector padded with -Inf, whose e^(-Inf - max) is 0.
// Labels are not range-checked here: the loss checks them before calling the primitive.
import { expV } from './math';
import { f4, loadTail, storeTail } from './simd';
import { rowMax } from './softmax';

/** How many exponentials of the last `expSum64` were exactly 1 (the row's maxima); see `logSumRow`. */
let ones: i32 = 0;

/**
 * Σ e^(x - shift) over a row, in float64, leaving out the exponentials that are exactly 1 (the
 * maxima, whose count goes to `ones`): the sum of the rest keeps its low bits even when it is
 * tiny. With `write` the float32 exponentials also go to `out`.
 */
@inline function expSum64(x: usize, out: usize, n: i32, shift: f32, write: bool): f64 {
  const s = f32x4.splat(shift);
  const one = f32x4.splat(1);
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  let count = i32x4.splat(0);
  const vend = f4(n & ~3);
  const t = n & 3;
  for (let i: usize = 0; i <= vend; i += 16) {
    if (i === vend && !t) break;
    const e = expV(f32x4.sub(i < vend ? v128.load(x + i) : loadTail(x + vend, t, -Infinity), s));
    if (write) {
      if (i < vend) v128.store(out + i, e);
      else storeTail(out + vend, e, t);
    }
    const isOne = f32x4.eq(e, one);
    const rest = v128.andnot(e, isOne);
    count = i32x4.sub(count, isOne); // a true lane is -1
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(rest));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(rest, rest, 2, 3, 2, 3)));
  }
  ones = i32x4.extract_lane(count, 0) + i32x4.extract_lane(count, 1) + i32x4.extract_lane(count, 2) + i32x4.extract_lane(count, 3);
  const acc = f64x2.add(lo, hi);
  return f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
}

/** log Σ e^(x - max) of a row from its parts: log1p(rest) when the max is unique, so a tiny rest is kept. */
@inline function logSumRow(rest: f64): f64 {
  return ones === 1 ? Math.log1p(rest) : Math.log(<f64>ones + rest);
}

/** out[r] = −log softmax(x[r])[labels[r]] for `rows` rows of n > 0 logits. */
export function sparseSoftmaxCrossEntropy(x: usize, labels: usize, out: usize, rows: i32, n: i32): void {
  const rowBytes = f4(n);
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    const m = rowMax(xr, n);
    const logSum = logSumRow(expSum64(xr, 0, n, m, false));
    const xl = load<f32>(xr + f4(load<i32>(labels + f4(r))));
    store<f32>(out + f4(r), <f32>-((<f64>xl - <f64>m) - logSum));
  }
}

/**
 * dx[r, k] = (softmax(x[r])[k] − [k = labels[r]]) · dy[r], for `rows` rows of n > 0 logits.
 * Rounded like the reference: p = e^(x − max)/Σ to float32, then p − 1 at the label, then · dy.
 */
export function sparseSoftmaxCrossEntropyGrad(x: usize, labels: usize, dy: usize, out: usize, rows: i32, n: i32): void {
  const rowBytes = f4(n);
  const vend = f4(n & ~3);
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    const or = out + <usize>r * rowBytes;
    const m = rowMax(xr, n);
    const rest = expSum64(xr, or, n, m, true);
    const inv = <f32>(1 / (<f64>ones + rest));
    const g = load<f32>(dy + f4(r));
    const at = or + f4(load<i32>(labels + f4(r)));
    const pl = load<f32>(at) * inv;
    const vi = f32x4.splat(inv);
    const vg = f32x4.splat(g);
    for (let i: usize = 0; i < vend; i += 16) v128.store(or + i, f32x4.mul(f32x4.mul(v128.load(or + i), vi), vg));
    for (let i = vend, end = rowBytes; i < end; i += 4) store<f32>(or + i, load<f32>(or + i) * inv * g);
    store<f32>(at, (pl - 1) * g);
  }
}
