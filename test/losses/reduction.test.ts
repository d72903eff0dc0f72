// Sample weights, reductions, rank alignment, label smoothing and ignore_class against values
// computed by hand from Keras 3's rules (keras/src/losses/loss.py, losses.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Tensor } from '../../src/core/tensor.js';
import * as losses from '../../src/losses/index.js';
import { registerClass, serialize } from '../../src/serialization/registry.js';
import { assertClose, ops } from './helpers.js';

// MAE with one feature gives per-sample losses |y − p| = [1, 2, 3, 4].
const yTrue = ops.tensor([[0], [0], [0], [0]]);
const yPred = ops.tensor([[1], [-2], [3], [4]]);
const mae = (reduction: losses.Reduction) => new losses.MeanAbsoluteError({ reduction });

test('reductions without weights', () => {
  assert.equal(mae('sum_over_batch_size').apply(yTrue, yPred).item(), 2.5);
  assert.equal(mae('mean').apply(yTrue, yPred).item(), 2.5);
  assert.equal(mae('sum').apply(yTrue, yPred).item(), 10);
  assert.equal(mae('mean_with_sample_weight').apply(yTrue, yPred).item(), 2.5);
  assert.deepEqual(mae('none').apply(yTrue, yPred).arraySync(), [1, 2, 3, 4]);
  assert.deepEqual(mae(null).apply(yTrue, yPred).arraySync(), [1, 2, 3, 4]);
});

test('sample weights: sum_over_batch_size divides by the number of losses, mean_with_sample_weight by Σw', () => {
  const w = [1, 0, 2, 0.5]; // weighted losses 1, 0, 6, 2 → Σ = 9
  assert.equal(mae('sum_over_batch_size').apply(yTrue, yPred, w).item(), 9 / 4);
  assert.equal(mae('sum').apply(yTrue, yPred, w).item(), 9);
  assertClose([mae('mean_with_sample_weight').apply(yTrue, yPred, w).item()], [9 / 3.5]);
  assert.deepEqual(mae('none').apply(yTrue, yPred, w).arraySync(), [1, 0, 6, 2]);
  // [n, 1] weights are squeezed to the [n] losses; a scalar weight broadcasts.
  assert.equal(mae('sum').apply(yTrue, yPred, ops.tensor([[1], [0], [2], [0.5]])).item(), 9);
  assert.equal(mae('sum_over_batch_size').apply(yTrue, yPred, 2).item(), 5);
  // Keras sums the weight tensor as given: a scalar weight of 2 divides by 2, not by 2·n.
  assert.equal(mae('mean_with_sample_weight').apply(yTrue, yPred, 2).item(), 10);
});

test('all-zero weights give 0, not NaN (divide_no_nan)', () => {
  assert.equal(mae('mean_with_sample_weight').apply(yTrue, yPred, [0, 0, 0, 0]).item(), 0);
  assert.equal(mae('sum_over_batch_size').apply(yTrue, yPred, [0, 0, 0, 0]).item(), 0);
});

test('per-sample weights [n] weight every timestep of [n, t] losses', () => {
  // MSE over [n, t, 1] gives [n, t] losses; weights [n] get a trailing axis.
  const y = ops.zeros([2, 3, 1]);
  const p = ops.tensor([[[1], [1], [1]], [[2], [2], [2]]]); // losses [[1,1,1],[4,4,4]]
  const mse = new losses.MeanSquaredError({ reduction: 'sum' });
  assert.equal(mse.apply(y, p, [1, 0.5]).item(), 3 + 6);
  assert.equal(new losses.MeanSquaredError().apply(y, p, [[1, 1, 0], [0, 0, 1]]).item(), (2 + 4) / 6);
});

test('rank alignment: [n] targets meet [n, 1] predictions and vice versa', () => {
  const mse = new losses.MeanSquaredError({ reduction: 'none' });
  const expected = [1, 4];
  assert.deepEqual(mse.apply([0, 0], [[1], [2]]).arraySync(), expected);
  assert.deepEqual(mse.apply([[0], [0]], [1, 2]).arraySync(), expected);
  assert.deepEqual(losses.functions.meanSquaredError([0, 0], [[1], [2]]).arraySync(), expected);
  const bce = new losses.BinaryCrossentropy({ fromLogits: true, reduction: 'none' });
  assertClose(bce.apply([1, 0], [[0], [0]]).dataSync(), [Math.LN2, Math.LN2]);
});

test('label smoothing, computed by hand', () => {
  // Categorical: targets become y·(1 − ls) + ls / C: [0, 1, 0] with ls 0.3 → [0.1, 0.8, 0.1].
  const cce = losses.functions.categoricalCrossentropy([[0, 1, 0]], [[0.2, 0.7, 0.1]], { labelSmoothing: 0.3 }).item();
  assertClose([cce], [-(0.1 * Math.log(0.2) + 0.8 * Math.log(0.7) + 0.1 * Math.log(0.1))]);
  const logits = [1, 2, 0];
  const lse = Math.log(logits.reduce((s, z) => s + Math.exp(z), 0));
  const cceLogits = losses.functions.categoricalCrossentropy([[0, 1, 0]], [logits], { fromLogits: true, labelSmoothing: 0.3 }).item();
  assertClose([cceLogits], [-(0.1 * (1 - lse) + 0.8 * (2 - lse) + 0.1 * (0 - lse))]);
  // Binary: targets become y·(1 − ls) + ls / 2: 1 with ls 0.2 → 0.9.
  const bce = losses.functions.binaryCrossentropy([[1]], [[0.8]], { labelSmoothing: 0.2 }).item();
  assertClose([bce], [-(0.9 * Math.log(0.8) + 0.1 * Math.log(0.2))]);
  const z = 1.5;
  const bceLogits = losses.functions.binaryCrossentropy([[1]], [[z]], { fromLogits: true, labelSmoothing: 0.2 }).item();
  const sig = 1 / (1 + Math.exp(-z));
  assertClose([bceLogits], [-(0.9 * Math.log(sig) + 0.1 * Math.log(1 - sig))]);
});

