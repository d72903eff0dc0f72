/**
 * Scalar special functions shared by every backend's reference path and by tests.
 * Kept in one place so a float32 kernel and its gradient agree on the same definition.
 */

/**
 * erf(x) to ~1e-7 absolute error (W. J. Cody's rational approximations are overkill at float32;
 * this uses the Numerical Recipes erfc Chebyshev fit, accurate to 1.2e-7 everywhere).
 */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}

/** Numerically stable logistic: never computes exp of a large positive number. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Rounds half to even, like NumPy and TensorFlow (Math.round rounds half up). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
