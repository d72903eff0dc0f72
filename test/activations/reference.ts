/**
 * Float64 references of the Keras 3 activations, written from the formulas in
 * keras/src/activations/activations.py and keras/src/backend/numpy/nn.py (the NumPy backend is
 * Keras's executable spec). Used where tfjs has no activation with the same definition.
 */

/** erf to ~1e-15 (Abramowitz–Stegun 7.1.26 is too coarse for a reference; use the series / continued fraction). */
export function erf64(x: number): number {
  const z = Math.abs(x);
  let r: number;
  if (z < 3) {
    // Maclaurin series: erf(z) = 2/√π Σ (−1)^n z^(2n+1) / (n! (2n+1)).
    let term = z;
    let sum = z;
    for (let n = 1; n < 200; n++) {
      term *= (-z * z) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    r = (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // Continued fraction for erfc, evaluated bottom-up (Lentz is overkill at this accuracy).
    let f = 0;
    for (let n = 60; n >= 1; n--) f = n / 2 / (z + f);
    r = 1 - Math.exp(-z * z) / Math.sqrt(Math.PI) / (z + f);
  }
  return x < 0 ? -r : r;
}

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const elu = (x: number, alpha = 1) => (x >= 0 ? x : alpha * Math.expm1(x));
const hardSigmoid = (x: number) => Math.min(Math.max(x / 6 + 0.5, 0), 1);

export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;

/** Elementwise references by Keras name. */
export const ELEMENTWISE: Record<string, (x: number) => number> = {
  linear: (x) => x,
  relu: (x) => Math.max(x, 0),
  relu6: (x) => Math.min(Math.max(x, 0), 6),
  leaky_relu: (x) => Math.max(x, 0.2 * x),
  elu: (x) => elu(x),
  selu: (x) => SELU_SCALE * elu(x, SELU_ALPHA),
  sigmoid,
  hard_sigmoid: hardSigmoid,
  tanh: Math.tanh,
  softplus,
  softsign: (x) => x / (1 + Math.abs(x)),
  silu: (x) => x * sigmoid(x),
  hard_silu: (x) => x * hardSigmoid(x),
  gelu: (x) => 0.5 * x * (1 + erf64(x / Math.SQRT2)),
  gelu_new: (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
  exponential: Math.exp,
  mish: (x) => x * Math.tanh(softplus(x)),
};

/** Softmax / log-softmax over rows of length n (float64, max-shifted). */
export function softmaxRows(x: ArrayLike<number>, n: number, log: boolean): number[] {
  const out: number[] = [];
  for (let r = 0; r < x.length / n; r++) {
    const row = Array.from({ length: n }, (_, i) => x[r * n + i]!);
    const m = Math.max(...row);
    const lse = Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0)) + m;
    for (const v of row) out.push(log ? v - lse : Math.exp(v - lse));
  }
  return out;
}
