import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as kiln from '../../src/index.js';
import { loadModel } from '../../src/io/index.js';
import { tempDir } from './helpers.js';

/*
 * Issue 4's resume evidence, across a process boundary: train 3 epochs, save, load the file in a
 * fresh Node process (nothing shared but the file), train 2 more there — the weights must be
 * byte-identical to training 5 epochs straight. The child is this same file started with
 * KILN_RESUME_JOB set; it writes its weights as raw float32 bytes.
 *
 * `shuffle: false`: Keras files do not store the shuffle RNG's state (neither do kiln's), so a
 * resumed run could only match a straight one by luck if batches were drawn at random. No dropout
 * for the same reason. Adam, so the step counter and both moment slots must survive the file.
 */

const SELF = fileURLToPath(import.meta.url);
const FIT = { batchSize: 8, shuffle: false, verbose: 0 } as const;

function data(): { x: kiln.Tensor; y: kiln.Tensor } {
  kiln.setSeed(3);
  return { x: kiln.randomNormal([24, 5]), y: kiln.randomNormal([24, 2]) };
}

function model(): kiln.Sequential {
  kiln.setSeed(11);
  const m = kiln.sequential([
    kiln.layers.input({ shape: [5] }),
    kiln.layers.dense({ units: 8, activation: 'relu' }),
    kiln.layers.batchNormalization(),
    kiln.layers.dense({ units: 2 }),
  ]);
  m.compile({ optimizer: kiln.optimizers.adam({ learningRate: 0.01 }), loss: 'mse', metrics: ['mae'] });
  return m;
}

/** Every weight (trainable and not) as one byte string, for an exact comparison. */
function weightBytes(m: kiln.Model): Buffer {
  return Buffer.concat(m.getWeights().map((w) => Buffer.from((w.dataSync() as Float32Array).slice().buffer)));
}

const job = process.env.KILN_RESUME_JOB;
if (job) {
  // The child: a fresh process that only has the file.
  const { file, out } = JSON.parse(job) as { file: string; out: string };
  const { x, y } = data();
  const m = await loadModel(file);
  if (m.optimizer?.iterations !== 9) throw new Error(`loaded optimizer is at step ${m.optimizer?.iterations}, expected 9`);
  await m.fit(x, y, { ...FIT, epochs: 5, initialEpoch: 3 });
  writeFileSync(out, weightBytes(m));
  process.stdout.write(`iterations=${m.optimizer.iterations}\n`);
  process.exit(0);
}

for (const ext of ['keras', 'h5'] as const) {
  test(`.${ext} + Adam: fit 3, save, load in a fresh process, fit 2 == fit 5 straight (byte-identical weights)`, async () => {
    const { x, y } = data();
    const straight = model();
    await straight.fit(x, y, { ...FIT, epochs: 5 });

    const t = tempDir();
    try {
      const first = model();
      await first.fit(x, y, { ...FIT, epochs: 3 });
      await first.save(t.path(`ckpt.${ext}`));
      const r = spawnSync(process.execPath, [SELF], {
        env: { ...process.env, KILN_RESUME_JOB: JSON.stringify({ file: t.path(`ckpt.${ext}`), out: t.path('resumed.bin') }) },
        encoding: 'utf8',
        timeout: 120_000,
      });
      assert.equal(r.status, 0, `child failed (${r.signal ?? r.status}):\n${r.stderr}`);
      assert.match(r.stdout, /iterations=15/);
      const resumed = readFileSync(t.path('resumed.bin'));
      const expected = weightBytes(straight);
      assert.equal(resumed.length, expected.length);
      assert.ok(resumed.equals(expected), 'resumed weights differ from the straight run');
      // And the check can fail: one epoch fewer gives different bytes.
      assert.ok(!weightBytes(first).equals(expected));
    } finally {
      t.cleanup();
    }
  });
}
