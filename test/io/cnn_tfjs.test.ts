import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as kiln from '../../src/index.js';
import { loadModel } from '../../src/io/index.js';
import { tempDir } from './helpers.js';
import { fileLoader, saveLikeTfjs } from './tfjs_helpers.js';

// A kiln CNN saved in the TensorFlow.js format loads in tfjs itself with the same predictions, and a
// tfjs CNN saved by tfjs loads in kiln with the same predictions: the layer configs and the weight
// names and layouts (Conv2D, DepthwiseConv2D, SeparableConv2D, Conv2DTranspose, pooling) agree.

function cnn(): kiln.Sequential {
  const L = kiln.layers;
  return kiln.sequential([
    L.input({ shape: [9, 9, 2] }),
    L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
    L.maxPooling2d({ poolSize: 2, padding: 'same' }),
    L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }),
    L.separableConv2d({ filters: 5, kernelSize: 3, activation: 'tanh' }),
    L.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }),
    L.averagePooling2d({ poolSize: 2 }),
    L.globalMaxPooling2d(),
    L.dense({ units: 3, activation: 'softmax' }),
  ]);
}

test('kiln CNN → model.json → tf.loadLayersModel: same predictions', async () => {
  await tf.setBackend('cpu');
  kiln.setSeed(5);
  const model = cnn();
  const x = kiln.randomNormal([4, 9, 9, 2]);
  const want = model.predict(x).dataSync();
  const t = tempDir('kiln-cnn-tfjs-');
  try {
    await model.save(t.path('model.json'));
    const tm = await tf.loadLayersModel(fileLoader(t.path('model.json'), t.dir));
    const got = (tm.predict(tf.tensor(x.dataSync(), [...x.shape])) as tf.Tensor).dataSync();
    for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i]! - want[i]!) <= 1e-5, `[${i}]: tfjs ${got[i]} vs kiln ${want[i]}`);
  } finally {
    t.cleanup();
  }
});

test('tfjs CNN saved by tfjs → kiln.loadModel: same predictions', async () => {
  await tf.setBackend('cpu');
  const tm = tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [9, 9, 2] }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }),
      tf.layers.separableConv2d({ filters: 5, kernelSize: 3 }),
      tf.layers.conv2dTranspose({ filters: 3, kernelSize: 2, strides: 2 }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  const t = tempDir('kiln-tfjs-cnn-');
  try {
    const file = await saveLikeTfjs(tm, t.dir);
    const model = await loadModel(file);
    kiln.setSeed(6);
    const x = kiln.randomNormal([3, 9, 9, 2]);
    const want = (tm.predict(tf.tensor(x.dataSync(), [...x.shape])) as tf.Tensor).dataSync();
    const got = model.predict(x).dataSync();
    for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i]! - want[i]!) <= 1e-5, `[${i}]: kiln ${got[i]} vs tfjs ${want[i]}`);
  } finally {
    t.cleanup();
  }
});
