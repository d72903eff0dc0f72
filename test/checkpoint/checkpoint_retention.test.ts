import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRetentionOptions, planRetention } from '../../src/checkpoint/retention.js';
import type { RetentionEntry } from '../../src/checkpoint/retention.js';

const H = 3_600_000;

/** Adds checkpoints one at a time and sweeps after each, as TF's CheckpointManager.save does. */
function simulate(hours: number[], maxToKeep: number | null, keepEveryNHours: number | null, protect?: (kept: RetentionEntry[]) => number | null) {
  let kept: RetentionEntry[] = [];
  const removed: number[] = [];
  let last = -1000; // TF: the manager's start time less one second
  hours.forEach((h, i) => {
    kept.push({ version: i + 1, time: h * H });
    const plan = planRetention(kept, { maxToKeep, keepEveryNHours, lastPreservedTime: last, protectVersion: protect?.(kept) ?? null });
    kept = plan.keep;
    last = plan.lastPreservedTime;
    removed.push(...plan.remove.map((e) => e.version));
  });
  return { kept, removed, last };
}

test('retention: maxToKeep keeps the newest N; null keeps everything', () => {
  const all = simulate([0, 1, 2, 3, 4], null, null);
  assert.deepEqual(all.kept.map((e) => e.version), [1, 2, 3, 4, 5]);
  assert.deepEqual(all.removed, []);
  const two = simulate([0, 1, 2, 3, 4], 2, null);
  assert.deepEqual(two.kept.map((e) => e.version), [4, 5]);
  assert.deepEqual(two.removed, [1, 2, 3]);
  // Order is by version (save order), not by a clock that may jump back.
  const plan = planRetention([{ version: 2, time: 0 }, { version: 1, time: 5 * H }], { maxToKeep: 1, keepEveryNHours: null, lastPreservedTime: 0 });
  assert.deepEqual(plan.remove.map((e) => e.version), [1]);
});

test('retention: keepEveryNHours preserves as TF _sweep does (timestamp - N h >= last preserved)', () => {
  // Hand-run of TF's _sweep with max_to_keep=1, keep_checkpoint_every_n_hours=1:
  // v1@0h leaves: 0h-1h < -1s → deleted; v2@0.5h: deleted; v3@1.0h: 1.0-1 >= -1s → preserved (ref 1.0h);
  // v4@1.5h: 0.5h < 1.0h → deleted; v5@2.0h: 1.0h >= 1.0h → preserved (ref 2.0h); v6@2.6h stays active.
  const r = simulate([0, 0.5, 1.0, 1.5, 2.0, 2.6], 1, 1);
  assert.deepEqual(r.kept.map((e) => [e.version, e.preserved === true]), [[3, true], [5, true], [6, false]]);
  assert.deepEqual(r.removed, [1, 2, 4]);
  assert.equal(r.last, 2.0 * H);
  // Preserved entries are never counted in the active set nor removed later.
  const later = planRetention([...r.kept, { version: 7, time: 2.7 * H }], { maxToKeep: 1, keepEveryNHours: 1, lastPreservedTime: r.last });
  assert.deepEqual(later.keep.map((e) => e.version), [3, 5, 7]);
  assert.deepEqual(later.remove.map((e) => e.version), [6]);
  // Without maxToKeep nothing leaves the active set, so nothing is preserved and the reference stays.
  const none = simulate([0, 1, 2, 3], null, 1);
  assert.ok(none.kept.every((e) => !e.preserved));
  assert.equal(none.last, -1000);
});

test('retention: the protected (best) checkpoint stays until a newer one is best', () => {
  // Best is v1 until v4 arrives; maxToKeep 2.
  const bestOf = (kept: RetentionEntry[]) => (kept.some((e) => e.version >= 4) ? 4 : 1);
  const r = simulate([0, 1, 2, 3, 4], 2, null, bestOf);
  // v1 survives the sweep after v3 (kept as best); once v4 is best, v1 and v2 both leave.
  assert.deepEqual(r.kept.map((e) => e.version), [4, 5]);
  assert.deepEqual(r.removed, [1, 2, 3]);
  const mid = simulate([0, 1, 2], 2, null, () => 1);
  assert.deepEqual(mid.kept.map((e) => e.version), [1, 2, 3]);
  assert.ok(mid.kept.every((e) => !e.preserved), 'kept as best, not preserved forever');
});

test('retention options are checked', () => {
  assert.equal(checkRetentionOptions('x', null, null), null);
  assert.equal(checkRetentionOptions('x', 3, 0.5), null);
  assert.match(checkRetentionOptions('x', 0, null)!, /maxToKeep must be a positive integer or null.*found 0/);
  assert.match(checkRetentionOptions('x', 2.5, null)!, /maxToKeep/);
  assert.match(checkRetentionOptions('x', null, -1)!, /keepEveryNHours must be a positive number.*found -1/);
  assert.match(checkRetentionOptions('x', null, '1' as unknown as number)!, /keepEveryNHours/);
});
