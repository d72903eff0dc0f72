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
