import type { TrainingEvent } from '../callbacks/training_event.js';
import type { ChartSpec } from './charts.js';
import type { EvaluationSection } from './evaluation_section.js';
import { flattenSettings, formatDate, formatDuration, formatNumber, formatValue } from './format.js';
import type { RunRecord } from './run_record.js';
import { curveBases, LEARNING_RATE_KEYS, trainingCharts } from './training_section.js';

/** A plain table: a title, column headers and rows of text. */
export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
}

/** Everything the page shows, as data; html.ts only lays it out. */
export interface PageModel {
  title: string;
  /** One line under the title: the model, when the run began, when the report was made. */
  subtitle: string;
  status: { text: string; tone: 'ok' | 'running' | 'warning' | 'error' };
  /** Key numbers, shown as cards. */
  facts: [string, string][];
  trainingCharts: ChartSpec[];
  trainingNotes: string[];
  events: TrainingEvent[];
  evaluation: EvaluationSection | null;
  summary: string | null;
  settings: Table[];
  epochTable: Table | null;
}

export interface PageInput {
  run: RunRecord;
  title?: string;
  summary?: string;
  evaluation: EvaluationSection | null;
  now: Date;
}

export function pageModel({ run, title, summary, evaluation, now }: PageInput): PageModel {
  const model = run.model;
  const name = model?.name ?? 'model';
  const training = trainingCharts(run);
  const started = run.startTime !== null && !Number.isNaN(Date.parse(run.startTime)) ? formatDate(new Date(run.startTime)) : null;
  const subtitle = [
    `model ${name}${model?.className ? ` (${model.className})` : ''}`,
    started ? `run started ${started}` : null,
    `report generated ${formatDate(now)}`,
  ].filter((s) => s !== null).join(' · ');
  const trainingNotes: string[] = [];
  if (run.epochs.length === 0) trainingNotes.push('No epoch has been logged yet.');
  if (training.skipped.length > 0) trainingNotes.push(`Not drawn (one value per class): ${training.skipped.join(', ')}; see the per-epoch table.`);
  if (run.truncated) trainingNotes.push('The run record ends in a line still being written; it was skipped.');
  return {
    title: title ?? `Training report: ${name}`,
    subtitle,
    status: statusOf(run),
    facts: facts(run),
    trainingCharts: [...training.curves, ...(training.learningRate ? [training.learningRate] : [])],
    trainingNotes,
    events: run.events,
    evaluation,
    summary: summary ?? model?.summary ?? null,
    settings: settingsTables(run),
    epochTable: epochTable(run),
  };
}

function statusOf(run: RunRecord): PageModel['status'] {
  const planned = typeof run.params['epochs'] === 'number' ? run.params['epochs'] : null;
  const done = run.epochs.length;
  switch (run.status) {
    case 'running':
      return { text: `running: ${done}${planned ? ` of ${planned}` : ''} epochs logged`, tone: 'running' };
    case 'stopped':
      return { text: `stopped early after ${done} epochs${planned ? ` of ${planned}` : ''}`, tone: 'warning' };
    case 'aborted':
      return { text: `aborted after ${done} epochs${run.abortError ? `: ${run.abortError}` : ''}`, tone: 'error' };
    default:
      return { text: `finished: ${done} epochs`, tone: 'ok' };
  }
}

function lastFinite(run: RunRecord, key: string): { value: number; epoch: number } | null {
  for (let i = run.epochs.length - 1; i >= 0; i--) {
    const v = run.epochs[i]!.logs[key];
    if (typeof v === 'number' && Number.isFinite(v)) return { value: v, epoch: run.epochs[i]!.epoch };
  }
  return null;
}

function best(run: RunRecord, key: string): { value: number; epoch: number } | null {
  let out: { value: number; epoch: number } | null = null;
  for (const e of run.epochs) {
    const v = e.logs[key];
    if (typeof v === 'number' && Number.isFinite(v) && (out === null || v < out.value)) out = { value: v, epoch: e.epoch };
  }
  return out;
}

