import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Crash, runScript } from './run_script.js';
import type { ScriptResult } from './run_script.js';

function freshDir(): string {
  return mkdtempSync(join(tmpdir(), 'kiln-backup-'));
}

/** Runs the script, crashing after `crashes[i]` batches on the i-th attempt, until it finishes. */
async function runWithCrashes(dir: string, crashes: number[], saveFreq: number | 'epoch'): Promise<ScriptResult> {
  for (const c of crashes) {
    await assert.rejects(runScript({ backupDir: dir, saveFreq, crashAfter: c }), Crash);
  }
  return runScript({ backupDir: dir, saveFreq });
}

let straight: ScriptResult;
test('an uninterrupted run with backups equals one without touching the backup (backups change nothing)', async () => {
  const dir = freshDir();
  straight = await runScript({ backupDir: join(dir, 'b'), saveFreq: 4 });
  assert.equal(straight.restoredFrom, null);
  // deleteCheckpoint (default true): a finished run leaves no backup behind.
  assert.equal(existsSync(join(dir, 'b')), false);
  const other = await runScript({ backupDir: join(dir, 'c'), saveFreq: 'epoch' });
  assert.deepEqual(other, straight);
  rmSync(dir, { recursive: true, force: true });
});

for (const [saveFreq, crashes] of [
  [4, [5]],            // mid-epoch backup at step 4, crash at 5
  [4, [3, 9, 2, 14]],  // crash before any backup, then repeatedly mid-epoch
  [8, [9]],            // the backup falls on an epoch's last batch (8 batches per epoch)
  [1, [1, 1, 1, 7, 20]], // a backup after every batch
  ['epoch', [8, 6, 13, 17]],
] as [number | 'epoch', number[]][]) {
  test(`crash by exception after ${crashes.join(', ')} batches (saveFreq ${saveFreq}) resumes bit-exactly`, async () => {
    const dir = freshDir();
    const resumed = await runWithCrashes(join(dir, 'b'), crashes, saveFreq);
    assert.notEqual(resumed.restoredFrom, null);
    assert.equal(resumed.weights, straight.weights, 'weights');
    assert.equal(resumed.optimizer, straight.optimizer, 'optimizer state');
    assert.equal(resumed.history, straight.history, 'history');
    assert.equal(resumed.earlyStoppedEpoch, straight.earlyStoppedEpoch);
    assert.equal(resumed.lr, straight.lr);
    rmSync(dir, { recursive: true, force: true });
  });
}

test('after a crash the lock is released and the newest two backups remain, no temporary files', async () => {
  const dir = join(freshDir(), 'b');
  await assert.rejects(runScript({ backupDir: dir, saveFreq: 2, crashAfter: 11 }), Crash);
  const names = readdirSync(dir).sort();
  assert.deepEqual(names, ['backup-000000000016.kbak', 'backup-000000000020.kbak']);
});

// stepsPerEpoch below a pass: a pass (and its shuffle order) spans epochs, so a backup at an epoch
// boundary must keep the pass's position and order, or the resumed run trains on other batches.
for (const [stepsPerEpoch, saveFreq, crashes] of [
  [3, 'epoch', [4, 7]],  // crashes after epoch-boundary backups taken mid-pass
  [3, 2, [5, 11]],       // mid-epoch backups, one of them in an epoch the pass cuts short
  [5, 1, [6, 9]],
] as [number, number | 'epoch', number[]][]) {
  test(`stepsPerEpoch ${stepsPerEpoch}: crashes after ${crashes.join(', ')} batches (saveFreq ${saveFreq}) resume bit-exactly`, async () => {
    const dir = freshDir();
    const quiet = console.warn;
    console.warn = () => {};
    try {
      const straightRun = await runScript({ backupDir: join(dir, 'a'), saveFreq, stepsPerEpoch, epochs: 6 });
      for (const c of crashes) {
        await assert.rejects(runScript({ backupDir: join(dir, 'b'), saveFreq, stepsPerEpoch, epochs: 6, crashAfter: c }), Crash);
      }
      const resumed = await runScript({ backupDir: join(dir, 'b'), saveFreq, stepsPerEpoch, epochs: 6 });
      assert.notEqual(resumed.restoredFrom, null);
      assert.equal(resumed.weights, straightRun.weights, 'weights');
      assert.equal(resumed.optimizer, straightRun.optimizer, 'optimizer state');
      assert.equal(resumed.history, straightRun.history, 'history');
    } finally {
      console.warn = quiet;
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
