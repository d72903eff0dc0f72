import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import type { Variable } from '../../src/index.js';
import { checkGradients } from '../helpers/gradcheck.js';

// Evidence 1: the Dense layer's gradient w.r.t. its input, kernel and bias, with nonlinear
// activations and for rank-3 inputs (Dense applies over the last axis).
test('dense: gradients w.r.t. input, kernel and bias match finite differences', () => {
  kiln.setSeed(3);
  for (const [activation, shape] of [['tanh', [4, 3]], ['sigmoid', [2, 3, 3]], ['linear', [5, 3]]] as const) {
    const layer = kiln.layers.dense({ units: 2, activation, inputShape: [3] });
    const x = kiln.randomNormal([...shape]);
    checkGradients((xi) => layer.apply(xi!), [x], { label: `dense ${activation} input` });

    const probe = kiln.randomUniform([...shape.slice(0, -1), 2], 0.5, 1.5);
    const objective = () => kiln.sum(kiln.mul(layer.apply(x), probe));
    const weights: Variable[] = [layer.kernel!, layer.bias!];
    const { grads } = kiln.valueAndGrads(objective, weights);
    const eps = 1e-3;
    weights.forEach((w, k) => {
      const base = Float32Array.from(w.dataSync());
      const analytic = grads[k]!.dataSync();
      for (let i = 0; i < base.length; i++) {
        const at = (delta: number) => {
          const v = Float32Array.from(base);
          v[i] = base[i]! + delta;
          w.assign(kiln.tensor(v, w.shape));
          return objective().item();
        };
        const numeric = (at(eps) - at(-eps)) / (2 * eps);
        w.assign(kiln.tensor(base, w.shape));
        assert.ok(Math.abs(numeric - analytic[i]!) <= 2e-3 + 2e-2 * Math.abs(numeric), `dense ${activation} ${w.name}[${i}]: ${analytic[i]} vs ${numeric}`);
      }
    });
  }
});