test('categorical crossentropy renormalizes probabilities that do not sum to 1', () => {
  const v = losses.functions.categoricalCrossentropy([[0, 1]], [[1, 3]]).item();
  assertClose([v], [-Math.log(0.75)]);
});

test('binary crossentropy averages over `axis`', () => {
  const y = ops.tensor([[1, 0], [1, 1]]);
  const p = ops.tensor([[0.5, 0.5], [0.25, 0.5]]);
  const perElement = [[Math.LN2, Math.LN2], [-Math.log(0.25), Math.LN2]];
  assertClose(losses.functions.binaryCrossentropy(y, p).dataSync(), [Math.LN2, (perElement[1]![0]! + Math.LN2) / 2], 1e-6);
  assertClose(losses.functions.binaryCrossentropy(y, p, { axis: 0 }).dataSync(), [(Math.LN2 - Math.log(0.25)) / 2, Math.LN2], 1e-6);
});

test('sparse crossentropy with ignore_class: ignored entries give 0 and do not count in the mean', () => {
  const logits = ops.tensor([[2, 0, 0], [5, -5, 1], [0, 0, 3]]);
  const labels = [0, -1, 2];
  const perSample = losses.functions.sparseCategoricalCrossentropy(labels, logits, { fromLogits: true, ignoreClass: -1 });
  const ls = (row: number[], k: number) => Math.log(row.reduce((s, z) => s + Math.exp(z), 0)) - row[k]!;
  const l0 = ls([2, 0, 0], 0);
  const l2 = ls([0, 0, 3], 2);
  assertClose(perSample.dataSync(), [l0, 0, l2], 1e-6);
  const loss = new losses.SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1 });
  assertClose([loss.apply(labels, logits).item()], [(l0 + l2) / 2], 1e-6);
  assertClose([new losses.SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1, reduction: 'sum' }).apply(labels, logits).item()], [l0 + l2], 1e-6);
  // With probabilities too (an ignored row may be anything, even all zeros).
  const probs = ops.tensor([[0.5, 0.25, 0.25], [0, 0, 0]]);
  const v = new losses.SparseCategoricalCrossentropy({ ignoreClass: 255 }).apply([1, 255], probs);
  assertClose([v.item()], [-Math.log(0.25)], 1e-6);
});

test('sparse crossentropy with the class axis first: axis=1 on [n, C, t]', () => {
  const logits = ops.randomNormal([2, 3, 4]);
  const labels = ops.randomInt([2, 4], 0, 3);
  const viaAxis = losses.functions.sparseCategoricalCrossentropy(labels, logits, { fromLogits: true, axis: 1 });
  const viaLast = losses.functions.sparseCategoricalCrossentropy(labels, ops.transpose(logits, [0, 2, 1]), { fromLogits: true });
  assert.deepEqual(viaAxis.shape, [2, 4]);
  assertClose(viaAxis.dataSync(), viaLast.dataSync(), 1e-6);
  // Labels with a size-1 class axis, [n, 1, t], are squeezed like Keras does.
  assertClose(losses.functions.sparseCategoricalCrossentropy(ops.reshape(labels, [2, 1, 4]), logits, { fromLogits: true, axis: 1 }).dataSync(), viaLast.dataSync(), 1e-6);
});

test('LossFunctionWrapper and getLoss(fn) wrap plain functions with Keras reduction', () => {
  const cubic = (t: Tensor, p: Tensor) => ops.mean(ops.abs(ops.pow(ops.sub(p, t), 3)), -1);
  const wrapped = losses.getLoss(cubic);
  assert.ok(wrapped instanceof losses.LossFunctionWrapper);
  assert.equal(wrapped.name, 'cubic');
  assert.equal(wrapped.apply([[0], [0]], [[1], [2]]).item(), (1 + 8) / 2);
  // The wrapper aligns ranks before calling the function.
  assert.equal(wrapped.apply([0, 0], [[1], [2]], [0, 1]).item(), 8 / 2);
});

test('a custom Loss subclass gets apply() for free', () => {
  class Cubic extends losses.Loss {
    static override readonly className = 'Cubic';
    call(t: Tensor, p: Tensor) {
      return ops.mean(ops.abs(ops.pow(ops.sub(p, t), 3)), -1);
    }
    static override fromConfig(config: losses.LossOptions) {
      return new Cubic(config);
    }
  }
  const c = new Cubic();
  assert.equal(c.name, 'cubic');
  assert.equal(c.apply([[1, 2]], [[1, 4]]).item(), 4);
  // Registered, it round-trips through configs like the built-ins.
  registerClass(Cubic);
  const back = losses.getLoss(serialize(new Cubic({ name: 'c3', reduction: 'sum' })));
  assert.deepEqual(back.getConfig(), { name: 'c3', reduction: 'sum' });
});

test('empty batches reduce to 0', () => {
  assert.equal(new losses.MeanSquaredError().apply(ops.zeros([0, 2]), ops.zeros([0, 2])).item(), 0);
});
