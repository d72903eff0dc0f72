// Chart.js configurations of the report, as plain JSON (the page embeds them as data; the small
// script in the page adds the tooltip and tick callbacks, which JSON cannot carry). Every chart
// has axis titles, a legend at the bottom and no animation, so a screenshot shows it drawn.

/** A point; `note` lines replace the tooltip's default label for it. */
export interface Point {
  x: number;
  y: number | null;
  note?: string[];
}

/** One chart: where it goes, what it is called, and its Chart.js config. */
export interface ChartSpec {
  /** The canvas id. */
  id: string;
  title: string;
  /** A line under the chart (what is drawn, what was left out). */
  caption?: string;
  /** 'epoch': x is the 1-based epoch (integer ticks, "Epoch N" tooltips); 'xy': a scatter of pairs; 'bar': a histogram. */
  kind: 'epoch' | 'xy' | 'bar';
  config: { type: 'line' | 'scatter' | 'bar'; data: { labels?: string[]; datasets: Record<string, unknown>[] }; options: Record<string, unknown> };
}

/** tab10, the matplotlib palette: distinct and familiar. */
export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const TRAIN = PALETTE[0]!;
const VAL = PALETTE[1]!;
const GRAY = '#888888';
const WARNING = '#e69f00';
const ERROR = '#c0392b';

/** The most points a curve or scatter carries into the page; beyond it, evenly spaced ones are kept. */
export const MAX_CURVE_POINTS = 600;
export const MAX_SCATTER_POINTS = 3000;

function axis(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { title: { display: true, text: title, font: { size: 13, weight: 'bold' } }, ...extra };
}

function baseOptions(x: Record<string, unknown>, y: Record<string, unknown>, interaction: Record<string, unknown> = { mode: 'nearest', intersect: false }): Record<string, unknown> {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    interaction,
    scales: { x, y },
    plugins: { legend: { position: 'bottom', labels: { usePointStyle: true, boxHeight: 8 } } },
  };
}

/** Log scale when positive values span more than two decades (a loss that fell from 10 to 0.01). */
function valueAxis(title: string, values: (number | null)[]): Record<string, unknown> {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const [min, max] = extent(finite);
  const log = finite.length > 1 && min > 0 && max / min > 100;
  return axis(log ? `${title} (log scale)` : title, { type: log ? 'logarithmic' : 'linear' });
}

/** x is the 1-based epoch; from 0 (the start of training) when batch values fill the first epoch. */
function epochAxis(lastEpoch: number, fromZero = false): Record<string, unknown> {
  const max = Math.max(lastEpoch, 2);
  return axis('epoch', { type: 'linear', min: fromZero ? 0 : 1, max, ticks: { stepSize: niceStep(max / 12) } });
}

