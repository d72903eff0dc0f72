// Finite-difference gradient checks of every loss with respect to y_pred (both from_logits
// variants), analytic spot checks at the kinks, and saturated inputs: values and gradients finite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setSeed } from '../../src/core/random.js';
import type { Tensor } from '../../src/core/tensor.js';
import * as losses from '../../src/losses/index.js';
import { assertAllFinite, assertClose, checkGradient, gradOf, ops, randomLabels } from './helpers.js';

setSeed(5);
const N = 4;
const C = 3;

test('finite differences: regression losses', () => {
  const y = ops.randomNormal([N, C]);
  // Keep errors away from the kinks (|e| = 0 for MAE/MAPE, |e| = delta for Huber).
  const offset = ops.mul(ops.sign(ops.randomNormal([N, C])), ops.randomUniform([N, C], 0.2, 0.8));
  const p = ops.add(y, offset);
  checkGradient((x) => losses.functions.meanSquaredError(y, x), p, { label: 'mse' });
  checkGradient((x) => losses.functions.meanAbsoluteError(y, x), p, { label: 'mae' });
  checkGradient((x) => losses.functions.logCosh(y, x), ops.add(y, ops.mul(offset, 4)), { label: 'log_cosh' });
  checkGradient((x) => losses.functions.huber(y, x), ops.add(y, ops.mul(offset, 2)), { label: 'huber' });
  checkGradient((x) => losses.functions.huber(y, x, { delta: 0.1 }), p, { label: 'huber delta 0.1' });
  const yAwayFromZero = ops.add(ops.randomUniform([N, C], 1, 2), 0);
  checkGradient((x) => losses.functions.meanAbsolutePercentageError(yAwayFromZero, x), ops.add(yAwayFromZero, offset), { label: 'mape', rtol: 3e-2 });
});

test('finite differences: crossentropies from probabilities and from logits', () => {
  const labels = randomLabels([N], C);
  const oneHot = ops.oneHot(labels, C);
  const probs = ops.randomUniform([N, C], 0.1, 1); // unnormalized: the renormalization is differentiated too
  const logits = ops.randomNormal([N, C], 0, 2);
  for (const ls of [0, 0.2]) {
    checkGradient((x) => losses.functions.categoricalCrossentropy(oneHot, x, { labelSmoothing: ls }), probs, { label: `cce probs ls=${ls}` });
    checkGradient((x) => losses.functions.categoricalCrossentropy(oneHot, x, { fromLogits: true, labelSmoothing: ls }), logits, { label: `cce logits ls=${ls}` });
  }
  checkGradient((x) => losses.functions.sparseCategoricalCrossentropy(labels, x), probs, { label: 'scce probs' });
  checkGradient((x) => losses.functions.sparseCategoricalCrossentropy(labels, x, { fromLogits: true }), logits, { label: 'scce logits' });

  const yBin = ops.cast(ops.greater(ops.randomUniform([N, 2]), 0.5), 'float32');
  const pBin = ops.randomUniform([N, 2], 0.1, 0.9);
  const zBin = ops.randomNormal([N, 2], 0, 2);
  for (const ls of [0, 0.1]) {
    checkGradient((x) => losses.functions.binaryCrossentropy(yBin, x, { labelSmoothing: ls }), pBin, { label: `bce probs ls=${ls}` });
    checkGradient((x) => losses.functions.binaryCrossentropy(yBin, x, { fromLogits: true, labelSmoothing: ls }), zBin, { label: `bce logits ls=${ls}` });
  }
});

test('finite differences through Loss.apply with sample weights and every reduction', () => {
  const labels = randomLabels([N], C);
  const logits = ops.randomNormal([N, C]);
  const w = ops.randomUniform([N], 0.5, 2);
  for (const reduction of ['sum_over_batch_size', 'sum', 'mean_with_sample_weight', 'none'] as const) {
    const loss = new losses.SparseCategoricalCrossentropy({ fromLogits: true, reduction });
    checkGradient((x) => loss.apply(labels, x, w), logits, { label: `apply ${reduction}` });
  }
});

test('analytic gradients: softmax − onehot for crossentropy from logits; sigmoid − y at a logit of exactly 0', () => {
  const labels = ops.tensor([2, 0], undefined, 'int32');
  const logits = ops.tensor([[0.5, -1, 2], [0, 0, 0]]);
  const expected = ops.sub(ops.softmax(logits), ops.oneHot(labels, 3));
  assertClose(gradOf((x) => losses.functions.sparseCategoricalCrossentropy(labels, x, { fromLogits: true }), logits).grad.dataSync(), expected.dataSync(), 1e-5, 1e-6, 'scce');
  // A zero-initialized output layer produces logits of exactly 0; the gradient there must be 0.5 − y.
  const y = ops.tensor([[1], [0]]);
  const zero = ops.zeros([2, 1]);
  assertClose(gradOf((x) => losses.functions.binaryCrossentropy(y, x, { fromLogits: true }), zero).grad.dataSync(), [-0.5, 0.5], 1e-6, 1e-7, 'bce at 0');
  // log cosh is flat at zero error.
  assertClose(gradOf((x) => losses.functions.logCosh(y, x), y).grad.dataSync(), [0, 0], 0, 1e-7, 'log_cosh at 0');
});

