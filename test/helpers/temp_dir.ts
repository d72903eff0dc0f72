import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The tests' one temporary-directory helper: a fresh directory under the OS temp dir, a `path`
 * joiner, and `cleanup` to remove it with everything in it.
 *
 * ```ts
 * const t = tempDir('kiln-io-');
 * try { await model.save(t.path('m.keras')); } finally { t.cleanup(); }
 * ```
 */
export function tempDir(prefix = 'kiln-'): { dir: string; path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
