import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';

// Layers and a few training steps on every backend agree with the reference backend:
// the same seed, the same data, the same optimizer → weights within 1e-5 relative after 5 steps.

async function trainedWeights(backendName: string, optimizer: kiln.optimizers.OptimizerName): Promise<Float32Array[]> {
  kiln.setBackend(backendName);
  kiln.setSeed(77);
  const model = kiln.sequential([
    kiln.layers.dense({ units: 32, activation: 'relu', inputShape: [12], kernelRegularizer: 'l2' }),
    kiln.layers.batchNormalization(),
    kiln.layers.dropout({ rate: 0.2 }),
    kiln.layers.dense({ units: 16, activation: 'tanh' }),
    kiln.layers.layerNormalization(),
    kiln.layers.dense({ units: 4, activation: 'softmax' }),
  ]);
  model.compile({ optimizer, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const x = kiln.randomNormal([40, 12]);
  const y = kiln.randomInt([40], 0, 4);
  await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

for (const name of kiln.listBackends().filter((b) => b !== 'reference')) {
  for (const optimizer of ['adam', 'sgd', 'rmsprop'] as const) {
    test(`${name}: 5 fit steps with ${optimizer} match the reference backend`, async () => {
      const before = kiln.getBackend();
      try {
        const ref = await trainedWeights('reference', optimizer);
        const got = await trainedWeights(name, optimizer);
        ref.forEach((w, i) => {
          const scale = Math.max(...Array.from(w, Math.abs));
          for (let j = 0; j < w.length; j++) {
            assert.ok(Math.abs(got[i]![j]! - w[j]!) <= 1e-5 * Math.abs(w[j]!) + 1e-6 * scale, `weight ${i}[${j}]: ${got[i]![j]} vs ${w[j]}`);
          }
        });
      } finally {
        kiln.setBackend(before);
      }
    });
  }
}
