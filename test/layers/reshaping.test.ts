// Issue 11: shape layers (Reshape, Permute, RepeatVector, UpSampling1D/2D, ZeroPadding1D/2D,
// Cropping1D/2D) against tfjs (forward and input gradients), finite differences, configs, symbolic
// shapes and typed errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { valueAndGrads } from '../../src/core/autograd.js';
import type { Tensor } from '../../src/core/tensor.js';
import { ShapeError, ValueError } from '../../src/errors.js';
import * as layers from '../../src/layers/index.js';
import { input } from '../../src/layers/index.js';
import { mul, sum, tensor } from '../../src/ops/index.js';
import { assertClose, checkGradients } from '../helpers/gradcheck.js';
import { randomInput, tfjs, toTf } from './helpers.js';
import { checkLayerRoundTrip, LAYER_BASE_KEYS } from './roundtrip.js';

type TF = typeof import('@tensorflow/tfjs');
type TfTensor = import('@tensorflow/tfjs').Tensor;
const named = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => e instanceof cls && re.test((e as Error).message);

/**
 * Compares a kiln function of one input with a tfjs one: outputs, and the input gradient of
 * sum(f(x) ⊙ w) for random weights w (so every output element's gradient is checked), to 1e-5.
 */
async function againstTfjs(label: string, shape: number[], ours: (x: Tensor) => Tensor, theirs: (tf: TF, x: TfTensor) => TfTensor, seed = 1): Promise<void> {
  const tf = await tfjs();
  const { x } = randomInput(shape, seed);
  const out = ours(x);
  const ref = theirs(tf, toTf(x));
  assert.deepEqual([...out.shape], ref.shape, `${label}: output shape`);
  assertClose(out.dataSync(), ref.dataSync(), 1e-5, 1e-5, `${label}: forward`);
  const { x: w } = randomInput([...out.shape], seed + 100);
  const { grads } = valueAndGrads(() => sum(mul(ours(x), w)), [x]);
  const tfW = toTf(w);
  const tfGrad = tf.grad((t: TfTensor) => tf.sum(tf.mul(theirs(tf, t), tfW)))(toTf(x));
  assertClose(grads[0]!.dataSync(), tfGrad.dataSync(), 1e-5, 1e-5, `${label}: input gradient`);
}

test('Reshape vs tfjs (forward and input gradient), with -1 inferred', async () => {
  await againstTfjs('reshape [6, 4]', [3, 2, 3, 4], (x) => layers.reshape({ targetShape: [6, 4] }).apply(x), (tf, x) => tf.layers.reshape({ targetShape: [6, 4] }).apply(x) as TfTensor);
  await againstTfjs('reshape [-1, 2]', [3, 2, 3, 4], (x) => layers.reshape({ targetShape: [-1, 2] }).apply(x), (tf, x) => tf.layers.reshape({ targetShape: [-1, 2] }).apply(x) as TfTensor);
  await againstTfjs('reshape [2, -1, 3]', [2, 12], (x) => new layers.Reshape({ target_shape: [2, -1, 3] } as never).apply(x), (tf, x) => tf.layers.reshape({ targetShape: [2, -1, 3] }).apply(x) as TfTensor);
});

test('Permute vs tfjs (1-based dims), forward and input gradient', async () => {
  await againstTfjs('permute [2, 1]', [2, 3, 4], (x) => layers.permute({ dims: [2, 1] }).apply(x), (tf, x) => tf.layers.permute({ dims: [2, 1] }).apply(x) as TfTensor);
  await againstTfjs('permute [3, 1, 2]', [2, 3, 4, 5], (x) => layers.permute({ dims: [3, 1, 2] }).apply(x), (tf, x) => tf.layers.permute({ dims: [3, 1, 2] }).apply(x) as TfTensor);
});

