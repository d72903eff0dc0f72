// Issue 11: image augmentation layers (RandomFlip, RandomRotation, RandomZoom, RandomTranslation,
// RandomContrast): identity at inference, exact geometry on worked examples, fill modes, seeding,
// gradients through the resampling, configs and typed errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import { valueAndGrads } from '../../src/core/autograd.js';
import { setSeed } from '../../src/core/random.js';
import type { Tensor } from '../../src/core/tensor.js';
import { ShapeError, ValueError } from '../../src/errors.js';
import * as layers from '../../src/layers/index.js';
import type { Layer } from '../../src/layers/layer.js';
import { input } from '../../src/layers/index.js';
import { sum, tensor } from '../../src/ops/index.js';
import { assertClose, checkGradients } from '../helpers/gradcheck.js';
import { randomInput } from './helpers.js';
import { checkLayerRoundTrip, LAYER_BASE_KEYS } from './roundtrip.js';

const named = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => e instanceof cls && re.test((e as Error).message);
const train = (layer: Layer, x: Tensor) => layer.apply(x, { training: true });
type Img = number[][][];

/** One [h, w, 1] image whose pixel value is its column index (a ramp: bilinear sampling of it is exact). */
function ramp(h: number, w: number, byRow = false): Tensor {
  return tensor(Array.from({ length: h }, (_, y) => Array.from({ length: w }, (_, x) => [byRow ? y : x])), [1, h, w, 1]);
}
const row = (t: Tensor, r = 0) => ((t.arraySync() as Img[])[0]![r] as number[][]).map((p) => p[0]);
const col = (t: Tensor, c = 0) => ((t.arraySync() as Img[])[0] as number[][][]).map((r) => r[c]![0]);

const flipH = (img: Img) => img.map((r) => [...r].reverse());
const flipV = (img: Img) => [...img].reverse();

test('every augmentation layer is the identity at inference; symbolic shapes pass through', () => {
  const { x, values } = randomInput([3, 6, 5, 2], 1, 50, 100);
  const all: Layer[] = [
    layers.randomFlip(), layers.randomRotation({ factor: 0.3 }), layers.randomZoom({ heightFactor: 0.4 }),
    layers.randomTranslation({ heightFactor: 0.3, widthFactor: 0.3 }), layers.randomContrast({ factor: 0.5 }),
  ];
  for (const layer of all) {
    const label = (layer.constructor as typeof layers.Layer).className;
    assert.deepEqual(Array.from(layer.apply(x).dataSync()), Array.from(values), label);
    assert.deepEqual(layer.apply(input({ shape: [6, 5, 2] })).shape, [null, 6, 5, 2], label);
  }
});

test('RandomFlip flips whole images: each output is the image or its mirror(s), both occur, per mode', () => {
  setSeed(2);
  const { x } = randomInput([24, 3, 4, 2], 3);
  const imgs = x.arraySync() as Img[];
  const cases: [layers.FlipMode, (img: Img) => Img[]][] = [
    ['horizontal', (i) => [i, flipH(i)]],
    ['vertical', (i) => [i, flipV(i)]],
    ['horizontal_and_vertical', (i) => [i, flipH(i), flipV(i), flipV(flipH(i))]],
  ];
  for (const [mode, variants] of cases) {
    const out = train(layers.randomFlip({ mode }), x).arraySync() as Img[];
    const seen = new Set<number>();
    out.forEach((img, k) => {
      const which = variants(imgs[k]!).findIndex((v) => JSON.stringify(v) === JSON.stringify(img));
      assert.ok(which >= 0, `${mode}: image ${k} is not a flip of its input`);
      seen.add(which);
    });
    assert.equal(seen.size, variants(imgs[0]!).length, `${mode}: every variant occurs in 24 draws`);
  }
  // The default is 'horizontal_and_vertical', as Keras.
  assert.equal(layers.randomFlip().mode, 'horizontal_and_vertical');
});

