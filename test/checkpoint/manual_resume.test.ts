import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as kiln from '../../src/index.js';
import { digest, makeData } from './run_script.js';

/*
 * Manual resumption the Keras way: modelCheckpoint saves every epoch, a later script restores one
 * version through checkpointManager and calls fit({ initialEpoch }). `.keras` files hold weights,
 * optimizer state and compile config but no random streams, so this exactness needs shuffle off and
 * no dropout (backupAndRestore is the tool that resumes everything).
 */

function model(): kiln.Sequential {
  kiln.setSeed(5);
  const m = kiln.sequential([
    kiln.layers.input({ shape: [6] }),
    kiln.layers.dense({ units: 12, activation: 'tanh' }),
    kiln.layers.batchNormalization(),
    kiln.layers.dense({ units: 3, activation: 'softmax' }),
  ]);
  m.compile({ optimizer: kiln.optimizers.adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

const FIT = { batchSize: 16, shuffle: false, verbose: 0, validationSplit: 0.25 } as const;

test('restore epoch 3 from checkpointManager, fit({ initialEpoch: 3, epochs: 6 }) == 6 epochs straight', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-manual-'));
  try {
    const { x, y } = makeData();
    const straight = model();
    const h = await straight.fit(x, y, {
      ...FIT, epochs: 6,
      callbacks: [kiln.callbacks.modelCheckpoint({ filepath: join(dir, 'model.{epoch:02d}-{val_loss:.4f}.keras') })],
    });
    const mgr = kiln.checkpointManager(dir);
    assert.deepEqual(mgr.list().map((c) => c.epoch), [1, 2, 3, 4, 5, 6]);
    const info = mgr.list()[2]!;
    assert.equal(info.metrics['val_loss'], h.history['val_loss']![2]);
    assert.equal(info.step, 3 * 5, '5 batches per epoch (72 samples / 16)');

    const resumed = await mgr.restore({ epoch: 3 });
    assert.equal(resumed.optimizer!.iterations, 15);
    const rh = await resumed.fit(x, y, { ...FIT, epochs: 6, initialEpoch: 3 });
    assert.deepEqual(rh.epoch, [3, 4, 5], 'epochs is the final epoch, not a count');
    assert.deepEqual(rh.history['loss'], h.history['loss']!.slice(3));
    assert.equal(digest(resumed.getWeights()), digest(straight.getWeights()));
    assert.equal(digest(resumed.optimizer!.getState()), digest(straight.optimizer!.getState()));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('validationFreq counts absolute epochs, as Keras does, also after initialEpoch', async () => {
  const { x, y } = makeData();
  const h = await model().fit(x, y, { ...FIT, epochs: 6, initialEpoch: 3, validationFreq: 2 });
  // 1-based epochs 4 and 6 are multiples of 2: validation after 0-based epochs 3 and 5 only.
  assert.deepEqual(h.epoch, [3, 4, 5]);
  assert.equal(h.history['val_loss']!.length, 2);
  assert.equal(h.history['loss']!.length, 3);
  await assert.rejects(model().fit(x, y, { ...FIT, epochs: 1, validationFreq: 0 }), /validationFreq must be a positive integer/);
});
