import type { History } from './history.js';

/** A series to draw: a name, the character its points use, and one value per epoch. */
interface Series {
  name: string;
  mark: string;
  values: number[];
}

const HEIGHT = 12;
const PLOT_WIDTH = 64;

/**
 * fit's `plot: true`: loss (and val_loss) per epoch as a text chart that fits 80 columns. Points
 * are placed on a grid of epochs × loss; where two series meet the cell shows `#`.
 *
 * ```text
 *     0.6931 ┤*
 *            ┤ *o
 *     …
 *     0.1021 ┤          ***
 *            └──────────────
 *             1            10  epoch     * loss  o val_loss
 * ```
 */
export function lossChart(history: History): string {
  const series: Series[] = [];
  const numeric = (key: string) => (history.history[key] ?? []).map((v) => (typeof v === 'number' ? v : NaN));
  if (history.history['loss']) series.push({ name: 'loss', mark: '*', values: numeric('loss') });
  if (history.history['val_loss']) series.push({ name: 'val_loss', mark: 'o', values: numeric('val_loss') });
  return textChart(series, history.epoch.map((e) => e + 1));
}

function textChart(series: Series[], epochs: number[]): string {
  const finite = series.flatMap((s) => s.values.filter(Number.isFinite));
  if (epochs.length === 0 || finite.length === 0) return 'plot: no finite loss to draw';
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (hi === lo) {
    hi += Math.abs(hi) * 0.05 || 1;
    lo -= Math.abs(lo) * 0.05 || 1;
  }
  const width = Math.min(PLOT_WIDTH, Math.max(epochs.length, 2));
  const grid = Array.from({ length: HEIGHT }, () => Array<string>(width).fill(' '));
  const col = (i: number) => (epochs.length === 1 ? 0 : Math.round((i * (width - 1)) / (epochs.length - 1)));
  const row = (v: number) => HEIGHT - 1 - Math.round(((v - lo) / (hi - lo)) * (HEIGHT - 1));
  for (const s of series) {
    s.values.forEach((v, i) => {
      if (!Number.isFinite(v)) return;
      const cell = grid[row(v)]!;
      const c = col(i);
      cell[c] = cell[c] === ' ' || cell[c] === s.mark ? s.mark : '#';
    });
  }
  const label = (v: number) => (Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(4)).padStart(10);
  const lines = grid.map((cells, r) => {
    const value = r === 0 ? label(hi) : r === HEIGHT - 1 ? label(lo) : r === HEIGHT >> 1 ? label((hi + lo) / 2) : ' '.repeat(10);
    return `${value} ┤${cells.join('')}`.trimEnd();
  });
  lines.push(`${' '.repeat(10)} └${'─'.repeat(width)}`);
  const first = String(epochs[0]);
  const last = String(epochs.at(-1));
  const axis = `${' '.repeat(12)}${first}${' '.repeat(Math.max(1, width - first.length - last.length))}${last}`;
  const legend = series.map((s) => `${s.mark} ${s.name}`).join('  ');
  lines.push(`${axis}  epoch   ${legend}`);
  return lines.join('\n');
}
