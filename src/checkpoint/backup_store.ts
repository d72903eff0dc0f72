import { join } from 'node:path';
import type { TrainingSnapshot } from '../callbacks/training_loop.js';
import { durableWrite, listDirectory, readBytes, removeFile } from './checkpoint_fs.js';
import { CheckpointError, CorruptCheckpointError } from './errors.js';
import { decodeSnapshot, encodeSnapshot } from './snapshot_codec.js';

const BACKUP_NAME = /^backup-(\d{12})\.kbak$/;
/** Temporary files of a write that never finished (see atomicWrite's naming). */
const LEFTOVER_TEMP = /^\.backup-\d{12}\.kbak\.[0-9a-f]+\.tmp$/;

/** A backup file found on disk, with its position key (larger = later). */
export interface BackupFile {
  path: string;
  key: number;
}

/**
 * The backups of one training run in one directory: `backup-<key>.kbak` files, where the key orders
 * them by training progress (global step × 2, +1 at an epoch end, which follows the last batch's).
 * A new backup is made durable before older ones are deleted, and the newest `keep` are kept, so a
 * valid backup exists at every moment after the first one was written.
 */
export class BackupStore {
  private pruneWarned = false;

  constructor(readonly dir: string, readonly keep = 2) {}

  /** Backups on disk, newest first. */
  list(): BackupFile[] {
    return listDirectory(this.dir, 'backup directory')
      .flatMap((name) => {
        const m = BACKUP_NAME.exec(name);
        return m ? [{ path: join(this.dir, name), key: Number(m[1]) }] : [];
      })
      .sort((a, b) => b.key - a.key);
  }

  /** Writes a snapshot durably, then deletes backups beyond the newest `keep`. Returns its path. */
  async write(snapshot: TrainingSnapshot): Promise<string> {
    const { globalStep, stepsDone } = snapshot.position;
    const key = globalStep * 2 + (stepsDone === 0 ? 1 : 0);
    const path = join(this.dir, `backup-${String(key).padStart(12, '0')}.kbak`);
    const bytes = encodeSnapshot(snapshot);
    await durableWrite(path, 'training backup', bytes);
    this.prune();
    return path;
  }

  /**
   * Deletes backups beyond the newest `keep`. A failure here is only a warning, as for old
   * checkpoints in checkpointManager: the new backup is already durable, an extra old one harms
   * nothing, and the next backup write (which needs the same directory) stops training with a
   * CheckpointWriteError if the directory really became unwritable.
   */
  private prune(): void {
    try {
      for (const old of this.list().slice(this.keep)) removeFile(old.path, 'old training backup');
    } catch (e) {
      if (!(e instanceof CheckpointError)) throw e;
      if (!this.pruneWarned) console.warn(`kiln: ${e.message.replace(/; the previous checkpoint is left intact$/, '')}; older backups are kept for now`);
      this.pruneWarned = true;
    }
  }

  /**
   * The newest backup that reads back intact. Each damaged newer one is reported through `warn`
   * (which file, what is wrong, which one is used instead). Null when the directory holds none;
   * CorruptCheckpointError when backups exist but none is intact (restarting from scratch silently
   * would throw the run away).
   */
  latestValid(warn: (msg: string) => void): { snapshot: TrainingSnapshot; path: string } | null {
    const files = this.list();
    const problems: string[] = [];
    for (const f of files) {
      let bytes: Uint8Array;
      try {
        bytes = readBytes(f.path, 'training backup');
      } catch (e) {
        // Unreadable (a directory in its place, EIO, EACCES): as useless as a damaged one, but say why.
        if (!(e instanceof CheckpointError)) throw e;
        problems.push(`'${f.path}': cannot be read (${((e.cause as Error | undefined) ?? e).message})`);
        continue;
      }
      try {
        const snapshot = decodeSnapshot(f.path, bytes);
        for (const p of problems) warn(`kiln: backup ${p}; restoring the previous backup '${f.path}' instead`);
        return { snapshot, path: f.path };
      } catch (e) {
        if (!(e instanceof CorruptCheckpointError)) throw e;
        problems.push(e.message);
      }
    }
    if (files.length === 0) return null;
    throw new CorruptCheckpointError(
      `'${this.dir}': no intact backup to resume from: ${problems.join('; ')}. Delete the directory to start training from scratch.`,
    );
  }

  /** Removes temporary files that a killed write left behind (never a finished backup). */
  removeLeftovers(): void {
    for (const name of listDirectory(this.dir, 'backup directory')) {
      if (LEFTOVER_TEMP.test(name)) removeFile(join(this.dir, name), 'temporary file of an interrupted backup');
    }
  }

  /**
   * Deletes every backup (training finished). True when all are gone. A failure is a warning, not an
   * error: training has already succeeded, and rejecting `fit` now would throw its result away.
   */
  clear(): boolean {
    try {
      this.removeLeftovers();
      for (const f of this.list()) removeFile(f.path, 'training backup');
      return true;
    } catch (e) {
      if (!(e instanceof CheckpointError)) throw e;
      console.warn(`kiln: training finished, but ${e.message.replace(/; the previous checkpoint is left intact$/, '')}; the backups in '${this.dir}' stay`);
      return false;
    }
  }
}
