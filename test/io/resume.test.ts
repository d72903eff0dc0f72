import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import { loadModel } from '../../src/io/index.js';
import { tempDir } from './helpers.js';

// Compiled state survives a save: 3 epochs + save + load + 2 epochs == 5 epochs straight.
// shuffle: false and no dropout, because Keras files do not carry the RNG state (neither does kiln's).
function data() {
  kiln.setSeed(3);
  const x = kiln.randomNormal([24, 5]);
  const y = kiln.randomNormal([24, 2]);
  return { x, y };
}

function model(optimizer: kiln.optimizers.OptimizerName) {
  kiln.setSeed(11);
  const m = kiln.sequential([
    kiln.layers.input({ shape: [5] }),
    kiln.layers.dense({ units: 8, activation: 'relu' }),
    kiln.layers.batchNormalization(),
    kiln.layers.dense({ units: 2 }),
  ]);
  m.compile({ optimizer, loss: 'mse', metrics: ['mae'] });
  return m;
}

const weights = (m: kiln.Model) => m.getWeights().map((w) => Array.from(w.dataSync()));

for (const [ext, optimizer] of [['keras', 'adam'], ['h5', 'rmsprop'], ['keras', 'nadam']] as const) {
  test(`.${ext} with ${optimizer}: fit 3 + save + load + fit 2 gives the same weights as fit 5`, async () => {
    const { x, y } = data();
    const straight = model(optimizer);
    await straight.fit(x, y, { epochs: 5, batchSize: 8, shuffle: false, verbose: 0 });

    const first = model(optimizer);
    await first.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
    const t = tempDir();
    try {
      await first.save(t.path(`ckpt.${ext}`));
      const resumed = await loadModel(t.path(`ckpt.${ext}`));
      assert.equal(resumed.optimizer!.iterations, 9);
      await resumed.fit(x, y, { epochs: 5, initialEpoch: 3, batchSize: 8, shuffle: false, verbose: 0 });
      assert.deepEqual(weights(resumed), weights(straight));
      assert.equal(resumed.optimizer!.iterations, 15);
    } finally {
      t.cleanup();
    }
  });
}
