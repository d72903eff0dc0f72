import { test } from 'node:test';
import assert from 'node:assert/strict';
import { valueAndGrads } from '../../src/core/autograd.js';
import { setSeed } from '../../src/core/random.js';
import { ShapeError, ValueError } from '../../src/errors.js';
import { Dropout, dropout } from '../../src/layers/index.js';
import { ones, sum } from '../../src/ops/index.js';
import { randomInput, tfjs, toTf } from './helpers.js';
import { checkLayerRoundTrip, LAYER_BASE_KEYS } from './roundtrip.js';

const maskOf = (layer: Dropout, shape: number[]) => Array.from(layer.apply(ones(shape), { training: true }).dataSync());

test('Dropout in training: drops about `rate` of the inputs and scales the rest by 1/(1-rate)', () => {
  setSeed(1);
  const rate = 0.3;
  const out = maskOf(dropout({ rate }), [200, 50]);
  const zeros = out.filter((v) => v === 0).length / out.length;
  // 10,000 Bernoulli(0.3) draws: standard deviation 0.0046, so ±0.025 is over 5 sigma.
  assert.ok(Math.abs(zeros - rate) < 0.025, `dropped fraction ${zeros}`);
  const kept = new Set(out.filter((v) => v !== 0));
  assert.deepEqual([...kept], [Math.fround(1 / (1 - rate))]);
  // The scaling keeps the expected sum: mean output ≈ 1.
  const mean = out.reduce((a, b) => a + b, 0) / out.length;
  assert.ok(Math.abs(mean - 1) < 0.04, `mean ${mean}`);
});

test('Dropout at inference is the identity (as tfjs); rate 0 is the identity in training too', async () => {
  const tf = await tfjs();
  const { x, values } = randomInput([4, 6], 3);
  const layer = dropout({ rate: 0.5 });
  const theirs = (tf.layers.dropout({ rate: 0.5 }).apply(toTf(x)) as import('@tensorflow/tfjs').Tensor).dataSync();
  assert.deepEqual(Array.from(layer.apply(x).dataSync()), Array.from(theirs));
  assert.deepEqual(Array.from(layer.apply(x, { training: false }).dataSync()), Array.from(values));
  assert.deepEqual(Array.from(dropout({ rate: 0 }).apply(x, { training: true }).dataSync()), Array.from(values));
  assert.ok(maskOf(dropout({ rate: 1 }), [3, 3]).every((v) => v === 0), 'rate 1 drops everything (and stays finite)');
});

test('Dropout masks are reproducible: same global seed → same mask, different seed → different', () => {
  const layer = dropout({ rate: 0.5 });
  setSeed(42);
  const a = maskOf(layer, [8, 16]);
  const a2 = maskOf(layer, [8, 16]);
  setSeed(42);
  const b = maskOf(layer, [8, 16]);
  setSeed(43);
  const c = maskOf(layer, [8, 16]);
  assert.deepEqual(b, a);
  assert.notDeepEqual(a2, a, 'successive calls draw fresh masks');
  assert.notDeepEqual(c, a);
});

test('Dropout with its own seed: its own stream, independent of the global seed (Keras SeedGenerator)', () => {
  setSeed(1);
  const a = maskOf(dropout({ rate: 0.5, seed: 7 }), [8, 16]);
  setSeed(2);
  const b = maskOf(dropout({ rate: 0.5, seed: 7 }), [8, 16]);
  const c = maskOf(dropout({ rate: 0.5, seed: 8 }), [8, 16]);
  assert.deepEqual(b, a);
  assert.notDeepEqual(c, a);
});

test('Dropout noise_shape shares the mask along size-1 (and null-filled) dims', () => {
  setSeed(5);
  const out = dropout({ rate: 0.5, noiseShape: [null, 1, null] }).apply(ones([4, 6, 3]), { training: true }).arraySync() as number[][][];
  for (const sample of out) for (const step of sample) assert.deepEqual(step, sample[0]);
  const flat = out.flat(2);
  assert.ok(flat.some((v) => v === 0) && flat.some((v) => v === 2));
  assert.throws(() => dropout({ name: 'drop_ns', rate: 0.5, noise_shape: [4, 5] } as never).apply(ones([4, 6]), { training: true }), (e: unknown) => e instanceof ShapeError && /Dropout 'drop_ns': noise_shape/.test((e as Error).message));
});

test('Dropout gradient is the mask: d(sum(dropout(x)))/dx = mask/(1-rate)', () => {
  setSeed(9);
  const layer = dropout({ rate: 0.25 });
  const x = ones([5, 4]);
  let y = x;
  const { grads } = valueAndGrads(() => {
    y = layer.apply(x, { training: true });
    return sum(y);
  }, [x]);
  assert.deepEqual(Array.from(grads[0]!.dataSync()), Array.from(y.dataSync()));
});

test('Dropout: config round trip (Keras 3 keys), seeded layers give identical outputs', () => {
  const keys = [...LAYER_BASE_KEYS, 'rate', 'seed', 'noise_shape'];
  const { x } = randomInput([3, 4], 1);
  checkLayerRoundTrip(dropout({ rate: 0.4, noiseShape: [null, 4], seed: 3 }), { input: x, training: true, expectedKeys: keys });
  checkLayerRoundTrip(new Dropout({ rate: 0.1, noise_shape: [1, null] } as never), { input: x, expectedKeys: keys });
  assert.deepEqual(dropout({ rate: 0.5 }).getConfig().noise_shape, null);
  assert.deepEqual(dropout({ rate: 0.5 }).getConfig().seed, null);
});

test('Dropout: typed errors name the layer', () => {
  const bad = (args: object, re: RegExp) =>
    assert.throws(() => dropout({ name: 'drop_x', ...args } as never), (e: unknown) => e instanceof ValueError && /Dropout 'drop_x'/.test((e as Error).message) && re.test((e as Error).message));
  bad({ rate: -0.1 }, /rate must be a finite number >= 0 and <= 1, found -0.1/);
  bad({ rate: 1.5 }, /rate/);
  bad({ rate: '0.5' }, /rate/);
  bad({}, /rate is required/);
  bad({ rate: 0.5, noiseShape: [2, 0] }, /noise_shape/);
  bad({ rate: 0.5, noiseShape: 'batch' }, /noise_shape/);
  bad({ rate: 0.5, seed: 1.5 }, /seed/);
});
