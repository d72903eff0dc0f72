import { ShapeError, ValueError } from '../errors.js';
import type { Config } from '../serialization/registry.js';
import { registerMetric } from './registry.js';
import { option } from '../utils/args.js';
import type { MetricInput } from './input.js';
import { broadcaster, sameShape, shapeMismatch, squeezeOrExpand, toView } from './input.js';
import type { MetricArgs } from './metric.js';
import { Metric } from './metric.js';
import { formatShape } from '../core/shape.js';

/** How per-output R² scores combine: Keras's `class_aggregation`. */
export type R2Aggregation = 'uniform_average' | 'variance_weighted_average' | null;

/** Options of `R2Score`. */
export interface R2ScoreArgs extends MetricArgs {
  /** Default 'uniform_average'; null returns one score per output column. */
  classAggregation?: R2Aggregation;
  /** Regressors for the adjusted R² (default 0: plain R²). */
  numRegressors?: number;
}

/**
 * The coefficient of determination R² = 1 - SS_res / SS_tot per output column (Keras 3 `R2Score`),
 * from streaming sums, so batches combine exactly. Inputs are [batch, outputs] (a [batch] label
 * beside [batch, 1] predictions is expanded). Like Keras, a column with constant targets has
 * SS_tot = 0: its score is 0 when the predictions err (1 - x/0 = -Infinity is replaced by 0) and
 * NaN when they are exact (0/0). With `numRegressors` p > 0 the adjusted score
 * 1 - (1 - R²)(n - 1)/(n - p - 1) is returned when n - 1 > p (n = samples with a nonzero weight);
 * otherwise the plain score (Keras warns there).
 *
 * ```ts
 * const m = new kiln.metrics.R2Score();
 * m.updateState([[1], [4], [3]], [[2], [4], [4]]);
 * m.result(); // 1 - 2 / (26 - 64/3) = 0.5714…
 * ```
 */
export class R2Score extends Metric {
  static override readonly className = 'R2Score';
  override readonly direction = 'up' as const;
  readonly classAggregation: R2Aggregation;
  readonly numRegressors: number;
  private numSamples: Float64Array;
  private squaredSum: Float64Array = new Float64Array(0);
  private sum: Float64Array = new Float64Array(0);
  private residual: Float64Array = new Float64Array(0);
  private count: Float64Array = new Float64Array(0);

  constructor(args: R2ScoreArgs = {}) {
    super(args, 'r2_score');
    const agg = option<R2Aggregation>(args, 'classAggregation');
    this.classAggregation = agg === undefined ? 'uniform_average' : agg;
    if (![null, 'uniform_average', 'variance_weighted_average'].includes(this.classAggregation)) {
      throw new ValueError(`R2Score '${this.name}': classAggregation must be 'uniform_average', 'variance_weighted_average' or null, found ${JSON.stringify(agg)}`);
    }
    this.numRegressors = option<number>(args, 'numRegressors') ?? 0;
    if (typeof this.numRegressors !== 'number' || !(this.numRegressors >= 0)) {
      throw new ValueError(`R2Score '${this.name}': numRegressors must be a number >= 0, found ${JSON.stringify(this.numRegressors)}`);
    }
    [this.numSamples] = this.defineState([{ name: 'num_samples', shape: [] }]);
    this.layoutBuilt = false;
  }

  /** The scalar num_samples slot exists from the start; the per-column slots come with the first batch. */
  private layoutBuilt: boolean;

  override get built(): boolean {
    return this.layoutBuilt;
  }

  private build(columns: number): void {
    const seen = this.numSamples[0]!;
    [this.numSamples, this.squaredSum, this.sum, this.residual, this.count] = this.defineState([
      { name: 'num_samples', shape: [] },
      { name: 'squared_sum', shape: [columns] },
      { name: 'sum', shape: [columns] },
      { name: 'residual', shape: [columns] },
      { name: 'count', shape: [columns] },
    ]);
    this.numSamples[0] = seen;
    this.layoutBuilt = true;
  }

