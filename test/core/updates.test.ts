import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import { backend } from '../../src/core/backend_registry.js';
import { stepScope } from '../../src/core/scope.js';
import { adamUpdate, composedAdamUpdate, composedSgdUpdate, sgdUpdate } from '../../src/core/updates.js';
import type { Variable } from '../../src/index.js';

// The fused optimizer kernels are optional: where a backend has one (wasm) it must give the
// composed default's bits exactly, or switching backends or kernels would change a training run.
// Sizes cover the SIMD body and every ragged tail; steps run inside a step scope, as in fit.

const SIZES = [1, 3, 4, 7, 33];

function state(n: number, seed: number): Variable[] {
  kiln.setSeed(seed);
  return [kiln.variable(kiln.randomNormal([n])), kiln.variable(kiln.mul(kiln.randomNormal([n]), 0.1)), kiln.variable(kiln.abs(kiln.randomNormal([n])))];
}

function bits(vars: readonly Variable[]): number[][] {
  return vars.map((v) => Array.from(new Uint32Array(v.dataSync().buffer)));
}

test(`adamUpdate (${backend().adamUpdate ? 'fused kernel' : 'composed'}) equals the composed Adam bit for bit`, () => {
  for (const n of SIZES) {
    const fused = state(n, n);
    const composed = state(n, n);
    for (let t = 1; t <= 4; t++) {
      kiln.setSeed(100 * n + t);
      const g = kiln.randomNormal([n]);
      const p = { lr: 0.001 * t, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, beta1Power: 0.9 ** t, beta2Power: 0.999 ** t };
      stepScope(() => adamUpdate(fused[0]!, fused[1]!, fused[2]!, g, p));
      stepScope(() => composedAdamUpdate(composed[0]!, composed[1]!, composed[2]!, g, p));
      assert.deepEqual(bits(fused), bits(composed), `n=${n} step ${t}`);
    }
  }
});

test(`sgdUpdate (${backend().sgdUpdate ? 'fused kernel' : 'composed'}) equals the composed SGD bit for bit: plain, momentum, Nesterov`, () => {
  for (const [momentum, nesterov] of [[0, false], [0.9, false], [0.9, true]] as const) {
    for (const n of SIZES) {
      const [w1, v1] = state(n, n);
      const [w2, v2] = state(n, n);
      for (let t = 1; t <= 3; t++) {
        kiln.setSeed(100 * n + t);
        const g = kiln.randomNormal([n]);
        const p = { lr: 0.01, momentum, nesterov };
        stepScope(() => sgdUpdate(w1!, momentum ? v1! : null, g, p));
        stepScope(() => composedSgdUpdate(w2!, momentum ? v2! : null, g, p));
        assert.deepEqual(bits([w1!, v1!]), bits([w2!, v2!]), `momentum=${momentum} nesterov=${nesterov} n=${n} step ${t}`);
      }
    }
  }
});

test('an update outside any step scope works too (eager use of an optimizer)', () => {
  const [w, m, v] = state(5, 3);
  const [w2, m2, v2] = state(5, 3);
  const g = kiln.randomNormal([5]);
  const p = { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, beta1Power: 0.9, beta2Power: 0.999 };
  adamUpdate(w!, m!, v!, g, p);
  composedAdamUpdate(w2!, m2!, v2!, g, p);
  assert.deepEqual(bits([w!, m!, v!]), bits([w2!, m2!, v2!]));
});
