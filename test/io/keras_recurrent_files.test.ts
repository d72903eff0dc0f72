/**
 * Files written by real Keras 3.16 (test/io/data/keras3.16_rnn, made by make_fixtures.py there):
 * Masking → Bidirectional(LSTM) → TimeDistributed(Dense) → GRU (reset_after true, then false and
 * go_backwards) → SimpleRNN on zero-padded float sequences, and Embedding(mask_zero) →
 * Bidirectional(GRU, sum) → LSTM → Dense on padded ids. Both exercise Keras's weight paths for
 * sublayers (`bidirectional/forward_layer/cell/vars`, `time_distributed/layer/vars`) and its mask
 * rules around wrappers (Bidirectional and TimeDistributed consume a mask but do not pass it on).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as kiln from '../../src/index.js';
import { loadModel } from '../../src/io/index.js';
import { tempDir } from './helpers.js';

const dir = fileURLToPath(new URL('../../../test/io/data/keras3.16_rnn/', import.meta.url));

interface Expected {
  input: number[][] | number[][][];
  expected: number[][];
  tolerance: number;
}

const files: [string, string[]][] = [
  ['masked_recurrent', ['Masking', 'Bidirectional', 'TimeDistributed', 'GRU', 'GRU', 'SimpleRNN']],
  ['embedding_bigru_lstm', ['Embedding', 'Bidirectional', 'LSTM', 'Dense']],
];

for (const [name, classes] of files) {
  for (const ext of ['keras', 'h5'] as const) {
    test(`Keras 3.16 ${name}.${ext}: loads and predicts as Keras did; saved again, Keras's layout round-trips`, async () => {
      const exp = JSON.parse(readFileSync(`${dir}${name}.expected.json`, 'utf8')) as Expected;
      const model = await loadModel(`${dir}${name}.${ext}`);
      assert.deepEqual(model.layers.map((l) => (l.constructor as typeof kiln.layers.Layer).className), classes);
      const x = kiln.tensor(exp.input);
      const got = model.predict(x).arraySync() as number[][];
      got.forEach((row, i) => row.forEach((v, j) => {
        const want = exp.expected[i]![j]!;
        assert.ok(Math.abs(v - want) <= exp.tolerance, `${name}.${ext} [${i}][${j}]: got ${v}, expected ${want} ± ${exp.tolerance}`);
      }));
      const t = tempDir('kiln-keras-rnn-');
      try {
        await model.save(t.path(`again.${ext}`));
        const again = await loadModel(t.path(`again.${ext}`));
        assert.deepEqual(again.predict(x).arraySync(), got);
      } finally {
        t.cleanup();
      }
    });
  }
}
