import { ValueError } from '../errors.js';

// Whole-set classification counts and scores on plain arrays, laid out as scikit-learn's
// `confusion_matrix` and `classification_report` (sklearn/metrics/_classification.py) with
// zero_division=0: a ratio whose denominator is 0 counts as 0.

/** One class's scores (or an average of them): precision, recall, F1 and the number of true samples. */
export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  /** Weighted count of samples whose true class this is (the total, for averages). */
  support: number;
}

/** Per-class scores with accuracy and the macro and support-weighted averages. */
export interface ClassificationSummary {
  /** One entry per class, in class order. */
  perClass: ClassScores[];
  /** Correct predictions over all samples (0 when there are none). */
  accuracy: number;
  /** Unweighted mean over classes. */
  macro: ClassScores;
  /** Mean over classes weighted by support. */
  weighted: ClassScores;
}

/**
 * Counts of (true class, predicted class) pairs: `m[i][j]` is the weight of samples of true class
 * i predicted as j (scikit-learn `confusion_matrix`). Classes are integers in [0, numClasses).
 *
 * ```ts
 * kiln.metrics.confusionMatrixCounts([0, 1, 2, 2], [0, 2, 2, 1], 3);
 * // [[1, 0, 0], [0, 0, 1], [0, 1, 1]]
 * ```
 */
export function confusionMatrixCounts(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, numClasses: number, sampleWeight: ArrayLike<number> | null = null): number[][] {
  const fn = 'confusionMatrixCounts';
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new ValueError(`${fn}: numClasses must be a positive integer, found ${numClasses}`);
  if (yPred.length !== yTrue.length) throw new ValueError(`${fn}: yTrue and yPred must have the same length, found ${yTrue.length} and ${yPred.length}`);
  if (sampleWeight !== null && sampleWeight.length !== yTrue.length) {
    throw new ValueError(`${fn}: sampleWeight must have one weight per sample (${yTrue.length}), found ${sampleWeight.length}`);
  }
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = classAt(yTrue, i, numClasses, 'yTrue', fn);
    const p = classAt(yPred, i, numClasses, 'yPred', fn);
    m[t]![p]! += sampleWeight === null ? 1 : sampleWeight[i]!;
  }
  return m;
}

function classAt(labels: ArrayLike<number>, i: number, numClasses: number, what: string, fn: string): number {
  const c = labels[i]!;
  if (!Number.isInteger(c) || c < 0 || c >= numClasses) {
    throw new ValueError(`${fn}: ${what} must hold class indices in [0, ${numClasses}), found ${c} at position ${i}`);
  }
  return c;
}

/**
 * Precision, recall, F1 and support per class from a confusion matrix (rows true, columns
 * predicted), with accuracy and macro / weighted averages — the numbers of scikit-learn's
 * `classification_report(..., zero_division=0)`.
 *
 * ```ts
 * const s = kiln.metrics.classificationSummary([[1, 0, 0], [0, 0, 1], [0, 1, 1]]);
 * s.perClass[2]; // { precision: 0.5, recall: 0.5, f1: 0.5, support: 2 }
 * s.macro.f1;    // 0.5
 * ```
 */
export function classificationSummary(matrix: readonly (readonly number[])[]): ClassificationSummary {
  const c = matrix.length;
  if (c === 0 || matrix.some((row) => row.length !== c)) {
    throw new ValueError(`classificationSummary: the confusion matrix must be square and non-empty, found ${c} rows of lengths [${matrix.map((r) => r.length).join(', ')}]`);
  }
  let total = 0;
  let correct = 0;
  const perClass: ClassScores[] = [];
  for (let k = 0; k < c; k++) {
    let support = 0;
    let predicted = 0;
    for (let j = 0; j < c; j++) {
      support += matrix[k]![j]!;
      predicted += matrix[j]![k]!;
    }
    const tp = matrix[k]![k]!;
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    perClass.push({ precision, recall, f1: ratio(2 * precision * recall, precision + recall), support });
    total += support;
    correct += tp;
  }
  const average = (weightOf: (s: ClassScores) => number): ClassScores => {
    const wsum = perClass.reduce((a, s) => a + weightOf(s), 0);
    const mean = (key: 'precision' | 'recall' | 'f1') => ratio(perClass.reduce((a, s) => a + s[key] * weightOf(s), 0), wsum);
    return { precision: mean('precision'), recall: mean('recall'), f1: mean('f1'), support: total };
  };
  return { perClass, accuracy: ratio(correct, total), macro: average(() => 1), weighted: average((s) => s.support) };
}

/** a / b, or 0 when b is 0 (scikit-learn's zero_division=0). */
function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}
