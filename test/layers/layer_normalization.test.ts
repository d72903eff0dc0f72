import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Tensor } from '../../src/core/tensor.js';
import { NotImplementedError, ShapeError, ValueError } from '../../src/errors.js';
import { LayerNormalization, layerNormalization } from '../../src/layers/index.js';
import { tensor } from '../../src/ops/index.js';
import { assertClose, checkGradients } from '../helpers/gradcheck.js';
import { randomInput, tfjs, toTf, withWeights } from './helpers.js';
import { checkLayerRoundTrip, LAYER_BASE_KEYS } from './roundtrip.js';

test('LayerNormalization: Keras 3 defaults and weights spanning the normalized axes', () => {
  const ln = new LayerNormalization();
  assert.equal(ln.axis, -1);
  assert.equal(ln.epsilon, 1e-3);
  ln.apply(randomInput([2, 3, 4], 1).x);
  assert.deepEqual(ln.weights.map((w) => [w.name.split('/')[1], [...w.shape], w.trainable]), [['gamma', [4], true], ['beta', [4], true]]);
  // Keras 3 stores the axes sorted and non-negative once built, and writes them so.
  assert.deepEqual(ln.axis, [2]);
  const multi = layerNormalization({ axis: [-1, 1] });
  multi.apply(randomInput([2, 3, 4], 1).x);
  assert.deepEqual(multi.axis, [1, 2]);
  assert.deepEqual(multi.gamma!.shape, [3, 4]);
});

test('LayerNormalization vs tfjs: last axis and several axes, with random gamma/beta', async () => {
  const tf = await tfjs();
  // tfjs's epsilon default (1e-3) matches Keras 3; set explicitly anyway.
  for (const [shape, axis] of [[[6, 8], -1], [[3, 4, 5], [1, 2]], [[2, 3, 4, 2], [1, 3]], [[3, 4, 5], 1]] as [number[], number | number[]][]) {
    const ln = layerNormalization({ axis, epsilon: 1e-3 });
    const ref = tf.layers.layerNormalization({ axis, epsilon: 1e-3 });
    const { x } = randomInput(shape, 3, 2, 1);
    ln.apply(x);
    ref.apply(toTf(x));
    const pshape = [...ln.gamma!.shape];
    const weights = [randomInput(pshape, 4, 0.5, 1).x, randomInput(pshape, 5).x];
    ln.setWeights(weights);
    ref.setWeights(weights.map(toTf));
    for (const training of [false, true]) {
      const theirs = (ref.apply(toTf(x), { training }) as import('@tensorflow/tfjs').Tensor).dataSync();
      assertClose(ln.apply(x, { training }).dataSync(), theirs, 1e-5, 1e-5, `axis ${JSON.stringify(axis)} training=${training}`);
    }
  }
});

test('LayerNormalization rms_scaling (Keras 3, deprecated) vs a float64 reference', () => {
  // keras/src/ops/nn.py `_layer_normalization` with rms_scaling: x * rsqrt(var(x) + eps) * gamma,
  // no centering and no beta.
  const ln = layerNormalization({ rmsScaling: true, epsilon: 1e-2 });
  const { x, values } = randomInput([3, 5], 8, 1.5, 0.8);
  ln.apply(x);
  assert.deepEqual(ln.weights.map((w) => w.name.split('/')[1]), ['gamma']);
  const gamma = Array.from(randomInput([5], 9, 0.3, 1).values);
  ln.setWeights([tensor(gamma)]);
  const expected: number[] = [];
  for (let r = 0; r < 3; r++) {
    const row = Array.from(values.slice(r * 5, r * 5 + 5));
    const m = row.reduce((a, b) => a + b, 0) / 5;
    const v = row.reduce((a, b) => a + (b - m) ** 2, 0) / 5;
    row.forEach((xv, j) => expected.push((xv / Math.sqrt(v + 1e-2)) * gamma[j]!));
  }
  assertClose(ln.apply(x).dataSync(), expected, 1e-5, 1e-6, 'rms_scaling');
});

test('LayerNormalization: finite-difference gradients (input, gamma, beta)', () => {
  for (const [shape, axis] of [[[3, 4], -1], [[2, 3, 2], [1, 2]]] as [number[], number | number[]][]) {
    const ln = layerNormalization({ axis });
    const { x } = randomInput(shape, 12, 1.5);
    ln.apply(x);
    const pshape = [...ln.gamma!.shape];
    const gamma = randomInput(pshape, 13, 0.5, 1).x;
    const beta = randomInput(pshape, 14).x;
    const fn = (xi: Tensor, g: Tensor, b: Tensor) => withWeights(ln, { gamma: g, beta: b }, () => ln.apply(xi));
    checkGradients(fn, [x, gamma, beta], { eps: 1e-2, label: `LayerNormalization axis ${JSON.stringify(axis)}` });
  }
});

test('LayerNormalization: config round trip (Keras 3 keys), snake_case options', () => {
  const keys = [...LAYER_BASE_KEYS, 'axis', 'epsilon', 'center', 'scale', 'rms_scaling', 'beta_initializer', 'gamma_initializer',
    'beta_regularizer', 'gamma_regularizer', 'beta_constraint', 'gamma_constraint'];
  const { x } = randomInput([2, 3, 4], 2);
  checkLayerRoundTrip(layerNormalization({ axis: [1, -1], epsilon: 1e-5, betaRegularizer: 'l1' }), { input: x, expectedKeys: keys });
  checkLayerRoundTrip(layerNormalization({ center: false }), { input: x });
  checkLayerRoundTrip(new LayerNormalization({ rms_scaling: true, gamma_initializer: 'zeros' } as never), { input: x });
  checkLayerRoundTrip(layerNormalization(), { expectedKeys: keys }); // unbuilt: axis stays -1
  assert.equal(layerNormalization().getConfig().axis, -1);
});

test('LayerNormalization: typed errors name the layer', () => {
  const named = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => e instanceof cls && re.test((e as Error).message);
  assert.throws(() => layerNormalization({ name: 'ln_a', axis: 'last' as never }), named(ValueError, /LayerNormalization 'ln_a': axis/));
  assert.throws(() => layerNormalization({ name: 'ln_b', axis: [] }), named(ValueError, /'ln_b': axis/));
  assert.throws(() => layerNormalization({ name: 'ln_c', epsilon: Number.NaN }), named(ValueError, /'ln_c': epsilon/));
  assert.throws(() => layerNormalization({ name: 'ln_d', betaConstraint: 'x' as never }), named(NotImplementedError, /'ln_d': beta_constraint/));
  assert.throws(() => layerNormalization({ name: 'ln_e', axis: 2 }).apply(tensor([[1, 2]])), named(ValueError, /'ln_e': axis 2 is out of range/));
  assert.throws(() => layerNormalization({ name: 'ln_f', axis: [1, -1] }).apply(tensor([[1, 2]])), named(ValueError, /'ln_f': duplicate axes/));
  assert.throws(() => layerNormalization({ name: 'ln_g', axis: 0 }).apply(tensor([[1, 2]])), named(ShapeError, /'ln_g'.*known sizes/));
  const ln = layerNormalization({ name: 'ln_h' });
  ln.apply(tensor([[1, 2, 3]]));
  assert.throws(() => ln.apply(tensor([[1, 2]])), named(ShapeError, /'ln_h'/));
  assert.throws(() => ln.apply(tensor([[[1, 2, 3]]])), named(ShapeError, /'ln_h'/));
});