test('RandomRotation: factor 0 is the identity; a quarter and a half turn move pixels exactly', () => {
  const { x, values } = randomInput([2, 5, 5, 3], 4);
  assert.deepEqual(Array.from(train(layers.randomRotation({ factor: 0 }), x).dataSync()), Array.from(values));
  const img = x.arraySync() as Img[];
  const n = 5;
  for (const interpolation of ['nearest', 'bilinear'] as const) {
    // A positive angle turns counter-clockwise: output (row y, col x) shows input (row x, col n-1-y).
    const quarter = train(layers.randomRotation({ factor: [0.25, 0.25], interpolation }), x).arraySync() as Img[];
    const half = train(layers.randomRotation({ factor: [-0.5, -0.5], interpolation }), x).arraySync() as Img[];
    for (let b = 0; b < 2; b++) {
      for (let y = 0; y < n; y++) {
        for (let c = 0; c < n; c++) {
          assertClose(quarter[b]![y]![c]!, img[b]![c]![n - 1 - y]!, 1e-5, 1e-5, `${interpolation} quarter (${y}, ${c})`);
          assertClose(half[b]![y]![c]!, img[b]![n - 1 - y]![n - 1 - c]!, 1e-5, 1e-5, `${interpolation} half (${y}, ${c})`);
        }
      }
    }
  }
  // Angles are drawn within ±factor·2π: a small factor keeps the image close to the original.
  setSeed(5);
  const smooth = tensor(Array.from({ length: 16 }, (_, y) => Array.from({ length: 16 }, (_, c) => [Math.sin(y / 5) + Math.cos(c / 5)])), [1, 16, 16, 1]);
  const slight = train(layers.randomRotation({ factor: 0.005, fillMode: 'nearest' }), smooth).dataSync();
  const orig = smooth.dataSync();
  assert.ok(slight.every((v, i) => Math.abs(v - orig[i]!) < 0.1), 'a ±1.8° rotation changes a smooth image little');
});

test('RandomZoom and fill modes: reflect, wrap, nearest and constant on a ramp, zoom in and out about the centre', () => {
  const img = ramp(1, 5);
  const zoom = (f: number, args: object = {}) => row(train(layers.randomZoom({ heightFactor: [0, 0], widthFactor: [f, f], ...args }), img));
  assert.deepEqual(zoom(0), [0, 1, 2, 3, 4], 'factor 0 is the identity');
  // Zoom in by 2 (factor -0.5): column x samples 0.5·x + 1 (the centre 2 stays put); bilinear on a ramp is exact.
  assertClose(zoom(-0.5), [1, 1.5, 2, 2.5, 3], 1e-6, 0, 'zoom in');
  // Zoom out by 2 (factor 1): column x samples 2·x − 2, so columns −2 and 6 come from the fill mode.
  assert.deepEqual(zoom(1, { fillMode: 'reflect' }), [1, 0, 2, 4, 3], 'reflect: d c b a | a b c d | d c b a');
  assert.deepEqual(zoom(1, { fillMode: 'wrap' }), [3, 0, 2, 4, 1], 'wrap: a b c d | a b c d');
  assert.deepEqual(zoom(1, { fillMode: 'nearest' }), [0, 0, 2, 4, 4], 'nearest: a a | a b c d | d d');
  assert.deepEqual(zoom(1, { fillMode: 'constant', fillValue: -7 }), [-7, 0, 2, 4, -7], 'constant');
  // Without width_factor both axes take the same draw (the aspect ratio is kept).
  setSeed(6);
  const square = tensor(Array.from({ length: 9 }, (_, y) => Array.from({ length: 9 }, (_, c) => [y * 10 + c])), [1, 9, 9, 1]);
  const out = train(layers.randomZoom({ heightFactor: [-0.5, -0.1], interpolation: 'bilinear' }), square).arraySync() as Img[];
  const zy = (out[0]![8]![4]![0]! - out[0]![0]![4]![0]!) / 80;
  const zx = out[0]![4]![8]![0]! - out[0]![4]![0]![0]!;
  assertClose([zy], [zx / 8], 1e-4, 0, 'same zoom on both axes');
  assert.ok(zy >= 0.5 - 1e-6 && zy <= 0.9 + 1e-6, `zoom ${zy} within 1 + [-0.5, -0.1]`);
});

