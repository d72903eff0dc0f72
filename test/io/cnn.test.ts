import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as kiln from '../../src/index.js';
import { loadModel } from '../../src/io/index.js';
import { tempDir } from './helpers.js';

// CNNs through kiln's model files: a Keras 3.16 Sequential CNN (.keras and .h5, written by Keras
// itself) predicts what Keras predicted, and a CNN trained in kiln comes back from .keras, .h5
// and the TensorFlow.js format with identical predictions and weights.

// dist/test/io/ → the repository's sibling folder ../shared.
const dir = fileURLToPath(new URL('../../../../shared/fixtures/keras3.16/', import.meta.url));
const skip = existsSync(dir + 'cnn_sequential.keras') ? false : `Keras 3.16 CNN fixtures not found at ${dir} (../shared is absent); skipping`;

interface Expected {
  input: number[][][][];
  expected: number[][];
  tolerance: number;
}

for (const file of ['cnn_sequential.keras', 'cnn_sequential.h5']) {
  test(`Keras 3.16 ${file} (Conv2D → MaxPooling2D → Conv2D → AveragePooling2D → Flatten → Dense) predicts as Keras did`, { skip }, async () => {
    const exp = JSON.parse(readFileSync(dir + 'cnn_sequential.expected.json', 'utf8')) as Expected;
    const model = await loadModel(dir + file);
    assert.deepEqual(model.layers.map((l) => (l.constructor as typeof kiln.layers.Layer).className), ['Conv2D', 'MaxPooling2D', 'Conv2D', 'AveragePooling2D', 'Flatten', 'Dense']);
    const got = model.predict(kiln.tensor(exp.input)).arraySync() as number[][];
    assert.equal(got.length, exp.expected.length);
    got.forEach((row, i) => row.forEach((v, j) => {
      const want = exp.expected[i]![j]!;
      assert.ok(Math.abs(v - want) <= exp.tolerance, `${file} [${i}][${j}]: got ${v}, expected ${want} ± ${exp.tolerance}`);
    }));
  });
}

function smallCnn(): kiln.Sequential {
  const L = kiln.layers;
  return kiln.sequential([
    L.input({ shape: [10, 10, 2] }),
    L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
    L.maxPooling2d({ poolSize: 2 }),
    L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }),
    L.separableConv2d({ filters: 6, kernelSize: 3, activation: 'relu' }),
    L.conv2dTranspose({ filters: 3, kernelSize: 2, strides: 2 }),
    L.averagePooling2d({ poolSize: 2, strides: 1 }),
    L.conv2d({ filters: 4, kernelSize: 3, strides: 2 }),
    L.globalAveragePooling2d(),
    L.dense({ units: 3, activation: 'softmax' }),
  ]);
}

test('a CNN trained in kiln round-trips through .keras, .h5 and the tfjs format', async () => {
  kiln.setSeed(11);
  const model = smallCnn();
  model.compile({ optimizer: kiln.optimizers.adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const x = kiln.randomNormal([24, 10, 10, 2]);
  const y = kiln.randomInt([24], 0, 3);
  const history = await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
  const losses = history.history.loss as number[];
  assert.ok(losses.every(Number.isFinite) && losses.at(-1)! < losses[0]!, `loss should fall: ${losses.join(', ')}`);
  const expected = Array.from(model.predict(x).dataSync());
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  const t = tempDir('kiln-cnn-');
  try {
    for (const file of ['cnn.keras', 'cnn.h5', 'tfjs/model.json']) {
      await model.save(t.path(file));
      const loaded = await loadModel(t.path(file));
      assert.deepEqual(loaded.layers.map((l) => l.getConfig().name), model.layers.map((l) => l.getConfig().name), `${file}: layers`);
      assert.deepEqual(loaded.getWeights().map((w) => Array.from(w.dataSync())), weights, `${file}: weights`);
      assert.deepEqual(Array.from(loaded.predict(x).dataSync()), expected, `${file}: predictions`);
    }
  } finally {
    t.cleanup();
  }
});
