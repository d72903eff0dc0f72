import type { Tensor } from '../core/tensor.js';
import { ValueError } from '../errors.js';
import type { CustomMetrics, CustomNames, NamesOf, Spellings } from '../serialization/names.js';
import { NameTable, normalizeName } from '../serialization/names.js';
import type { SerializedObject } from '../serialization/registry.js';
import { deserialize } from '../serialization/registry.js';
import { Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy } from './accuracy.js';
import { SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy } from './top_k.js';
import { AUC } from './auc.js';
import { FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives, TruePositives } from './confusion.js';
import { ConfusionMatrix } from './confusion_matrix.js';
import { F1Score, FBetaScore } from './f_score.js';
import type { MetricArgs } from './metric.js';
import { Metric } from './metric.js';
import { BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy } from './probabilistic.js';
import { R2Score } from './r2.js';
import { getMetricClass } from './registry.js';
import { Mean, MeanMetricWrapper, Sum } from './reduction.js';
import {
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
  RootMeanSquaredError,
} from './regression.js';

/** Shapes known when `compile` resolves metric names (full shapes, batch axis included; null allowed). */
export interface ResolveContext {
  outputShape: readonly (number | null)[];
  labelShape?: readonly (number | null)[];
  /** The compiled loss's name: 'binary_crossentropy' makes 'accuracy' binary. */
  lossName?: string;
}

/** A metric as `compile` takes it: a name, an instance, a config, or a per-sample function (`getMetric` also takes any string). */
export type MetricIdentifier = MetricName | Metric | SerializedObject | ((yTrue: Tensor, yPred: Tensor) => Tensor);

type Factory = (args: MetricArgs, ctx: ResolveContext | null) => Metric;

// Keras 3's ALL_OBJECTS_DICT: class names, their snake_case, and the short aliases; plus 'acc',
// 'rmse', 'f1', 'r2' that users type. Lookups ignore case and underscores.
const BUILTIN_METRICS = [
  [['accuracy', 'acc'], (a) => new Accuracy(a)],
  [['binary_accuracy'], (a) => new BinaryAccuracy(a)],
  [['categorical_accuracy'], (a) => new CategoricalAccuracy(a)],
  [['sparse_categorical_accuracy'], (a) => new SparseCategoricalAccuracy(a)],
  [['top_k_categorical_accuracy'], (a) => new TopKCategoricalAccuracy(a)],
  [['sparse_top_k_categorical_accuracy'], (a) => new SparseTopKCategoricalAccuracy(a)],
  [['precision'], (a) => new Precision(a)],
  [['recall'], (a) => new Recall(a)],
  [['true_positives'], (a) => new TruePositives(a)],
  [['false_positives'], (a) => new FalsePositives(a)],
  [['true_negatives'], (a) => new TrueNegatives(a)],
  [['false_negatives'], (a) => new FalseNegatives(a)],
  [['auc'], (a) => new AUC(a)],
  [['f1_score', 'f1'], (a) => new F1Score(a)],
  [['fbeta_score'], (a) => new FBetaScore(a)],
  [['mean_squared_error', 'mse'], (a) => new MeanSquaredError(a)],
  [['mean_absolute_error', 'mae'], (a) => new MeanAbsoluteError(a)],
  [['mean_absolute_percentage_error', 'mape'], (a) => new MeanAbsolutePercentageError(a)],
  [['mean_squared_logarithmic_error', 'msle'], (a) => new MeanSquaredLogarithmicError(a)],
  [['root_mean_squared_error', 'rmse'], (a) => new RootMeanSquaredError(a)],
  [['r2_score', 'r2'], (a) => new R2Score(a)],
  [['binary_crossentropy', 'bce'], (a) => new BinaryCrossentropy(a)],
  [['categorical_crossentropy'], (a) => new CategoricalCrossentropy(a)],
  [['sparse_categorical_crossentropy'], (a) => new SparseCategoricalCrossentropy(a)],
  [['mean'], (a) => new Mean(a)],
  [['sum'], (a) => new Sum(a)],
  [['confusion_matrix'], (a, ctx) => {
    const last = ctx?.outputShape[ctx.outputShape.length - 1];
    if (typeof last !== 'number') {
      throw new ValueError("metric 'confusion_matrix': numClasses is unknown here; use new kiln.metrics.ConfusionMatrix({ numClasses })");
    }
    return new ConfusionMatrix({ ...a, numClasses: last === 1 ? 2 : last });
  }],
] as const satisfies readonly (readonly [readonly string[], Factory])[];
const table = new NameTable<Factory>('metric');
for (const [names, make] of BUILTIN_METRICS) table.add(names, make);

/**
 * The metric names `getMetric`/`resolveMetric` accept (first spelling of each).
 *
 * ```ts
 * kiln.metrics.metricNames(); // ['accuracy', 'binary_accuracy', …]
 * ```
 */
export function metricNames(): string[] {
  return table.names();
}

/**
 * A metric from a name (with its Keras default name), a config or an instance (Keras
 * `metrics.get`). 'accuracy' here is exact-match `Accuracy`; `compile` uses `resolveMetric`.
 *
 * ```ts
 * kiln.metrics.getMetric('mae');                                    // MeanAbsoluteError
 * kiln.metrics.getMetric({ class_name: 'AUC', config: { curve: 'PR' } });
 * ```
 */
