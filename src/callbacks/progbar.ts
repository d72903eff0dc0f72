/**
 * Keras 2.15's console progress bar (`keras/utils/generic_utils.py`, class `Progbar`), reproduced
 * character for character: the same bar, ETA, timing and metric formatting, the same averaging of
 * non-stateful values and the same redraw sequence (`\b` × previous width, then `\r`).
 */
import { formatExp, formatFixed, formatTruncated } from '../utils/python_format.js';

// The formatters were first written here; tests and users import them from this module too.
export { formatExp, formatFixed };

/** Python's `'%{width}d' % x` (a float truncated), space or zero padded. */
const formatInt = (x: number, width = 0, pad = ' '): string => formatTruncated(x, width, pad === '0');

/** Where a progress bar writes: `process.stdout` or anything with a `write` (tests use a fake). */
export interface ProgbarStream {
  write(s: string): unknown;
  /** When true the bar redraws in place; otherwise each shown update starts a new line. */
  isTTY?: boolean;
}

/** Options of {@link Progbar}; the defaults are Keras's. */
export interface ProgbarOptions {
  /** Total number of steps expected, `null` if unknown. */
  target: number | null;
  /** Bar width in characters (default 30). */
  width?: number;
  /** 0: silent, 1: bar (default), 2: one line when finished. */
  verbose?: 0 | 1 | 2;
  /** Minimum seconds between two redraws in verbose 1 (default 0.05). */
  interval?: number;
  /** Names shown as given; every other value is averaged over the steps seen. */
  statefulMetrics?: Iterable<string>;
  /** Name of the counted unit (default `'step'`). */
  unitName?: string;
  /** Output (default `process.stdout`). */
  stream?: ProgbarStream;
  /** Clock in seconds (default `performance.now() / 1000`). */
  now?: () => number;
}

/** A value for the bar: a number, or a per-class array / matrix (shown as its mean, as Keras 3 does). */
export type ProgbarValue = number | readonly number[] | readonly (readonly number[])[];

/** `(name, value)` pairs passed to {@link Progbar.update}. */
export type ProgbarValues = Iterable<readonly [string, ProgbarValue]>;

/** numpy's pairwise sum (`pairwise_sum` in numpy's loops), rounding each addition with `round`. */
function pairwiseSum(a: readonly number[], lo: number, n: number, round: (x: number) => number): number {
  if (n < 8) {
    // numpy starts this branch from -0.0 so that a sum of -0.0 values stays -0.0.
    let res = -0;
    for (let i = 0; i < n; i++) res = round(res + a[lo + i]!);
    return res;
  }
  if (n <= 128) {
    const r = Array.from({ length: 8 }, (_, j) => a[lo + j]!);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] = round(r[j]! + a[lo + i + j]!);
    let res = round(round(round(r[0]! + r[1]!) + round(r[2]! + r[3]!)) + round(round(r[4]! + r[5]!) + round(r[6]! + r[7]!)));
    for (; i < n; i++) res = round(res + a[lo + i]!);
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return round(pairwiseSum(a, lo, n2, round) + pairwiseSum(a, lo + n2, n - n2, round));
}

/**
 * Keras 3's Progbar shows a non-scalar value as `np.mean(value)`. Metric results are float32 in
 * Keras, and numpy then sums and divides in float32: when every entry is a float32 value (kiln's
 * float32 metrics), so is the arithmetic here; otherwise it is float64 (numpy on a float64 array).
 */
export function npMean(value: readonly number[] | readonly (readonly number[])[]): number {
  const flat = (value as readonly (number | readonly number[])[]).flat() as number[];
  if (flat.length === 0) return Number.NaN; // np.mean([]) is nan (with a RuntimeWarning)
  const f32 = flat.every((v) => Math.fround(v) === v || Number.isNaN(v));
  const round = f32 ? Math.fround : (x: number) => x;
  return round(pairwiseSum(flat, 0, flat.length, round) / flat.length);
}

const scalarOf = (v: ProgbarValue): number => (typeof v === 'number' ? v : npMean(v));

/** Python's float `divmod(x, y)` (CPython `float_divmod`), so ETA minutes/seconds split as in Keras. */
function pyDivmod(x: number, y: number): [number, number] {
  let mod = x % y;
  let div = (x - mod) / y;
  if (mod !== 0 && y < 0 !== mod < 0) {
    mod += y;
    div -= 1;
  }
  let floordiv = Math.floor(div);
  if (div - floordiv > 0.5) floordiv += 1;
  return [floordiv, mod];
}

