import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as kiln from '../../src/index.js';
import { ValueError } from '../../src/errors.js';
import { CheckpointError } from '../../src/checkpoint/errors.js';
import { Crash, digest } from './run_script.js';

/*
 * backupAndRestore's options, and what it does when a resumed run is not the same run: bad options
 * are refused up front, naming the option; a resumption with other fit settings or other data is
 * refused, naming what differs and how to start over; deleteCheckpoint and snake_case spellings work;
 * the progress output of a resumed epoch is not duplicated.
 */

interface Small {
  batchSize?: number;
  validationSplit?: number;
  /** Change x[0] (other data). */
  tweak?: boolean;
  crashAfter?: number;
  verbose?: 0 | 2;
  epochs?: number;
}

/** A small regression fit with a backup every 2 batches; returns the weights' digest and the callback. */
async function smallFit(backup: Record<string, unknown>, o: Small = {}) {
  kiln.setSeed(3);
  const n = 64;
  const xs = Float32Array.from({ length: n * 3 }, (_, i) => Math.cos(i * 0.37));
  if (o.tweak) xs[0] = xs[0]! + 0.5;
  const ys = Float32Array.from({ length: n }, (_, i) => xs[i * 3]! - 2 * xs[i * 3 + 2]!);
  const model = kiln.sequential([kiln.layers.input({ shape: [3] }), kiln.layers.dense({ units: 4, activation: 'tanh' }), kiln.layers.dense({ units: 1 })]);
  model.compile({ optimizer: kiln.optimizers.adam({ learningRate: 0.01 }), loss: 'mse' });
  const cb = kiln.callbacks.backupAndRestore(backup as never);
  let ran = 0;
  const crash = kiln.callbacks.lambdaCallback({
    onTrainBatchEnd: () => {
      if (o.crashAfter !== undefined && ++ran >= o.crashAfter) throw new Crash(`crash after ${ran}`);
    },
  });
  await model.fit(kiln.fromValues(xs, [n, 3]), kiln.fromValues(ys, [n, 1]), {
    epochs: o.epochs ?? 3, batchSize: o.batchSize ?? 10, validationSplit: o.validationSplit ?? 0.25, verbose: o.verbose ?? 0,
    callbacks: [cb, crash],
  });
  return { weights: digest(model.getWeights()), cb };
}

function freshDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'kiln-opts-')), 'b');
}

test('bad options are refused with a ValueError naming the option', () => {
  const cases: [unknown, RegExp][] = [
    [{ backupDir: 'd', saveFreq: 0 }, /saveFreq .*found 0/],
    [{ backupDir: 'd', saveFreq: -1 }, /saveFreq .*found -1/],
    [{ backupDir: 'd', saveFreq: 1.5 }, /saveFreq .*found 1\.5/],
    [{ backupDir: 'd', saveFreq: 'batch' }, /saveFreq must be 'epoch' or a positive integer.*found "batch"/],
    [{ backup_dir: 'd', save_freq: 0 }, /saveFreq/],
    [{ backupDir: '' }, /backupDir must be a non-empty string, found ""/],
    [{ saveFreq: 2 }, /backupDir must be a non-empty string, found undefined/],
    [{ backupDir: 42 }, /backupDir must be a non-empty string, found 42/],
    [undefined, /expected an options object with backupDir/],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => kiln.callbacks.backupAndRestore(args as never), (e: unknown) => {
      assert.ok(e instanceof ValueError, `${JSON.stringify(args)}: ${String(e)}`);
      assert.match(e.message, message);
      return true;
    });
  }
});