test('RepeatVector vs tfjs, forward and input gradient (the sum over repeats)', async () => {
  await againstTfjs('repeatVector 3', [4, 5], (x) => layers.repeatVector({ n: 3 }).apply(x), (tf, x) => tf.layers.repeatVector({ n: 3 }).apply(x) as TfTensor);
  await againstTfjs('repeatVector 1', [2, 3], (x) => layers.repeatVector({ n: 1 }).apply(x), (tf, x) => tf.layers.repeatVector({ n: 1 }).apply(x) as TfTensor);
});

test('UpSampling2D nearest vs tfjs (int and [rows, cols] sizes), forward and input gradient', async () => {
  // One image per batch: tfjs 4.22's CPU ResizeNearestNeighborGrad gives wrong gradients for the
  // second and later images of a batch (checked by hand: it differs from the sum of the repeated
  // output gradients, which kiln returns). Batches of several images are checked numerically below.
  await againstTfjs('upSampling2d 2', [1, 3, 4, 2], (x) => layers.upSampling2d().apply(x), (tf, x) => tf.layers.upSampling2d({}).apply(x) as TfTensor);
  await againstTfjs('upSampling2d [2, 3]', [1, 3, 2, 3], (x) => layers.upSampling2d({ size: [2, 3] }).apply(x), (tf, x) => tf.layers.upSampling2d({ size: [2, 3] }).apply(x) as TfTensor);
  await againstTfjs('upSampling2d [3, 1] channels_first', [1, 2, 3, 4], (x) => layers.upSampling2d({ size: [3, 1], dataFormat: 'channels_first' }).apply(x),
    (tf, x) => tf.layers.upSampling2d({ size: [3, 1], dataFormat: 'channelsFirst' }).apply(x) as TfTensor);
});

test('UpSampling2D bilinear: half-pixel centres (Keras 3, tf.image.resize) — matches tfjs resizeBilinear(halfPixelCenters) and finite differences', async () => {
  const tf = await tfjs();
  checkGradients((x) => layers.upSampling2d({ size: [2, 2] }).apply(x), [randomInput([3, 2, 2, 2], 9).x], { label: 'UpSampling2D nearest, batch of 3' });
  for (const [shape, size] of [[[2, 3, 4, 2], [2, 2]], [[1, 4, 3, 3], [3, 2]], [[1, 1, 2, 1], [4, 3]]] as const) {
    const { x } = randomInput([...shape], 7);
    const out = layers.upSampling2d({ size: [...size] as [number, number], interpolation: 'bilinear' }).apply(x);
    // tfjs's UpSampling2D layer uses the older corner-aligned sampling (neither half-pixel nor
    // align-corners); Keras 3 resizes with half-pixel centres, which this op reproduces.
    const ref = tf.image.resizeBilinear(toTf(x) as import('@tensorflow/tfjs').Tensor4D, [shape[1] * size[0], shape[2] * size[1]], false, true);
    assert.deepEqual([...out.shape], ref.shape);
    assertClose(out.dataSync(), ref.dataSync(), 1e-5, 1e-5, `bilinear ${JSON.stringify(size)}`);
  }
  // tfjs's resizeBilinear gradient ignores halfPixelCenters, so the gradient is checked numerically.
  checkGradients((x) => layers.upSampling2d({ size: [2, 3], interpolation: 'bilinear' }).apply(x), [randomInput([1, 3, 2, 2], 8).x], { label: 'UpSampling2D bilinear' });
  // A constant image stays constant (the weights of each output pixel sum to 1).
  const flat = layers.upSampling2d({ size: 3, interpolation: 'bilinear' }).apply(tensor(new Float32Array(2 * 2 * 2).fill(5), [1, 2, 2, 2]));
  assert.ok(Array.from(flat.dataSync()).every((v) => Math.abs(v - 5) < 1e-6));
});

