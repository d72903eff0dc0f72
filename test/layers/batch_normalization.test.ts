import { test } from 'node:test';
import assert from 'node:assert/strict';
import { valueAndGrads } from '../../src/core/autograd.js';
import { isRecording } from '../../src/core/engine.js';
import { NotImplementedError, ShapeError, UnknownNameError, ValueError } from '../../src/errors.js';
import { BatchNormalization, batchNormalization } from '../../src/layers/index.js';
import { randomUniform, sum, tensor } from '../../src/ops/index.js';
import { assertClose, checkGradients } from '../helpers/gradcheck.js';
import { moments64, randomInput, tfjs, toTf, withWeights } from './helpers.js';
import { checkLayerRoundTrip, LAYER_BASE_KEYS } from './roundtrip.js';

/** Random gamma, beta, moving mean and (positive) moving variance for `c` features. */
function randomWeights(c: number, seed: number) {
  return [
    randomInput([c], seed, 0.5, 1).x,
    randomInput([c], seed + 1, 0.5).x,
    randomInput([c], seed + 2, 0.3).x,
    randomUniform([c], 0.5, 2),
  ];
}

test('BatchNormalization: Keras 3 defaults, weight order and trainability', () => {
  const bn = new BatchNormalization();
  assert.equal(bn.axis, -1);
  assert.equal(bn.momentum, 0.99);
  assert.equal(bn.epsilon, 1e-3);
  bn.apply(tensor([[1, 2, 3], [4, 5, 6]]));
  assert.deepEqual(bn.weights.map((w) => w.name), ['batch_normalization/gamma', 'batch_normalization/beta', 'batch_normalization/moving_mean', 'batch_normalization/moving_variance'].map((n) => n.replace('batch_normalization', bn.name)));
  assert.deepEqual(bn.weights.map((w) => w.trainable), [true, true, false, false]);
  assert.deepEqual(bn.trainableWeights.length, 2);
  assert.deepEqual(bn.getWeights().map((w) => Array.from(w.dataSync())), [[1, 1, 1], [0, 0, 0], [0, 0, 0], [1, 1, 1]]);
  assert.equal(bn.countParams(), 12);
  const noAffine = batchNormalization({ center: false, scale: false });
  noAffine.apply(tensor([[1, 2]]));
  assert.deepEqual(noAffine.weights.map((w) => w.name.split('/')[1]), ['moving_mean', 'moving_variance']);
});

/**
 * Float64 reference from Keras 3 (keras/src/layers/normalization/batch_normalization.py with
 * ops.batch_normalization): `(x - mean) / sqrt(var + eps) * gamma + beta` per entry of `axis`; in
 * training, mean and biased variance over all other axes.
 */
function reference64(values: Float32Array, shape: number[], axis: number, eps: number, w: number[][], training: boolean) {
  const a = axis < 0 ? axis + shape.length : axis;
  const c = shape[a]!;
  const inner = shape.slice(a + 1).reduce((p, d) => p * d, 1);
  const channel = (i: number) => Math.floor(i / inner) % c;
  let [gamma, beta, mean, variance] = w as [number[], number[], number[], number[]];
  if (training) {
    const n = values.length / c;
    mean = new Array<number>(c).fill(0);
    variance = new Array<number>(c).fill(0);
    values.forEach((v, i) => (mean[channel(i)]! += v / n));
    values.forEach((v, i) => (variance[channel(i)]! += (v - mean[channel(i)]!) ** 2 / n));
  }
  const out = Array.from(values, (v, i) => {
    const k = channel(i);
    return ((v - mean[k]!) / Math.sqrt(variance[k]! + eps)) * gamma[k]! + beta[k]!;
  });
  return { out, mean, variance };
}

