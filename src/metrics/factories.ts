import { construct } from '../serialization/construct.js';
import { Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy } from './accuracy.js';
import { TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy } from './top_k.js';
import { TruePositives, FalsePositives, TrueNegatives, FalseNegatives, Precision, Recall } from './confusion.js';
import { AUC } from './auc.js';
import { FBetaScore, F1Score } from './f_score.js';
import { MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError, RootMeanSquaredError } from './regression.js';
import { R2Score } from './r2.js';
import { BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy } from './probabilistic.js';
import { Mean, Sum } from './reduction.js';
import { ConfusionMatrix } from './confusion_matrix.js';

// The naming rule (as for losses, optimizers, initializers and regularizers; see
// src/losses/factories.ts): `new kiln.metrics.AUC(config)` is the class and `kiln.metrics.auc(config)`
// its lower-camel factory, returning the same configured metric.

/** `new Accuracy(config)`. */
export const accuracy = (config?: ConstructorParameters<typeof Accuracy>[0]) => construct(Accuracy, config);
/** `new BinaryAccuracy(config)`. */
export const binaryAccuracy = (config?: ConstructorParameters<typeof BinaryAccuracy>[0]) => construct(BinaryAccuracy, config);
/** `new CategoricalAccuracy(config)`. */
export const categoricalAccuracy = (config?: ConstructorParameters<typeof CategoricalAccuracy>[0]) => construct(CategoricalAccuracy, config);
/** `new SparseCategoricalAccuracy(config)`. */
export const sparseCategoricalAccuracy = (config?: ConstructorParameters<typeof SparseCategoricalAccuracy>[0]) => construct(SparseCategoricalAccuracy, config);
/** `new TopKCategoricalAccuracy(config)`. */
export const topKCategoricalAccuracy = (config?: ConstructorParameters<typeof TopKCategoricalAccuracy>[0]) => construct(TopKCategoricalAccuracy, config);
/** `new SparseTopKCategoricalAccuracy(config)`. */
export const sparseTopKCategoricalAccuracy = (config?: ConstructorParameters<typeof SparseTopKCategoricalAccuracy>[0]) => construct(SparseTopKCategoricalAccuracy, config);
/** `new TruePositives(config)`. */
export const truePositives = (config?: ConstructorParameters<typeof TruePositives>[0]) => construct(TruePositives, config);
/** `new FalsePositives(config)`. */
export const falsePositives = (config?: ConstructorParameters<typeof FalsePositives>[0]) => construct(FalsePositives, config);
/** `new TrueNegatives(config)`. */
export const trueNegatives = (config?: ConstructorParameters<typeof TrueNegatives>[0]) => construct(TrueNegatives, config);
/** `new FalseNegatives(config)`. */
export const falseNegatives = (config?: ConstructorParameters<typeof FalseNegatives>[0]) => construct(FalseNegatives, config);
/** `new Precision(config)`. */
export const precision = (config?: ConstructorParameters<typeof Precision>[0]) => construct(Precision, config);
/** `new Recall(config)`. */
export const recall = (config?: ConstructorParameters<typeof Recall>[0]) => construct(Recall, config);
/** `new AUC(config)`. */
export const auc = (config?: ConstructorParameters<typeof AUC>[0]) => construct(AUC, config);
/** `new FBetaScore(config)`. */
export const fbetaScore = (config?: ConstructorParameters<typeof FBetaScore>[0]) => construct(FBetaScore, config);
/** `new F1Score(config)`. */
export const f1Score = (config?: ConstructorParameters<typeof F1Score>[0]) => construct(F1Score, config);
/** `new MeanSquaredError(config)`. */
export const meanSquaredError = (config?: ConstructorParameters<typeof MeanSquaredError>[0]) => construct(MeanSquaredError, config);
/** `new MeanAbsoluteError(config)`. */
export const meanAbsoluteError = (config?: ConstructorParameters<typeof MeanAbsoluteError>[0]) => construct(MeanAbsoluteError, config);
/** `new MeanAbsolutePercentageError(config)`. */
export const meanAbsolutePercentageError = (config?: ConstructorParameters<typeof MeanAbsolutePercentageError>[0]) => construct(MeanAbsolutePercentageError, config);
/** `new MeanSquaredLogarithmicError(config)`. */
export const meanSquaredLogarithmicError = (config?: ConstructorParameters<typeof MeanSquaredLogarithmicError>[0]) => construct(MeanSquaredLogarithmicError, config);
/** `new RootMeanSquaredError(config)`. */
export const rootMeanSquaredError = (config?: ConstructorParameters<typeof RootMeanSquaredError>[0]) => construct(RootMeanSquaredError, config);
/** `new R2Score(config)`. */
export const r2Score = (config?: ConstructorParameters<typeof R2Score>[0]) => construct(R2Score, config);
/** `new BinaryCrossentropy(config)`. */
export const binaryCrossentropy = (config?: ConstructorParameters<typeof BinaryCrossentropy>[0]) => construct(BinaryCrossentropy, config);
/** `new CategoricalCrossentropy(config)`. */
export const categoricalCrossentropy = (config?: ConstructorParameters<typeof CategoricalCrossentropy>[0]) => construct(CategoricalCrossentropy, config);
/** `new SparseCategoricalCrossentropy(config)`. */
export const sparseCategoricalCrossentropy = (config?: ConstructorParameters<typeof SparseCategoricalCrossentropy>[0]) => construct(SparseCategoricalCrossentropy, config);
/** `new Mean(config)`. */
export const mean = (config?: ConstructorParameters<typeof Mean>[0]) => construct(Mean, config);
/** `new Sum(config)`. */
export const sum = (config?: ConstructorParameters<typeof Sum>[0]) => construct(Sum, config);
/** `new ConfusionMatrix(config)`: `kiln.metrics.confusionMatrix({ numClasses: 3 })`. */
export const confusionMatrix = (config: ConstructorParameters<typeof ConfusionMatrix>[0]) => construct(ConfusionMatrix, config);