test('ZeroPadding2D vs tfjs for int, [h, w] and [[t, b], [l, r]] padding, forward and input gradient', async () => {
  for (const padding of [1, [2, 1], [[1, 0], [0, 3]]] as const) {
    await againstTfjs(`zeroPadding2d ${JSON.stringify(padding)}`, [2, 3, 4, 2], (x) => layers.zeroPadding2d({ padding: padding as never }).apply(x),
      (tf, x) => tf.layers.zeroPadding2d({ padding: padding as never }).apply(x) as TfTensor);
  }
  await againstTfjs('zeroPadding2d channels_first', [1, 2, 3, 3], (x) => layers.zeroPadding2d({ padding: [[1, 2], [0, 1]], dataFormat: 'channels_first' }).apply(x),
    (tf, x) => tf.layers.zeroPadding2d({ padding: [[1, 2], [0, 1]], dataFormat: 'channelsFirst' }).apply(x) as TfTensor);
});

test('Cropping2D vs tfjs for int, [h, w] and [[t, b], [l, r]] cropping, forward and input gradient', async () => {
  for (const cropping of [1, [2, 1], [[1, 0], [0, 2]]] as const) {
    await againstTfjs(`cropping2d ${JSON.stringify(cropping)}`, [2, 5, 6, 2], (x) => layers.cropping2d({ cropping: cropping as never }).apply(x),
      (tf, x) => tf.layers.cropping2D({ cropping: cropping as never }).apply(x) as TfTensor);
  }
  await againstTfjs('cropping2d channels_first', [1, 2, 5, 4], (x) => layers.cropping2d({ cropping: [[1, 2], [0, 1]], dataFormat: 'channels_first' }).apply(x),
    (tf, x) => tf.layers.cropping2D({ cropping: [[1, 2], [0, 1]], dataFormat: 'channelsFirst' }).apply(x) as TfTensor);
});

test('1D layers: UpSampling1D, ZeroPadding1D and Cropping1D on a worked example', () => {
  const x = tensor([[[1, 2], [3, 4], [5, 6]]]);
  assert.deepEqual(layers.upSampling1d({ size: 2 }).apply(x).arraySync(), [[[1, 2], [1, 2], [3, 4], [3, 4], [5, 6], [5, 6]]]);
  assert.deepEqual(layers.zeroPadding1d({ padding: [1, 2] }).apply(x).arraySync(), [[[0, 0], [1, 2], [3, 4], [5, 6], [0, 0], [0, 0]]]);
  assert.deepEqual(layers.zeroPadding1d().apply(x).arraySync(), [[[0, 0], [1, 2], [3, 4], [5, 6], [0, 0]]]);
  assert.deepEqual(layers.cropping1d({ cropping: [1, 0] }).apply(x).arraySync(), [[[3, 4], [5, 6]]]);
  assert.deepEqual(layers.cropping1d().apply(x).arraySync(), [[[3, 4]]]);
});

test('finite-difference gradients of every shape layer', () => {
  const x4 = randomInput([2, 3, 3, 2], 11).x;
  const x3 = randomInput([2, 4, 3], 12).x;
  checkGradients((x) => layers.reshape({ targetShape: [-1, 6] }).apply(x), [x4], { label: 'Reshape' });
  checkGradients((x) => layers.permute({ dims: [3, 1, 2] }).apply(x), [x4], { label: 'Permute' });
  checkGradients((x) => layers.repeatVector({ n: 3 }).apply(x), [randomInput([2, 4], 13).x], { label: 'RepeatVector' });
  checkGradients((x) => layers.upSampling2d({ size: [2, 1] }).apply(x), [x4], { label: 'UpSampling2D nearest' });
  checkGradients((x) => layers.upSampling1d({ size: 3 }).apply(x), [x3], { label: 'UpSampling1D' });
  checkGradients((x) => layers.zeroPadding2d({ padding: [[1, 0], [2, 1]] }).apply(x), [x4], { label: 'ZeroPadding2D' });
  checkGradients((x) => layers.zeroPadding1d({ padding: 2 }).apply(x), [x3], { label: 'ZeroPadding1D' });
  checkGradients((x) => layers.cropping2d({ cropping: [[1, 0], [0, 1]] }).apply(x), [x4], { label: 'Cropping2D' });
  checkGradients((x) => layers.cropping1d({ cropping: [1, 2] }).apply(x), [x3], { label: 'Cropping1D' });
});

