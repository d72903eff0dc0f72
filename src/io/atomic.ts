import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ModelFileError, fileMessage } from './errors.js';

/**
 * Writes a file all-or-nothing: `write` fills a temporary file in the target's directory (same file
 * system, so the final rename is atomic), which then replaces the target. If `write` throws, the
 * temporary file is removed and the target is left as it was.
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
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** A fresh hidden file name beside `target`: `.model.keras.<random>.<suffix>`. */
export function tempPathBeside(target: string, suffix: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.${suffix}`);
}
