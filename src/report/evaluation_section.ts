import type { ChartSpec, NamedCurve, Point } from './charts.js';
import { MAX_SCATTER_POINTS, predictedActualChart, prChart, residualChart, residualHistogram, rocChart } from './charts.js';
import type { ClassifierResults, EvaluationResults, RegressionResults } from './evaluation_results.js';
import { BINARY_THRESHOLD } from './evaluation_results.js';
import { formatNumber } from './format.js';

/** A classifier's evaluation as the page shows it. */
export interface ClassifierSection {
  task: 'binary' | 'multiclass';
  headline: [string, string][];
  classNames: string[];
  matrix: number[][];
  /** Rows: class (or average) name, precision, recall, F1, support, ROC AUC, AP. */
  report: { name: string; precision: number; recall: number; f1: number; support: number; auc?: number | null; ap?: number | null; average?: boolean }[];
  accuracy: number;
  charts: ChartSpec[];
  notes: string[];
}

export interface RegressorSection {
  task: 'regression';
  headline: [string, string][];
  charts: ChartSpec[];
  notes: string[];
}

export type EvaluationSection = ClassifierSection | RegressorSection;

/** The most classes drawn in the one-vs-rest ROC and PR charts (those with the most samples); the tables list all. */
export const MAX_CURVE_CLASSES = 10;

export function evaluationSection(results: EvaluationResults): EvaluationSection {
  return results.task === 'regression' ? regressorSection(results) : classifierSection(results);
}

function classifierSection(r: ClassifierResults): ClassifierSection {
  const binary = r.task === 'binary';
  const notes: string[] = [];
  const drawn = r.curves
    .map((c, k) => ({ c, k, support: r.summary.perClass[k]?.support ?? 0 }))
    .filter(({ c }) => c.roc !== null);
  const missing = r.curves.filter((c) => c.roc === null).map((c) => c.name);
  if (missing.length > 0) notes.push(`No ROC or PR curve for ${missing.join(', ')}: ${binary ? 'the labels hold one class only' : 'no sample of that class, or every sample is of it'}.`);
  let shown = drawn;
  if (drawn.length > MAX_CURVE_CLASSES) {
    shown = [...drawn].sort((a, b) => b.support - a.support || a.k - b.k).slice(0, MAX_CURVE_CLASSES).sort((a, b) => a.k - b.k);
    notes.push(`The ROC and PR charts show the ${MAX_CURVE_CLASSES} classes with the most samples, of ${drawn.length}; the tables list every class.`);
  }
  const rocCurves: NamedCurve[] = shown.map(({ c }) => ({
    label: `${binary ? 'ROC' : c.name} (AUC = ${c.roc!.auc.toFixed(3)})`,
    points: c.roc!.fpr.map((x, i): Point => ({ x, y: c.roc!.tpr[i]!, note: [`${binary ? 'ROC' : c.name}: FPR ${formatNumber(x)}, TPR ${formatNumber(c.roc!.tpr[i]!)}`, `threshold ${thresholdText(c.roc!.thresholds[i]!)}`] })),
  }));
  const prCurves: NamedCurve[] = shown.map(({ c }) => ({
    label: `${binary ? 'PR' : c.name} (AP = ${c.pr!.ap.toFixed(3)})`,
    points: c.pr!.recall.map((x, i): Point => ({
      x, y: c.pr!.precision[i]!,
      note: [`${binary ? 'PR' : c.name}: recall ${formatNumber(x)}, precision ${formatNumber(c.pr!.precision[i]!)}`, i < c.pr!.thresholds.length ? `threshold ${thresholdText(c.pr!.thresholds[i]!)}` : 'no threshold (end point)'],
    })),
  }));
  const positive = r.classNames[1]!;
  const charts: ChartSpec[] = [];
  if (rocCurves.length > 0) {
    const caption = binary ? `positive class: ${positive}; scores are the predicted probabilities` : 'one-vs-rest: each class against all others, scored by its column';
    charts.push(rocChart('chart-roc', rocCurves, caption));
    const baseline = binary ? drawn[0]!.c.pr!.prevalence : null;
    charts.push(prChart('chart-pr', prCurves, binary ? `positive class: ${positive}; chance line at its share of the samples` : caption, baseline));
  }
  const perClassAuc = (k: number) => r.curves[k]?.roc?.auc ?? null;
  const perClassAp = (k: number) => r.curves[k]?.pr?.ap ?? null;
  const report: ClassifierSection['report'] = r.summary.perClass.map((s, k) => ({
    name: r.classNames[k]!, ...s,
    ...(binary ? {} : { auc: perClassAuc(k), ap: perClassAp(k) }),
  }));
  report.push({ name: 'macro avg', ...r.summary.macro, average: true });
  report.push({ name: 'weighted avg', ...r.summary.weighted, average: true });
  const headline: [string, string][] = [['samples', String(r.samples)], ['accuracy', formatNumber(r.summary.accuracy)]];
  if (binary && drawn.length > 0) {
    headline.push(['ROC AUC', drawn[0]!.c.roc!.auc.toFixed(4)], ['average precision', drawn[0]!.c.pr!.ap.toFixed(4)]);
    notes.push(`Predicted class: ${positive} when the probability is above ${BINARY_THRESHOLD} (as Keras's binary accuracy).`);
  } else if (!binary) {
    headline.push(['macro F1', formatNumber(r.summary.macro.f1)]);
    notes.push('Predicted class: the column with the highest score.');
  }
  return { task: r.task, headline, classNames: r.classNames, matrix: r.matrix, report, accuracy: r.summary.accuracy, charts, notes };
}

function thresholdText(t: number): string {
  return t === Infinity ? '+∞ (nothing predicted positive)' : formatNumber(t);
}

function regressorSection(r: RegressionResults): RegressorSection {
  const n = r.actual.length;
  const shown = n > MAX_SCATTER_POINTS ? `showing ${MAX_SCATTER_POINTS} of ${n} points, evenly spaced` : `${n} points`;
  const pooled = r.outputs > 1 ? `; the ${r.outputs} outputs are pooled` : '';
  return {
    task: 'regression',
    headline: [['samples', String(r.samples)], ['MAE', formatNumber(r.mae)], ['RMSE', formatNumber(r.rmse)], ['R²', formatNumber(r.r2)]],
    charts: [
      predictedActualChart('chart-pred-actual', r.actual, r.predicted, `${shown}${pooled}; on the dashed line the prediction is exact`),
      residualChart('chart-residuals', r.predicted, r.residuals, `${shown}${pooled}; points above zero were under-predicted`),
      residualHistogram('chart-residual-hist', r.residuals),
    ],
    notes: r.outputs > 1 ? [`The target has ${r.outputs} columns; the charts and numbers pool them.`] : [],
  };
}