test('symbolic shapes: layer.apply(kiln.input(...)).shape, unknown dims kept unknown', () => {
  assert.deepEqual(layers.reshape({ targetShape: [-1, 4] }).apply(input({ shape: [3, 8] })).shape, [null, 6, 4]);
  assert.deepEqual(layers.reshape({ targetShape: [-1, 4] }).apply(input({ shape: [null, 8] })).shape, [null, null, 4]);
  assert.deepEqual(layers.reshape({ targetShape: [2, 12] }).apply(input({ shape: [24] })).shape, [null, 2, 12]);
  assert.deepEqual(layers.permute({ dims: [2, 1] }).apply(input({ shape: [10, 64] })).shape, [null, 64, 10]);
  assert.deepEqual(layers.permute({ dims: [2, 3, 1] }).apply(input({ shape: [null, 5, 3] })).shape, [null, 5, 3, null]);
  assert.deepEqual(layers.repeatVector({ n: 7 }).apply(input({ shape: [5] })).shape, [null, 7, 5]);
  assert.deepEqual(layers.upSampling2d({ size: [2, 3] }).apply(input({ shape: [4, null, 3] })).shape, [null, 8, null, 3]);
  assert.deepEqual(layers.upSampling2d({ dataFormat: 'channels_first' }).apply(input({ shape: [3, 4, 5] })).shape, [null, 3, 8, 10]);
  assert.deepEqual(layers.upSampling1d({ size: 4 }).apply(input({ shape: [5, 2] })).shape, [null, 20, 2]);
  assert.deepEqual(layers.zeroPadding2d({ padding: [[1, 2], [3, 4]] }).apply(input({ shape: [5, 5, 3] })).shape, [null, 8, 12, 3]);
  assert.deepEqual(layers.zeroPadding1d({ padding: [1, 2] }).apply(input({ shape: [5, 3] })).shape, [null, 8, 3]);
  assert.deepEqual(layers.cropping2d({ cropping: [[1, 2], [0, 1]] }).apply(input({ shape: [8, 8, 3] })).shape, [null, 5, 7, 3]);
  assert.deepEqual(layers.cropping2d({ cropping: 1 }).apply(input({ shape: [null, 8, 3] })).shape, [null, null, 6, 3]);
  assert.deepEqual(layers.cropping1d({ cropping: [1, 1] }).apply(input({ shape: [6, 3] })).shape, [null, 4, 3]);
  // The computed shapes agree with what the layers produce on tensors.
  const { x } = randomInput([2, 6, 4, 3], 2);
  for (const layer of [layers.cropping2d({ cropping: [[1, 1], [0, 2]] }), layers.zeroPadding2d({ padding: 2 }), layers.upSampling2d({ size: 3 }), layers.reshape({ targetShape: [-1] })]) {
    const sym = layer.computeOutputShape([null, 6, 4, 3]) as (number | null)[];
    assert.deepEqual(sym.slice(1), [...layer.apply(x).shape].slice(1), (layer.constructor as typeof layers.Layer).className);
  }
});

