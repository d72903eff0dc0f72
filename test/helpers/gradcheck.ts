import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
export { assertClose } from './assert_close.js';

/**
 * Checks analytic gradients of `fn` against central finite differences. The function's output is
 * projected onto fixed random weights first, so one scalar check covers the whole Jacobian.
 * Float32 arithmetic limits the finite-difference precision, hence eps 1e-2..1e-3 and a tolerance
 * of about 1e-2 relative; a wrong rule is off by far more.
 */
export function checkGradients(
  fn: (...xs: Tensor[]) => Tensor,
  inputs: Tensor[],
  { eps = 1e-3, rtol = 2e-2, atol = 2e-3, label = 'gradient' }: { eps?: number; rtol?: number; atol?: number; label?: string } = {},
): void {
  const probe = fn(...inputs);
  const weights = kiln.randomUniform(probe.shape, 0.5, 1.5);
  const scalarFn = (...xs: Tensor[]) => kiln.sum(kiln.mul(fn(...xs), weights));
  const { grads } = kiln.valueAndGrads(() => scalarFn(...inputs), inputs);
  inputs.forEach((x, k) => {
    const analytic = grads[k]!.dataSync();
    const base = Float64Array.from(x.dataSync());
    for (let i = 0; i < base.length; i++) {
      const shifted = (delta: number) => {
        const v = Float32Array.from(base);
        v[i] = base[i]! + delta;
        const xs = inputs.map((t, j) => (j === k ? kiln.tensor(v, x.shape) : t));
        return scalarFn(...xs).item();
      };
      const numeric = (shifted(eps) - shifted(-eps)) / (2 * eps);
      const err = Math.abs(numeric - analytic[i]!);
      assert.ok(
        err <= atol + rtol * Math.abs(numeric),
        `${label}: input ${k} element ${i}: analytic ${analytic[i]} vs numeric ${numeric} (|diff| ${err.toExponential(2)})`,
      );
    }
  });
}

