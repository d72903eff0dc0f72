import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as kiln from '../../src/index.js';
import { decodeSnapshot } from '../../src/checkpoint/snapshot_codec.js';

/*
 * "A NaN in loss never poisons the saved checkpoints": a regression trains sanely for two epochs,
 * then a schedule sets an absurd learning rate (1e38), so the first batch of epoch 3 sends the
 * weights to ±Infinity and the next one's loss is NaN (checked on both backends). Backups are due
 * after every batch and modelCheckpoint saves every epoch; neither may write a non-finite state,
 * and the backups must survive the end of the diverged run.
 */

function data(): { x: kiln.Tensor; y: kiln.Tensor } {
  const n = 64;
  const xs = new Float32Array(n * 4);
  const ys = new Float32Array(n);
  for (let i = 0; i < n * 4; i++) xs[i] = Math.sin(i * 1.7) * 3;
  for (let i = 0; i < n; i++) ys[i] = xs[i * 4]! * 2 - xs[i * 4 + 1]! + 5;
  return { x: kiln.fromValues(xs, [n, 4]), y: kiln.fromValues(ys, [n, 1]) };
}

function allFinite(ts: kiln.Tensor[]): boolean {
  return ts.every((t) => Array.from(t.dataSync()).every(Number.isFinite));
}

test('a diverging run (loss NaN mid-training): no backup or model checkpoint holds a non-finite value; backups kept', async () => {
  const root = mkdtempSync(join(tmpdir(), 'kiln-nan-'));
  const backupDir = join(root, 'backup');
  const ckptDir = join(root, 'ckpt');
  const warnings: string[] = [];
  const logs: string[] = [];
  const [warn, log] = [console.warn, console.log];
  console.warn = (...a: unknown[]) => void warnings.push(a.map(String).join(' '));
  console.log = (...a: unknown[]) => void logs.push(a.map(String).join(' '));
  try {
    kiln.setSeed(7);
    const { x, y } = data();
    const model = kiln.sequential([
      kiln.layers.input({ shape: [4] }),
      // Linear: the ±Infinity weights then meet in sums (Inf - Inf = NaN); a relu may hide them as 0 or Inf.
      kiln.layers.dense({ units: 8 }),
      kiln.layers.dense({ units: 1 }),
    ]);
    model.compile({ optimizer: kiln.optimizers.sgd({ learningRate: 0.01 }), loss: 'mse' });
    const losses: number[] = [];
    const history = await model.fit(x, y, {
      epochs: 5, batchSize: 8, verbose: 0,
      callbacks: [
        kiln.callbacks.backupAndRestore({ backupDir, saveFreq: 1 }),
        kiln.callbacks.learningRateScheduler((epoch, lr) => (epoch >= 2 ? 1e38 : lr)),
        kiln.callbacks.terminateOnNaN(),
        kiln.callbacks.modelCheckpoint({ filepath: join(ckptDir, 'model.{epoch:02d}.keras'), monitor: 'loss' }),
        kiln.callbacks.lambdaCallback({ onTrainBatchEnd: (_b, l) => void losses.push(l!['loss'] as number) }),
      ],
    });
    // The premise: 16 sane batches, one whose update overflows the weights, then a NaN loss.
    assert.equal(losses.length, 18, `losses: ${losses.join(', ')}`);
    assert.ok(losses.slice(0, 17).every(Number.isFinite), `losses: ${losses.join(', ')}`);
    assert.ok(Number.isNaN(losses[17]), `losses: ${losses.join(', ')}`);
    assert.ok(logs.some((l) => /Batch 1: Invalid loss, terminating training/.test(l)), JSON.stringify(logs));
    assert.equal(history.epoch.length, 3);

    // Both refused backups are named with their reason; the last good one is kept.
    const refused = warnings.filter((w) => w.includes('not writing a backup'));
    assert.equal(refused.length, 2, JSON.stringify(warnings));
    assert.match(refused[0]!, /at epoch 3, step 17: weight \d+ holds (NaN|-?Infinity); the last good backup \('.*backup-000000000032\.kbak'\) is kept/);
    assert.match(refused[1]!, /at epoch 3, step 18: the loss is NaN; the last good backup \('.*backup-000000000032\.kbak'\) is kept/);
    assert.ok(warnings.some((w) => w.includes(`training ended with loss NaN; keeping the backups in '${backupDir}'`)), JSON.stringify(warnings));
    assert.ok(warnings.some((w) => /Epoch 3: not saving model to .*model\.03\.keras/.test(w)), JSON.stringify(warnings));

    // On disk: backups of steps 15 and 16, each decoding to a finite state.
    const backups = readdirSync(backupDir).filter((n) => n.endsWith('.kbak')).sort();
    assert.deepEqual(backups, ['backup-000000000030.kbak', 'backup-000000000032.kbak']);
    const snapshots = backups.map((n) => decodeSnapshot(n, readFileSync(join(backupDir, n))));
    for (const s of snapshots) {
      assert.ok(allFinite(s.weights), 'backup weights finite');
      assert.ok(allFinite(s.optimizer), 'backup optimizer state finite');
      assert.ok(Number.isFinite(s.logs['loss']), 'backup loss finite');
    }
    // modelCheckpoint: epochs 1 and 2 only, finite, the second equal to the newest backup.
    const ckpts = readdirSync(ckptDir).filter((n) => n.endsWith('.keras')).sort();
    assert.deepEqual(ckpts, ['model.01.keras', 'model.02.keras']);
    for (const n of ckpts) assert.ok(allFinite((await kiln.loadModel(join(ckptDir, n))).getWeights()), `${n} finite`);
    const last = (await kiln.loadModel(join(ckptDir, 'model.02.keras'))).getWeights();
    last.forEach((w, i) => assert.deepEqual(w.dataSync(), snapshots[1]!.weights[i]!.dataSync(), `weight ${i}`));
  } finally {
    console.warn = warn;
    console.log = log;
    rmSync(root, { recursive: true, force: true });
  }
});
