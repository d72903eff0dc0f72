import { ValueError } from '../errors.js';
import type { Config } from '../serialization/registry.js';
import { registerMetric } from './registry.js';
import { option } from '../utils/args.js';
import { isEvenlyDistributed, updateConfusion } from './confusion_utils.js';
import type { MetricInput } from './input.js';
import { Scratch, toView } from './input.js';
import type { MetricArgs } from './metric.js';
import { divideNoNan, EPSILON, Metric } from './metric.js';

/** Which curve `AUC` integrates. */
export type AUCCurve = 'ROC' | 'PR' | 'PRGAIN';
/** How `AUC` sums the area between thresholds. */
export type AUCSummation = 'interpolation' | 'minoring' | 'majoring';

/** Options of `AUC` (Keras names and defaults). */
export interface AUCArgs extends MetricArgs {
  /** Evenly spaced thresholds, ends included. Default 200. */
  numThresholds?: number;
  /** 'ROC' (default), 'PR' or 'PRGAIN' (lower case accepted). */
  curve?: string;
  /** 'interpolation' (default), 'minoring' or 'majoring'. */
  summationMethod?: string;
  /** Explicit thresholds in [0, 1] (overrides numThresholds). */
  thresholds?: number[] | null;
  /** One curve per label column of [batch, labels] inputs, averaged (weighted by labelWeights). */
  multiLabel?: boolean;
  numLabels?: number | null;
  labelWeights?: number[] | null;
  /** Predictions are logits: a sigmoid is applied first. */
  fromLogits?: boolean;
}

function parseCurve(c: string): AUCCurve {
  const m: Record<string, AUCCurve> = { roc: 'ROC', ROC: 'ROC', pr: 'PR', PR: 'PR', prgain: 'PRGAIN', PRGAIN: 'PRGAIN' };
  const v = m[c];
  if (!v) throw new ValueError(`AUC: invalid curve ${JSON.stringify(c)}; expected 'ROC', 'PR' or 'PRGAIN'`);
  return v;
}

function parseSummation(s: string): AUCSummation {
  const v = s.toLowerCase();
  if (v !== 'interpolation' && v !== 'minoring' && v !== 'majoring') {
    throw new ValueError(`AUC: invalid summationMethod ${JSON.stringify(s)}; expected 'interpolation', 'minoring' or 'majoring'`);
  }
  return v as AUCSummation;
}

/**
 * Area under the ROC or precision-recall curve, approximated from confusion counts at fixed
 * thresholds (Keras `AUC`): 200 thresholds i/199, with the ends moved to -1e-7 and 1 + 1e-7 so
 * predictions of exactly 0 and 1 fall inside. Counts stream across batches; the area is computed
 * in `result()`. ROC uses the trapezoid rule; PR uses Keras's `interpolate_pr_auc` (Davis &
 * Goadrich interpolation). With one class only, ROC gives 0 (the rates are 0/0, read as 0).
 *
 * ```ts
 * const m = new kiln.metrics.AUC();
 * m.updateState([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * m.result(); // ≈ 0.75
 * new kiln.metrics.AUC({ curve: 'PR' });
 * ```
 */
export class AUC extends Metric {
  static override readonly className = 'AUC';
  override readonly direction = 'up' as const;
  readonly numThresholds: number;
  readonly curve: AUCCurve;
  readonly summationMethod: AUCSummation;
  readonly multiLabel: boolean;
  readonly numLabels: number | null;
  readonly labelWeights: number[] | null;
  readonly fromLogits: boolean;
  /** All thresholds, the epsilon ends included. */
  readonly thresholds: number[];
  private readonly initFromThresholds: boolean;
  private readonly evenly: boolean;
  private labels = 0;
  private tp: Float64Array = new Float64Array(0);
  private fp: Float64Array = new Float64Array(0);
  private tn: Float64Array = new Float64Array(0);
  private fn: Float64Array = new Float64Array(0);
  private readonly scratch = new Scratch();
  private readonly buckets = new Scratch();
  private readonly logits = new Scratch();

