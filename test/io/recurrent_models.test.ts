import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as kiln from '../../src/index.js';
import { describeModelFile, loadModel } from '../../src/io/index.js';
import { H5Reader } from '../../src/io/h5/h5file.js';
import { tempDir } from './helpers.js';

// dist/test/io/ → the repository's sibling folder ../shared (files written by Keras 3.16 itself).
const dir = fileURLToPath(new URL('../../../../shared/fixtures/keras3.16/', import.meta.url));
const skip = existsSync(dir) ? false : `fixtures not found at ${dir} (../shared is absent); skipping`;

interface Expected {
  input: number[][];
  expected: number[][];
  tolerance: number;
}

for (const ext of ['keras', 'h5'] as const) {
  test(`Keras 3.16 Embedding(20, 6) → LSTM(5) → Dense(1, sigmoid) from .${ext}: predictions match Keras`, { skip }, async () => {
    const exp = JSON.parse(readFileSync(`${dir}embedding_lstm.expected.json`, 'utf8')) as Expected;
    const model = await loadModel(`${dir}embedding_lstm.${ext}`);
    assert.deepEqual(model.layers.map((l) => (l.constructor as typeof kiln.layers.Layer).className), ['Embedding', 'LSTM', 'Dense']);
    assert.equal(model.compiled, null, 'the file is not compiled (compile_config {})');
    for (const x of [kiln.tensor(exp.input), kiln.tensor(exp.input, undefined, 'int32')]) {
      const got = model.predict(x).arraySync() as number[][];
      got.forEach((row, i) => row.forEach((v, j) => {
        const want = exp.expected[i]![j]!;
        assert.ok(Math.abs(v - want) <= exp.tolerance, `[${i}][${j}]: got ${v}, expected ${want} ± ${exp.tolerance}`);
      }));
    }
  });
}

test('describeModelFile counts the LSTM cell weights of the Keras 3.16 files (params 366, not compiled)', { skip }, async () => {
  for (const ext of ['keras', 'h5']) {
    const d = await describeModelFile(`${dir}embedding_lstm.${ext}`);
    assert.deepEqual(d.layers.map((l) => [l.className, l.params, l.outputShape]), [
      ['Embedding', 120, [null, 7, 6]], ['LSTM', 6 * 20 + 5 * 20 + 20, [null, 5]], ['Dense', 6, [null, 1]],
    ], ext);
    assert.equal(d.params, 366);
    assert.equal(d.compiled, false, ext);
  }
});

/**
 * A learnable toy task: label 1 when token 3 occurs in the (zero-padded, variable-length) sequence.
 * Order matters to an LSTM only through the mask, so it learns this in a few epochs.
 */
function toyData(n: number): { x: kiln.Tensor; y: kiln.Tensor } {
  kiln.setSeed(3);
  const u = kiln.randomUniform([n, 8]).dataSync();
  const ids: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const len = 3 + (i % 5);
    const row = Array.from({ length: 8 }, (_, t) => (t < len ? 1 + Math.floor(u[i * 8 + t]! * 9) : 0));
    if (i % 2 === 0 && !row.includes(3)) row[Math.floor(u[i * 8]! * len)] = 3;
    ids.push(row);
    labels.push(row.includes(3) ? 1 : 0);
  }
  return { x: kiln.tensor(ids, undefined, 'int32'), y: kiln.tensor(labels.map((l) => [l])) };
}

test('a small Embedding(maskZero) → LSTM model trains (loss goes down) and round-trips through .keras and .h5', async () => {
  kiln.setSeed(11);
  const model = kiln.sequential([
    kiln.layers.input({ shape: [8], dtype: 'int32' }),
    kiln.layers.embedding({ inputDim: 10, outputDim: 8, maskZero: true }),
    kiln.layers.lstm({ units: 12 }),
    kiln.layers.dense({ units: 1, activation: 'sigmoid' }),
  ]);
  model.compile({ optimizer: kiln.optimizers.adam({ learningRate: 0.03 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
  const { x, y } = toyData(96);
  const history = await model.fit(x, y, { epochs: 12, batchSize: 16, verbose: 0 });
  const loss = history.history.loss as number[];
  console.log(`# toy LSTM loss by epoch: ${loss.map((v) => v.toFixed(3)).join(' ')}; accuracy ${(history.history.accuracy as number[]).at(-1)!.toFixed(3)}`);
  assert.ok(loss.at(-1)! < 0.5 * loss[0]!, `loss should fall by half: ${loss.map((v) => v.toFixed(3)).join(' → ')}`);
  const t = tempDir('kiln-rnn-');
  try {
    const before = model.predict(x).arraySync();
    for (const ext of ['keras', 'h5']) {
      await model.save(t.path(`m.${ext}`));
      const again = await loadModel(t.path(`m.${ext}`));
      assert.deepEqual(again.predict(x).arraySync(), before, `.${ext}: identical predictions`);
      assert.ok(again.compiled && again.optimizer!.iterations === model.optimizer!.iterations, `.${ext}: optimizer state restored`);
    }
  } finally {
    t.cleanup();
  }
});

test('GRU, Bidirectional(LSTM) and TimeDistributed(Dense) round-trip with Keras 3 weight paths', async () => {
  kiln.setSeed(12);
  const model = kiln.sequential([
    kiln.layers.input({ shape: [5, 3] }),
    kiln.layers.masking({ maskValue: 0 }),
    kiln.layers.bidirectional({ layer: kiln.layers.lstm({ units: 4, returnSequences: true }), mergeMode: 'concat' }),
    kiln.layers.timeDistributed({ layer: kiln.layers.dense({ units: 3 }) }),
    kiln.layers.gru({ units: 2, resetAfter: false, returnSequences: true }),
    kiln.layers.simpleRNN({ units: 2 }),
  ]);
  const x = kiln.randomNormal([4, 5, 3]);
  const before = model.predict(x).arraySync();
  const t = tempDir('kiln-rnn-');
  try {
    for (const ext of ['keras', 'h5']) {
      await model.save(t.path(`m.${ext}`));
      const again = await loadModel(t.path(`m.${ext}`));
      assert.deepEqual(again.predict(x).arraySync(), before, `.${ext}: identical predictions`);
    }
    await model.saveWeights(t.path('w.weights.h5'));
    const r = await H5Reader.open(t.path('w.weights.h5'));
    try {
      // Where Keras 3's saving_lib puts each sublayer's variables.
      assert.deepEqual(r.shape('layers/bidirectional/forward_layer/cell/vars/0'), [3, 16]);
      assert.deepEqual(r.shape('layers/bidirectional/backward_layer/cell/vars/1'), [4, 16]);
      assert.deepEqual(r.shape('layers/time_distributed/layer/vars/0'), [8, 3]);
      assert.deepEqual(r.shape('layers/gru/cell/vars/2'), [6]);
      assert.deepEqual(r.shape('layers/simple_rnn/cell/vars/1'), [2, 2]);
    } finally {
      r.close();
    }
  } finally {
    t.cleanup();
  }
});
