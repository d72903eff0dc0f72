import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as kiln from '../../src/index.js';
import { tempDir } from '../helpers/temp_dir.js';
import { halves, makeImageTree } from './image_files.js';

// A Dataset's batches are made inside each step's memory scope, so streaming from an image folder
// must stay as flat as training on arrays: measured as in test/training/memory.test.ts, in a child
// process with --expose-gc.
async function child(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const used = () => {
    gc();
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.external + m.arrayBuffers;
  };
  const t = tempDir('kiln-dataset-memory-');
  try {
    makeImageTree(t.path('imgs'), { a: 8, b: 8 }, (k, j) => halves(8, k === 0, j), 8);
    const ds = kiln.data.imageFolder(t.path('imgs'), { imageSize: [8, 8], batchSize: 4, seed: 1, verbose: false });
    kiln.setSeed(0);
    const model = kiln.sequential([kiln.layers.input({ shape: [8, 8, 3] }), kiln.layers.flatten(), kiln.layers.dense({ units: 2, activation: 'softmax' })]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    await model.fit(ds, undefined, { epochs: 25, verbose: 0, monitor: false });
    const readings: Record<string, [number, number]> = {};
    let before = used();
    // 4 batches per pass: 2,000 steps.
    await model.fit(ds, undefined, { epochs: 500, verbose: 0, monitor: false });
    readings.fit = [before, used()];
    before = used();
    for (let i = 0; i < 500; i++) await model.evaluate(ds, undefined, { verbose: 0 });
    readings.evaluate = [before, used()];
    before = used();
    for (let i = 0; i < 500; i++) model.predict(ds);
    readings.predict = [before, used()];
    process.stdout.write(JSON.stringify(readings));
  } finally {
    t.cleanup();
  }
}

if (process.argv[2] === '--child') {
  await child();
} else {
  test('memory stays flat over 2,000 steps of fit, evaluate and predict on an image folder', { timeout: 300_000 }, () => {
    const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const readings = JSON.parse(r.stdout) as Record<string, [number, number]>;
    for (const [phase, [before, after]] of Object.entries(readings)) {
      const growth = after - before;
      // Leaking one decoded batch (4 × 8 × 8 × 3 floats, 3 KiB) per step would be 6 MiB.
      assert.ok(growth < 2 * 1024 * 1024, `${phase}: memory grew by ${(growth / 1024 / 1024).toFixed(2)} MiB over 2,000 steps`);
    }
  });
}