function facts(run: RunRecord): [string, string][] {
  const out: [string, string][] = [];
  const planned = typeof run.params['epochs'] === 'number' ? run.params['epochs'] : null;
  out.push(['epochs', `${run.epochs.length}${planned !== null ? ` / ${planned}` : ''}`]);
  if (run.durationSeconds !== null) out.push(['training time', formatDuration(run.durationSeconds)]);
  for (const key of ['loss', 'val_loss']) {
    const last = lastFinite(run, key);
    if (last) out.push([`final ${key}`, formatNumber(last.value)]);
  }
  const bestVal = best(run, 'val_loss');
  if (bestVal) out.push(['best val_loss', `${formatNumber(bestVal.value)} (epoch ${bestVal.epoch + 1})`]);
  const errors = run.events.filter((e) => e.severity === 'error').length;
  out.push(['monitor events', run.events.length === 0 ? 'none' : `${run.events.length} (${errors} error${errors === 1 ? '' : 's'})`]);
  return out;
}

function settingsTables(run: RunRecord): Table[] {
  const tables: Table[] = [];
  const m = run.model;
  if (m) {
    const rows: string[][] = [];
    if (m.name !== undefined) rows.push(['name', m.name]);
    if (m.className !== undefined) rows.push(['class', m.className]);
    if (m.params?.total !== undefined) rows.push(['parameters', formatValue(m.params.total)]);
    if (m.params?.trainable !== undefined) rows.push(['trainable parameters', formatValue(m.params.trainable)]);
    if (m.loss !== undefined) rows.push(['loss', formatValue(m.loss)]);
    if (m.metrics !== undefined) rows.push(['metrics', m.metrics.length > 0 ? m.metrics.join(', ') : '—']);
    if (m.optimizer) rows.push(...flattenSettings(m.optimizer, 'optimizer'));
    if (rows.length > 0) tables.push({ title: 'Model and compile settings', columns: ['setting', 'value'], rows });
  }
  const runRows: string[][] = [['status', run.status]];
  if (run.startTime) runRows.push(['started', run.startTime]);
  if (run.durationSeconds !== null) runRows.push(['training time', formatDuration(run.durationSeconds)]);
  if (run.segments > 1) runRows.push(['segments', `${run.segments} (resumed ${run.segments - 1}×)`]);
  if (run.source) runRows.push(['run record', run.source]);
  runRows.push(...flattenSettings(run.params));
  tables.push({ title: 'Run', columns: ['setting', 'value'], rows: runRows });
  const fit = flattenSettings(run.settings);
  if (fit.length > 0) tables.push({ title: 'Fit settings', columns: ['option', 'value'], rows: fit });
  return tables;
}

/** Every logged value per epoch, arrays included (per-class metrics). */
function epochTable(run: RunRecord): Table | null {
  if (run.epochs.length === 0) return null;
  const keys: string[] = [];
  for (const e of run.epochs) for (const k of Object.keys(e.logs)) if (!keys.includes(k)) keys.push(k);
  const { bases } = curveBases(run);
  // Curve keys in chart order (each with its val_ twin), then the rest as logged.
  const ordered = [...bases.flatMap((b) => [b, `val_${b}`]), ...LEARNING_RATE_KEYS].filter((k) => keys.includes(k));
  const columns = [...ordered, ...keys.filter((k) => !ordered.includes(k))];
  const hasTime = run.epochs.some((e) => e.elapsed !== undefined);
  return {
    title: 'Per-epoch logs',
    columns: ['epoch', ...(hasTime ? ['elapsed'] : []), ...columns],
    rows: run.epochs.map((e) => [
      String(e.epoch + 1),
      ...(hasTime ? [e.elapsed !== undefined ? formatDuration(e.elapsed) : ''] : []),
      ...columns.map((k) => (k in e.logs ? cell(e.logs[k]) : '')),
    ]),
  };
}

function cell(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(cell).join(', ')}]`;
  return typeof v === 'number' || v === null ? formatNumber(v as number | null) : formatValue(v);
}
