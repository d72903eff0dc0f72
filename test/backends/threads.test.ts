import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';

// Threaded products split C by whole column panels, so each element is summed in the same order
// as on one thread: results are bit-identical for any thread count (determinism does not depend
// on the machine's core count).
// All above the parallel threshold (16 MFLOP), with odd sizes so the column split has ragged panels.
const shapes: [number, number, number][] = [[256, 784, 512], [257, 300, 131], [300, 200, 300], [64, 1000, 200]];

test('matmul on 1, 2 and 3 threads gives bit-identical results, all transpose variants', { skip: kiln.getBackend() !== 'wasm' && 'threads are a wasm-backend feature' }, () => {
  const before = kiln.getNumThreads();
  try {
    kiln.setSeed(3);
    for (const [m, k, n] of shapes) {
      for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const a = kiln.randomNormal(ta ? [k, m] : [m, k]);
        const b = kiln.randomNormal(tb ? [n, k] : [k, n]);
        const results = [1, 2, 3].map((t) => {
          kiln.setNumThreads(t);
          return Buffer.from(kiln.matMul(a, b, ta, tb).dataSync().buffer).toString('hex');
        });
        assert.equal(results[1], results[0], `${m}×${k}×${n} ${ta}${tb}: 2 threads differ from 1`);
        assert.equal(results[2], results[0], `${m}×${k}×${n} ${ta}${tb}: 3 threads differ from 1`);
      }
    }
  } finally {
    kiln.setNumThreads(before);
  }
});

test('setNumThreads validates its argument', () => {
  assert.throws(() => kiln.setNumThreads(0), kiln.errors.ValueError);
  assert.throws(() => kiln.setNumThreads(1.5), /positive integer/);
});
