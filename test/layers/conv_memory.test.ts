import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as kiln from '../../src/index.js';

// CNN training stays memory-flat with no user action: the convolution kernels' temporary patch
// matrices and the pooling gradients must be released every step. Measured as in
// training/memory.test.ts, in a child with --expose-gc, over 2,000 steps after a warm-up.
async function child(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const used = () => {
    gc();
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.external + m.arrayBuffers;
  };
  kiln.setSeed(0);
  const L = kiln.layers;
  const model = kiln.sequential([
    L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [8, 8, 2] }),
    L.maxPooling2d({ poolSize: 2 }),
    L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }),
    L.conv2dTranspose({ filters: 3, kernelSize: 2, strides: 2 }),
    L.averagePooling2d({ poolSize: 2 }),
    L.globalMaxPooling2d(),
    L.dense({ units: 3, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
  const x = kiln.randomNormal([32, 8, 8, 2]);
  const y = kiln.randomInt([32], 0, 3);
  await model.fit(x, y, { epochs: 20, batchSize: 8, verbose: 0, monitor: false });
  const before = used();
  await model.fit(x, y, { epochs: 500, batchSize: 8, verbose: 0, monitor: false });
  process.stdout.write(JSON.stringify([before, used()]));
}

if (process.argv[2] === '--child') {
  await child();
} else {
  test('CNN training memory stays flat over 2,000 steps', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const [before, after] = JSON.parse(r.stdout) as [number, number];
    // One leaked 8×8×8×4 activation per step would be 2,000 × 8 KiB = 16 MiB.
    assert.ok(after - before < 2 * 1024 * 1024, `memory grew by ${((after - before) / 1024 / 1024).toFixed(2)} MiB over 2,000 steps`);
  });
}
