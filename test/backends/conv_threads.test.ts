import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';

// Large convolutions run their products on the GEMM thread pool (like dense layers), which splits
// by whole column panels: conv2d and both its gradients are bit-identical on 1, 2 and 3 threads.
test('conv2d and its gradients on 1, 2 and 3 threads give bit-identical results', { skip: kiln.getBackend() !== 'wasm' && 'threads are a wasm-backend feature' }, () => {
  const before = kiln.getNumThreads();
  try {
    kiln.setSeed(4);
    // Products of 75 MFLOP and more (forward: 2048×288 · 288×64), above the parallel threshold.
    const x = kiln.randomNormal([8, 16, 16, 32]);
    const f = kiln.randomNormal([3, 3, 32, 64]);
    const run = () => {
      const { value, grads } = kiln.valueAndGrads(() => kiln.sum(kiln.square(kiln.conv2d(x, f, { padding: 'same' }))), [x, f]);
      return [value, ...grads].map((t) => Buffer.from(t.dataSync().buffer).toString('hex'));
    };
    const results = [1, 2, 3].map((t) => {
      kiln.setNumThreads(t);
      return run();
    });
    for (const t of [1, 2]) results[t]!.forEach((r, i) => assert.equal(r, results[0]![i], `${t + 1} threads: output ${i} differs from 1 thread`));
  } finally {
    kiln.setNumThreads(before);
  }
});
