import { ValueError } from '../errors.js';

// Threshold curves of a binary scorer on plain arrays, after scikit-learn's
// sklearn/metrics/_ranking.py (`_binary_clf_curve`, `roc_curve`, `precision_recall_curve`,
// `average_precision_score`, `auc`). No tensors: the report and `classificationReport` call these
// on whole evaluation sets, where one sort beats Keras's fixed-threshold buckets.

/** Options of the binary curves. */
export interface BinaryCurveOptions {
  /**
   * The label of the positive class. Default 1, which requires labels in {0, 1} or {-1, 1}
   * (scikit-learn refuses to guess otherwise).
   */
  posLabel?: number;
  /** One weight per sample (default 1 each). */
  sampleWeight?: ArrayLike<number> | null;
}

/** Options of {@link rocCurve}. */
export interface RocCurveOptions extends BinaryCurveOptions {
  /** Drop thresholds that lie on a straight segment of the curve (default true, as scikit-learn). */
  dropIntermediate?: boolean;
}

/** A ROC curve: false and true positive rates at decreasing thresholds; the first threshold is +Infinity. */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
  thresholds: number[];
}

/** A precision-recall curve by increasing threshold; the last point (precision 1, recall 0) has no threshold. */
export interface PrecisionRecallCurve {
  precision: number[];
  recall: number[];
  thresholds: number[];
}

/** Cumulative weighted false and true positives at each distinct score, highest score first. */
interface ClfCurve {
  fps: number[];
  tps: number[];
  thresholds: number[];
}

/** scikit-learn `_binary_clf_curve`: one point per distinct score, from the highest down. */
function binaryClfCurve(yTrue: ArrayLike<number>, yScore: ArrayLike<number>, options: BinaryCurveOptions, fn: string): ClfCurve {
  const n = yTrue.length;
  if (yScore.length !== n) throw new ValueError(`${fn}: yTrue and yScore must have the same length, found ${n} and ${yScore.length}`);
  if (n === 0) throw new ValueError(`${fn}: yTrue and yScore are empty`);
  const weight = options.sampleWeight ?? null;
  if (weight !== null && weight.length !== n) throw new ValueError(`${fn}: sampleWeight must have one weight per sample (${n}), found ${weight.length}`);
  const pos = positiveLabel(yTrue, options.posLabel, fn);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(yScore[i]!)) throw new ValueError(`${fn}: yScore must be finite, found ${yScore[i]} at position ${i}`);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => yScore[b]! - yScore[a]!);
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const w = weight === null ? 1 : weight[i]!;
    if (yTrue[i] === pos) tp += w;
    else fp += w;
    // A point closes where the next score differs (or at the end), so ties move together.
    if (k === n - 1 || yScore[order[k + 1]!] !== yScore[i]) {
      tps.push(tp);
      fps.push(fp);
      thresholds.push(yScore[i]!);
    }
  }
  return { fps, tps, thresholds };
}

/** The positive label: as given, else 1 when the labels are {0, 1} or {-1, 1} (scikit-learn's rule). */
function positiveLabel(yTrue: ArrayLike<number>, posLabel: number | undefined, fn: string): number {
  if (posLabel !== undefined) return posLabel;
  const seen = new Set<number>();
  for (let i = 0; i < yTrue.length; i++) seen.add(yTrue[i]!);
  const binary = [...seen].every((v) => v === 0 || v === 1) || [...seen].every((v) => v === -1 || v === 1);
  if (!binary) {
    const labels = [...seen].sort((a, b) => a - b).slice(0, 5).join(', ');
    throw new ValueError(`${fn}: yTrue must hold labels in {0, 1} or {-1, 1}, found {${labels}${seen.size > 5 ? ', …' : ''}}; give posLabel to say which label is positive`);
  }
  return 1;
}

/**
 * The receiver operating characteristic (scikit-learn `roc_curve`): false positive rate against
 * true positive rate as the threshold falls from +Infinity through every distinct score. Without
 * negatives the false positive rate is NaN, without positives the true positive rate.
 *
 * ```ts
 * kiln.metrics.rocCurve([1, 1, 2, 2], [0.1, 0.4, 0.35, 0.8], { posLabel: 2 });
 * // { fpr: [0, 0, 0.5, 0.5, 1], tpr: [0, 0.5, 0.5, 1, 1], thresholds: [Infinity, 0.8, 0.4, 0.35, 0.1] }
 * ```
 */
