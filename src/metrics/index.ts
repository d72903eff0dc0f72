/**
 * Streaming metrics with Keras 3's contract (`updateState` / `result` / `resetState`), exact
 * float64 accumulators, checkpointable state (`getState` / `setState`) and Keras configs.
 *
 * ```ts
 * const auc = kiln.metrics.auc(); // the same as new kiln.metrics.AUC()
 * for (const [y, p] of batches) auc.updateState(y, p);
 * console.log(auc.result());
 * model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy', 'auc'] });
 * ```
 */
export { Metric } from './metric.js';
export type { MetricArgs, MetricResult, StateSlot } from './metric.js';
export type { MetricInput } from './input.js';
export { Mean, Sum, MeanMetricWrapper } from './reduction.js';
export {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
} from './accuracy.js';
export type { BinaryAccuracyArgs } from './accuracy.js';
export { TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy } from './top_k.js';
export type { TopKArgs, SparseTopKArgs } from './top_k.js';
export { TruePositives, FalsePositives, TrueNegatives, FalseNegatives, Precision, Recall } from './confusion.js';
export type { ThresholdArgs, PrecisionRecallArgs } from './confusion.js';
export { AUC } from './auc.js';
export type { AUCArgs, AUCCurve, AUCSummation } from './auc.js';
export { FBetaScore, F1Score } from './f_score.js';
export type { FBetaScoreArgs, FScoreAverage } from './f_score.js';
export {
  MeanSquaredError,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredLogarithmicError,
  RootMeanSquaredError,
} from './regression.js';
export { R2Score } from './r2.js';
export type { R2ScoreArgs, R2Aggregation } from './r2.js';
export { ConfusionMatrix } from './confusion_matrix.js';
export type { ConfusionMatrixArgs } from './confusion_matrix.js';
export { BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy } from './probabilistic.js';
export type { CrossentropyArgs, SparseCrossentropyArgs } from './probabilistic.js';
export { rocCurve, precisionRecallCurve, averagePrecisionScore, rocAucScore, trapezoidArea } from './curves.js';
export type { BinaryCurveOptions, RocCurveOptions, RocCurve, PrecisionRecallCurve } from './curves.js';
export { confusionMatrixCounts, classificationSummary } from './classification_summary.js';
export type { ClassScores, ClassificationSummary } from './classification_summary.js';
export { getMetric, resolveMetric, metricNames } from './resolve.js';
export type { BuiltinMetricName, MetricIdentifier, MetricName, ResolveContext } from './resolve.js';
export { metricDirection } from './direction.js';
export type { MetricDirection } from './direction.js';
export {
  accuracy, binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, topKCategoricalAccuracy, sparseTopKCategoricalAccuracy, truePositives, falsePositives, trueNegatives, falseNegatives, precision, recall, auc, fbetaScore, f1Score, meanSquaredError, meanAbsoluteError, meanAbsolutePercentageError, meanSquaredLogarithmicError, rootMeanSquaredError, r2Score, binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy, mean, sum, confusionMatrix,
} from './factories.js';
