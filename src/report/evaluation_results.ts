import type { ClassificationSummary } from '../metrics/classification_summary.js';
import { classificationSummary, confusionMatrixCounts } from '../metrics/classification_summary.js';
import { averagePrecisionScore, precisionRecallCurve, rocCurve, trapezoidArea } from '../metrics/curves.js';
import type { PreparedEvaluation } from './evaluation.js';

/** One class's ROC and PR curves (one-vs-rest for multiclass); null where the class has no samples. */
export interface ClassCurves {
  name: string;
  roc: { fpr: number[]; tpr: number[]; thresholds: number[]; auc: number } | null;
  pr: { precision: number[]; recall: number[]; thresholds: number[]; ap: number; prevalence: number } | null;
}

export interface ClassifierResults {
  task: 'binary' | 'multiclass';
  samples: number;
  classNames: string[];
  /** Rows true class, columns predicted class. */
  matrix: number[][];
  summary: ClassificationSummary;
  /** Binary: one entry, for the positive class; multiclass: one per class. */
  curves: ClassCurves[];
}

export interface RegressionResults {
  task: 'regression';
  samples: number;
  /** Columns of the target (all are pooled in the charts). */
  outputs: number;
  actual: number[];
  predicted: number[];
  /** actual − predicted, as scikit-learn's PredictionErrorDisplay. */
  residuals: number[];
  mae: number;
  rmse: number;
  /** Coefficient of determination over the pooled values (NaN for a constant target). */
  r2: number;
}

export type EvaluationResults = ClassifierResults | RegressionResults;

/** The binary decision rule for probabilities, as Keras's BinaryAccuracy: `p > 0.5` is class 1. */
export const BINARY_THRESHOLD = 0.5;

export function evaluate(prepared: PreparedEvaluation): EvaluationResults {
  if (prepared.task === 'regression') return regression(prepared.actual, prepared.predicted, prepared.outputs);
  if (prepared.task === 'binary') {
    const { labels, scores, classNames } = prepared;
    const predicted = scores.map((s) => (s > BINARY_THRESHOLD ? 1 : 0));
    const matrix = confusionMatrixCounts(labels, predicted, 2);
    return { task: 'binary', samples: labels.length, classNames, matrix, summary: classificationSummary(matrix), curves: [classCurves(classNames[1]!, labels, scores)] };
  }
  const { labels, scores, numClasses: c, classNames } = prepared;
  const n = labels.length;
  const predicted = Array.from({ length: n }, (_, r) => {
    let best = 0;
    for (let j = 1; j < c; j++) if (scores[r * c + j]! > scores[r * c + best]!) best = j;
    return best;
  });
  const matrix = confusionMatrixCounts(labels, predicted, c);
  const curves = classNames.map((name, k) => {
    const isK = labels.map((l) => (l === k ? 1 : 0));
    const column = Array.from({ length: n }, (_, r) => scores[r * c + k]!);
    return classCurves(name, isK, column);
  });
  return { task: 'multiclass', samples: n, classNames, matrix, summary: classificationSummary(matrix), curves };
}

/** ROC and PR of 0/1 labels against scores; a curve needs both classes present. */
function classCurves(name: string, labels: number[], scores: number[]): ClassCurves {
  const positives = labels.reduce((a, b) => a + b, 0);
  const bothPresent = positives > 0 && positives < labels.length;
  if (!bothPresent) return { name, roc: null, pr: null };
  const roc = rocCurve(labels, scores);
  const pr = precisionRecallCurve(labels, scores);
  return {
    name,
    roc: { ...roc, auc: trapezoidArea(roc.fpr, roc.tpr) },
    pr: { ...pr, ap: averagePrecisionScore(labels, scores), prevalence: positives / labels.length },
  };
}

function regression(actual: number[], predicted: number[], outputs: number): RegressionResults {
  const n = actual.length;
  const residuals = actual.map((a, i) => a - predicted[i]!);
  const mean = actual.reduce((s, a) => s + a, 0) / n;
  let abs = 0;
  let sq = 0;
  let tot = 0;
  for (let i = 0; i < n; i++) {
    abs += Math.abs(residuals[i]!);
    sq += residuals[i]! ** 2;
    tot += (actual[i]! - mean) ** 2;
  }
  return {
    task: 'regression', samples: n / outputs, outputs, actual, predicted, residuals,
    mae: abs / n, rmse: Math.sqrt(sq / n), r2: tot === 0 ? NaN : 1 - sq / tot,
  };
}
