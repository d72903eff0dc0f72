import { createHash } from 'node:crypto';
import {
  closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync, writeSync,
} from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname } from 'node:path';
import { KilnError } from '../errors.js';
import { atomicWrite } from '../io/atomic.js';
import { ModelFileError } from '../io/errors.js';
import { CheckpointError, CheckpointWriteError } from './errors.js';

/**
 * The only place checkpoint code touches the file system. Every call (write, rename, fsync,
 * unlink, readdir, mkdir, stat, the lock file) goes through one error mapping, so a disk that fills
 * up or a directory that turns read-only mid-run stops `fit` with a CheckpointWriteError (or, for a
 * read, a CheckpointError) that names the file and the reason — never a raw `EACCES` from whichever
 * call happened to hit it first. The dependency check keeps node:fs out of the other checkpoint files.
 */

/** What the common system errors mean to someone whose training just stopped. */
const REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
  EFBIG: 'the file is larger than this process may write (file size limit)',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOENT: 'the directory does not exist',
  ENOTDIR: 'a part of the path is not a directory',
  EIO: 'an input/output error occurred',
  EISDIR: 'a directory is in the way',
  EMFILE: 'too many open files',
};

export function codeOf(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code;
}

function reasonOf(e: unknown): string {
  const code = codeOf(e);
  const reason = (code && REASONS[code]) ?? (e instanceof Error ? e.message : String(e));
  return `${reason}${code ? ` (${code})` : ''}`;
}

/**
 * A failed change on disk as a CheckpointWriteError; kiln errors other than system errors pass
 * through unchanged. `doing` completes "could not …": 'write the training backup'.
 */
export function asWriteError(e: unknown, path: string, doing: string): unknown {
  if (e instanceof CheckpointWriteError) return e;
  if (e instanceof KilnError && !codeOf(e)) return e;
  return new CheckpointWriteError(`'${path}': could not ${doing}: ${reasonOf(e)}; the previous checkpoint is left intact`, { cause: e });
}

/** A failed read as a CheckpointError naming the file. */
export function asReadError(e: unknown, path: string, doing: string): unknown {
  if (e instanceof KilnError && !codeOf(e)) return e;
  return new CheckpointError(`'${path}': could not ${doing}: ${reasonOf(e)}`, { cause: e });
}

function changing<T>(path: string, doing: string, op: () => T): T {
  try {
    return op();
  } catch (e) {
    throw asWriteError(e, path, doing);
  }
}

function reading<T>(path: string, doing: string, op: () => T): T {
  try {
    return op();
  } catch (e) {
    throw asReadError(e, path, doing);
  }
}

/**
 * Writes a checkpoint file all-or-nothing (temporary file, fsync, rename, directory fsync — see
 * `atomicWrite`). The temporary file is removed on failure and whatever was at `target` is untouched.
 */
export async function durableWrite(target: string, what: string, contents: Uint8Array | string): Promise<void> {
  try {
    await atomicWrite(target, (tmp) => writeFileSync(tmp, contents));
  } catch (e) {
    if (e instanceof ModelFileError) {
      // atomicWrite's own refusal (no such directory): a failed write all the same.
      const reason = e.message.startsWith(`'${target}': `) ? e.message.slice(target.length + 4) : e.message;
      throw new CheckpointWriteError(`'${target}': could not write the ${what}: ${reason}; the previous checkpoint is left intact`, { cause: e });
    }
    throw asWriteError(e, target, `write the ${what}`);
  }
}

export function makeDirectory(dir: string, what: string): void {
  changing(dir, `create the ${what}`, () => mkdirSync(dir, { recursive: true }));
}

/** Deletes a file (nothing to do if it is gone). */
export function removeFile(path: string, what: string): void {
  changing(path, `delete the ${what}`, () => rmSync(path, { force: true }));
}

/** Removes a directory if it is empty; false when it is not empty (the user keeps other files there). */
export function removeDirectoryIfEmpty(dir: string, what: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch (e) {
    const code = codeOf(e);
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOENT') return false;
    throw asWriteError(e, dir, `remove the ${what}`);
  }
}

export function renameFile(from: string, to: string, what: string): void {
  changing(from, `rename the ${what} to '${to}'`, () => renameSync(from, to));
}

/**
 * Creates `path` exclusively (O_EXCL) holding `text`, flushed to disk; false when it already exists.
 * Of several processes racing to create it, exactly one gets true.
 */
export function createExclusive(path: string, text: string, what: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if (codeOf(e) === 'EEXIST') return false;
    throw asWriteError(e, path, `create the ${what}`);
  }
  try {
    changing(path, `write the ${what}`, () => {
      writeSync(fd, text);
      fsyncSync(fd);
    });
  } finally {
    closeSync(fd);
  }
  return true;
}

/** File names in a directory (`doing` says why it is read, for the error). */
export function listDirectory(dir: string, what: string): string[] {
  return reading(dir, `list the ${what}`, () => readdirSync(dir));
}

export function readBytes(path: string, what: string): Uint8Array {
  return reading(path, `read the ${what}`, () => readFileSync(path));
}

/** The file's text, or null when it does not exist (ENOENT, or a part of the path is not a directory). */
export function readTextIfExists(path: string, what: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = codeOf(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw asReadError(e, path, `read the ${what}`);
  }
}

/** The file's stats, or undefined when nothing is there. */
export function statIfExists(path: string, what: string): Stats | undefined {
  return reading(path, `inspect the ${what}`, () => statSync(path, { throwIfNoEntry: false }));
}

/** Prepares writing the file `path`: its stats (undefined when new) and its directory created; failures name `path`. */
export function prepareWrite(path: string, what: string): Stats | undefined {
  return changing(path, `write the ${what}`, () => {
    const st = statSync(path, { throwIfNoEntry: false });
    mkdirSync(dirname(path), { recursive: true });
    return st;
  });
}

export function exists(path: string): boolean {
  return existsSync(path);
}

/** SHA-256 of a file's contents, read in 1 MiB chunks so large checkpoints need no second copy in memory. */
export function sha256File(path: string, what = 'checkpoint'): string {
  return reading(path, `read the ${what}`, () => {
    const hash = createHash('sha256');
    const fd = openSync(path, 'r');
    try {
      const chunk = Buffer.allocUnsafe(1 << 20);
      for (;;) {
        const n = readSync(fd, chunk, 0, chunk.length, null);
        if (n === 0) break;
        hash.update(chunk.subarray(0, n));
      }
    } finally {
      closeSync(fd);
    }
    return hash.digest('hex');
  });
}
