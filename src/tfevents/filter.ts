import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EventFileError } from '../errors.js';
import type { DecodedEvent } from './event.js';
import { readEventFile } from './event_reader.js';

/**
 * Rewrites an event file keeping only the records `keep` accepts, and returns how many it removed.
 * The first record is always kept when it is the file_version record (TensorBoard identifies the
 * file by it). Kept records are copied byte for byte; a truncated last record is dropped too (it
 * is not counted). When nothing would change the file is left untouched.
 *
 * The rewrite is atomic: a temporary file beside it is written, flushed to disk and renamed over
 * it, so a crash leaves either the old file or the new one. The temporary name does not contain
 * `tfevents`, so neither TensorBoard nor readEvents would take a leftover one for an event file.
 * Call it only on a file no EventFileWriter has open (a writer would go on appending to the old,
 * replaced file).
 *
 * The TensorBoard callback uses it when a run resumes from a backup, to drop the summaries written
 * after the backup point, so that step numbers never repeat.
 *
 * ```ts
 * const removed = kiln.filterEventFile(file, (e) => e.step <= lastSavedEpoch);
 * ```
 */
export function filterEventFile(path: string, keep: (e: DecodedEvent) => boolean): number {
  const { events, records, warning, bytes } = readEventFile(path);
  const kept = records.filter((_, i) => (i === 0 && events[0]!.fileVersion !== undefined) || keep(events[i]!));
  const removed = records.length - kept.length;
  if (removed === 0 && warning === null) return 0;

  const dir = dirname(path);
  const tmp = join(dir, `.kiln-events-filter-${process.pid}.tmp`);
  try {
    const fd = openSync(tmp, 'w');
    try {
      for (const r of kept) {
        let done = 0;
        while (done < r.size) done += writeSync(fd, bytes, r.offset + done, r.size - done);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new EventFileError(`'${path}': cannot be rewritten (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  syncDirectory(dir);
  return removed;
}

/** Makes the rename itself durable; not every platform can fsync a directory, which is then skipped. */
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Windows cannot open a directory; the rename is still atomic there.
  }
}
