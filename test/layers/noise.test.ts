// Issue 11: noise and regularization layers (SpatialDropout1D/2D, GaussianNoise, GaussianDropout,
// AlphaDropout): identity at inference, the defining statistics in training, seeding, configs, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { valueAndGrads } from '../../src/core/autograd.js';
import { setSeed } from '../../src/core/random.js';
import { ShapeError, ValueError } from '../../src/errors.js';
import * as layers from '../../src/layers/index.js';
import type { Layer } from '../../src/layers/layer.js';
import { input } from '../../src/layers/index.js';
import { ones, sum } from '../../src/ops/index.js';
import { moments64, randomInput } from './helpers.js';
import { checkLayerRoundTrip, LAYER_BASE_KEYS } from './roundtrip.js';

const named = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => e instanceof cls && re.test((e as Error).message);
const run = (layer: Layer, shape: number[], training = true) => Array.from(layer.apply(ones(shape), { training }).dataSync());

test('every noise layer is the identity at inference (and symbolic shapes pass through)', () => {
  const { x, values } = randomInput([4, 5, 3, 2], 1);
  const all = [
    layers.spatialDropout2d({ rate: 0.5 }), layers.gaussianNoise({ stddev: 1 }), layers.gaussianDropout({ rate: 0.5 }), layers.alphaDropout({ rate: 0.5 }),
  ];
  for (const layer of all) {
    assert.deepEqual(Array.from(layer.apply(x).dataSync()), Array.from(values), (layer.constructor as typeof Layer).className);
    assert.deepEqual(Array.from(layer.apply(x, { training: false }).dataSync()), Array.from(values));
  }
  const seq = randomInput([3, 6, 4], 2);
  assert.deepEqual(Array.from(layers.spatialDropout1d({ rate: 0.5 }).apply(seq.x).dataSync()), Array.from(seq.values));
  assert.deepEqual(layers.spatialDropout2d({ rate: 0.5 }).apply(input({ shape: [8, 8, 3] })).shape, [null, 8, 8, 3]);
  assert.deepEqual(layers.spatialDropout1d({ rate: 0.5 }).apply(input({ shape: [null, 3] })).shape, [null, null, 3]);
  assert.deepEqual(layers.gaussianNoise({ stddev: 0.1 }).apply(input({ shape: [7] })).shape, [null, 7]);
  assert.deepEqual(layers.alphaDropout({ rate: 0.1 }).apply(input({ shape: [2, 7] })).shape, [null, 2, 7]);
});

test('SpatialDropout2D zeroes whole channels at about `rate` and scales kept ones by 1/(1-rate)', () => {
  setSeed(3);
  const rate = 0.3;
  const [n, h, w, c] = [100, 3, 4, 20];
  const out = run(layers.spatialDropout2d({ rate }), [n, h, w, c]);
  const scale = Math.fround(1 / (1 - rate));
  let dropped = 0;
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const vals = new Set<number>();
      for (let p = 0; p < h * w; p++) vals.add(out[(b * h * w + p) * c + ch]!);
      assert.equal(vals.size, 1, `sample ${b} channel ${ch} is not all kept or all dropped`);
      const v = [...vals][0]!;
      assert.ok(v === 0 || v === scale, `value ${v}`);
      if (v === 0) dropped++;
    }
  }
  // 2000 channel draws: sd 0.010, so ±0.05 is 5 sigma.
  assert.ok(Math.abs(dropped / (n * c) - rate) < 0.05, `dropped ${dropped / (n * c)}`);
});

test('SpatialDropout2D channels_first and SpatialDropout1D share the mask along positions', () => {
  setSeed(4);
  const first = layers.spatialDropout2d({ rate: 0.5, dataFormat: 'channels_first' }).apply(ones([6, 5, 3, 3]), { training: true }).arraySync() as number[][][][];
  for (const sample of first) for (const map of sample) assert.equal(new Set(map.flat()).size, 1);
  const seq = layers.spatialDropout1d({ rate: 0.5 }).apply(ones([8, 7, 4]), { training: true }).arraySync() as number[][][];
  for (const sample of seq) for (const step of sample) assert.deepEqual(step, sample[0]);
  const flat = seq.flat(2);
  assert.ok(flat.includes(0) && flat.includes(2), 'some channels dropped, some kept');
  // The gradient is the mask.
  const x = ones([2, 5, 3]);
  const layer = layers.spatialDropout1d({ rate: 0.4 });
  let y = x;
  const { grads } = valueAndGrads(() => sum((y = layer.apply(x, { training: true }))), [x]);
  assert.deepEqual(Array.from(grads[0]!.dataSync()), Array.from(y.dataSync()));
});

