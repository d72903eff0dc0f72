import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ModelFileError, fileMessage } from './errors.js';

/** Options of {@link atomicWrite}. */
export interface AtomicWriteOptions {
  /**
   * Create the target's missing parent directories first, as tfjs's file handler does (`model.save`
   * and every other io writer). Default false: the target's directory must exist (checkpoint files,
   * whose directory disappearing mid-run is a failure to report).
   */
  makeParents?: boolean;
}

/**
 * Writes a file all-or-nothing: `write` fills a temporary file in the target's directory (same file
 * system, so the final rename is atomic), which is flushed to disk (fsync) and then replaces the
 * target; the directory is flushed too, so the rename itself survives a power loss. If `write`
 * throws, the temporary file is removed and the target is left as it was. A directory that is
 * missing (without `makeParents`) or cannot be created is a ModelFileError naming the target.
 *
 * ```ts
 * await atomicWrite('out/model.h5', async (tmp) => { writeFileSync(tmp, bytes); }, { makeParents: true });
 * ```
 */
export async function atomicWrite(target: string, write: (tmpPath: string) => Promise<void> | void, options: AtomicWriteOptions = {}): Promise<void> {
  const dir = dirname(target);
  if (options.makeParents) makeDirectory(target, dir);
  else if (!existsSync(dir) || !statSync(dir).isDirectory()) {
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

/** `mkdir -p dir` for writing `target`; a file in the way, or no permission, is a ModelFileError naming both. */
function makeDirectory(target: string, dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    if (statSync(dir).isDirectory()) return;
  } catch (e) {
    const blocker = fileInTheWay(dir);
    const code = (e as NodeJS.ErrnoException).code;
    const why = blocker ? `'${blocker}' is a file, not a directory` : `the directory '${dir}' cannot be created${code ? ` (${code})` : ''}`;
    throw new ModelFileError(fileMessage(target, `cannot be written: ${why}`));
  }
  throw new ModelFileError(fileMessage(target, `cannot be written: '${dir}' is a file, not a directory`));
}

/** The nearest existing ancestor of `dir` (itself included) when it is not a directory. */
function fileInTheWay(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(d)) return statSync(d).isDirectory() ? undefined : d;
    if (dirname(d) === d) return undefined;
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