test('RandomTranslation shifts by factor × size (positive: down / right), filling per fill_mode', () => {
  const img = ramp(1, 5);
  const shift = (f: number, args: object = {}) => row(train(layers.randomTranslation({ heightFactor: 0, widthFactor: [f, f], ...args }), img));
  assert.deepEqual(shift(0), [0, 1, 2, 3, 4]);
  assert.deepEqual(shift(0.2, { fillMode: 'constant' }), [0, 0, 1, 2, 3], 'one column right, zero fill');
  assert.deepEqual(shift(-0.4, { fillMode: 'constant', fillValue: 9 }), [2, 3, 4, 9, 9], 'two columns left');
  assert.deepEqual(shift(0.4, { fillMode: 'wrap' }), [3, 4, 0, 1, 2]);
  assertClose(shift(0.1, { fillMode: 'nearest' }), [0, 0.5, 1.5, 2.5, 3.5], 1e-6, 0, 'half a column, bilinear');
  // Column x samples x + 0.5: nearest interpolation rounds the half up, to x + 1.
  assert.deepEqual(shift(-0.1, { fillMode: 'nearest', interpolation: 'nearest' }), [1, 2, 3, 4, 4], 'nearest interpolation rounds halves up');
  const tall = ramp(5, 1, true);
  assert.deepEqual(col(train(layers.randomTranslation({ heightFactor: [0.2, 0.2], widthFactor: 0, fillMode: 'reflect' }), tall)), [0, 0, 1, 2, 3], 'one row down, reflected');
});

test('RandomContrast: per image (x − mean)·c + mean with c in [1 − lower, 1 + upper], clipped to value_range', () => {
  setSeed(7);
  const { x } = randomInput([16, 4, 4, 3], 8, 10, 100);
  assert.deepEqual(Array.from(train(layers.randomContrast({ factor: 0 }), x).dataSync()), Array.from(x.dataSync()), 'factor 0');
  const out = train(layers.randomContrast({ factor: [0.3, 0.6] }), x).arraySync() as Img[];
  const imgs = x.arraySync() as Img[];
  const factors = new Set<string>();
  imgs.forEach((img, b) => {
    const mean = [0, 1, 2].map((ch) => img.flat().reduce((s, p) => s + p[ch]!, 0) / 16);
    let c: number | null = null;
    img.forEach((r, y) => r.forEach((p, xi) => p.forEach((v, ch) => {
      if (Math.abs(v - mean[ch]!) < 1) return;
      const k = (out[b]![y]![xi]![ch]! - mean[ch]!) / (v - mean[ch]!);
      c ??= k;
      assertClose([k], [c], 1e-3, 0, `image ${b}: one factor for all pixels and channels`);
    })));
    assert.ok(c! >= 0.7 - 1e-3 && c! <= 1.6 + 1e-3, `factor ${c} in [0.7, 1.6]`);
    factors.add(c!.toFixed(3));
  });
  assert.ok(factors.size > 8, 'each image draws its own factor');
  const clipped = train(layers.randomContrast({ factor: [0, 3], valueRange: [95, 105] }), x).dataSync();
  assert.ok(clipped.every((v) => v >= 95 && v <= 105), 'clipped to value_range');
});

test('seeding: same seed → same augmentation, different seed → different; own seeds ignore the global one', () => {
  const { x } = randomInput([4, 8, 8, 2], 9);
  const makers: [string, () => Layer][] = [
    ['RandomFlip', () => layers.randomFlip()],
    ['RandomRotation', () => layers.randomRotation({ factor: 0.2 })],
    ['RandomZoom', () => layers.randomZoom({ heightFactor: 0.3, widthFactor: 0.3 })],
    ['RandomTranslation', () => layers.randomTranslation({ heightFactor: 0.3, widthFactor: 0.3 })],
    ['RandomContrast', () => layers.randomContrast({ factor: 0.5, valueRange: [-10, 10] })],
  ];
  for (const [label, make] of makers) {
    setSeed(42);
    const a = Array.from(train(make(), x).dataSync());
    setSeed(42);
    const b = Array.from(train(make(), x).dataSync());
    setSeed(4242);
    const c = Array.from(train(make(), x).dataSync());
    assert.deepEqual(b, a, `${label}: same seed`);
    assert.notDeepEqual(c, a, `${label}: different seed`);
  }
  setSeed(1);
  const own1 = Array.from(train(layers.randomRotation({ factor: 0.2, seed: 3 }), x).dataSync());
  setSeed(2);
  const own2 = Array.from(train(layers.randomRotation({ factor: 0.2, seed: 3 }), x).dataSync());
  assert.deepEqual(own2, own1);
});