test('GaussianNoise adds N(0, stddev²); GaussianDropout multiplies by N(1, rate/(1-rate))', () => {
  setSeed(5);
  const { x, values } = randomInput([200, 50], 6);
  setSeed(7);
  const noisy = layers.gaussianNoise({ stddev: 0.5 }).apply(x, { training: true }).dataSync();
  const diff = Float64Array.from(noisy, (v, i) => v - values[i]!);
  const dm = moments64(diff, 1);
  // 10,000 draws: the mean's sd is 0.005 and the variance's about 0.0035.
  assert.ok(Math.abs(dm.mean[0]!) < 0.025, `noise mean ${dm.mean[0]}`);
  assert.ok(Math.abs(dm.variance[0]! - 0.25) < 0.02, `noise variance ${dm.variance[0]}`);

  setSeed(8);
  const rate = 0.2;
  const mult = Float64Array.from(run(layers.gaussianDropout({ rate }), [200, 50]));
  const mm = moments64(mult, 1);
  assert.ok(Math.abs(mm.mean[0]! - 1) < 0.025, `multiplier mean ${mm.mean[0]}`);
  assert.ok(Math.abs(mm.variance[0]! - rate / (1 - rate)) < 0.02, `multiplier variance ${mm.variance[0]}`);
});

test('AlphaDropout keeps mean 0 and variance 1 of standardized inputs (SELU self-normalization); dropped units take one value', () => {
  const { x } = randomInput([200, 100], 9);
  setSeed(10);
  const rate = 0.2;
  const out = layers.alphaDropout({ rate }).apply(x, { training: true }).dataSync();
  const m = moments64(Float64Array.from(out), 1);
  // 20,000 values: the mean's sd is 0.007, the variance's about 0.01.
  assert.ok(Math.abs(m.mean[0]!) < 0.035, `mean ${m.mean[0]}`);
  assert.ok(Math.abs(m.variance[0]! - 1) < 0.05, `variance ${m.variance[0]}`);
  // Keras's formula: a dropped unit becomes a·α' + b with α' = -λα.
  const alphaP = -1.6732632423543772 * 1.0507009873554805;
  const a = 1 / Math.sqrt((1 - rate) * (1 + rate * alphaP ** 2));
  const droppedValue = Math.fround(a * alphaP - a * alphaP * rate);
  const dropped = Array.from(out).filter((v) => v === droppedValue).length / out.length;
  assert.ok(Math.abs(dropped - rate) < 0.02, `dropped fraction ${dropped}`);
  // Kept units are a·x + b.
  const xs = x.dataSync();
  for (let i = 0; i < 200; i++) {
    if (out[i] !== droppedValue) assert.ok(Math.abs(out[i]! - (a * xs[i]! - a * alphaP * rate)) < 1e-5, `kept ${i}`);
  }
  // noise_shape shares the mask like Dropout's.
  setSeed(11);
  const shared = layers.alphaDropout({ rate: 0.5, noiseShape: [null, 1, null] }).apply(ones([4, 6, 3]), { training: true }).arraySync() as number[][][];
  for (const sample of shared) for (const step of sample) assert.deepEqual(step, sample[0]);
});

test('seeding: same global seed → same noise, different seed → different; an own seed ignores the global one', () => {
  const makers: [string, () => Layer][] = [
    ['SpatialDropout2D', () => layers.spatialDropout2d({ rate: 0.5 })],
    ['SpatialDropout1D', () => layers.spatialDropout1d({ rate: 0.5 })],
    ['GaussianNoise', () => layers.gaussianNoise({ stddev: 1 })],
    ['GaussianDropout', () => layers.gaussianDropout({ rate: 0.5 })],
    ['AlphaDropout', () => layers.alphaDropout({ rate: 0.5 })],
  ];
  for (const [label, make] of makers) {
    const shape = label === 'SpatialDropout1D' ? [8, 4, 16] : [8, 4, 4, 16];
    setSeed(42);
    const a = run(make(), shape);
    setSeed(42);
    const b = run(make(), shape);
    setSeed(43);
    const c = run(make(), shape);
    assert.deepEqual(b, a, `${label}: same seed`);
    assert.notDeepEqual(c, a, `${label}: different seed`);
  }
  setSeed(1);
  const own1 = run(layers.gaussianNoise({ stddev: 1, seed: 7 }), [4, 4]);
  setSeed(2);
  const own2 = run(layers.gaussianNoise({ stddev: 1, seed: 7 }), [4, 4]);
  assert.deepEqual(own2, own1);
});