for (const [what, changed, names] of [
  ['a different batchSize', { batchSize: 8 }, /was made with batchSize 10, but this fit has batchSize 8/],
  ['different data (one value changed)', { tweak: true }, /was made on different data/],
  // 0.25 → 48 training samples in 5 batches of 10; 0.3 → 44, also 5 batches: the sample count differs.
  ['a different validationSplit', { validationSplit: 0.3 }, /was made with trainSamples 48, but this fit has trainSamples 44/],
] as [string, Small, RegExp][]) {
  test(`resuming with ${what} is refused with a CheckpointError that names it and suggests deleting the directory`, async () => {
    const dir = freshDir();
    try {
      await assert.rejects(smallFit({ backupDir: dir, saveFreq: 2 }, { crashAfter: 7 }), Crash);
      const before = readdirSync(dir).sort();
      const bytes = before.map((n) => readFileSync(join(dir, n)));
      await assert.rejects(smallFit({ backupDir: dir, saveFreq: 2 }, changed), (e: unknown) => {
        assert.ok(e instanceof CheckpointError, String(e));
        assert.match(e.message, names);
        assert.ok(e.message.includes(`the backup '${join(dir, 'backup-000000000012.kbak')}' (epoch 2, step 6)`), e.message);
        assert.ok(e.message.includes(`delete '${dir}' to start over`), e.message);
        return true;
      });
      // Refused before anything changed: the same backups, the lock released.
      assert.deepEqual(readdirSync(dir).sort(), before);
      before.forEach((n, i) => assert.deepEqual(readFileSync(join(dir, n)), bytes[i]));
      // The unchanged script still resumes.
      const { cb } = await smallFit({ backupDir: dir, saveFreq: 2 });
      assert.equal(cb.restoredFrom, join(dir, 'backup-000000000012.kbak'));
    } finally {
      rmSync(join(dir, '..'), { recursive: true, force: true });
    }
  });
}

test('snake_case options work; delete_checkpoint: false keeps the backups after a normal finish', async () => {
  const dir = freshDir();
  try {
    const camel = kiln.callbacks.backupAndRestore({ backupDir: dir, saveFreq: 3, deleteCheckpoint: false });
    assert.deepEqual([camel.backupDir, camel.saveFreq, camel.deleteCheckpoint], [dir, 3, false]);
    const snake = { backup_dir: dir, save_freq: 2, delete_checkpoint: false };
    const first = await smallFit(snake);
    assert.deepEqual([first.cb.backupDir, first.cb.saveFreq, first.cb.deleteCheckpoint], [dir, 2, false]);
    // 3 epochs × 5 batches: backups at steps 12 and 14 (even keys: save_freq 2 was read), no lock left.
    assert.deepEqual(readdirSync(dir).sort(), ['backup-000000000024.kbak', 'backup-000000000028.kbak']);
    // Running the finished script again resumes from the last backup and ends where it ended.
    const again = await smallFit(snake);
    assert.equal(again.cb.restoredFrom, join(dir, 'backup-000000000028.kbak'));
    assert.equal(again.weights, first.weights);
  } finally {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
});

test('deleteCheckpoint defaults to true: a normal finish removes the backups and the (then empty) directory', async () => {
  const dir = freshDir();
  try {
    await smallFit({ backupDir: dir, saveFreq: 2 });
    assert.equal(existsSync(dir), false);
  } finally {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
});

test('progress output of a run resumed mid-epoch prints each epoch header once', async () => {
  const dir = freshDir();
  const captured: string[] = [];
  const write = process.stdout.write;
  try {
    // Crash in epoch 2 (after its 2nd batch; backup at step 6), then resume with progress output.
    await assert.rejects(smallFit({ backupDir: dir, saveFreq: 2 }, { crashAfter: 7, epochs: 4 }), Crash);
    process.stdout.write = ((s: string | Uint8Array) => (captured.push(String(s)), true)) as typeof process.stdout.write;
    const { cb } = await smallFit({ backupDir: dir, saveFreq: 2 }, { verbose: 2, epochs: 4 });
    process.stdout.write = write;
    assert.equal(cb.restoredFrom, join(dir, 'backup-000000000012.kbak'));
    const out = captured.join('');
    const headers = out.match(/^Epoch \d+\/\d+$/gm) ?? [];
    assert.deepEqual(headers, ['Epoch 2/4', 'Epoch 3/4', 'Epoch 4/4'], out);
    // One summary line per epoch run here (verbose 2), the resumed epoch's counting all its batches.
    assert.equal(out.match(/^5\/5 - /gm)?.length, 3, out);
  } finally {
    process.stdout.write = write;
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
});
