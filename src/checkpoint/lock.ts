import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CheckpointLockedError, CheckpointWriteError } from './errors.js';
import { codeOf, createExclusive, readTextIfExists, removeFile, renameFile, statIfExists } from './checkpoint_fs.js';

/** What a lock file holds: who owns the directory. */
export interface LockOwner {
  pid: number;
  hostname: string;
  started: string;
}

export const LOCK_FILE = 'kiln.lock';

/** Locks held by this process, so a second fit in the same process is refused too. */
const heldHere = new Set<string>();

/** True when `pid` names a running process on this machine (EPERM: running, owned by someone else). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): LockOwner | null {
  try {
    const o = JSON.parse(readTextIfExists(path, 'lock file') ?? '') as LockOwner;
    return typeof o?.pid === 'number' ? o : null;
  } catch {
    return null; // torn or unreadable: written by a process that died mid-write
  }
}

/**
 * Takes `<dir>/kiln.lock` for this process, or refuses with CheckpointLockedError naming the owner.
 * The file is created with O_EXCL, so of two processes racing for it exactly one wins. A lock whose
 * owner is gone (killed, crashed: same host, pid not running) is stale: it is moved aside under a
 * unique name — only one racer can move a given file — and checked to be the stale one before the
 * directory is taken over, with a warning.
 *
 * ```ts
 * const lock = acquireLock('runs/backup');
 * try { … } finally { lock.release(); }
 * ```
 */
export function acquireLock(dir: string, warn: (msg: string) => void = console.warn): { release(): void } {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 20; attempt++) {
    if (tryCreate(path)) {
      heldHere.add(path);
      return { release: () => releaseLock(path) };
    }
    const owner = readOwner(path);
    if (!owner && isYoung(path)) {
      // Its owner may be between creating the file and writing its pid: give it a moment.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      continue;
    }
    const here = owner && owner.hostname === hostname();
    if (owner && (!here || (owner.pid === process.pid ? heldHere.has(path) : isRunning(owner.pid)))) {
      throw new CheckpointLockedError(
        `'${dir}' is in use by process ${owner.pid} on ${owner.hostname} (since ${owner.started}): two trainings must not share a backup directory. ` +
          `If that process is gone, delete '${path}'.`,
      );
    }
    const aside = `${path}.stale-${randomBytes(4).toString('hex')}`;
    try {
      renameFile(path, aside, 'stale lock file');
    } catch (e) {
      if (!(e instanceof CheckpointWriteError) || codeOf(e.cause) !== 'ENOENT') throw e;
      continue; // another process moved it first; look again
    }
    const moved = readOwner(aside);
    if (moved && owner && (moved.pid !== owner.pid || moved.started !== owner.started)) {
      // We moved a fresh lock that replaced the stale one in between: put it back, look again.
      try {
        renameFile(aside, path, 'lock file');
      } catch (e) {
        if (!(e instanceof CheckpointWriteError) || codeOf(e.cause) !== 'ENOENT') throw e;
        // The directory changed under us; the next attempt sees the truth.
      }
      continue;
    }
    removeFile(aside, 'stale lock file');
    warn(`kiln: '${dir}': removed a stale lock of process ${owner?.pid ?? '(unreadable lock file)'}${owner ? ` on ${owner.hostname}` : ''}, which is no longer running; resuming here`);
  }
  throw new CheckpointLockedError(`'${dir}': could not take the lock '${path}' after 20 attempts; other processes keep changing it`);
}

function isYoung(path: string): boolean {
  const st = statIfExists(path, 'lock file');
  return st !== undefined && Date.now() - st.mtimeMs < 2000;
}

function tryCreate(path: string): boolean {
  const owner: LockOwner = { pid: process.pid, hostname: hostname(), started: new Date().toISOString() };
  return createExclusive(path, JSON.stringify(owner), 'lock file');
}

function releaseLock(path: string): void {
  if (!heldHere.delete(path)) return;
  const owner = readOwner(path);
  if (!owner || owner.pid !== process.pid || owner.hostname !== hostname()) return;
  try {
    removeFile(path, 'lock file');
  } catch (e) {
    // Never mask the error that ended training; a lock left behind is stale once this process exits.
    console.warn(`kiln: ${(e as Error).message}; the next run will take the lock over as stale`);
  }
}
