// ONNX export of CNN layers: convolutions, pooling and global pooling, run in onnxruntime and
// compared with kiln's predict at batch sizes 1 and 5.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import * as kiln from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { NotImplementedError } from '../../src/errors.js';
import { exportOnnx, onnxModelBytes } from '../../src/io/onnx/index.js';
import { assertAllClose, randomizeWeights } from './onnx_helpers.js';
import { tempDir } from './helpers.js';

const f32 = (t: Tensor) => Float32Array.from(t.dataSync() as ArrayLike<number>);

/** Exports `model`, runs it in onnxruntime at batch 1 and 5 and compares with predict (rtol 1e-4). */
async function checkCnn(model: kiln.Sequential, featureShape: number[], label: string): Promise<void> {
  for (const layer of model.layers) randomizeWeights(layer);
  const t = tempDir('kiln-onnx-cnn-');
  try {
    const path = t.path('m.onnx');
    await exportOnnx(model, path);
    const session = await ort.InferenceSession.create(path);
    for (const batch of [1, 5]) {
      const x = kiln.randomNormal([batch, ...featureShape]);
      const want = model.predict(x);
      const out = await session.run({ input: new ort.Tensor('float32', f32(x), [batch, ...featureShape]) });
      const y = out['output']!;
      assert.deepEqual([...y.dims], want.shape, `${label} (batch ${batch}): output shape`);
      assertAllClose(y.data as Float32Array, f32(want), `${label} (batch ${batch})`, 1e-4, 1e-5);
    }
  } finally {
    t.cleanup();
  }
}

test('a LeNet-like CNN (Conv2D valid, max and average pooling, Flatten, Dense softmax) matches onnxruntime', async () => {
  kiln.setSeed(21);
  const model = kiln.sequential([
    kiln.layers.input({ shape: [16, 16, 1] }),
    kiln.layers.conv2d({ filters: 6, kernelSize: 5, activation: 'relu' }),
    kiln.layers.maxPooling2d({ poolSize: 2 }),
    kiln.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'tanh' }),
    kiln.layers.averagePooling2d({ poolSize: 2 }),
    kiln.layers.flatten(),
    kiln.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  await checkCnn(model, [16, 16, 1], 'lenet');
});

test('same padding with strides 2, dilation, groups, no bias and same pooling with partial windows match onnxruntime', async () => {
  kiln.setSeed(22);
  const model = kiln.sequential([
    kiln.layers.input({ shape: [11, 9, 4] }),
    kiln.layers.conv2d({ filters: 6, kernelSize: [3, 4], strides: 2, padding: 'same', activation: 'elu' }), // odd total pad: extra at the end
    kiln.layers.conv2d({ filters: 6, kernelSize: 3, dilationRate: 2, padding: 'same', groups: 2, useBias: false }),
    kiln.layers.conv2d({ filters: 4, kernelSize: 2, strides: [1, 2], padding: 'valid', activation: 'softmax' }), // softmax over channels
    kiln.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
    kiln.layers.averagePooling2d({ poolSize: [2, 3], strides: 1, padding: 'same' }), // edge windows average real inputs only
    kiln.layers.flatten(),
  ]);
  await checkCnn(model, [11, 9, 4], 'same/strides/dilation');
});

test('depthwise and separable convolutions with global pooling (keepdims both ways) match onnxruntime', async () => {
  kiln.setSeed(23);
  const trunk = [
    kiln.layers.input({ shape: [10, 10, 3] }),
    kiln.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'relu' }),
    kiln.layers.separableConv2d({ filters: 5, kernelSize: 3, strides: 2, depthMultiplier: 2, padding: 'same', activation: 'sigmoid' }),
    kiln.layers.separableConv2d({ filters: 4, kernelSize: 2, dilationRate: 2, useBias: false }),
  ];
  await checkCnn(kiln.sequential([...trunk, kiln.layers.globalAveragePooling2d(), kiln.layers.dense({ units: 3 })]), [10, 10, 3], 'separable + gap');
  kiln.setSeed(24);
  const again = [
    kiln.layers.input({ shape: [10, 10, 3] }),
    kiln.layers.depthwiseConv2d({ kernelSize: [3, 2], strides: 2, useBias: false }),
    kiln.layers.globalMaxPooling2d({ keepdims: true }),
  ];
  await checkCnn(kiln.sequential(again), [10, 10, 3], 'depthwise + gmp keepdims');
});

test('Conv1D causal, same and valid with 1-D pooling and global pooling match onnxruntime', async () => {
  kiln.setSeed(25);
  const model = kiln.sequential([
    kiln.layers.input({ shape: [20, 3] }),
    kiln.layers.conv1d({ filters: 4, kernelSize: 3, padding: 'causal', dilationRate: 2, activation: 'relu' }),
    kiln.layers.conv1d({ filters: 4, kernelSize: 4, padding: 'same', strides: 2 }),
    kiln.layers.maxPooling1d({ poolSize: 2 }),
    kiln.layers.averagePooling1d({ poolSize: 3, strides: 1, padding: 'same' }),
    kiln.layers.conv1d({ filters: 6, kernelSize: 2, groups: 2 }),
    kiln.layers.globalAveragePooling1d(),
  ]);
  await checkCnn(model, [20, 3], 'conv1d');
  kiln.setSeed(26);
  await checkCnn(kiln.sequential([kiln.layers.input({ shape: [7, 2] }), kiln.layers.conv1d({ filters: 3, kernelSize: 3, padding: 'causal' }), kiln.layers.globalMaxPooling1d()]), [7, 2], 'conv1d causal + gmp');
});