test('the output is a graph tensor: gradients flow back through the resampling, unbatched and channels_first inputs work', async () => {
  // A fixed angle / zoom / shift makes the transform deterministic, so finite differences apply.
  const x = randomInput([2, 4, 5, 2], 10).x;
  checkGradients((t) => train(layers.randomRotation({ factor: [0.1, 0.1], fillMode: 'constant', fillValue: 0.5 }), t), [x], { label: 'RandomRotation bilinear' });
  checkGradients((t) => train(layers.randomZoom({ heightFactor: [0.3, 0.3], widthFactor: [-0.2, -0.2], fillMode: 'reflect' }), t), [x], { label: 'RandomZoom' });
  checkGradients((t) => train(layers.randomTranslation({ heightFactor: [0.15, 0.15], widthFactor: [-0.3, -0.3], fillMode: 'wrap' }), t), [x], { label: 'RandomTranslation' });
  // The contrast factor is always random: reseeding before each call repeats the same draw.
  const contrast = layers.randomContrast({ factor: 0.5, valueRange: [-100, 100] });
  checkGradients((t) => (setSeed(17), train(contrast, t)), [x], { label: 'RandomContrast' });
  setSeed(3);
  const { grads } = valueAndGrads(() => sum(train(layers.randomFlip({ mode: 'horizontal' }), x)), [x]);
  assert.ok(grads[0]!.dataSync().every((g) => g === 1), 'a flip moves each pixel once');
  // One unbatched image, and channels-first batches.
  const single = randomInput([4, 4, 3], 11).x;
  const turned = train(layers.randomRotation({ factor: [0.5, 0.5], dataFormat: 'channels_last' }), single);
  assert.deepEqual([...turned.shape], [4, 4, 3]);
  const cf = randomInput([2, 3, 4, 4], 12).x;
  const cfTurned = train(layers.randomRotation({ factor: [0.25, 0.25], dataFormat: 'channels_first' }), cf).arraySync() as number[][][][];
  const cfIn = cf.arraySync() as number[][][][];
  assertClose([cfTurned[1]![2]![0]![0]!], [cfIn[1]![2]![0]![3]!], 1e-5, 1e-5, 'channels_first quarter turn');
  // Inside a model: fit trains through the augmentation (training: true), predict skips it.
  setSeed(13);
  const model = kiln.sequential([
    kiln.input({ shape: [6, 6, 1] }), layers.randomFlip(), layers.randomRotation({ factor: 0.1 }), layers.randomZoom({ heightFactor: 0.1 }),
    layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1 }), layers.randomContrast({ factor: 0.1 }), layers.flatten(), layers.dense({ units: 1 }),
  ]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const xs = kiln.randomUniform([8, 6, 6, 1], 0, 255);
  const h = await model.fit(xs, kiln.zeros([8, 1]), { epochs: 1, batchSize: 4, verbose: 0, monitor: false });
  assert.ok(Number.isFinite(h.history.loss![0]), 'training loss is finite');
  const p1 = Array.from((model.predict(xs) as Tensor).dataSync());
  const p2 = Array.from((model.predict(xs) as Tensor).dataSync());
  assert.deepEqual(p2, p1, 'predict is deterministic (augmentation off)');
});

