import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Tensor } from '../../src/core/tensor.js';
import { ShapeError, UnknownNameError, ValueError } from '../../src/errors.js';
import { Activation, activation, flatten, Flatten, LeakyReLU, leakyReLU } from '../../src/layers/index.js';
import { tensor, zeros } from '../../src/ops/index.js';
import { assertClose, checkGradients } from '../helpers/gradcheck.js';
import { randomInput, tfjs, toTf } from './helpers.js';
import { checkLayerRoundTrip, LAYER_BASE_KEYS } from './roundtrip.js';

type TfTensor = import('@tensorflow/tfjs').Tensor;
const named = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => e instanceof cls && re.test((e as Error).message);

/** Random values kept away from 0, where leaky ReLU has its kink (finite differences straddle it). */
function awayFromZero(shape: number[], seed: number): Tensor {
  const { values } = randomInput(shape, seed);
  return tensor(values.map((v) => (Math.abs(v) < 0.1 ? v + Math.sign(v || 1) * 0.2 : v)), shape);
}

test('LeakyReLU: Keras 3 default slope 0.3, tfjs alpha accepted, negative_slope written to config', () => {
  assert.equal(leakyReLU().negativeSlope, 0.3);
  assert.equal(leakyReLU({ alpha: 0.2 }).negativeSlope, 0.2);
  assert.equal(new LeakyReLU({ negative_slope: 0.1 } as never).negativeSlope, 0.1);
  assert.equal(leakyReLU({ negativeSlope: 0.1, alpha: 0.7 }).negativeSlope, 0.1);
  const config = leakyReLU({ alpha: 0.2 }).getConfig();
  assert.equal(config.negative_slope, 0.2);
  assert.ok(!('alpha' in config));
  assert.deepEqual(leakyReLU({ negativeSlope: 0.5 }).apply(tensor([[-10, -5, 0, 5, 10]])).arraySync(), [[-5, -2.5, 0, 5, 10]]);
});

test('LeakyReLU vs tfjs for slopes 0.3 (default), 0.01 and 1.5', async () => {
  const tf = await tfjs();
  const { x } = randomInput([7, 9], 21, 3);
  for (const slope of [undefined, 0.01, 1.5]) {
    const ours = leakyReLU(slope === undefined ? {} : { negativeSlope: slope }).apply(x).dataSync();
    // tfjs names the slope `alpha` (Keras 3: negative_slope); the default 0.3 is the same.
    const theirs = (tf.layers.leakyReLU(slope === undefined ? {} : { alpha: slope }).apply(toTf(x)) as TfTensor).dataSync();
    assertClose(ours, theirs, 1e-6, 0, `slope ${slope}`);
  }
});

test('LeakyReLU and Flatten: finite-difference gradients', () => {
  checkGradients((x) => leakyReLU({ negativeSlope: 0.2 }).apply(x), [awayFromZero([4, 5], 3)], { label: 'LeakyReLU 0.2' });
  checkGradients((x) => leakyReLU({ negativeSlope: 1.7 }).apply(x), [awayFromZero([3, 3], 4)], { label: 'LeakyReLU 1.7' });
  checkGradients((x) => flatten().apply(x), [randomInput([2, 3, 2], 5).x], { label: 'Flatten' });
  checkGradients((x) => flatten({ dataFormat: 'channels_first' }).apply(x), [randomInput([2, 3, 2, 2], 6).x], { label: 'Flatten channels_first' });
});

test('Flatten: shapes, rank-1 inputs, computeOutputShape, and channels_first order vs tfjs', async () => {
  const tf = await tfjs();
  assert.deepEqual(flatten().apply(zeros([2, 3, 4])).shape, [2, 12]);
  assert.deepEqual(flatten().apply(zeros([0, 3, 4])).shape, [0, 12]);
  assert.deepEqual(flatten().apply(tensor([1, 2, 3])).shape, [3, 1]);
  assert.deepEqual(flatten().computeOutputShape([null, 10, 64]), [null, 640]);
  assert.deepEqual(flatten().computeOutputShape([null, null, 64]), [null, null]);
  assert.deepEqual(flatten().computeOutputShape([null]), [null, 1]);
  const { x } = randomInput([2, 3, 2, 4], 8);
  for (const [ours, theirs] of [['channels_last', 'channelsLast'], ['channels_first', 'channelsFirst'], ['channelsFirst', 'channelsFirst']] as const) {
    const ref = (tf.layers.flatten({ dataFormat: theirs }).apply(toTf(x)) as TfTensor).dataSync();
    const out = new Flatten({ dataFormat: ours as never }).apply(x);
    assert.deepEqual(Array.from(out.dataSync()), Array.from(ref), ours);
  }
  assert.throws(() => flatten({ name: 'flat_a' }).apply(tensor(3)), named(ShapeError, /Flatten 'flat_a': expected input of rank >= 1/));
  assert.throws(() => flatten({ name: 'flat_b', dataFormat: 'nhwc' as never }), named(ValueError, /Flatten 'flat_b': data_format/));
});

test('Activation layer: applies the named activation; unknown names are typed errors naming the layer', () => {
  assert.deepEqual(activation({ activation: 'relu' }).apply(tensor([[-3, -1, 0, 2]])).arraySync(), [[0, 0, 0, 2]]);
  const sig = new Activation({ activation: 'sigmoid' }).apply(tensor([[0]])).arraySync() as number[][];
  assert.equal(sig[0]![0], 0.5);
  const custom = activation({ activation: (x: Tensor) => tensor(x.dataSync().map((v) => v * 2), [...x.shape]) });
  assert.deepEqual(custom.apply(tensor([[1, 2]])).arraySync(), [[2, 4]]);
  // @ts-expect-error an unknown activation name fails to compile, and at run time for JavaScript callers.
  assert.throws(() => activation({ name: 'act_a', activation: 'nope' }), named(UnknownNameError, /Activation 'act_a'.*nope/));
  assert.throws(() => activation({ name: 'act_b' } as never), named(ValueError, /Activation 'act_b': activation is required/));
  assert.throws(() => activation({ name: 'act_c', activation: 42 as never }), named(ValueError, /Activation 'act_c'/));
});

test('LeakyReLU: bad negative_slope is a typed error naming the layer', () => {
  assert.throws(() => leakyReLU({ name: 'lr_a', negativeSlope: -0.1 }), named(ValueError, /LeakyReLU 'lr_a': negative_slope must be a finite number >= 0, found -0.1/));
  assert.throws(() => leakyReLU({ name: 'lr_b', alpha: 'x' as never }), named(ValueError, /LeakyReLU 'lr_b': alpha/));
});

test('Activation, LeakyReLU, Flatten: config round trips with Keras 3 keys', () => {
  const { x } = randomInput([3, 2, 2], 4);
  checkLayerRoundTrip(activation({ activation: 'tanh' }), { input: x, expectedKeys: [...LAYER_BASE_KEYS, 'activation'] });
  checkLayerRoundTrip(new Activation({ activation: 'softmax', name: 'probs', trainable: false }), { input: x });
  checkLayerRoundTrip(leakyReLU({ alpha: 0.05 }), { input: x, expectedKeys: [...LAYER_BASE_KEYS, 'negative_slope'] });
  checkLayerRoundTrip(flatten({ dataFormat: 'channels_first' }), { input: x, expectedKeys: [...LAYER_BASE_KEYS, 'data_format'] });
  checkLayerRoundTrip(flatten({ inputShape: [2, 2] }), { input: x });
  assert.equal(activation({ activation: 'relu' }).getConfig().activation, 'relu');
  assert.equal(flatten().getConfig().data_format, 'channels_last');
});