test('typed errors name the layer and argument with expected vs found', () => {
  assert.throws(() => layers.reshape({ name: 'rs_a', targetShape: [5, 5] }).apply(randomInput([2, 3, 4], 1).x),
    named(ShapeError, /Reshape 'rs_a': cannot reshape a sample of shape \[3, 4\] \(12 elements\) to target_shape \[5, 5\] \(25 elements\)/));
  assert.throws(() => layers.reshape({ name: 'rs_b', targetShape: [-1, 5] }).apply(input({ shape: [3, 4] })),
    named(ShapeError, /Reshape 'rs_b'.*12 is not a multiple of 5/));
  assert.throws(() => layers.reshape({ name: 'rs_c', targetShape: [-1, -1] }), named(ValueError, /Reshape 'rs_c': target_shape may contain -1 only once/));
  assert.throws(() => layers.reshape({ name: 'rs_d', targetShape: [0, 2] }), named(ValueError, /Reshape 'rs_d': target_shape must be a list of positive integers/));
  assert.throws(() => layers.reshape({ name: 'rs_e' } as never), named(ValueError, /Reshape 'rs_e': target_shape/));
  assert.throws(() => layers.permute({ name: 'pm_a', dims: [0, 1] }), named(ValueError, /Permute 'pm_a': dims must be a permutation of 1\.\.n/));
  assert.throws(() => layers.permute({ name: 'pm_b', dims: [1, 1] }), named(ValueError, /Permute 'pm_b'/));
  assert.throws(() => layers.permute({ name: 'pm_c', dims: [2, 1] }).apply(input({ shape: [2, 3, 4] })),
    named(ShapeError, /Permute 'pm_c': dims \[2,1\] expects inputs of rank 3 \(batch included\), found shape \[None, 2, 3, 4\]/));
  assert.throws(() => layers.repeatVector({ name: 'rv_a', n: 0 }), named(ValueError, /RepeatVector 'rv_a': n must be an integer >= 1, found 0/));
  assert.throws(() => layers.repeatVector({ name: 'rv_b', n: 2 }).apply(randomInput([2, 3, 4], 1).x), named(ShapeError, /RepeatVector 'rv_b': expected input of rank 2 \[batch, features\], found shape \[None, 3, 4\]/));
  assert.throws(() => layers.cropping2d({ name: 'cr_a', cropping: [[2, 2], [0, 0]] }).apply(randomInput([1, 4, 4, 1], 1).x),
    named(ShapeError, /Cropping2D 'cr_a': cropping \[\[2,2\],\[0,0\]\] removes 4 of 4 entries along axis 1 of input shape \[None, 4, 4, 1\]; expected a total crop below 4/));
  assert.throws(() => layers.cropping2d({ name: 'cr_b', cropping: [1, 5] }).apply(input({ shape: [20, 10, 3] })), named(ShapeError, /Cropping2D 'cr_b'.*removes 10 of 10 entries along axis 2/));
  assert.throws(() => layers.cropping1d({ name: 'cr_c', cropping: [3, 3] }).apply(input({ shape: [5, 2] })), named(ShapeError, /Cropping1D 'cr_c'/));
  assert.throws(() => layers.cropping2d({ name: 'cr_d', cropping: [[1, 2, 3], [0, 0]] as never }), named(ValueError, /Cropping2D 'cr_d': cropping must be an integer >= 0, a pair \[height, width\], or \[\[top, bottom\], \[left, right\]\], found/));
  assert.throws(() => layers.cropping2d({ name: 'cr_e' }).apply(randomInput([2, 3, 4], 1).x), named(ShapeError, /Cropping2D 'cr_e': expected input of rank 4 \[batch, height, width, channels\], found shape \[None, 3, 4\]/));
  assert.throws(() => layers.zeroPadding2d({ name: 'zp_a', padding: -1 }), named(ValueError, /ZeroPadding2D 'zp_a': padding must be/));
  assert.throws(() => layers.zeroPadding1d({ name: 'zp_b', padding: [1, 2, 3] as never }), named(ValueError, /ZeroPadding1D 'zp_b': padding must be an integer >= 0 or a pair of them/));
  assert.throws(() => layers.zeroPadding2d({ name: 'zp_c', dataFormat: 'nhwc' as never }), named(ValueError, /ZeroPadding2D 'zp_c': data_format must be/));
  assert.throws(() => layers.upSampling2d({ name: 'up_a', size: 0 }), named(ValueError, /UpSampling2D 'up_a': size must be an integer >= 1/));
  assert.throws(() => layers.upSampling2d({ name: 'up_b', interpolation: 'bicubic' as never }), named(ValueError, /UpSampling2D 'up_b': interpolation must be 'nearest' or 'bilinear', found "bicubic"/));
  assert.throws(() => layers.upSampling1d({ name: 'up_c', size: 1.5 }), named(ValueError, /UpSampling1D 'up_c': size/));
  // Unknown options are refused with a suggestion, as every layer does.
  assert.throws(() => layers.reshape({ targetShap: [2] } as never), named(ValueError, /unknown option 'targetShap'; did you mean 'targetShape'\?/));
  assert.throws(() => layers.cropping2d({ croping: 1 } as never), named(ValueError, /did you mean 'cropping'\?/));
  assert.throws(() => layers.upSampling2d({ interpolaton: 'nearest' } as never), named(ValueError, /did you mean 'interpolation'\?/));
});