  constructor(args: AUCArgs = {}) {
    super(args);
    const given = option<number[] | null>(args, 'thresholds') ?? null;
    let inner: number[];
    if (given !== null) {
      if (!Array.isArray(given) || given.some((t) => typeof t !== 'number' || !(t >= 0 && t <= 1))) {
        throw new ValueError(`AUC '${this.name}': thresholds must be numbers in [0, 1], found ${JSON.stringify(given)}`);
      }
      inner = [...given].sort((a, b) => a - b);
      this.numThresholds = inner.length + 2;
      this.evenly = isEvenlyDistributed([0, ...inner, 1]);
    } else {
      const n = option<number>(args, 'numThresholds') ?? 200;
      if (!Number.isInteger(n) || n <= 1) throw new ValueError(`AUC '${this.name}': numThresholds must be an integer > 1, found ${JSON.stringify(n)}`);
      this.numThresholds = n;
      inner = Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1));
      this.evenly = true;
    }
    this.initFromThresholds = given !== null;
    this.thresholds = [0 - EPSILON, ...inner, 1 + EPSILON];
    this.curve = parseCurve(option<string>(args, 'curve') ?? 'ROC');
    this.summationMethod = parseSummation(option<string>(args, 'summationMethod') ?? 'interpolation');
    this.multiLabel = option<boolean>(args, 'multiLabel') ?? false;
    this.numLabels = option<number | null>(args, 'numLabels') ?? null;
    const lw = option<number[] | null>(args, 'labelWeights') ?? null;
    this.labelWeights = lw === null ? null : [...lw];
    this.fromLogits = option<boolean>(args, 'fromLogits') ?? false;
    if (this.multiLabel) {
      if (this.numLabels) this.build(this.numLabels);
    } else {
      if (this.numLabels) throw new ValueError(`AUC '${this.name}': numLabels is needed only when multiLabel is true`);
      this.build(1);
    }
  }

  private build(labels: number): void {
    const shape = this.multiLabel ? [this.numThresholds, labels] : [this.numThresholds];
    this.labels = labels;
    [this.tp, this.fp, this.tn, this.fn] = this.defineState(
      ['true_positives', 'false_positives', 'true_negatives', 'false_negatives'].map((name) => ({ name, shape })),
    );
  }

  protected override buildFromStateLength(length: number): void {
    const per = 4 * this.numThresholds;
    if (!this.multiLabel || length % per !== 0 || length === 0) throw new ValueError(`AUC '${this.name}': a saved state has 4·numThresholds·labels values, found ${length}`);
    this.build(length / per);
  }

  override updateState(yTrue: MetricInput, yPred?: MetricInput, sampleWeight?: MetricInput | null): void {
    const where = `metric '${this.name}'`;
    if (yPred === undefined) throw new ValueError(`${where}: updateState needs yTrue and yPred`);
    const t = toView(yTrue, 'yTrue', where);
    const p = toView(yPred, 'yPred', where);
    if (this.multiLabel && !this.built) {
      if (p.shape.length !== 2) throw new ValueError(`${where}: multiLabel needs yPred of rank 2 [batch, labels], found rank ${p.shape.length}`);
      this.build(p.shape[1]!);
    }
    if (this.multiLabel && p.shape[1] !== this.labels) throw new ValueError(`${where}: expected ${this.labels} label columns, found shape [${p.shape}]`);
    if (this.fromLogits) {
      const s = this.logits.get(p.data.length);
      for (let i = 0; i < p.data.length; i++) s[i] = Math.fround(1 / (1 + Math.exp(-p.data[i]!)));
      p.data = s;
    }
    updateConfusion({ tp: this.tp, fp: this.fp, tn: this.tn, fn: this.fn }, t, p, {
      metric: this.name,
      thresholds: this.thresholds,
      evenly: this.evenly,
      sampleWeight: sampleWeight == null ? null : toView(sampleWeight, 'sampleWeight', where),
      multiLabel: this.multiLabel,
      labelWeights: this.multiLabel ? null : this.labelWeights,
      scratch: this.scratch,
      buckets: this.buckets,
    });
  }

  /** The area; 0 before any update. */
  override result(): number {
    if (!this.built) return 0;
    const perLabel: number[] = [];
    for (let l = 0; l < this.labels; l++) perLabel.push(this.curve === 'PR' && this.summationMethod === 'interpolation' ? this.interpolatePR(l) : this.riemann(l));
    if (!this.multiLabel) return perLabel[0]!;
    if (this.labelWeights === null) return perLabel.reduce((a, b) => a + b, 0) / perLabel.length;
    const wsum = this.labelWeights.reduce((a, b) => a + b, 0);
    return divideNoNan(perLabel.reduce((a, v, i) => a + v * this.labelWeights![i]!, 0), wsum);
  }

  private at(v: Float64Array, i: number, l: number): number {
    return v[i * this.labels + l]!;
  }

  /** Riemann sum of the curve's points (x decreasing with the threshold index). */
  private riemann(l: number): number {
    const n = this.numThresholds;
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const tp = this.at(this.tp, i, l);
      const fp = this.at(this.fp, i, l);
      const tn = this.at(this.tn, i, l);
      const fn = this.at(this.fn, i, l);
      const recall = divideNoNan(tp, tp + fn);
      if (this.curve === 'ROC') {
        xs[i] = divideNoNan(fp, fp + tn);
        ys[i] = recall;
      } else if (this.curve === 'PR') {
        xs[i] = recall;
        ys[i] = divideNoNan(tp, tp + fp);
      } else {
        // PR gain (Flach & Kull): where TP = 0, recall gain 0 and precision gain 1; recall gain ≥ 0.
        const scale = divideNoNan(tp + fn, tn + fp);
        xs[i] = tp === 0 ? 0 : Math.max(1 - scale * divideNoNan(fn, tp), 0);
        ys[i] = tp === 0 ? 1 : 1 - scale * divideNoNan(fp, tp);
      }
    }
    let area = 0;
    for (let i = 0; i < n - 1; i++) {
      const a = ys[i]!;
      const b = ys[i + 1]!;
      const h = this.summationMethod === 'interpolation' ? (a + b) / 2 : this.summationMethod === 'minoring' ? Math.min(a, b) : Math.max(a, b);
      area += (xs[i]! - xs[i + 1]!) * h;
    }
    return area;
  }

  /**
   * Keras `interpolate_pr_auc`: between two thresholds precision is interpolated as a function of
   * TP (Davis & Goadrich 2006), which integrates to
   * slope·(ΔTP + intercept·log(P_a / P_b)) / (TP + FN) per interval.
   */
  private interpolatePR(l: number): number {
    const n = this.numThresholds;
    let area = 0;
    for (let i = 0; i < n - 1; i++) {
      const tpA = this.at(this.tp, i, l);
      const tpB = this.at(this.tp, i + 1, l);
      const pA = tpA + this.at(this.fp, i, l);
      const pB = tpB + this.at(this.fp, i + 1, l);
      const dtp = tpA - tpB;
      const slope = divideNoNan(dtp, Math.max(pA - pB, 0));
      const intercept = tpB - slope * pB;
      const ratio = pA > 0 && pB > 0 ? divideNoNan(pA, Math.max(pB, 0)) : 1;
      area += divideNoNan(slope * (dtp + intercept * Math.log(ratio)), Math.max(tpB + this.at(this.fn, i + 1, l), 0));
    }
    return area;
  }

  override getConfig(): Config {
    const config: Config = {
      ...super.getConfig(),
      num_thresholds: this.numThresholds,
      curve: this.curve,
      summation_method: this.summationMethod,
      multi_label: this.multiLabel,
      num_labels: this.numLabels,
      label_weights: this.labelWeights,
      from_logits: this.fromLogits,
    };
    if (this.initFromThresholds) config['thresholds'] = this.thresholds.slice(1, -1);
    return config;
  }
}

registerMetric(AUC);