test('BatchNormalization vs tfjs (features last, rank 2 and 4): training and inference, moving statistics', async () => {
  const tf = await tfjs();
  // tfjs's defaults (momentum 0.99, epsilon 1e-3, biased batch variance) match Keras 3; set explicitly anyway.
  for (const shape of [[16, 5], [3, 4, 2, 6]]) {
    const c = shape.at(-1)!;
    const bn = batchNormalization({ momentum: 0.8, epsilon: 1e-3 });
    const ref = tf.layers.batchNormalization({ axis: -1, momentum: 0.8, epsilon: 1e-3 });
    const { x } = randomInput(shape, 11, 2, 0.5);
    bn.apply(x);
    ref.apply(toTf(x));
    const weights = randomWeights(c, 20);
    bn.setWeights(weights);
    ref.setWeights(weights.map(toTf));
    for (const training of [false, true, true, false]) {
      const { x: xi } = randomInput(shape, training ? 30 : 40, 1.5, -0.7);
      const ours = bn.apply(xi, { training }).dataSync();
      const theirs = (ref.apply(toTf(xi), { training }) as import('@tensorflow/tfjs').Tensor).dataSync();
      assertClose(ours, theirs, 1e-5, 1e-5, `shape [${shape}] training=${training}`);
    }
    // Two training calls later, the moving statistics agree too.
    const refWeights = ref.getWeights().map((w) => w.dataSync());
    bn.getWeights().forEach((w, i) => assertClose(w.dataSync(), refWeights[i]!, 1e-5, 1e-6, `weight ${i}`));
  }
});

test('BatchNormalization on a middle axis (channels first) vs a float64 Keras reference; moving statistics vs tfjs', async () => {
  // tfjs's CPU batchNorm kernel treats every input as channels-last (tensorflow/tfjs#1106), so its
  // outputs for axis 1 are wrong; its moments (and so its moving statistics) are still right.
  const tf = await tfjs();
  const shape = [4, 3, 5, 2];
  const bn = batchNormalization({ axis: 1, momentum: 0.7, epsilon: 1e-3 });
  const ref = tf.layers.batchNormalization({ axis: 1, momentum: 0.7, epsilon: 1e-3 });
  bn.apply(randomInput(shape, 1).x);
  ref.apply(toTf(randomInput(shape, 1).x));
  const weights = randomWeights(3, 50);
  bn.setWeights(weights);
  ref.setWeights(weights.map(toTf));
  const w64 = weights.map((t) => Array.from(t.dataSync()));
  for (const training of [false, true, false]) {
    const { x, values } = randomInput(shape, training ? 60 : 70, 1.3, 0.4);
    const expected = reference64(values, shape, 1, 1e-3, bn.getWeights().map((t) => Array.from(t.dataSync())), training);
    assertClose(bn.apply(x, { training }).dataSync(), expected.out, 1e-5, 1e-5, `axis 1 training=${training}`);
    ref.apply(toTf(x), { training });
    if (training) {
      const emaMean = w64[2]!.map((m, k) => m * 0.7 + expected.mean[k]! * 0.3);
      assertClose(bn.movingMean!.dataSync(), emaMean, 1e-5, 1e-6, 'moving_mean (float64 EMA)');
    }
  }
  const refWeights = ref.getWeights().map((w) => w.dataSync());
  bn.getWeights().forEach((w, i) => assertClose(w.dataSync(), refWeights[i]!, 1e-5, 1e-6, `weight ${i} vs tfjs`));
});

