import { KilnError } from '../errors.js';

/**
 * A checkpoint or backup cannot be written, read or used. Every message names the file or
 * directory and says what was expected versus found.
 *
 * ```ts
 * try { await mgr.restore('latest'); }
 * catch (e) { if (e instanceof kiln.CheckpointError) console.error(e.message); }
 * ```
 */
export class CheckpointError extends KilnError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

/** A checkpoint file is torn, truncated or fails its checksum; its manifest or index does not match it. */
export class CorruptCheckpointError extends CheckpointError {}

/** No checkpoint matches what was asked for ('best' without a monitored value, an unknown version…). */
export class CheckpointNotFoundError extends CheckpointError {}

/** Another live process holds the backup directory's lock file. */
export class CheckpointLockedError extends CheckpointError {}

/**
 * Saving a checkpoint failed (disk full, permission denied, file too large…). The previous
 * checkpoint is left intact; `cause` holds the system error.
 */
export class CheckpointWriteError extends CheckpointError {}