export function getMetric(identifier: MetricIdentifier | string): Metric {
  if (identifier instanceof Metric) return identifier;
  if (typeof identifier === 'string') return table.get(identifier, 'getMetric')({}, null);
  if (typeof identifier === 'function') return new MeanMetricWrapper(identifier);
  if (!identifier || typeof identifier !== 'object' || typeof identifier.class_name !== 'string') {
    throw new ValueError(`getMetric: expected a name, a Metric, a function or {class_name, config}, found ${JSON.stringify(identifier)}`);
  }
  // Built-in metric classes first (a loss may share the class name), then user-registered classes.
  const builtin = getMetricClass(identifier.registered_name ?? identifier.class_name) ?? getMetricClass(identifier.class_name);
  const obj = builtin ? builtin.fromConfig(identifier.config ?? {}) : deserialize(identifier, 'getMetric', 'keras.metrics');
  if (!(obj instanceof Metric)) throw new ValueError(`getMetric: '${identifier.class_name}' is not a metric class`);
  return obj;
}

const ACCURACY = new Set(['accuracy', 'acc']);
/** The names `resolveMetric` maps to the crossentropy that fits the shapes (not in the table). */
const CROSSENTROPY_NAMES = ['crossentropy', 'ce'] as const;
const CROSSENTROPY = new Set<string>(CROSSENTROPY_NAMES);

/** The built-in metric names (Keras names and aliases, and 'crossentropy' / 'ce' of compile). */
export type BuiltinMetricName = NamesOf<typeof BUILTIN_METRICS> | (typeof CROSSENTROPY_NAMES)[number];
/** A metric name: a built-in one ('sparse_categorical_accuracy', 'sparseCategoricalAccuracy', 'auc', 'acc') or one declared in `CustomMetrics`. */
export type MetricName = Spellings<BuiltinMetricName> | CustomNames<CustomMetrics>;
const BINARY_LOSSES = new Set(['binarycrossentropy', 'bce', 'binaryfocalcrossentropy']);

/** Keras compile_utils `is_binary_or_sparse_categorical`, plus the loss hint for binary. */
function classify(ctx: ResolveContext): 'binary' | 'sparse' | 'categorical' {
  const out = ctx.outputShape;
  const outLast = out[out.length - 1];
  const loss = ctx.lossName ? normalizeName(ctx.lossName) : '';
  if (outLast === 1 || BINARY_LOSSES.has(loss)) return 'binary';
  const labels = ctx.labelShape;
  if (labels) {
    const labelLast = labels[labels.length - 1];
    if (labels.length < out.length || (labelLast === 1 && outLast !== 1)) return 'sparse';
    return 'categorical';
  }
  return loss === 'sparsecategoricalcrossentropy' ? 'sparse' : 'categorical';
}

/**
 * Turns a `compile` metric entry into a metric, the way Keras 3's compile does. 'accuracy' /
 * 'acc' become binary accuracy when the output's last axis is 1 (or the loss is binary
 * crossentropy; Keras 3 looks at shapes only, Keras 2 at the loss), sparse categorical accuracy
 * when labels have lower rank than outputs or end in 1 beside a wider output, else categorical
 * accuracy. 'crossentropy' / 'ce' pick the matching crossentropy the same way (Keras does this for
 * losses). A metric named by string keeps that string as its display name ('acc' logs as 'acc').
 *
 * ```ts
 * const m = kiln.metrics.resolveMetric('accuracy', { outputShape: [null, 10], labelShape: [null] });
 * m.name; // 'accuracy' (a SparseCategoricalAccuracy)
 * ```
 */
export function resolveMetric(identifier: MetricIdentifier | string, ctx: ResolveContext): Metric {
  if (identifier === null || identifier === undefined) throw new ValueError('resolveMetric: expected a metric, found ' + String(identifier));
  if (typeof identifier !== 'string') {
    if (typeof identifier === 'function') return new MeanMetricWrapper(identifier, { name: identifier.name || undefined });
    return getMetric(identifier);
  }
  const key = identifier.toLowerCase();
  const name = identifier;
  if (ACCURACY.has(key)) {
    const kind = classify(ctx);
    if (kind === 'binary') return new BinaryAccuracy({ name });
    if (kind === 'sparse') return new SparseCategoricalAccuracy({ name });
    return new CategoricalAccuracy({ name });
  }
  if (CROSSENTROPY.has(key)) {
    const kind = classify(ctx);
    if (kind === 'binary') return new BinaryCrossentropy({ name });
    if (kind === 'sparse') return new SparseCategoricalCrossentropy({ name });
    return new CategoricalCrossentropy({ name });
  }
  return table.get(identifier, 'resolveMetric')({ name }, ctx);
}

/**
 * A throwaway instance of the metric a name stands for, given that name, so that it takes no
 * auto-name (`auc_1`) away from the metrics a model really holds. For reading class facts such as
 * `direction`; `ctx` as for `resolveMetric` (null when no shapes are known).
 */
export function probeMetric(name: string, ctx: ResolveContext | null): Metric {
  return table.get(name, 'metric')({ name }, ctx);
}