test('typed errors name the layer and argument', () => {
  assert.throws(() => layers.spatialDropout2d({ name: 'sd_a', rate: 1.2 }), named(ValueError, /SpatialDropout2D 'sd_a': rate is required, a number in \[0, 1\), found 1.2/));
  assert.throws(() => layers.spatialDropout1d({ name: 'sd_b' } as never), named(ValueError, /SpatialDropout1D 'sd_b': rate is required/));
  assert.throws(() => layers.spatialDropout2d({ name: 'sd_c', rate: 0.5 }).apply(ones([2, 3, 4]), { training: true }), named(ShapeError, /SpatialDropout2D 'sd_c': expected input of rank 4, found shape \[None, 3, 4\]/));
  assert.throws(() => layers.spatialDropout2d({ name: 'sd_d', rate: 0.5, seed: 0.5 }), named(ValueError, /SpatialDropout2D 'sd_d': seed must be an integer or null/));
  assert.throws(() => layers.gaussianNoise({ name: 'gn_a', stddev: -1 }), named(ValueError, /GaussianNoise 'gn_a': stddev is required, a finite number >= 0, found -1/));
  assert.throws(() => layers.gaussianDropout({ name: 'gd_a', rate: -0.1 }), named(ValueError, /GaussianDropout 'gd_a': rate/));
  assert.throws(() => layers.alphaDropout({ name: 'ad_a', rate: 0.1, noiseShape: [0] }), named(ValueError, /AlphaDropout 'ad_a': noise_shape/));
  assert.throws(() => layers.alphaDropout({ name: 'ad_b', rate: 0.1, noiseShape: [3, 3] }).apply(ones([2, 3]), { training: true }), named(ShapeError, /AlphaDropout 'ad_b': noise_shape \[3, 3\] does not broadcast to the input shape \[2, 3\]/));
  assert.throws(() => layers.gaussianNoise({ stdev: 1 } as never), named(ValueError, /did you mean 'stddev'\?/));
  assert.throws(() => layers.spatialDropout2d({ rate: 0.1, data_formt: 'channels_last' } as never), named(ValueError, /did you mean 'data_format'\?/));
});

test('config round trips with Keras 3 keys', () => {
  const { x } = randomInput([2, 3, 3, 4], 12);
  const seq = randomInput([2, 3, 4], 13).x;
  // Keras 3.16's SpatialDropout config has no `trainable` (and refuses one): checked with real Keras.
  const spatialKeys = LAYER_BASE_KEYS.filter((k) => k !== 'trainable');
  checkLayerRoundTrip(layers.spatialDropout2d({ rate: 0.3, seed: 4 }), { input: x, training: true, expectedKeys: [...spatialKeys, 'rate', 'seed', 'data_format'] });
  checkLayerRoundTrip(layers.spatialDropout1d({ rate: 0.3 }), { input: seq, expectedKeys: [...spatialKeys, 'rate', 'seed'] });
  checkLayerRoundTrip(layers.gaussianNoise({ stddev: 0.2, seed: 1 }), { input: x, training: true, expectedKeys: [...LAYER_BASE_KEYS, 'stddev', 'seed'] });
  checkLayerRoundTrip(layers.gaussianDropout({ rate: 0.2, seed: 2 }), { input: x, training: true, expectedKeys: [...LAYER_BASE_KEYS, 'rate', 'seed'] });
  checkLayerRoundTrip(layers.alphaDropout({ rate: 0.2, seed: 3, noiseShape: [null, 1, 1, null] }), { input: x, training: true, expectedKeys: [...LAYER_BASE_KEYS, 'rate', 'seed', 'noise_shape'] });
  assert.equal(new layers.SpatialDropout2D({ rate: 0.1, data_format: 'channels_first' } as never).getConfig().data_format, 'channels_first');
});
