import { ShapeError, ValueError } from '../errors.js';
import type { Config } from '../serialization/registry.js';
import { registerMetric } from './registry.js';
import { option } from '../utils/args.js';
import { formatShape } from '../core/shape.js';
import type { MetricInput } from './input.js';
import { broadcaster, sameShape, shapeMismatch, toView } from './input.js';
import type { MetricArgs } from './metric.js';
import { EPSILON, Metric } from './metric.js';

/** How per-class F-scores combine: Keras's `average`. */
export type FScoreAverage = 'micro' | 'macro' | 'weighted' | null;

/** Options of `FBetaScore` (and `F1Score`, which fixes beta = 1). */
export interface FBetaScoreArgs extends MetricArgs {
  /** null (default): one score per class; 'micro': pooled counts; 'macro': mean; 'weighted': by support. */
  average?: FScoreAverage;
  /** Weight of recall relative to precision. Default 1. */
  beta?: number;
  /** Predictions above it count as positive; when absent, each row's maximum (if nonzero) is the prediction. */
  threshold?: number | null;
}

/**
 * The F-beta score (1 + β²)·P·R / (β²·P + R) from streaming per-class counts (Keras
 * `FBetaScore`), on [batch, classes] inputs. Keras adds 1e-7 to every denominator, so a class
 * with no true positives scores 0 rather than NaN, and exact values are off by ~1e-7.
 *
 * ```ts
 * const f = new kiln.metrics.FBetaScore({ beta: 2, average: 'macro', threshold: 0.5 });
 * f.updateState([[1, 0], [0, 1]], [[0.9, 0.2], [0.6, 0.7]]);
 * f.result();
 * ```
 */
export class FBetaScore extends Metric {
  static override readonly className: string = 'FBetaScore';
  override readonly direction = 'up' as const;
  readonly average: FScoreAverage;
  readonly beta: number;
  readonly threshold: number | null;
  private tp: Float64Array = new Float64Array(0);
  private fp: Float64Array = new Float64Array(0);
  private fn: Float64Array = new Float64Array(0);
  private support: Float64Array = new Float64Array(0);

  constructor(args: FBetaScoreArgs = {}, defaultName = 'fbeta_score') {
    super(args, defaultName);
    const cls = (this.constructor as typeof Metric).className;
    const average = option<FScoreAverage>(args, 'average') ?? null;
    if (![null, 'micro', 'macro', 'weighted'].includes(average)) {
      throw new ValueError(`${cls} '${this.name}': average must be null, 'micro', 'macro' or 'weighted', found ${JSON.stringify(average)}`);
    }
    this.average = average;
    this.beta = option<number>(args, 'beta') ?? 1;
    if (typeof this.beta !== 'number' || !(this.beta > 0)) throw new ValueError(`${cls} '${this.name}': beta must be a number > 0, found ${JSON.stringify(this.beta)}`);
    this.threshold = option<number | null>(args, 'threshold') ?? null;
    if (this.threshold !== null && (typeof this.threshold !== 'number' || !(this.threshold > 0 && this.threshold <= 1))) {
      throw new ValueError(`${cls} '${this.name}': threshold must satisfy 0 < threshold <= 1, found ${JSON.stringify(this.threshold)}`);
    }
  }

  private build(classes: number): void {
    const shape = this.average === 'micro' ? [] : [classes];
    [this.tp, this.fp, this.fn, this.support] = this.defineState(
      ['true_positives', 'false_positives', 'false_negatives', 'intermediate_weights'].map((name) => ({ name, shape })),
    );
  }

  protected override buildFromStateLength(length: number): void {
    if (this.average === 'micro') {
      if (length !== 4) throw new ValueError(`metric '${this.name}': a saved micro-averaged state has 4 values, found ${length}`);
      this.build(0);
    } else {
      if (length === 0 || length % 4 !== 0) throw new ValueError(`metric '${this.name}': a saved state has 4·classes values, found ${length}`);
      this.build(length / 4);
    }
  }