export function rocCurve(yTrue: ArrayLike<number>, yScore: ArrayLike<number>, options: RocCurveOptions = {}): RocCurve {
  let { fps, tps, thresholds } = binaryClfCurve(yTrue, yScore, options, 'rocCurve');
  if ((options.dropIntermediate ?? true) && fps.length > 2) {
    // Keep the ends and every point where either count bends (a nonzero second difference).
    const keep = fps.map((_, i) => i === 0 || i === fps.length - 1 || fps[i - 1]! - 2 * fps[i]! + fps[i + 1]! !== 0 || tps[i - 1]! - 2 * tps[i]! + tps[i + 1]! !== 0);
    fps = fps.filter((_, i) => keep[i]);
    tps = tps.filter((_, i) => keep[i]);
    thresholds = thresholds.filter((_, i) => keep[i]);
  }
  const negatives = fps[fps.length - 1]!;
  const positives = tps[tps.length - 1]!;
  return {
    fpr: [0, ...fps].map((v) => (negatives > 0 ? v / negatives : NaN)),
    tpr: [0, ...tps].map((v) => (positives > 0 ? v / positives : NaN)),
    thresholds: [Infinity, ...thresholds],
  };
}

/**
 * Precision and recall at every distinct score (scikit-learn `precision_recall_curve`), by
 * increasing threshold, ending at (recall 0, precision 1). Precision is 0 where nothing is
 * predicted positive; without positives recall is 1 throughout, as scikit-learn has it.
 *
 * ```ts
 * kiln.metrics.precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * // { precision: [0.5, 0.667, 0.5, 1, 1], recall: [1, 1, 0.5, 0.5, 0], thresholds: [0.1, 0.35, 0.4, 0.8] }
 * ```
 */
export function precisionRecallCurve(yTrue: ArrayLike<number>, yScore: ArrayLike<number>, options: BinaryCurveOptions = {}): PrecisionRecallCurve {
  const { fps, tps, thresholds } = binaryClfCurve(yTrue, yScore, options, 'precisionRecallCurve');
  const positives = tps[tps.length - 1]!;
  const precision = tps.map((tp, i) => (tp + fps[i]! > 0 ? tp / (tp + fps[i]!) : 0));
  const recall = tps.map((tp) => (positives > 0 ? tp / positives : 1));
  return {
    precision: [...precision.reverse(), 1],
    recall: [...recall.reverse(), 0],
    thresholds: [...thresholds].reverse(),
  };
}

/**
 * Average precision (scikit-learn `average_precision_score`): Σ (Rₙ − Rₙ₋₁)·Pₙ over the
 * precision-recall curve, a step-wise area with no interpolation.
 *
 * ```ts
 * kiln.metrics.averagePrecisionScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.8333…
 * ```
 */
export function averagePrecisionScore(yTrue: ArrayLike<number>, yScore: ArrayLike<number>, options: BinaryCurveOptions = {}): number {
  const { precision, recall } = precisionRecallCurve(yTrue, yScore, options);
  let ap = 0;
  for (let i = 0; i < recall.length - 1; i++) ap -= (recall[i + 1]! - recall[i]!) * precision[i]!;
  return ap;
}

/**
 * Area under a curve by the trapezoid rule (scikit-learn `auc`); `x` must be monotonic, increasing
 * or decreasing (a decreasing `x` still gives a positive area).
 *
 * ```ts
 * kiln.metrics.trapezoidArea([0, 0, 0.5, 0.5, 1], [0, 0.5, 0.5, 1, 1]); // 0.75
 * ```
 */
export function trapezoidArea(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new ValueError(`trapezoidArea: x and y must have the same length, found ${x.length} and ${y.length}`);
  if (x.length < 2) throw new ValueError(`trapezoidArea: at least 2 points are needed to compute an area, found ${x.length}`);
  let rising = true;
  let falling = true;
  for (let i = 1; i < x.length; i++) {
    if (x[i]! < x[i - 1]!) rising = false;
    if (x[i]! > x[i - 1]!) falling = false;
  }
  if (!rising && !falling) throw new ValueError('trapezoidArea: x must be monotonic (increasing or decreasing)');
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!)) / 2;
  return falling && !rising ? -area : area;
}

/**
 * Area under the ROC curve of a binary scorer (scikit-learn `roc_auc_score` for binary labels).
 * Both classes must be present.
 *
 * ```ts
 * kiln.metrics.rocAucScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 * ```
 */
export function rocAucScore(yTrue: ArrayLike<number>, yScore: ArrayLike<number>, options: BinaryCurveOptions = {}): number {
  const { fpr, tpr } = rocCurve(yTrue, yScore, { ...options, dropIntermediate: true });
  if (fpr.some(Number.isNaN) || tpr.some(Number.isNaN)) {
    throw new ValueError('rocAucScore: only one class is present in yTrue; the ROC AUC is not defined then');
  }
  return trapezoidArea(fpr, tpr);
}
