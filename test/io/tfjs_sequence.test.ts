/**
 * Sequence models in the TensorFlow.js format, both ways: tfjs names recurrent weights without
 * the cell (`lstm/kernel`), a Bidirectional's as `<wrapper>/forward_<layer>/kernel` and a
 * TimeDistributed's under the wrapper, and builds a Bidirectional's directions itself.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as kiln from '../../src/index.js';
import { loadModel } from '../../src/io/index.js';
import { assertClose } from '../helpers/assert_close.js';
import { tempDir } from './helpers.js';
import { fileLoader, saveLikeTfjs } from './tfjs_helpers.js';

before(async () => {
  await tf.setBackend('cpu');
});

const ids = [[1, 2, 3, 4], [0, 1, 0, 2]];

test('kiln Embedding → Bidirectional(LSTM) → TimeDistributed(Dense) → GRU → model.json → tf.loadLayersModel: same predictions', async () => {
  kiln.setSeed(21);
  const model = kiln.sequential([
    kiln.layers.input({ shape: [4], dtype: 'int32' }),
    kiln.layers.embedding({ inputDim: 5, outputDim: 3 }),
    kiln.layers.bidirectional({ layer: kiln.layers.lstm({ units: 2, returnSequences: true }) }),
    kiln.layers.timeDistributed({ layer: kiln.layers.dense({ units: 2 }) }),
    kiln.layers.simpleRNN({ units: 2, returnSequences: true }),
    kiln.layers.gru({ units: 2, resetAfter: false }),
  ]);
  const t = tempDir('kiln-tfjs-rnn-');
  try {
    await model.save(t.path('model.json'));
    const tm = await tf.loadLayersModel(fileLoader(t.path('model.json'), t.dir));
    assertClose((tm.predict(tf.tensor2d(ids)) as tf.Tensor).dataSync(), model.predict(kiln.tensor(ids)).dataSync(), 1e-5, 1e-6, 'tfjs vs kiln');
    const again = await loadModel(t.path('model.json'));
    assert.deepEqual(again.predict(kiln.tensor(ids)).arraySync(), model.predict(kiln.tensor(ids)).arraySync());
  } finally {
    t.cleanup();
  }
});

test('tfjs sequence model → model.json → kiln.loadModel: same predictions', async () => {
  const tm = tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: 5, outputDim: 3, inputShape: [4] }),
      tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 2, returnSequences: true, recurrentActivation: 'sigmoid' }) as tf.RNN, mergeMode: 'sum' }),
      tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2 }) }),
      tf.layers.simpleRNN({ units: 2, returnSequences: true }),
      tf.layers.gru({ units: 2, recurrentActivation: 'sigmoid' }),
    ],
  });
  const t = tempDir('kiln-tfjs-rnn-');
  try {
    await saveLikeTfjs(tm, t.dir);
    const model = await loadModel(t.path('model.json'));
    assertClose(model.predict(kiln.tensor(ids)).dataSync(), (tm.predict(tf.tensor2d(ids)) as tf.Tensor).dataSync(), 1e-5, 1e-6, 'kiln vs tfjs');
  } finally {
    t.cleanup();
  }
});

test("a GRU with reset_after: true (Keras 3's default) is refused for the tfjs format, which cannot express it", async () => {
  const model = kiln.sequential([kiln.layers.input({ shape: [3, 2] }), kiln.layers.gru({ units: 2 })]);
  const t = tempDir('kiln-tfjs-rnn-');
  try {
    await assert.rejects(model.save(t.path('model.json')), /reset_after: false/);
  } finally {
    t.cleanup();
  }
});
