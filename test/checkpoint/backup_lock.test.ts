import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointLockedError } from '../../src/checkpoint/errors.js';
import { LOCK_FILE } from '../../src/checkpoint/lock.js';
import { Crash, runScript, withWarnings } from './run_script.js';

/*
 * "Two processes pointed at the same backup directory → the second refuses with a clear error":
 * a real second process holds the lock; the training must refuse, naming its pid, and leave the
 * backups alone; once that process is SIGKILLed its lock is stale and is taken over with a warning.
 */

const LOCK_JS = new URL('../../src/checkpoint/lock.js', import.meta.url).href;


/** A child process that takes the directory's lock and sleeps; resolves once it holds it. */
function lockHolder(dir: string): Promise<ChildProcess> {
  const code = `import { acquireLock } from ${JSON.stringify(LOCK_JS)};
acquireLock(${JSON.stringify(dir)});
process.stdout.write('locked\\n');
setInterval(() => {}, 1 << 30);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && resolve(child));
    child.on('exit', (c) => reject(new Error(`lock holder exited with ${c}: ${err}`)));
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

function freshDir(): { root: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), 'kiln-lock-'));
  return { root, dir: join(root, 'b') };
}

test('a second process is refused while the first holds the directory; after it is SIGKILLed its stale lock is taken over', async () => {
  const { root, dir } = freshDir();
  let child: ChildProcess | null = null;
  try {
    await assert.rejects(runScript({ backupDir: dir, saveFreq: 2, crashAfter: 11 }), Crash);
    const backups = readdirSync(dir).sort();
    const bytes = backups.map((n) => readFileSync(join(dir, n)));
    child = await lockHolder(dir);
    const pid = child.pid!;
    await assert.rejects(runScript({ backupDir: dir, saveFreq: 2 }), (e: unknown) => {
      assert.ok(e instanceof CheckpointLockedError, String(e));
      assert.ok(e.message.includes(`in use by process ${pid} on ${hostname()}`), e.message);
      assert.ok(e.message.includes(`'${dir}'`), e.message);
      return true;
    });
    // The refused run touched nothing: same backups, and the holder's lock file is still its own.
    assert.deepEqual(readdirSync(dir).sort(), [...backups, LOCK_FILE].sort());
    backups.forEach((n, i) => assert.deepEqual(readFileSync(join(dir, n)), bytes[i]));
    assert.equal(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid, pid);

    await killed(child);
    child = null;
    const { value, warnings } = await withWarnings(() => runScript({ backupDir: dir, saveFreq: 2 }));
    assert.equal(value.restoredFrom, join(dir, backups[backups.length - 1]!));
    assert.equal(warnings.filter((w) => w.includes(`removed a stale lock of process ${pid} on ${hostname()}`)).length, 1, JSON.stringify(warnings));
  } finally {
    if (child) await killed(child);
    rmSync(root, { recursive: true, force: true });
  }
});

test('two concurrent fits in one process on the same directory: exactly one is refused', async () => {
  const { root, dir } = freshDir();
  try {
    const results = await Promise.allSettled([runScript({ backupDir: dir, saveFreq: 2 }), runScript({ backupDir: dir, saveFreq: 2 })]);
    const refused = results.filter((r) => r.status === 'rejected');
    assert.equal(refused.length, 1, JSON.stringify(results.map((r) => r.status)));
    const e = (refused[0] as PromiseRejectedResult).reason as Error;
    assert.ok(e instanceof CheckpointLockedError, String(e));
    assert.ok(e.message.includes(`process ${process.pid}`), e.message);
    // The winner finished and cleaned up (the refused one neither took nor released its lock).
    assert.equal(existsSync(dir), false);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a lock file holding garbage, last touched long ago, is stale: recovered with a warning', async () => {
  const { root, dir } = freshDir();
  try {
    mkdirSync(dir);
    writeFileSync(join(dir, LOCK_FILE), '{"pid": 12\u0000\u0000garbage');
    const old = new Date(Date.now() - 3600_000);
    utimesSync(join(dir, LOCK_FILE), old, old);
    const { value, warnings } = await withWarnings(() => runScript({ backupDir: dir, saveFreq: 2 }));
    assert.equal(value.restoredFrom, null);
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.match(warnings[0]!, /removed a stale lock of process \(unreadable lock file\)/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a lock owned by another host is never taken over (its pid means nothing here)', async () => {
  const { root, dir } = freshDir();
  try {
    mkdirSync(dir);
    // pid 1 exists here and a dead pid would look stale: neither may matter for another host.
    const owner = { pid: 999_999_999, hostname: `not-${hostname()}.example`, started: '2026-01-01T00:00:00.000Z' };
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(owner));
    const old = new Date(Date.now() - 3600_000);
    utimesSync(join(dir, LOCK_FILE), old, old);
    await assert.rejects(runScript({ backupDir: dir, saveFreq: 2 }), (e: unknown) => {
      assert.ok(e instanceof CheckpointLockedError, String(e));
      assert.ok(e.message.includes(`process ${owner.pid} on ${owner.hostname}`), e.message);
      assert.ok(e.message.includes(`delete '${join(dir, LOCK_FILE)}'`), e.message);
      return true;
    });
    assert.deepEqual(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')), owner);
    assert.deepEqual(readdirSync(dir), [LOCK_FILE]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