test('BatchNormalization: moving statistics are the hand-computed EMA; inference uses them', () => {
  const c = 4;
  const momentum = 0.9;
  const bn = batchNormalization({ momentum });
  let mm = new Array<number>(c).fill(0);
  let mv = new Array<number>(c).fill(1);
  for (let step = 0; step < 5; step++) {
    const { x, values } = randomInput([8, c], 100 + step, 1 + step, step - 2);
    const out = bn.apply(x, { training: true });
    const { mean, variance } = moments64(values, c);
    mm = mm.map((m, j) => m * momentum + mean[j]! * (1 - momentum));
    mv = mv.map((v, j) => v * momentum + variance[j]! * (1 - momentum));
    // Training output uses the batch statistics: per-feature mean 0, variance var/(var+eps).
    const o = moments64(out.dataSync(), c);
    assertClose(o.mean, new Array(c).fill(0), 0, 1e-5, 'training output mean');
    assertClose(o.variance, variance.map((v) => v / (v + 1e-3)), 1e-4, 0, 'training output variance');
  }
  assertClose(bn.movingMean!.dataSync(), mm, 1e-5, 1e-6, 'moving_mean');
  assertClose(bn.movingVariance!.dataSync(), mv, 1e-5, 1e-6, 'moving_variance');

  const { x, values } = randomInput([3, c], 7);
  const expected = Array.from(values, (v, i) => (v - mm[i % c]!) / Math.sqrt(mv[i % c]! + 1e-3));
  assertClose(bn.apply(x).dataSync(), expected, 1e-5, 1e-5, 'inference output');
  // Inference leaves the moving statistics alone.
  assertClose(bn.movingMean!.dataSync(), mm, 1e-5, 1e-6, 'moving_mean after inference');
});

test('BatchNormalization: a frozen layer runs in inference mode and keeps its statistics (Keras 3)', () => {
  const bn = batchNormalization();
  const { x } = randomInput([6, 3], 5, 3, 2);
  bn.apply(x, { training: true });
  const before = bn.getWeights().map((w) => Array.from(w.dataSync()));
  bn.setTrainable(false);
  const frozen = bn.apply(x, { training: true }).dataSync();
  assert.deepEqual(bn.getWeights().map((w) => Array.from(w.dataSync())), before);
  assert.deepEqual(Array.from(frozen), Array.from(bn.apply(x).dataSync()));
});

test('BatchNormalization: finite-difference gradients in training mode (input, gamma, beta)', () => {
  for (const [shape, axis] of [[[5, 3], -1], [[3, 2, 2, 2], 1]] as [number[], number][]) {
    const c = shape.at(axis)!;
    const bn = batchNormalization({ axis });
    const { x } = randomInput(shape, 3, 1.5);
    bn.apply(x);
    const gamma = randomInput([c], 4, 0.5, 1).x;
    const beta = randomInput([c], 5).x;
    const fn = (xi: typeof x, g: typeof x, b: typeof x) => withWeights(bn, { gamma: g, beta: b }, () => bn.apply(xi, { training: true }));
    checkGradients(fn, [x, gamma, beta], { eps: 1e-2, label: `BatchNormalization axis ${axis}` });
  }
});

test('BatchNormalization: the moving-average update is not recorded on the gradient tape', () => {
  const bn = batchNormalization();
  const { x } = randomInput([4, 2], 9);
  bn.apply(x);
  // Watch the assignments: each must happen with recording paused and carry no gradient history.
  const seen: { recording: boolean; requiresGrad: boolean; node: boolean }[] = [];
  for (const v of [bn.movingMean!, bn.movingVariance!]) {
    const assign = v.assign.bind(v);
    v.assign = (value) => {
      seen.push({ recording: isRecording(), requiresGrad: value.requiresGrad, node: value.node !== null });
      assign(value);
    };
  }
  const { grads } = valueAndGrads(() => sum(bn.apply(x, { training: true })), [x]);
  assert.equal(grads.length, 1);
  assert.deepEqual(seen, [{ recording: false, requiresGrad: false, node: false }, { recording: false, requiresGrad: false, node: false }]);
  assert.equal(bn.movingMean!.requiresGrad, false);
});

