// Every loss against TensorFlow.js on random inputs (1e-5 relative). Where tfjs's formula differs
// from Keras 3's, the tfjs side is configured to Keras's semantics (noted at each case), or the
// comparison is to a float64 reference written from Keras's formula.
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { setSeed } from '../../src/core/random.js';
import type { Tensor } from '../../src/core/tensor.js';
import * as losses from '../../src/losses/index.js';
import { assertClose, ops, randomLabels, randomProbabilities } from './helpers.js';

before(async () => {
  await tf.setBackend('cpu');
});
setSeed(11);

const N = 7;
const C = 5;
const tfOf = (t: Tensor) => tf.tensor(Array.from(t.dataSync()), [...t.shape], t.dtype);
const values = (t: tf.Tensor) => Array.from(t.dataSync());
const lastMean = (t: tf.Tensor) => tf.mean(t, -1);

test('mean_squared_error / mean_absolute_error match tf.metrics', () => {
  const y = ops.randomNormal([N, C]);
  const p = ops.randomNormal([N, C]);
  assertClose(losses.functions.meanSquaredError(y, p).dataSync(), values(tf.metrics.meanSquaredError(tfOf(y), tfOf(p))), 1e-5, 1e-7, 'mse');
  assertClose(losses.functions.meanAbsoluteError(y, p).dataSync(), values(tf.metrics.meanAbsoluteError(tfOf(y), tfOf(p))), 1e-5, 1e-7, 'mae');
});

test('mean_absolute_percentage_error matches tf.metrics (same ε = 1e-7 guard), including zero targets', () => {
  const y = ops.mul(ops.randomNormal([N, C]), ops.greater(ops.randomUniform([N, C]), 0.2)); // some exact zeros
  const p = ops.randomNormal([N, C]);
  assertClose(losses.functions.meanAbsolutePercentageError(y, p).dataSync(), values(tf.metrics.meanAbsolutePercentageError(tfOf(y), tfOf(p))), 1e-5, 1e-6, 'mape');
});

test('huber matches tf.losses.huberLoss (Reduction.NONE, then the mean over the last axis Keras takes)', () => {
  const y = ops.randomNormal([N, C], 0, 2);
  const p = ops.randomNormal([N, C], 0, 2);
  for (const delta of [1, 0.5, 2.5]) {
    const expected = lastMean(tf.losses.huberLoss(tfOf(y), tfOf(p), undefined, delta, tf.Reduction.NONE));
    assertClose(losses.functions.huber(y, p, { delta }).dataSync(), values(expected), 1e-5, 1e-7, `huber delta=${delta}`);
  }
});

test('log_cosh matches a float64 reference (tfjs keeps logcosh internal)', () => {
  // Keras keras/src/losses/losses.py: mean(x + softplus(−2x) − log 2, axis=-1), x = y_pred − y_true.
  const y = ops.randomNormal([N, C], 0, 3);
  const p = ops.randomNormal([N, C], 0, 3);
  const yt = y.dataSync();
  const yp = p.dataSync();
  const ref: number[] = [];
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let j = 0; j < C; j++) {
      const x = yp[i * C + j]! - yt[i * C + j]!;
      s += x + Math.log1p(Math.exp(-2 * x)) - Math.LN2;
    }
    ref.push(s / C);
  }
  assertClose(losses.functions.logCosh(y, p).dataSync(), ref, 1e-5, 1e-6, 'log_cosh');
});

test('categorical_crossentropy on probabilities matches tf.metrics.categoricalCrossentropy (with smoothing applied to the labels)', () => {
  const y = ops.oneHot(randomLabels([N], C), C);
  // Unnormalized positive predictions: both renormalize each row, then clip to [1e-7, 1 − 1e-7].
  const p = ops.randomUniform([N, C], 0.05, 1);
  for (const ls of [0, 0.1, 0.4]) {
    // tfjs's metric has no label smoothing; Keras's smoothing is only y·(1 − ls) + ls / C on the labels.
    const smoothed = tf.add(tf.mul(tfOf(y), 1 - ls), ls / C);
    const expected = tf.metrics.categoricalCrossentropy(smoothed, tfOf(p));
    assertClose(losses.functions.categoricalCrossentropy(y, p, { labelSmoothing: ls }).dataSync(), values(expected), 1e-5, 1e-6, `cce ls=${ls}`);
  }
});

test('categorical_crossentropy from logits matches tf.losses.softmaxCrossEntropy (same label smoothing formula)', () => {
  const y = ops.oneHot(randomLabels([N], C), C);
  const logits = ops.randomNormal([N, C], 0, 3);
  for (const ls of [0, 0.2]) {
    const expected = tf.losses.softmaxCrossEntropy(tfOf(y), tfOf(logits), undefined, ls, tf.Reduction.NONE);
    assertClose(losses.functions.categoricalCrossentropy(y, logits, { fromLogits: true, labelSmoothing: ls }).dataSync(), values(expected), 1e-5, 1e-6, `cce logits ls=${ls}`);
  }
});