/** Python `len`: code points, not UTF-16 units. */
const pyLen = (s: string): number => Array.from(s).length;

/** `Progbar._format_time`: `' 12ms/step'`, `' 2s/epoch'`, `' 450us/step'`. */
function formatTime(timePerUnit: number, unitName: string): string {
  if (timePerUnit >= 1 || timePerUnit === 0) return ` ${formatFixed(timePerUnit, 0)}s/${unitName}`;
  if (timePerUnit >= 1e-3) return ` ${formatFixed(timePerUnit * 1000.0, 0)}ms/${unitName}`;
  return ` ${formatFixed(timePerUnit * 1000000.0, 0)}us/${unitName}`;
}

/** ETA as `3s`, `1:05` or `1:02:03`, from `Progbar.update`. */
function formatEta(eta: number): string {
  if (eta > 3600) {
    const [h, rest] = pyDivmod(eta, 3600);
    return `${formatInt(h)}:${formatInt(pyDivmod(rest, 60)[0], 2, '0')}:${formatInt(pyDivmod(eta, 60)[1], 2, '0')}`;
  }
  if (eta > 60) {
    const [m, sec] = pyDivmod(eta, 60);
    return `${formatInt(m)}:${formatInt(sec, 2, '0')}`;
  }
  return `${formatInt(eta)}s`;
}

/** `%{n}d/%d` with `n` the digit count of the target (`int(np.log10(target)) + 1`). */
function formatCount(current: number, target: number): string {
  const digits = target >= 1 ? formatInt(target).length : 1;
  return `${formatInt(current, digits)}/${formatInt(target)}`;
}

/**
 * Keras 2.15's progress bar. Verbose 1 draws
 * `12/100 [==>...........................] - ETA: 3s - loss: 0.5000` and finishes with
 * `100/100 [==============================] - 2s 20ms/step - loss: 0.4000`; verbose 2 prints only
 * `100/100 - 2s - loss: 0.4000 - 2s/epoch - 20ms/step` at the end.
 *
 * Keras 2.15 also redraws in place whenever Python's `posix` module is loaded (i.e. on every Linux
 * or macOS run); here the in-place redraw follows `stream.isTTY` instead, and a non-TTY stream gets
 * only the finished line of each bar, without carriage returns.
 *
 * ```ts
 * const bar = new Progbar({ target: 3 });
 * for (let step = 1; step <= 3; step++) bar.update(step, [['loss', 1 / step]]);
 * ```
 */
export class Progbar {
  /** Total steps; may be set later when it is only known at the end (Keras does the same). */
  target: number | null;
  readonly width: number;
  readonly verbose: number;
  readonly interval: number;
  readonly unitName: string;
  private readonly stateful: Set<string>;
  private readonly stream: ProgbarStream;
  private readonly now: () => number;
  private readonly dynamicDisplay: boolean;
  private totalWidth = 0;
  private seenSoFar = 0;
  /** name → [weighted sum, weight]; Map order is Keras's `_values_order`. */
  private readonly values = new Map<string, [number, number]>();
  private readonly start: number;
  private lastUpdate = -Infinity;
  private timeAtEpochStart: number;
  private timeAtEpochEnd: number | null = null;
  private timeAfterFirstStep: number | null = null;

  constructor(options: ProgbarOptions) {
    this.target = options.target;
    this.width = options.width ?? 30;
    this.verbose = options.verbose ?? 1;
    this.interval = options.interval ?? 0.05;
    this.unitName = options.unitName ?? 'step';
    this.stateful = new Set(options.statefulMetrics ?? []);
    this.stream = options.stream ?? process.stdout;
    this.now = options.now ?? (() => performance.now() / 1000);
    this.dynamicDisplay = this.stream.isTTY === true;
    this.start = this.now();
    this.timeAtEpochStart = this.start;
  }

  /**
   * Marks more names as stateful (Keras's `_update_stateful_metrics`).
   *
   * ```ts
   * bar.addStatefulMetrics(['loss', 'accuracy']);
   * ```
   */
  addStatefulMetrics(names: Iterable<string>): void {
    for (const n of names) this.stateful.add(n);
  }