  protected override buildFromStateLength(length: number): void {
    if (length === 1) return; // only num_samples: still unbuilt
    if (length < 5 || (length - 1) % 4 !== 0) throw new ValueError(`R2Score '${this.name}': a saved state has 1 + 4·outputs values, found ${length}`);
    this.build((length - 1) / 4);
  }

  override updateState(yTrue: MetricInput, yPred?: MetricInput, sampleWeight?: MetricInput | null): void {
    const where = `metric '${this.name}'`;
    if (yPred === undefined) throw new ValueError(`${where}: updateState needs yTrue and yPred`);
    const t = toView(yTrue, 'yTrue', where);
    const p = toView(yPred, 'yPred', where);
    const [ts, ps] = squeezeOrExpand(t.shape, p.shape);
    if (ts.length !== 2 || !sameShape(ts, ps)) {
      throw shapeMismatch(this.name, 'yTrue', t.shape, 'yPred', p.shape, 'expected 2-D yTrue and yPred of the same shape [batch, outputs]');
    }
    const [n, c] = ts as [number, number];
    if (!this.layoutBuilt) this.build(c);
    else if (c !== this.sum.length) throw new ShapeError(`${where}: expected ${this.sum.length} output columns (as in earlier batches), found ${c}`);
    // Keras: a rank-1 weight becomes [batch, 1], then broadcasts to [batch, outputs].
    let w: ArrayLike<number> | null = null;
    let wAt: (k: number) => number = () => 0;
    if (sampleWeight != null) {
      const wv = toView(sampleWeight, 'sampleWeight', where);
      const wshape = wv.shape.length === 1 ? [wv.shape[0]!, 1] : wv.shape;
      const bc = broadcaster(wshape, ts);
      if (!bc) throw new ShapeError(`${where}: sampleWeight of shape ${formatShape(wv.shape)} does not broadcast to ${formatShape(ts)}`);
      w = wv.data;
      wAt = bc;
    }
    let samples = 0;
    for (let i = 0; i < n; i++) {
      let any = false;
      for (let j = 0; j < c; j++) {
        const k = i * c + j;
        const wk = w ? w[wAt(k)]! : 1;
        const y = t.data[k]!;
        const d = y - p.data[k]!;
        this.sum[j] += y * wk;
        this.squaredSum[j] += y * y * wk;
        this.residual[j] += d * d * wk;
        this.count[j] += wk;
        if (wk !== 0) any = true;
      }
      if (any) samples++;
    }
    this.numSamples[0] += samples;
  }

  /** The score (a number, or one per column with `classAggregation: null`); 0 before any update. */
  override result(): number | number[] {
    if (!this.layoutBuilt) return this.classAggregation === null ? [] : 0;
    const c = this.sum.length;
    const raw = new Array<number>(c);
    const total = new Array<number>(c);
    for (let j = 0; j < c; j++) {
      const mean = this.sum[j]! / this.count[j]!;
      total[j] = this.squaredSum[j]! - this.sum[j]! * mean;
      const r = 1 - this.residual[j]! / total[j]!;
      raw[j] = r === Infinity || r === -Infinity ? 0 : r;
    }
    let score: number | number[];
    if (this.classAggregation === 'uniform_average') score = raw.reduce((a, b) => a + b, 0) / c;
    else if (this.classAggregation === 'variance_weighted_average') {
      score = raw.reduce((a, r, j) => a + r * total[j]!, 0) / total.reduce((a, b) => a + b, 0);
    } else score = raw;
    const nSamples = this.numSamples[0]!;
    const pReg = this.numRegressors;
    if (pReg !== 0 && pReg < nSamples - 1) {
      const adjust = (r: number) => 1 - ((1 - r) * (nSamples - 1)) / (nSamples - pReg - 1);
      score = typeof score === 'number' ? adjust(score) : score.map(adjust);
    }
    return score;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), class_aggregation: this.classAggregation, num_regressors: this.numRegressors };
  }
}

registerMetric(R2Score);
