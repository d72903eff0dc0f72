import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as kiln from '../../src/index.js';

// Users never free memory by hand: memory must stay flat over 10,000 steps of fit, evaluate and predict.
// Measured in a child process started with --expose-gc so the garbage collector can be forced
// before each reading; the reading is heap + external + array buffers (where tensor data lives).
async function child(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const used = () => {
    gc();
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.external + m.arrayBuffers;
  };
  kiln.setSeed(0);
  const model = kiln.sequential([
    kiln.layers.dense({ units: 32, activation: 'relu', inputShape: [16] }),
    kiln.layers.dropout({ rate: 0.1 }),
    kiln.layers.dense({ units: 4, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const x = kiln.randomNormal([80, 16]);
  const y = kiln.randomInt([80], 0, 4);
  // 10 batches per epoch: warm up 100 steps, then measure over 1,000 epochs = 10,000 steps.
  await model.fit(x, y, { epochs: 10, batchSize: 8, verbose: 0 });
  const readings: Record<string, [number, number]> = {};
  let before = used();
  await model.fit(x, y, { epochs: 1000, batchSize: 8, verbose: 0 });
  readings.fit = [before, used()];
  before = used();
  for (let i = 0; i < 1000; i++) await model.evaluate(x, y, { batchSize: 8, verbose: 0 });
  readings.evaluate = [before, used()];
  before = used();
  for (let i = 0; i < 10000; i++) model.predict(kiln.slice(x, [i % 72], [8]));
  readings.predict = [before, used()];
  process.stdout.write(JSON.stringify(readings));
}

if (process.argv[2] === '--child') {
  await child();
} else {
  test('memory stays flat over 10,000 steps of fit, evaluate and predict', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const readings = JSON.parse(r.stdout) as Record<string, [number, number]>;
    for (const [phase, [before, after]] of Object.entries(readings)) {
      const growth = after - before;
      // A leak of even one 8×32 float tensor per step would be 10,000 × 1 KiB = 10 MiB.
      assert.ok(growth < 2 * 1024 * 1024, `${phase}: memory grew by ${(growth / 1024 / 1024).toFixed(2)} MiB over 10,000 steps`);
    }
  });
}