/** 1, 2, 5, 10, 20, 50, … at least `raw` (with `fractional`, also 0.1, 0.2, 0.5, …). */
function niceStep(raw: number, fractional = false): number {
  if (raw <= 1 && !fractional) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

function line(label: string, color: string, data: Point[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const radius = data.length <= 60 ? 3 : 0;
  return {
    label, data, borderColor: color, backgroundColor: color, borderWidth: 2, pointRadius: radius, pointHoverRadius: 5,
    pointHitRadius: 6, tension: 0, spanGaps: false, clip: 8, ...extra,
  };
}

/** A monitor event drawn on a curve. */
export interface EventMark {
  x: number;
  y: number;
  severity: 'error' | 'warning';
  note: string[];
}

/** Train against validation for one metric, with the batch values faintly and the monitor's events as markers. */
export function curveChart(
  id: string,
  base: string,
  train: Point[] | null,
  val: Point[] | null,
  lastEpoch: number,
  options: { batches?: Point[]; events?: EventMark[]; caption?: string } = {},
): ChartSpec {
  const datasets: Record<string, unknown>[] = [];
  if (train) datasets.push(line(base, TRAIN, train));
  if (val) datasets.push(line(`val_${base}`, VAL, val, { borderDash: [6, 4], pointStyle: 'rect' }));
  const hasBatches = options.batches !== undefined && options.batches.length > 0;
  if (hasBatches) {
    datasets.push(line(`${base} (per batch)`, 'rgba(31, 119, 180, 0.35)', thin(options.batches!, MAX_SCATTER_POINTS), { borderWidth: 1, pointRadius: 0, pointHitRadius: 0, kilnQuiet: true }));
  }
  for (const severity of ['error', 'warning'] as const) {
    const marks = (options.events ?? []).filter((e) => e.severity === severity);
    if (marks.length === 0) continue;
    datasets.push({
      label: severity === 'error' ? 'monitor error' : 'monitor warning',
      data: marks.map((m) => ({ x: m.x, y: m.y, note: m.note })),
      showLine: false,
      pointStyle: severity === 'error' ? 'rectRot' : 'triangle',
      pointRadius: 9,
      pointHoverRadius: 11,
      borderWidth: 2,
      borderColor: severity === 'error' ? '#7b241c' : '#8a5a00',
      backgroundColor: severity === 'error' ? ERROR : WARNING,
      clip: 12,
      order: -1,
    });
  }
  const values = [...(train ?? []), ...(val ?? [])].map((p) => p.y);
  return {
    id, title: base, kind: 'epoch', ...(options.caption ? { caption: options.caption } : {}),
    config: { type: 'line', data: { datasets }, options: baseOptions(epochAxis(lastEpoch, hasBatches), valueAxis(base, values), { mode: 'x', intersect: false }) },
  };
}

export function learningRateChart(id: string, key: string, points: Point[], lastEpoch: number): ChartSpec {
  return {
    id, title: 'learning rate', kind: 'epoch', caption: `logged as '${key}' at the end of each epoch`,
    config: {
      type: 'line',
      data: { datasets: [line('learning rate', PALETTE[2]!, points, { stepped: false })] },
      options: baseOptions(epochAxis(lastEpoch), valueAxis('learning rate', points.map((p) => p.y)), { mode: 'x', intersect: false }),
    },
  };
}

/** One named curve of a ROC or PR chart. */
export interface NamedCurve {
  label: string;
  points: Point[];
}

function unitAxis(title: string): Record<string, unknown> {
  return axis(title, { type: 'linear', min: 0, max: 1, ticks: { stepSize: 0.1 } });
}

export function rocChart(id: string, curves: NamedCurve[], caption: string): ChartSpec {
  const datasets = curves.map((c, i) => line(c.label, PALETTE[i % PALETTE.length]!, thin(c.points, MAX_CURVE_POINTS), { showLine: true, pointRadius: 0 }));
  datasets.push(reference('chance (AUC = 0.5)', GRAY, [{ x: 0, y: 0 }, { x: 1, y: 1 }]));
  return {
    id, title: 'ROC curve', kind: 'xy', caption,
    config: { type: 'scatter', data: { datasets }, options: baseOptions(unitAxis('false positive rate'), unitAxis('true positive rate')) },
  };
}

export function prChart(id: string, curves: NamedCurve[], caption: string, baseline: number | null): ChartSpec {
  const datasets = curves.map((c, i) => line(c.label, PALETTE[i % PALETTE.length]!, thin(c.points, MAX_CURVE_POINTS), { showLine: true, pointRadius: 0, stepped: 'after' }));
  if (baseline !== null) {
    datasets.push(reference(`chance (precision = ${baseline.toFixed(2)})`, GRAY, [{ x: 0, y: baseline }, { x: 1, y: baseline }]));
  }
  return {
    id, title: 'precision-recall curve', kind: 'xy', caption,
    config: { type: 'scatter', data: { datasets }, options: baseOptions(unitAxis('recall'), unitAxis('precision')) },
  };
}

/** A dashed reference line (chance, y = x, zero): a line in the legend too. */
function reference(label: string, color: string, data: Point[]): Record<string, unknown> {
  return line(label, color, data, { showLine: true, pointRadius: 0, pointHitRadius: 0, pointStyle: 'line', borderDash: [6, 4], borderWidth: 1.5, kilnQuiet: true });
}

function scatter(label: string, points: Point[]): Record<string, unknown> {
  return { label, data: points, borderColor: 'rgba(31, 119, 180, 0.8)', backgroundColor: 'rgba(31, 119, 180, 0.35)', pointRadius: 3, pointHoverRadius: 5, borderWidth: 1 };
}

/** [min, max] by a loop: spreading a large array into Math.min overflows the call stack. */
function extent(values: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** The values' range widened to round numbers (multiples of a 1-2-5 step), so the end ticks read well. */
function paddedRange(values: number[]): [number, number] {
  const [lo, hi] = extent(values);
  const span = hi > lo ? hi - lo : Math.max(Math.abs(hi), 1);
  const step = niceStep(span / 8, true);
  const nlo = Math.floor(lo / step) * step;
  const nhi = Math.ceil(hi / step) * step;
  // Round away float noise (0.30000000000000004) so tick labels stay short.
  const clean = (v: number) => Number(v.toPrecision(12));
  return nlo === nhi ? [clean(nlo - step), clean(nhi + step)] : [clean(nlo), clean(nhi)];
}

export function predictedActualChart(id: string, actual: number[], predicted: number[], caption: string): ChartSpec {
  const [lo, hi] = paddedRange([...actual, ...predicted]);
  const points = thin(actual.map((a, i) => ({ x: a, y: predicted[i]! })), MAX_SCATTER_POINTS);
  const datasets = [
    scatter('samples', points),
    reference('perfect prediction (y = x)', ERROR, [{ x: lo, y: lo }, { x: hi, y: hi }]),
  ];
  const range = { type: 'linear', min: lo, max: hi };
  return {
    id, title: 'predicted against actual', kind: 'xy', caption,
    config: { type: 'scatter', data: { datasets }, options: baseOptions(axis('actual', range), axis('predicted', range)) },
  };
}

export function residualChart(id: string, predicted: number[], residuals: number[], caption: string): ChartSpec {
  const [lo, hi] = paddedRange(predicted);
  const points = thin(predicted.map((p, i) => ({ x: p, y: residuals[i]! })), MAX_SCATTER_POINTS);
  const datasets = [
    scatter('samples', points),
    reference('zero error', ERROR, [{ x: lo, y: 0 }, { x: hi, y: 0 }]),
  ];
  return {
    id, title: 'residuals against predicted', kind: 'xy', caption,
    config: { type: 'scatter', data: { datasets }, options: baseOptions(axis('predicted', { type: 'linear', min: lo, max: hi }), axis('residual (actual − predicted)')) },
  };
}

export function residualHistogram(id: string, residuals: number[]): ChartSpec {
  const bins = Math.min(40, Math.max(5, Math.ceil(Math.sqrt(residuals.length))));
  let [lo, hi] = extent(residuals);
  if (hi === lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const r of residuals) counts[Math.min(bins - 1, Math.floor((r - lo) / width))]!++;
  const digits = Math.max(0, Math.min(6, 2 - Math.floor(Math.log10(width))));
  const labels = counts.map((_, i) => (lo + (i + 0.5) * width).toFixed(digits));
  return {
    id, title: 'distribution of residuals', kind: 'bar', caption: `${bins} bins of width ${width.toPrecision(3)}; labels are bin centres`,
    config: {
      type: 'bar',
      data: { labels, datasets: [{ label: 'samples per bin', data: counts, backgroundColor: 'rgba(31, 119, 180, 0.6)', borderColor: TRAIN, borderWidth: 1, barPercentage: 1, categoryPercentage: 1 }] },
      options: baseOptions(axis('residual (actual − predicted)', { ticks: { maxRotation: 0, autoSkipPadding: 12 } }), axis('samples', { beginAtZero: true, ticks: { precision: 0 } }), { mode: 'index', intersect: false }),
    },
  };
}

/** At most `max` points, evenly spaced, the first and the last always kept. */
export function thin<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const out: T[] = [];
  const step = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * step)]!);
  return out;
}