  /**
   * Records progress up to step `current` and redraws if due. `finalize` defaults to
   * `current >= target`; stateful values are shown as given, others averaged over steps.
   *
   * ```ts
   * bar.update(12, [['loss', 0.5]]);
   * bar.update(100, [['loss', 0.4]], true);
   * ```
   */
  update(current: number, values?: ProgbarValues, finalize?: boolean): void {
    const target = this.target;
    const fin = finalize ?? (target === null ? false : current >= target);
    for (const [k, value] of values ?? []) {
      const v = scalarOf(value);
      if (!this.stateful.has(k)) {
        // Keras forces a weight of at least 1 so a repeated `current` still counts.
        const base = Math.max(current - this.seenSoFar, 1);
        const acc = this.values.get(k);
        if (acc === undefined) this.values.set(k, [v * base, base]);
        else {
          acc[0] += v * base;
          acc[1] += base;
        }
      } else {
        this.values.set(k, [v, 1]);
      }
    }
    this.seenSoFar = current;

    const now = this.now();
    let info = ` - ${formatFixed(now - this.start, 0)}s`;
    if (current === target) this.timeAtEpochEnd = now;
    if (this.verbose === 1) {
      if (now - this.lastUpdate < this.interval && !fin) return;
      // Off a terminal kiln writes only the finished line: Keras 2 writes a new line per throttled
      // update there, which fills CI logs; one clean line per epoch is what a log reader wants.
      const timePerUnit = this.estimateStepDuration(current, now);
      if (!this.dynamicDisplay && !fin) return;
      const prevTotalWidth = this.totalWidth;
      let message = this.dynamicDisplay ? '\b'.repeat(prevTotalWidth) + '\r' : '';
      let bar: string;
      if (target !== null) {
        bar = `${formatCount(current, target)} [`;
        const progWidth = Math.trunc(this.width * (target === 0 ? 1 : current / target));
        if (progWidth > 0) bar += '='.repeat(progWidth - 1) + (current < target ? '>' : '=');
        bar += '.'.repeat(Math.max(0, this.width - progWidth)) + ']';
      } else {
        bar = `${formatInt(current, 7)}/Unknown`;
      }
      this.totalWidth = pyLen(bar);
      message += bar;
      if (target === null || fin) info += formatTime(timePerUnit, this.unitName);
      else info = ` - ETA: ${formatEta(timePerUnit * (target - current))}`;
      for (const [k, [sum, count]] of this.values) {
        const avg = sum / Math.max(1, count);
        info += ` - ${k}: ${Math.abs(avg) > 1e-3 ? formatFixed(avg, 4) : formatExp(avg, 4)}`;
      }
      this.totalWidth += pyLen(info);
      if (prevTotalWidth > this.totalWidth) info += ' '.repeat(prevTotalWidth - this.totalWidth);
      if (fin) info += '\n';
      this.stream.write(message + info);
    } else if (this.verbose === 2) {
      if (fin) {
        info = (target === null ? `${formatInt(current, 7)}/Unknown` : formatCount(current, target)) + info;
        for (const [k, [sum, count]] of this.values) {
          const avg = sum / Math.max(1, count);
          // Keras 2.15 tests `avg > 1e-3` here (no abs), so negatives print in `.4e`.
          info += ` - ${k}: ${avg > 1e-3 ? formatFixed(avg, 4) : formatExp(avg, 4)}`;
        }
        if (this.timeAtEpochEnd !== null) {
          const timePerEpoch = this.timeAtEpochEnd - this.timeAtEpochStart;
          const avgTimePerStep = timePerEpoch / (target ?? current);
          this.timeAtEpochStart = now;
          this.timeAtEpochEnd = null;
          info += ' -' + formatTime(timePerEpoch, 'epoch');
          info += ' -' + formatTime(avgTimePerStep, this.unitName);
          info += '\n';
        }
        this.stream.write(info);
      }
    }
    this.lastUpdate = now;
  }

  /**
   * Advances by `n` steps (`update(seen + n, values)`).
   *
   * ```ts
   * bar.add(1, [['loss', 0.3]]);
   * ```
   */
  add(n: number, values?: ProgbarValues): void {
    this.update(this.seenSoFar + n, values);
  }

  /** Keras's `_estimate_step_duration`: ignores the first (warm-up) step once later ones exist. */
  private estimateStepDuration(current: number, now: number): number {
    if (!current) return 0;
    const timePerUnit =
      this.timeAfterFirstStep !== null && current > 1
        ? (now - this.timeAfterFirstStep) / (current - 1)
        : (now - this.start) / current;
    if (current === 1) this.timeAfterFirstStep = now;
    return timePerUnit;
  }
}