function finiteValueAndGrad(label: string, fn: (x: Tensor) => Tensor, x: Tensor): Tensor {
  const { value, grad } = gradOf(fn, x);
  assertAllFinite(fn(x).dataSync(), `${label} value`);
  assertAllFinite([value.item()], `${label} sum`);
  assertAllFinite(grad.dataSync(), `${label} gradient`);
  return fn(x);
}

test('saturated probabilities (exactly 0 and 1): finite values and gradients, clipped at 1e-7 like Keras', () => {
  const oneHot = ops.tensor([[1, 0, 0], [0, 1, 0]]);
  const wrong = ops.tensor([[0, 1, 0], [1, 0, 0]]); // all mass on a wrong class
  const right = oneHot;
  const maxLoss = -Math.log(Math.fround(1e-7)); // 16.118…
  const cce = finiteValueAndGrad('cce wrong', (x) => losses.functions.categoricalCrossentropy(oneHot, x), wrong);
  assertClose(cce.dataSync(), [maxLoss, maxLoss], 1e-5, 0, 'cce wrong');
  finiteValueAndGrad('cce right', (x) => losses.functions.categoricalCrossentropy(oneHot, x), right);
  const scce = finiteValueAndGrad('scce wrong', (x) => losses.functions.sparseCategoricalCrossentropy([0, 1], x), wrong);
  assertClose(scce.dataSync(), [maxLoss, maxLoss], 1e-5, 0, 'scce wrong');
  const bce = finiteValueAndGrad('bce', (x) => losses.functions.binaryCrossentropy([[1, 0], [0, 1]], x), ops.tensor([[0, 1], [0, 1]]));
  // Row 0 is wrong twice: p = 0 for y = 1 clips to 1e-7; p = 1 for y = 0 clips to fround(1 − 1e-7).
  const hi = Math.fround(1 - 1e-7);
  assertClose(bce.dataSync(), [(maxLoss - Math.log(1 - hi)) / 2, 0], 1e-5, 1e-6, 'bce');
});

test('saturated logits (±1e4): finite values and gradients, exact large losses', () => {
  const logits = ops.tensor([[1e4, -1e4, 0], [-1e4, 1e4, -1e4]]);
  const labels = [1, 1];
  const scce = finiteValueAndGrad('scce', (x) => losses.functions.sparseCategoricalCrossentropy(labels, x, { fromLogits: true }), logits);
  assertClose(scce.dataSync(), [2e4, 0], 1e-6, 1e-6, 'scce');
  finiteValueAndGrad('cce', (x) => losses.functions.categoricalCrossentropy(ops.oneHot(ops.tensor(labels, undefined, 'int32'), 3), x, { fromLogits: true, labelSmoothing: 0.1 }), logits);
  const bce = finiteValueAndGrad('bce', (x) => losses.functions.binaryCrossentropy([[1], [0], [1], [0]], x, { fromLogits: true }), ops.tensor([[1e4], [1e4], [-1e4], [-1e4]]));
  assertClose(bce.dataSync(), [0, 1e4, 1e4, 0], 1e-6, 1e-6, 'bce');
  const { grad } = gradOf((x) => losses.functions.binaryCrossentropy([[1], [0], [1], [0]], x, { fromLogits: true }), ops.tensor([[1e4], [1e4], [-1e4], [-1e4]]));
  assertClose(grad.dataSync(), [0, 1, -1, 0], 0, 1e-6, 'bce gradient = sigmoid − y');
});

test('huge regression errors: log_cosh, huber, mape stay finite', () => {
  const y = ops.tensor([[0, 1e4], [0, -1e4]]);
  const p = ops.tensor([[1e4, 0], [0, 1e4]]);
  const lc = finiteValueAndGrad('log_cosh', (x) => losses.functions.logCosh(y, x), p);
  assertClose(lc.dataSync(), [1e4 - Math.LN2, (2e4 - Math.LN2) / 2], 1e-6, 0, 'log_cosh ~ |e| − log 2');
  finiteValueAndGrad('huber', (x) => losses.functions.huber(y, x), p);
  finiteValueAndGrad('mape with zero targets', (x) => losses.functions.meanAbsolutePercentageError(y, x), p);
  assert.ok(true);
});

test('ignore_class: ignored rows (even all-zero probabilities) get zero, finite gradients', () => {
  const probs = ops.tensor([[0.5, 0.25, 0.25], [0, 0, 0], [0.2, 0.3, 0.5]]);
  const loss = new losses.SparseCategoricalCrossentropy({ ignoreClass: -1 });
  const { grad } = gradOf((x) => loss.apply([1, -1, 2], x), probs);
  assertAllFinite(grad.dataSync(), 'scce ignore_class gradient');
  assert.deepEqual(Array.from(grad.dataSync()).slice(3, 6), [0, 0, 0]);
  checkGradient((x) => loss.apply([1, -1, 2], x), ops.tensor([[0.5, 0.25, 0.25], [0.3, 0.3, 0.4], [0.2, 0.3, 0.5]]), { label: 'scce ignore_class' });
});
