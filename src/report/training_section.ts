import type { TrainingEvent } from '../callbacks/training_event.js';
import type { ChartSpec, EventMark, Point } from './charts.js';
import { curveChart, learningRateChart } from './charts.js';
import { wrap } from './format.js';
import type { RecordValue, RunRecord } from './run_record.js';

/** Log keys that hold the learning rate, in the order they are looked for. */
export const LEARNING_RATE_KEYS = ['learning_rate', 'lr'];

/** The training charts: one per metric base name (train with val_), then the learning rate. */
export interface TrainingCharts {
  curves: ChartSpec[];
  learningRate: ChartSpec | null;
  /** Logged keys not drawn because they hold arrays (per-class metrics) — they are in the epoch table only. */
  skipped: string[];
}

/** Scalar log keys and their base names (`val_loss` → `loss`), `loss` first, then in logging order. */
export function curveBases(run: RunRecord): { bases: string[]; skipped: string[] } {
  const seen: string[] = [];
  const skipped = new Set<string>();
  for (const { logs } of run.epochs) {
    for (const [key, v] of Object.entries(logs)) {
      if (LEARNING_RATE_KEYS.includes(key)) continue;
      if (Array.isArray(v)) {
        skipped.add(key);
        continue;
      }
      const base = key.startsWith('val_') ? key.slice(4) : key;
      if (!seen.includes(base)) seen.push(base);
    }
  }
  const bases = seen.filter((b) => ![...skipped].includes(b) && ![...skipped].includes(`val_${b}`));
  bases.sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : 0));
  return { bases, skipped: [...skipped] };
}

function scalar(v: RecordValue | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** One point per epoch (x 1-based); a missing or non-finite value is a gap. Null when the key never appears. */
function series(run: RunRecord, key: string): Point[] | null {
  if (!run.epochs.some((e) => key in e.logs)) return null;
  return run.epochs.map((e) => ({ x: e.epoch + 1, y: scalar(e.logs[key]) }));
}

/** Batch values placed inside their epoch: batch b of epoch e (0-based) at x = e + (b + 1) / steps. */
function batchSeries(run: RunRecord, key: string): Point[] {
  const declared = typeof run.params['steps'] === 'number' && run.params['steps'] > 0 ? run.params['steps'] : null;
  const perEpoch = new Map<number, number>();
  for (const b of run.batches) perEpoch.set(b.epoch, Math.max(perEpoch.get(b.epoch) ?? 0, b.batch + 1));
  return run.batches
    .filter((b) => key in b.logs)
    .map((b) => ({ x: b.epoch + (b.batch + 1) / (declared ?? perEpoch.get(b.epoch) ?? 1), y: scalar(b.logs[key]) }));
}

/** The tooltip of an event marker: what, where, the message and the remedy. */
export function eventNote(e: TrainingEvent): string[] {
  const where = [`${e.severity}: ${e.kind}`];
  if (e.step !== null && e.step !== undefined) where.push(`step ${e.step + 1}`);
  if (e.layer) where.push(`layer ${e.layer}`);
  return [where.join(' · '), ...wrap(e.message), ...wrap(`→ ${e.remedy}`)];
}

/** Events about the validation data, marked on the validation curve when there is one. */
const VALIDATION_KINDS = new Set(['overfitting', 'validation_missing_class']);

/** Events placed on a curve at their epoch, at the curve's value there (or the last one before). */
function eventMarks(events: TrainingEvent[], train: Point[] | null, val: Point[] | null): EventMark[] {
  const marks: EventMark[] = [];
  for (const e of events) {
    if (!(e.epoch >= 0)) continue; // before training: in the table only
    const curve = (VALIDATION_KINDS.has(e.kind) ? val ?? train : train ?? val) ?? [];
    const x = e.epoch + 1;
    const before = curve.filter((p) => p.x <= x && p.y !== null);
    const at = before.length > 0 ? before[before.length - 1]! : curve.find((p) => p.y !== null);
    if (at === undefined || at.y === null) continue;
    marks.push({ x, y: at.y, severity: e.severity === 'error' ? 'error' : 'warning', note: eventNote(e) });
  }
  return marks;
}

export function trainingCharts(run: RunRecord): TrainingCharts {
  const { bases, skipped } = curveBases(run);
  const lastEpoch = run.epochs.length > 0 ? run.epochs[run.epochs.length - 1]!.epoch + 1 : 1;
  const curves = bases.map((base, i) => {
    const train = series(run, base);
    const val = series(run, `val_${base}`);
    const events = i === 0 ? eventMarks(run.events, train, val) : [];
    const batches = batchSeries(run, base);
    const unmarked = i === 0 ? run.events.length - events.length : 0;
    const caption = [
      train && val ? `train (solid) against validation (dashed)` : val ? 'validation only' : 'training only (no validation data)',
      batches.length > 0 ? 'faint: per-batch values' : '',
      events.length > 0 ? `${events.length} monitor event${events.length === 1 ? '' : 's'} marked; hover for message and remedy` : '',
      unmarked > 0 ? `${unmarked} event${unmarked === 1 ? ' (before training or off the curve) is' : 's (before training or off the curve) are'} in the table only` : '',
    ].filter((s) => s !== '').join(' · ');
    return curveChart(`chart-curve-${i}`, base, train, val, lastEpoch, { batches, events, caption });
  });
  const lrKey = LEARNING_RATE_KEYS.find((k) => run.epochs.some((e) => typeof e.logs[k] === 'number'));
  const lrPoints = lrKey === undefined ? null : series(run, lrKey);
  return {
    curves,
    learningRate: lrKey !== undefined && lrPoints ? learningRateChart('chart-lr', lrKey, lrPoints, lastEpoch) : null,
    skipped,
  };
}
