/** What the retention policy needs to know about one checkpoint. */
export interface RetentionEntry {
  version: number;
  /** When it was saved, ms since the Unix epoch. */
  time: number;
  /** Already kept forever by keepEveryNHours. */
  preserved?: boolean;
}

/** The policy: TensorFlow's `CheckpointManager(max_to_keep, keep_checkpoint_every_n_hours)`. */
export interface RetentionPolicy {
  /** Size of the active set (newest checkpoints); null keeps everything. */
  maxToKeep: number | null;
  /** A checkpoint leaving the active set is kept forever when it is this many hours newer than the last one kept that way. */
  keepEveryNHours: number | null;
  /** Time (ms) of the last checkpoint kept by keepEveryNHours, or the manager's start time. */
  lastPreservedTime: number;
  /** Version of the current best checkpoint, never deleted (kiln's addition, so `restore('best')` keeps working). */
  protectVersion?: number | null;
}

/** The decision for every entry: what stays (with its updated `preserved` flag) and what goes. */
export interface RetentionPlan<E extends RetentionEntry> {
  keep: E[];
  remove: E[];
  lastPreservedTime: number;
}

const HOUR_MS = 3_600_000;

/**
 * Decides which checkpoints to delete, as TensorFlow's `CheckpointManager._sweep` does: the
 * preserved ones are never touched; of the others (the active set), the newest `maxToKeep` stay;
 * each older one, oldest first, is preserved for good if it is at least `keepEveryNHours` newer
 * than the last preserved time (which then moves to it), and otherwise removed. kiln adds one rule:
 * the entry named by `protectVersion` (the current best) is kept, still active, so a later sweep
 * deletes it once a newer checkpoint beats it. A pure function: the manager does the deleting.
 *
 * ```ts
 * const plan = planRetention(entries, { maxToKeep: 5, keepEveryNHours: 1, lastPreservedTime: t0 });
 * for (const e of plan.remove) rmSync(join(dir, e.file));
 * ```
 */
export function planRetention<E extends RetentionEntry>(entries: readonly E[], policy: RetentionPolicy): RetentionPlan<E> {
  const { maxToKeep, keepEveryNHours } = policy;
  let lastPreservedTime = policy.lastPreservedTime;
  // TF: with no max_to_keep everything stays active and the preserved time does not move.
  if (maxToKeep === null) return { keep: [...entries], remove: [], lastPreservedTime };
  // Versions count saves, so they order checkpoints as TF's insertion-ordered dict does (a clock may jump).
  const ordered = [...entries].sort((a, b) => a.version - b.version);
  const active = ordered.filter((e) => !e.preserved);
  const leaving = new Set(active.slice(0, Math.max(0, active.length - maxToKeep)));
  const keep: E[] = [];
  const remove: E[] = [];
  for (const e of ordered) {
    if (!leaving.has(e)) {
      keep.push(e);
    } else if (keepEveryNHours && e.time - keepEveryNHours * HOUR_MS >= lastPreservedTime) {
      lastPreservedTime = e.time;
      keep.push({ ...e, preserved: true });
    } else if (policy.protectVersion !== undefined && policy.protectVersion !== null && e.version === policy.protectVersion) {
      keep.push(e);
    } else {
      remove.push(e);
    }
  }
  return { keep, remove, lastPreservedTime };
}

/** Checks a maxToKeep / keepEveryNHours option: a positive integer / positive number, or null. */
export function checkRetentionOptions(owner: string, maxToKeep: unknown, keepEveryNHours: unknown): string | null {
  if (maxToKeep !== null && maxToKeep !== undefined && !(typeof maxToKeep === 'number' && Number.isInteger(maxToKeep) && maxToKeep > 0)) {
    return `${owner}: maxToKeep must be a positive integer or null (keep all), found ${JSON.stringify(maxToKeep)}`;
  }
  if (keepEveryNHours !== null && keepEveryNHours !== undefined && !(typeof keepEveryNHours === 'number' && Number.isFinite(keepEveryNHours) && keepEveryNHours > 0)) {
    return `${owner}: keepEveryNHours must be a positive number of hours or null, found ${JSON.stringify(keepEveryNHours)}`;
  }
  return null;
}