test('BatchNormalization: config round trip (Keras 3 keys), camelCase and snake_case options', () => {
  const keys = [...LAYER_BASE_KEYS, 'axis', 'momentum', 'epsilon', 'center', 'scale', 'beta_initializer', 'gamma_initializer',
    'moving_mean_initializer', 'moving_variance_initializer', 'beta_regularizer', 'gamma_regularizer', 'beta_constraint',
    'gamma_constraint', 'synchronized']; // Keras 3.14's renorm keys are read, not written (see getConfig)
  const { x } = randomInput([5, 3, 4], 2);
  checkLayerRoundTrip(batchNormalization({ axis: 1, momentum: 0.5, epsilon: 1e-4, center: false, gammaRegularizer: 'l2' }), { input: x, training: true, expectedKeys: keys });
  checkLayerRoundTrip(batchNormalization({ name: 'bn_snake', moving_variance_initializer: 'zeros', scale: false } as never), { input: x });
  const snake = new BatchNormalization({ moving_mean_initializer: 'ones', beta_initializer: 'ones' } as never);
  snake.apply(x);
  assert.deepEqual(Array.from(snake.movingMean!.dataSync()), [1, 1, 1, 1]);
  assert.deepEqual(Array.from(snake.beta!.dataSync()), [1, 1, 1, 1]);
  assert.equal(batchNormalization().getConfig().axis, -1);
  // A Keras 3.14 config (with the renorm keys, renorm off) loads.
  const keras314 = BatchNormalization.fromConfig({ ...batchNormalization().getConfig(), renorm: false, renorm_clipping: null, renorm_momentum: 0.99 });
  assert.ok(keras314 instanceof BatchNormalization);
  assert.equal(keras314.momentum, 0.99);
});

test('BatchNormalization: typed errors name the layer', () => {
  const named = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => e instanceof cls && re.test((e as Error).message);
  assert.throws(() => batchNormalization({ name: 'bn_a', axis: 1.5 }), named(ValueError, /BatchNormalization 'bn_a': axis/));
  assert.throws(() => batchNormalization({ name: 'bn_b', momentum: 2 }), named(ValueError, /'bn_b': momentum/));
  assert.throws(() => batchNormalization({ name: 'bn_c', epsilon: -1 }), named(ValueError, /'bn_c': epsilon/));
  assert.throws(() => batchNormalization({ name: 'bn_d', center: 'yes' as never }), named(ValueError, /'bn_d': center/));
  // @ts-expect-error an unknown initializer name fails to compile, and at run time for JavaScript callers.
  assert.throws(() => batchNormalization({ name: 'bn_e', gammaInitializer: 'nope' }), named(UnknownNameError, /'bn_e': gamma_initializer/));
  assert.throws(() => batchNormalization({ name: 'bn_f', renorm: true }), named(NotImplementedError, /'bn_f': renorm/));
  assert.throws(() => batchNormalization({ name: 'bn_g', gammaConstraint: 'non_neg' as never }), named(NotImplementedError, /'bn_g': gamma_constraint/));
  // Bad axis for the input's rank, found at build.
  assert.throws(() => batchNormalization({ name: 'bn_h', axis: 3 }).apply(tensor([[1, 2]])), named(ValueError, /'bn_h': axis 3 is out of range/));
  assert.throws(() => batchNormalization({ name: 'bn_i', axis: 0 }).apply(tensor([[1, 2]])), named(ShapeError, /'bn_i'.*known size/));
  assert.throws(() => batchNormalization({ name: 'bn_j', axis: 5 }).computeOutputShape([null, 3]), named(ValueError, /'bn_j': axis 5/));
  // Wrong rank (or feature size) after build.
  const bn = batchNormalization({ name: 'bn_k' });
  bn.apply(tensor([[1, 2, 3]]));
  assert.throws(() => bn.apply(tensor([[[1, 2, 3]]])), named(ShapeError, /'bn_k'/));
  assert.throws(() => bn.apply(tensor([[1, 2]])), named(ShapeError, /'bn_k'/));
  assert.throws(() => batchNormalization({ name: 'bn_l' }).apply(tensor([1, 2])), named(ShapeError, /'bn_l': expected inputs of rank >= 2/));
});