  override updateState(yTrue: MetricInput, yPred?: MetricInput, sampleWeight?: MetricInput | null): void {
    const where = `metric '${this.name}'`;
    if (yPred === undefined) throw new ValueError(`${where}: updateState needs yTrue and yPred`);
    const t = toView(yTrue, 'yTrue', where);
    const p = toView(yPred, 'yPred', where);
    if (p.shape.length !== 2 || !sameShape(t.shape, p.shape)) {
      throw shapeMismatch(this.name, 'yTrue', t.shape, 'yPred', p.shape, 'expected 2-D yTrue and yPred of the same shape [batch, classes]');
    }
    const [n, c] = p.shape as [number, number];
    if (!this.built) this.build(c);
    else if (this.average !== 'micro' && c !== this.tp.length) throw new ShapeError(`${where}: expected ${this.tp.length} classes (as in earlier batches), found ${c}`);
    // A lower-rank weight gets trailing axes ([batch] → [batch, 1]), then broadcasts.
    let w: ArrayLike<number> | null = null;
    let wAt: (k: number) => number = () => 0;
    if (sampleWeight != null) {
      const wv = toView(sampleWeight, 'sampleWeight', where);
      const wshape = [...wv.shape];
      while (wshape.length < 2) wshape.push(1);
      const bc = broadcaster(wshape, p.shape);
      if (!bc) throw new ShapeError(`${where}: sampleWeight of shape ${formatShape(wv.shape)} does not broadcast to ${formatShape(p.shape)}`);
      w = wv.data;
      wAt = bc;
    }
    const thr = this.threshold === null ? null : Math.fround(this.threshold);
    const micro = this.average === 'micro';
    for (let i = 0; i < n; i++) {
      let rowMax = -Infinity;
      if (thr === null) for (let j = 0; j < c; j++) rowMax = Math.max(rowMax, p.data[i * c + j]!);
      for (let j = 0; j < c; j++) {
        const k = i * c + j;
        const v = p.data[k]!;
        // Without a threshold, every entry equal to the row's max (and not ~0) is predicted positive.
        const pred = thr === null ? (v >= rowMax && Math.abs(v) > 1e-9 ? 1 : 0) : v > thr ? 1 : 0;
        const y = t.data[k]!;
        const wk = w ? w[wAt(k)]! : 1;
        const slot = micro ? 0 : j;
        this.tp[slot] += pred * y * wk;
        this.fp[slot] += pred * (1 - y) * wk;
        this.fn[slot] += (1 - pred) * y * wk;
        this.support[slot] += y * wk;
      }
    }
  }

  /** A number when averaged, else one score per class (empty before any update). */
  override result(): number | number[] {
    if (!this.built) return this.average === null ? [] : 0;
    const b2 = this.beta * this.beta;
    const scores = Array.from(this.tp, (tp, j) => {
      const precision = tp / (tp + this.fp[j]! + EPSILON);
      const recall = tp / (tp + this.fn[j]! + EPSILON);
      return ((precision * recall) / (b2 * precision + recall + EPSILON)) * (1 + b2);
    });
    if (this.average === null) return scores;
    if (this.average === 'weighted') {
      const total = this.support.reduce((a, b) => a + b, 0) + EPSILON;
      return scores.reduce((a, s, j) => a + (s * this.support[j]!) / total, 0);
    }
    return scores.reduce((a, b) => a + b, 0) / scores.length;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), average: this.average, beta: this.beta, threshold: this.threshold };
  }
}

/**
 * The F1 score 2·P·R / (P + R) (Keras `F1Score`: FBetaScore with beta = 1).
 *
 * ```ts
 * const f1 = new kiln.metrics.F1Score({ average: 'macro' });
 * f1.updateState([[1, 0, 0], [0, 1, 0]], [[0.7, 0.2, 0.1], [0.5, 0.3, 0.2]]);
 * f1.result(); // mean of per-class F1 [2/3, 0, 0] ≈ 0.2222
 * ```
 */
export class F1Score extends FBetaScore {
  static override readonly className = 'F1Score';

  constructor(args: Omit<FBetaScoreArgs, 'beta'> = {}) {
    super({ ...args, beta: 1 }, 'f1_score');
  }

  override getConfig(): Config {
    const { beta: _beta, ...rest } = super.getConfig();
    return rest;
  }
}

registerMetric(FBetaScore);
registerMetric(F1Score);