test('a functional CNN with a conv branch and a merge matches onnxruntime', async () => {
  kiln.setSeed(27);
  const x = kiln.input({ shape: [8, 8, 2], name: 'image' });
  const a = kiln.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x);
  const b = kiln.layers.conv2d({ filters: 4, kernelSize: 1 }).apply(x);
  const y = kiln.layers.globalAveragePooling2d().apply(kiln.layers.add().apply([a, b]));
  const model = kiln.model({ inputs: x, outputs: y });
  for (const layer of model.layers) randomizeWeights(layer);
  const t = tempDir('kiln-onnx-cnn-');
  try {
    const path = t.path('m.onnx');
    await exportOnnx(model, path, { inputName: 'input', outputName: 'output' });
    const session = await ort.InferenceSession.create(path);
    for (const batch of [1, 5]) {
      const xs = kiln.randomNormal([batch, 8, 8, 2]);
      const want = model.predict<Tensor>(xs);
      const out = await session.run({ input: new ort.Tensor('float32', f32(xs), [batch, 8, 8, 2]) });
      assert.deepEqual([...out['output']!.dims], want.shape);
      assertAllClose(out['output']!.data as Float32Array, f32(want), `functional batch ${batch}`, 1e-4, 1e-5);
    }
  } finally {
    t.cleanup();
  }
});

test('channels_first convolutions and pooling are refused with a NotImplementedError naming the layer', () => {
  const conv = kiln.sequential([kiln.layers.conv2d({ filters: 2, kernelSize: 1, dataFormat: 'channels_first', inputShape: [3, 4, 4], name: 'cf_conv' })]);
  assert.throws(() => onnxModelBytes(conv), (e: unknown) => e instanceof NotImplementedError && /'cf_conv' \(Conv2D\).*channels_first/.test(e.message));
  const pool = kiln.sequential([kiln.layers.maxPooling2d({ dataFormat: 'channels_first', inputShape: [3, 4, 4], name: 'cf_pool' })]);
  assert.throws(() => onnxModelBytes(pool), (e: unknown) => e instanceof NotImplementedError && /'cf_pool' \(MaxPooling2D\)/.test(e.message));
  // Conv2DTranspose has no lowering yet: the generic refusal names it.
  const tr = kiln.sequential([kiln.layers.conv2dTranspose({ filters: 2, kernelSize: 2, inputShape: [4, 4, 1], name: 'up' })]);
  assert.throws(() => onnxModelBytes(tr), (e: unknown) => e instanceof NotImplementedError && /'up' \(Conv2DTranspose\)/.test(e.message));
});

test('an augmenting CNN (Rescaling, random augmentation and noise layers as Identity, padding, cropping, up-sampling, Reshape) matches onnxruntime', async () => {
  kiln.setSeed(28);
  const model = kiln.sequential([
    kiln.layers.input({ shape: [9, 8, 3] }),
    kiln.layers.rescaling({ scale: 1 / 2, offset: -0.25 }),
    kiln.layers.randomFlip({ mode: 'horizontal' }),
    kiln.layers.randomRotation({ factor: 0.1 }),
    kiln.layers.randomZoom({ heightFactor: 0.1 }),
    kiln.layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1 }),
    kiln.layers.randomContrast({ factor: 0.2 }),
    kiln.layers.gaussianNoise({ stddev: 0.1 }),
    kiln.layers.zeroPadding2d({ padding: [[1, 2], [0, 3]] }),
    kiln.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }),
    kiln.layers.spatialDropout2d({ rate: 0.3 }),
    kiln.layers.cropping2d({ cropping: [[1, 0], [2, 1]] }),
    kiln.layers.upSampling2d({ size: [2, 3] }),
    kiln.layers.gaussianDropout({ rate: 0.2 }),
    kiln.layers.maxPooling2d({ poolSize: 3 }),
    kiln.layers.reshape({ targetShape: [-1, 4] }),
    kiln.layers.alphaDropout({ rate: 0.1 }),
    kiln.layers.rescaling({ scale: 3 }),
    kiln.layers.flatten(),
  ]);
  await checkCnn(model, [9, 8, 3], 'augmenting cnn');
  kiln.setSeed(29);
  const seq = kiln.sequential([
    kiln.layers.input({ shape: [6, 2] }),
    kiln.layers.zeroPadding1d({ padding: [2, 1] }),
    kiln.layers.conv1d({ filters: 3, kernelSize: 2 }),
    kiln.layers.spatialDropout1d({ rate: 0.5 }),
    kiln.layers.cropping1d({ cropping: [1, 2] }),
    kiln.layers.upSampling1d({ size: 3 }),
  ]);
  await checkCnn(seq, [6, 2], '1-D shape layers');
});

test('channels_first padding, cropping, up-sampling and global pooling need no transpose and match onnxruntime', async () => {
  kiln.setSeed(30);
  const model = kiln.sequential([
    kiln.layers.input({ shape: [2, 5, 4] }),
    kiln.layers.zeroPadding2d({ padding: 1, dataFormat: 'channels_first' }),
    kiln.layers.cropping2d({ cropping: [[0, 1], [1, 0]], dataFormat: 'channels_first' }),
    kiln.layers.upSampling2d({ size: 2, dataFormat: 'channels_first' }),
    kiln.layers.globalAveragePooling2d({ dataFormat: 'channels_first' }),
  ]);
  await checkCnn(model, [2, 5, 4], 'channels_first shape layers');
});

test('bilinear up-sampling is refused with a NotImplementedError naming the layer', () => {
  const model = kiln.sequential([kiln.layers.upSampling2d({ size: 2, interpolation: 'bilinear', inputShape: [4, 4, 1], name: 'smooth' })]);
  assert.throws(() => onnxModelBytes(model), (e: unknown) => e instanceof NotImplementedError && /'smooth' \(UpSampling2D\).*bilinear/.test(e.message));
});
