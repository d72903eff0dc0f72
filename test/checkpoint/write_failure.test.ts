import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import '../../src/index.js'; // registers the backends the decoder uploads tensors to
import { BackupStore } from '../../src/checkpoint/backup_store.js';
import { runScript } from './run_script.js';

/*
 * "Disk full or permission denied while saving → training stops with a clear error and the previous
 * checkpoint intact", with the operating system refusing the write — no fake file system:
 * - a file-size limit (`ulimit -f`, RLIMIT_FSIZE) on the child: backups grow (a callback journal in
 *   their state), and once one exceeds the limit the write fails with EFBIG, as a full disk fails
 *   with ENOSPC, in the middle of writing the file;
 * - permission denied: the backup directory is made read-only (and the child runs as an
 *   unprivileged user when the tests run as root, since root ignores permissions) after the first
 *   backups were written.
 * Either way fit must reject with CheckpointWriteError naming the file and the reason, no temporary
 * file may remain, the newest backup on disk must be intact, and re-running the script without the
 * limit must resume from it and finish exactly like a run that never failed.
 */

const CHILD = fileURLToPath(new URL('./write_failure_child.js', import.meta.url));
const JOURNAL = 1024;
/** The conventional unprivileged user ('nobody'). */
const NOBODY = 65534;
const TEMP = /\.tmp$/;

function runChild(dir: string, opts: { fileBlocks?: number; uid?: number; onBatch?: (n: number) => void }): Promise<{ code: number | null; out: string }> {
  const job = JSON.stringify({ dir, saveFreq: 1, journal: JOURNAL });
  const cmd = opts.fileBlocks ? ['sh', ['-c', `ulimit -f ${opts.fileBlocks} && exec "$0" "$1"`, process.execPath, CHILD]] as const : [process.execPath, [CHILD]] as const;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd[0], [...cmd[1]], {
      env: { ...process.env, KILN_CHILD_JOB: job },
      stdio: ['ignore', 'pipe', 'inherit'],
      ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const n = out.match(/^batch /gm)?.length ?? 0;
      opts.onBatch?.(n);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/**
 * `tempMayRemain`: in a read-only directory a temporary file created just before the change cannot
 * be removed by anyone; the next run removes it (checked by the caller).
 */
function assertStoppedCleanly(dir: string, out: string, reason: RegExp, tempMayRemain = false): string {
  const error = out.split('\n').find((l) => l.startsWith('ERROR '));
  assert.ok(error, `the child reported an error (output tail: ${out.slice(-300)})`);
  assert.match(error, /^ERROR CheckpointWriteError '.*backup-\d{12}\.kbak': could not write the training backup: /);
  assert.match(error, reason);
  assert.match(error, /the previous checkpoint is left intact/);
  const names = readdirSync(dir);
  if (!tempMayRemain) assert.deepEqual(names.filter((n) => TEMP.test(n)), [], 'no temporary file left');
  const latest = new BackupStore(dir).latestValid((m) => assert.fail(`unexpected warning: ${m}`));
  assert.ok(latest, 'an intact backup remains');
  return latest.path;
}

/** Re-running the script without the limit resumes from `kept` and finishes exactly like the straight run. */
async function assertResumesExactly(dir: string, kept: string): Promise<void> {
  const resumed = await runScript({ backupDir: dir, saveFreq: 1, journalBytesPerBatch: JOURNAL });
  assert.equal(resumed.restoredFrom, kept);
  for (const key of ['weights', 'optimizer', 'history', 'earlyStoppedEpoch', 'lr'] as const) assert.deepEqual(resumed[key], straight[key], key);
  assert.equal(existsSync(dir), false, 'the finished run removed its backups, lock, leftovers and the emptied directory');
}

let straight: Awaited<ReturnType<typeof runScript>>;
test('reference: the journal script run straight through', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-wf-'));
  straight = await runScript({ backupDir: join(dir, 'b'), saveFreq: 1, journalBytesPerBatch: JOURNAL });
  rmSync(dir, { recursive: true, force: true });
});

test('file too large (EFBIG, like a full disk) mid-run: clear error, previous backup intact, resumes exactly', { timeout: 300_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'kiln-wf-'));
  try {
    const dir = join(root, 'b');
    // 40 KiB: the first backups (~10 KiB) fit; the journal adds 1 KiB per batch until one does not.
    const r = await runChild(dir, { fileBlocks: 80 });
    assert.equal(r.code, 3, r.out.slice(-500));
    const kept = assertStoppedCleanly(dir, r.out, /file size limit\) \(EFBIG\)/);
    assert.ok(readFileSync(kept).length <= 80 * 512);
    await assertResumesExactly(dir, kept);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

/** As root the child must run as an unprivileged user; that user must be able to read the project. */
function unprivilegedCannotRun(): string | null {
  if (process.getuid?.() !== 0) return null;
  const r = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(CHILD)}, require('fs').constants.R_OK)`], { uid: NOBODY, gid: NOBODY });
  return r.status === 0 ? null : `the tests run as root and user ${NOBODY} cannot read ${CHILD} (a private checkout path), so no process here can be denied permission`;
}

test('permission denied mid-run (directory made read-only): clear error, previous backup intact, resumes exactly', { timeout: 300_000 }, async (t) => {
  const cannot = unprivilegedCannotRun();
  if (cannot) {
    t.skip(cannot);
    return;
  }
  const root = mkdtempSync(join(tmpdir(), 'kiln-wf-'));
  const asRoot = process.getuid?.() === 0;
  try {
    chmodSync(root, 0o777);
    const dir = join(root, 'b');
    mkdirSync(dir, { mode: 0o777 });
    chmodSync(dir, 0o777);
    let locked = false;
    // After the 5th batch's backup the directory turns read-only under the running child.
    const r = await runChild(dir, {
      uid: asRoot ? NOBODY : undefined,
      onBatch: (n) => {
        if (n >= 5 && !locked) {
          locked = true;
          chmodSync(dir, 0o555);
        }
      },
    });
    assert.equal(r.code, 3, r.out.slice(-500));
    const kept = assertStoppedCleanly(dir, r.out, /permission denied \(EACCES\)/, true);
    chmodSync(dir, 0o777);
    // The dead child's lock is stale; this process takes it over and resumes from the kept backup.
    await assertResumesExactly(dir, kept);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
