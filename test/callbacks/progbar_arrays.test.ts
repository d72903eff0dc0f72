// A per-class value (F1Score with average null) on the progress bar. Keras 3's Progbar
// (keras/src/utils/progbar.py, `update`) formats a non-float value as `np.mean(value)` with the
// same `.4f` / `.4e` rule as scalars; Keras metric results are float32, so numpy's mean is float32.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Progbar, npMean } from '../../src/callbacks/progbar.js';

function sink() {
  let text = '';
  return { stream: { isTTY: false, write: (s: string) => void (text += s) }, text: () => text };
}

// float32 values whose numpy float32 mean prints 0.1625 and whose float64 mean prints 0.1624
// (np.mean(np.array(v, np.float32)) is np.float32(0.16245)).
const F32 = [0.3856578469276428, 0.01983414590358734, 0.08185799419879913];

test('an array value shows as its numpy mean, in float32 as numpy computes it', () => {
  assert.equal(npMean(F32), Math.fround(0.16245));
  assert.equal(npMean([Math.fround(2 / 3), 0, 0]), Math.fround(Math.fround(2 / 3) / 3));
  assert.equal(npMean([[1, 0], [1, 2]]), 1);
  const out = sink();
  let t = 0;
  const bar = new Progbar({ target: 2, stream: out.stream, now: () => t, statefulMetrics: ['loss', 'f1_score'] });
  bar.update(1, [['loss', 0.5], ['f1_score', F32]]);
  t = 0.2;
  bar.update(2, [['loss', 0.25], ['f1_score', [Math.fround(2 / 3), 0, 0]]]);
  assert.equal(out.text(), '2/2 [==============================] - 0s 200ms/step - loss: 0.2500 - f1_score: 0.2222\n');
});

test('verbose 2 prints the float32 mean too (0.1625, where a float64 mean gives 0.1624)', () => {
  const out = sink();
  let t = 0;
  const bar = new Progbar({ target: 1, verbose: 2, stream: out.stream, now: () => t, statefulMetrics: ['f1_score'] });
  t = 1;
  bar.update(1, [['f1_score', F32]]);
  assert.equal(out.text(), '1/1 - 1s - f1_score: 0.1625 - 1s/epoch - 1s/step\n');
});