test('config round trips with Keras 3 keys (snake_case options accepted)', () => {
  const x4 = randomInput([2, 6, 6, 2], 3).x;
  const x3 = randomInput([2, 6, 3], 4).x;
  checkLayerRoundTrip(layers.reshape({ targetShape: [-1, 4] }), { input: randomInput([2, 3, 8], 1).x, expectedKeys: [...LAYER_BASE_KEYS, 'target_shape'] });
  checkLayerRoundTrip(layers.permute({ dims: [2, 1] }), { input: x3, expectedKeys: [...LAYER_BASE_KEYS, 'dims'] });
  checkLayerRoundTrip(layers.repeatVector({ n: 2 }), { input: randomInput([2, 3], 1).x, expectedKeys: [...LAYER_BASE_KEYS, 'n'] });
  checkLayerRoundTrip(layers.upSampling2d({ size: [2, 1], interpolation: 'bilinear' }), { input: x4, expectedKeys: [...LAYER_BASE_KEYS, 'size', 'data_format', 'interpolation'] });
  checkLayerRoundTrip(layers.upSampling1d({ size: 3 }), { input: x3, expectedKeys: [...LAYER_BASE_KEYS, 'size'] });
  checkLayerRoundTrip(layers.zeroPadding2d({ padding: [1, 2] }), { input: x4, expectedKeys: [...LAYER_BASE_KEYS, 'padding', 'data_format'] });
  checkLayerRoundTrip(layers.zeroPadding1d({ padding: 2 }), { input: x3, expectedKeys: [...LAYER_BASE_KEYS, 'padding', 'data_format'] });
  checkLayerRoundTrip(layers.cropping2d({ cropping: [[1, 0], [2, 2]] }), { input: x4, expectedKeys: [...LAYER_BASE_KEYS, 'cropping', 'data_format'] });
  checkLayerRoundTrip(layers.cropping1d({ cropping: [0, 2] }), { input: x3, expectedKeys: [...LAYER_BASE_KEYS, 'cropping'] });
  // Keras writes the normalized forms: ((top, bottom), (left, right)) and (rows, cols).
  assert.deepEqual(layers.zeroPadding2d({ padding: [1, 2] }).getConfig().padding, [[1, 1], [2, 2]]);
  assert.deepEqual(layers.cropping2d({ cropping: 3 }).getConfig().cropping, [[3, 3], [3, 3]]);
  assert.deepEqual(layers.upSampling2d().getConfig().size, [2, 2]);
  assert.deepEqual(new layers.ZeroPadding2D({ padding: 1, data_format: 'channels_first' } as never).getConfig().data_format, 'channels_first');
  // A Keras 3 config (as a .keras file holds it) loads.
  const loaded = layers.Cropping2D.fromConfig({ name: 'crop', trainable: true, dtype: 'float32', cropping: [[1, 1], [2, 2]], data_format: 'channels_last' });
  assert.deepEqual(loaded.apply(x4).shape, [2, 4, 2, 2]);
});