test('typed errors name the layer and argument', () => {
  assert.throws(() => layers.randomFlip({ name: 'rf_a', mode: 'diagonal' as never }), named(ValueError, /RandomFlip 'rf_a': mode must be one of 'horizontal', 'vertical', 'horizontal_and_vertical', found "diagonal"/));
  assert.throws(() => layers.randomRotation({ name: 'rr_a', factor: -0.1 }), named(ValueError, /RandomRotation 'rr_a': factor must be a number >= 0 \(meaning \[-f, f\]\) or a pair \[lower, upper\]/));
  assert.throws(() => layers.randomRotation({ name: 'rr_b', factor: [0.3, 0.1] }), named(ValueError, /RandomRotation 'rr_b': factor.*lower <= upper/));
  assert.throws(() => layers.randomRotation({ name: 'rr_c', factor: 0.1, fillMode: 'mirror' as never }), named(ValueError, /RandomRotation 'rr_c': fill_mode must be one of 'reflect', 'wrap', 'constant', 'nearest', found "mirror"/));
  assert.throws(() => layers.randomRotation({ name: 'rr_d', factor: 0.1, interpolation: 'cubic' as never }), named(ValueError, /RandomRotation 'rr_d': interpolation must be 'bilinear' or 'nearest'/));
  assert.throws(() => layers.randomRotation({ name: 'rr_e' } as never), named(ValueError, /RandomRotation 'rr_e': factor/));
  assert.throws(() => layers.randomZoom({ name: 'rz_a', heightFactor: [-1.5, 0] }), named(ValueError, /RandomZoom 'rz_a': height_factor values must lie within \[-1, 1\]/));
  assert.throws(() => layers.randomZoom({ name: 'rz_b', heightFactor: 0.1, widthFactor: 'x' as never }), named(ValueError, /RandomZoom 'rz_b': width_factor/));
  assert.throws(() => layers.randomTranslation({ name: 'rt_a', heightFactor: 0.1 } as never), named(ValueError, /RandomTranslation 'rt_a': width_factor/));
  assert.throws(() => layers.randomTranslation({ name: 'rt_b', heightFactor: 0.1, widthFactor: 0.1, fillValue: NaN }), named(ValueError, /RandomTranslation 'rt_b': fill_value must be a finite number/));
  assert.throws(() => layers.randomContrast({ name: 'rc_a', factor: 1.5 }), named(ValueError, /RandomContrast 'rc_a': factor must be a number or a pair \[lower, upper\] with lower in \[0, 1\]/));
  assert.throws(() => layers.randomContrast({ name: 'rc_b', factor: 0.1, valueRange: [1, 0] }), named(ValueError, /RandomContrast 'rc_b': value_range must be a pair \[low, high\] with low < high/));
  assert.throws(() => layers.randomFlip({ name: 'rf_b' }).apply(randomInput([2, 3], 1).x, { training: true }), named(ShapeError, /RandomFlip 'rf_b': expected images of rank 4 \[batch, height, width, channels\] or one image of rank 3, found shape \[None, 3\]/));
  assert.throws(() => layers.randomRotation({ factor: 0.1, fill_mod: 'reflect' } as never), named(ValueError, /did you mean 'fill_mode'\?/));
  assert.throws(() => layers.randomZoom({ heightFactr: 0.1 } as never), named(ValueError, /did you mean 'heightFactor'\?/));
});

test('config round trips with Keras 3 keys', () => {
  const { x } = randomInput([2, 5, 5, 2], 14);
  const geo = ['fill_mode', 'interpolation', 'fill_value', 'seed', 'data_format'];
  checkLayerRoundTrip(layers.randomFlip({ mode: 'vertical', seed: 1 }), { input: x, training: true, expectedKeys: [...LAYER_BASE_KEYS, 'mode', 'seed', 'data_format'] });
  checkLayerRoundTrip(layers.randomRotation({ factor: [-0.1, 0.2], fillMode: 'constant', fillValue: 3, seed: 2 }), { input: x, training: true, expectedKeys: [...LAYER_BASE_KEYS, 'factor', ...geo] });
  checkLayerRoundTrip(layers.randomZoom({ heightFactor: 0.2, seed: 3 }), { input: x, training: true, expectedKeys: [...LAYER_BASE_KEYS, 'height_factor', 'width_factor', ...geo] });
  checkLayerRoundTrip(layers.randomTranslation({ heightFactor: [0, 0.2], widthFactor: 0.1, interpolation: 'nearest', seed: 4 }), { input: x, training: true, expectedKeys: [...LAYER_BASE_KEYS, 'height_factor', 'width_factor', ...geo] });
  checkLayerRoundTrip(layers.randomContrast({ factor: [0.1, 0.4], valueRange: [0, 1], seed: 5 }), { input: x, training: true, expectedKeys: [...LAYER_BASE_KEYS, 'factor', 'value_range', 'seed'] });
  // A Keras 3 config loads (snake_case keys; keys kiln does not model are tolerated in loaded configs).
  const loaded = <layers.RandomRotation>layers.RandomRotation.fromConfig({ name: 'rot', trainable: true, dtype: 'float32', factor: [-0.2, 0.3], fill_mode: 'nearest', interpolation: 'nearest', seed: null, fill_value: 0, data_format: 'channels_last' });
  assert.deepEqual(loaded.range, [-0.2, 0.3]);
  assert.equal(loaded.getConfig().fill_mode, 'nearest');
  assert.equal(layers.randomZoom({ height_factor: 0.1 } as never).getConfig().width_factor, null);
});