test('categorical_crossentropy with axis=1 on [n, C, t] equals tfjs on the transposed tensor', () => {
  const labels = randomLabels([3, 4], C);
  const y = ops.transpose(ops.oneHot(labels, C), [0, 2, 1]); // [3, C, 4]
  const logits = ops.randomNormal([3, C, 4]);
  const expected = tf.losses.softmaxCrossEntropy(tfOf(ops.transpose(y, [0, 2, 1])), tfOf(ops.transpose(logits, [0, 2, 1])), undefined, 0, tf.Reduction.NONE);
  const actual = losses.functions.categoricalCrossentropy(y, logits, { fromLogits: true, axis: 1 });
  assertClose(actual.dataSync(), values(expected), 1e-5, 1e-6, 'cce axis=1');
});

test('sparse_categorical_crossentropy matches tfjs for int32 and float32 labels, shapes [n] and [n, 1]', () => {
  const labels = randomLabels([N], C);
  // tfjs exports no sparse metric; its internal one is one-hot + categoricalCrossentropy, used here.
  const probs = randomProbabilities(N, C);
  const logits = ops.randomNormal([N, C], 0, 3);
  const expectedProbs = values(tf.metrics.categoricalCrossentropy(tf.oneHot(tfOf(labels), C), tfOf(probs)));
  const expectedLogits = values(tf.losses.softmaxCrossEntropy(tf.oneHot(tfOf(labels), C), tfOf(logits), undefined, 0, tf.Reduction.NONE));
  for (const y of [labels, ops.cast(labels, 'float32'), ops.reshape(labels, [N, 1]), ops.reshape(ops.cast(labels, 'float32'), [N, 1])]) {
    const tag = `${y.dtype} ${JSON.stringify(y.shape)}`;
    assertClose(losses.functions.sparseCategoricalCrossentropy(y, probs).dataSync(), expectedProbs, 1e-5, 1e-6, `scce probs ${tag}`);
    assertClose(losses.functions.sparseCategoricalCrossentropy(y, logits, { fromLogits: true }).dataSync(), expectedLogits, 1e-5, 1e-6, `scce logits ${tag}`);
  }
});

test('binary_crossentropy on probabilities matches tf.metrics.binaryCrossentropy (with smoothing applied to the labels)', () => {
  const y = ops.cast(ops.greater(ops.randomUniform([N, 3]), 0.5), 'float32');
  const p = ops.randomUniform([N, 3], 0.01, 0.99);
  for (const ls of [0, 0.2]) {
    // tfjs's metric has no smoothing; Keras's is y·(1 − ls) + ls/2 on the labels. tfjs evaluates
    // via log(p / (1 − p)) and the logits formula — the same value up to rounding.
    const smoothed = tf.add(tf.mul(tfOf(y), 1 - ls), ls / 2);
    const expected = tf.metrics.binaryCrossentropy(smoothed, tfOf(p));
    assertClose(losses.functions.binaryCrossentropy(y, p, { labelSmoothing: ls }).dataSync(), values(expected), 1e-5, 1e-6, `bce ls=${ls}`);
  }
});

test('binary_crossentropy from logits matches tf.losses.sigmoidCrossEntropy (same smoothing), averaged over the last axis', () => {
  const y = ops.cast(ops.greater(ops.randomUniform([N, 3]), 0.5), 'float32');
  const logits = ops.randomNormal([N, 3], 0, 4);
  for (const ls of [0, 0.3]) {
    const expected = lastMean(tf.losses.sigmoidCrossEntropy(tfOf(y), tfOf(logits), undefined, ls, tf.Reduction.NONE));
    assertClose(losses.functions.binaryCrossentropy(y, logits, { fromLogits: true, labelSmoothing: ls }).dataSync(), values(expected), 1e-5, 1e-6, `bce logits ls=${ls}`);
  }
});

test('Loss.apply reductions match tf.losses.computeWeightedLoss where the semantics coincide', () => {
  const y = ops.randomNormal([N, C]);
  const p = ops.randomNormal([N, C]);
  const w = ops.randomUniform([N], 0, 2);
  const perSample = tf.metrics.meanSquaredError(tfOf(y), tfOf(p));
  const mse = (reduction: losses.Reduction) => new losses.MeanSquaredError({ reduction });
  // Keras 'sum' = tfjs SUM; 'mean_with_sample_weight' = tfjs MEAN with weights (Σ w·l / Σ w);
  // 'sum_over_batch_size' divides by the number of losses, not by the weights: tfjs SUM / N.
  assertClose([mse('sum').apply(y, p, w).item()], values(tf.losses.computeWeightedLoss(perSample, tfOf(w), tf.Reduction.SUM)), 1e-5, 1e-6, 'sum');
  assertClose([mse('mean_with_sample_weight').apply(y, p, w).item()], values(tf.losses.computeWeightedLoss(perSample, tfOf(w), tf.Reduction.MEAN)), 1e-5, 1e-6, 'mean_with_sample_weight');
  assertClose([mse('sum_over_batch_size').apply(y, p, w).item()], values(tf.div(tf.losses.computeWeightedLoss(perSample, tfOf(w), tf.Reduction.SUM), N)), 1e-5, 1e-6, 'sum_over_batch_size');
  assertClose([mse('sum_over_batch_size').apply(y, p).item()], values(tf.losses.computeWeightedLoss(perSample, undefined, tf.Reduction.MEAN)), 1e-5, 1e-6, 'unweighted');
  assertClose(mse('none').apply(y, p, w).dataSync(), values(tf.losses.computeWeightedLoss(perSample, tfOf(w), tf.Reduction.NONE)), 1e-5, 1e-6, 'none');
});
