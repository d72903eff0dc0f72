import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ModelFileError, fileMessage } from './errors.js';

/**
 * Writes a file all-or-nothing: `write` fills a temporary file in the target's directory (same file
 * system, so the final rename is atomic), which is flushed to disk (fsync) and then replaces the
 * target; the directory is flushed too, so the rename itself survives a power loss. If `write`
 * throws, the temporary file is removed and the target is left as it was.
 *
 * ```ts
 * await atomicWrite('model.h5', async (tmp) => { writeFileSync(tmp, bytes); });
 * ```
 */
export async function atomicWrite(target: string, write: (tmpPath: string) => Promise<void> | void): Promise<void> {
  const dir = dirname(target);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ModelFileError(fileMessage(target, `cannot be written: the directory '${dir}' does not exist`));
  }
  const tmp = tempPathBeside(target, 'tmp');
  try {
    await write(tmp);
    fsyncPath(tmp, 'r+');
    renameSync(tmp, target);
    fsyncDirectory(dir);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** A fresh hidden file name beside `target`: `.model.keras.<random>.<suffix>`. */
export function tempPathBeside(target: string, suffix: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.${suffix}`);
}

/** Flushes a file's (or a directory's) contents and metadata to disk. */
function fsyncPath(path: string, flags: 'r' | 'r+'): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Flushes a directory entry change; platforms that cannot open directories (Windows) skip it. */
function fsyncDirectory(dir: string): void {
  try {
    fsyncPath(dir, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw e;
  }
}
