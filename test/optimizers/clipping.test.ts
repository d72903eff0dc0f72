/** Gradient clipping against hand-computed values, alone and inside applyGradients. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Variable } from '../../src/core/tensor.js';
import * as ops from '../../src/ops/index.js';
import * as O from '../../src/optimizers/index.js';
import { assertClose } from './helpers.js';

const t = (values: number[], shape = [values.length]) => ops.tensor(values, shape);
const vals = (x: { dataSync(): ArrayLike<number> }) => Array.from(x.dataSync());

test('clipByNorm: rescales to the norm, leaves small and zero gradients alone', () => {
  assertClose(vals(O.clipByNorm(t([100, 100]), 1)), [Math.SQRT1_2, Math.SQRT1_2], 1e-6);
  assertClose(vals(O.clipByNorm(t([3, 4]), 1)), [0.6, 0.8], 1e-6);
  assertClose(vals(O.clipByNorm(t([0.3, 0.4]), 1)), [0.3, 0.4], 1e-6); // norm 0.5 < 1
  assert.deepEqual(vals(O.clipByNorm(t([0, 0]), 1)), [0, 0]); // no division by zero
  // A matrix is clipped by its whole Frobenius norm, not per row.
  assertClose(vals(O.clipByNorm(t([3, 0, 0, 4], [2, 2]), 2.5)), [1.5, 0, 0, 2], 1e-6);
});

test('clipByGlobalNorm: one factor for all tensors; non-finite norm gives NaN', () => {
  const [a, b] = O.clipByGlobalNorm([t([3, 0]), t([4])], 1);
  assertClose(vals(a!), [0.6, 0], 1e-6);
  assertClose(vals(b!), [0.8], 1e-6);
  const [c, d] = O.clipByGlobalNorm([t([0.3]), t([0.4])], 1); // global norm 0.5: unchanged
  assertClose(vals(c!), [0.3], 1e-6);
  assertClose(vals(d!), [0.4], 1e-6);
  assertClose(vals(O.clipByGlobalNorm([t([50, 100])], 1)[0]!), [50 / Math.hypot(50, 100), 100 / Math.hypot(50, 100)], 1e-6);
  assert.ok(vals(O.clipByGlobalNorm([t([Infinity, 1])], 1)[0]!).every(Number.isNaN));
  assert.equal(O.globalNorm([t([3]), t([4])]).item(), 5);
});

/** One SGD step with lr 1, so each variable moves by exactly minus its clipped gradient. */
function sgdStep(options: O.SGDArgs, grads: number[][]): number[][] {
  const vars = grads.map((g, i) => new Variable(ops.zeros([g.length]), `v${i}`));
  O.sgd({ learningRate: 1, ...options }).applyGradients(grads.map((g, i) => [t(g), vars[i]!] as const));
  return vars.map((v) => vals(v).map((x) => -x));
}

test('clipnorm clips each gradient by its own norm inside applyGradients', () => {
  const [a, b] = sgdStep({ clipnorm: 1 }, [[3, 4], [0, 0.5]]);
  assertClose(a!, [0.6, 0.8], 1e-6);
  assertClose(b!, [0, 0.5], 1e-6);
});

test('globalClipnorm scales all gradients by the joint norm inside applyGradients', () => {
  const [a, b] = sgdStep({ globalClipnorm: 1 }, [[3, 4], [0, 0.5]]);
  const norm = Math.sqrt(25 + 0.25);
  assertClose(a!, [3 / norm, 4 / norm], 1e-6);
  assertClose(b!, [0, 0.5 / norm], 1e-6);
});

test('clipvalue limits each element inside applyGradients', () => {
  const [a] = sgdStep({ clipvalue: 1 }, [[100, -100, 0.5, -0.25]]);
  assertClose(a!, [1, -1, 0.5, -0.25], 1e-6);
});

test('clipping happens after loss-scale unscaling and before the update', () => {
  // Keras order: unscale (÷ lossScaleFactor), then clip. [300, 400] / 100 = [3, 4] → clipped to norm 1.
  const [a] = sgdStep({ lossScaleFactor: 100, clipnorm: 1 }, [[300, 400]]);
  assertClose(a!, [0.6, 0.8], 1e-6);
});

test('only one of clipnorm, clipvalue and globalClipnorm may be set', () => {
  for (const bad of [{ clipnorm: 1, globalClipnorm: 1 }, { clipnorm: 1, clipvalue: 1 }, { clipvalue: 1, global_clipnorm: 1 }]) {
    assert.throws(() => O.sgd(bad as O.SGDArgs), (e: Error) => e.name === 'ValueError' && /only one of 'clipnorm', 'clipvalue' and 'globalClipnorm'/.test(e.message));
  }
  assert.throws(() => O.adam({ clipnorm: -1 }), /option 'clipnorm' must be a finite number >= 0, found -1/);
});
