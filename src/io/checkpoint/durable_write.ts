import { atomicWrite } from '../atomic.js';
import { KilnError } from '../../errors.js';
import { CheckpointWriteError } from './errors.js';

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
};

/**
 * Writes a checkpoint file all-or-nothing (temporary file, fsync, rename, directory fsync — see
 * `atomicWrite`). A system failure becomes a CheckpointWriteError that names the file and the
 * reason; the temporary file is removed and whatever was at `target` before is untouched.
 */
export async function durableWrite(target: string, what: string, write: (tmpPath: string) => Promise<void> | void): Promise<void> {
  try {
    await atomicWrite(target, write);
  } catch (e) {
    throw asWriteError(e, target, what);
  }
}

/** Wraps a failed write in CheckpointWriteError (kiln errors other than write errors pass through unchanged). */
export function asWriteError(e: unknown, target: string, what: string): unknown {
  if (e instanceof CheckpointWriteError) return e;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (e instanceof KilnError && !code) return e;
  const reason = (code && REASONS[code]) ?? (e instanceof Error ? e.message : String(e));
  return new CheckpointWriteError(
    `'${target}': could not write the ${what}: ${reason}${code ? ` (${code})` : ''}; the previous checkpoint is left intact`,
    { cause: e },
  );
}
