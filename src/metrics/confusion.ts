import { ValueError } from '../errors.js';
import type { Config } from '../serialization/registry.js';
import { registerMetric } from './registry.js';
import { option } from '../utils/args.js';
import type { ConfusionTargets } from './confusion_utils.js';
import { isEvenlyDistributed, NEG_INF, parseThresholds, updateConfusion } from './confusion_utils.js';
import type { MetricInput } from './input.js';
import { Scratch, toView } from './input.js';
import type { MetricArgs } from './metric.js';
import { divideNoNan, Metric } from './metric.js';

// Thresholded counts, precision and recall, after keras/src/metrics/confusion_metrics.py.

/** Options of the thresholded metrics. */
export interface ThresholdArgs extends MetricArgs {
  /** One threshold or several in [0, 1]; `pred > t` is positive. Default 0.5. Several give an array result. */
  thresholds?: number | number[] | null;
}

/** Shared machinery: parsed thresholds and reused buffers. */
abstract class ThresholdedMetric extends Metric {
  /** The thresholds as given (null for the default), written back to the config. */
  readonly initThresholds: number | number[] | null;
  readonly thresholds: number[];
  protected readonly evenly: boolean;
  private readonly scratch = new Scratch();
  private readonly buckets = new Scratch();

  constructor(args: ThresholdArgs, defaultThreshold: number) {
    super(args);
    this.initThresholds = option<number | number[] | null>(args, 'thresholds') ?? null;
    const cls = (this.constructor as typeof Metric).className;
    this.thresholds = parseThresholds(`${cls} '${this.name}'`, this.initThresholds, defaultThreshold);
    this.evenly = isEvenlyDistributed(this.thresholds);
  }

  protected update(
    targets: ConfusionTargets,
    yTrue: MetricInput,
    yPred: MetricInput | undefined,
    sampleWeight: MetricInput | null | undefined,
    topK: number | null = null,
    classId: number | null = null,
  ): void {
    const where = `metric '${this.name}'`;
    if (yPred === undefined) throw new ValueError(`${where}: updateState needs yTrue and yPred`);
    updateConfusion(targets, toView(yTrue, 'yTrue', where), toView(yPred, 'yPred', where), {
      metric: this.name,
      thresholds: this.thresholds,
      evenly: this.evenly,
      topK,
      classId,
      sampleWeight: sampleWeight == null ? null : toView(sampleWeight, 'sampleWeight', where),
      scratch: this.scratch,
      buckets: this.buckets,
    });
  }

  /** A number for one threshold, else one value per threshold. */
  protected single(values: number[]): number | number[] {
    return values.length === 1 ? values[0]! : values;
  }
}

type Condition = 'tp' | 'fp' | 'tn' | 'fn';

/** One weighted count of the confusion matrix at each threshold. */
abstract class ConditionCount extends ThresholdedMetric {
  protected abstract readonly condition: Condition;
  private readonly accumulator: Float64Array;

  constructor(args: ThresholdArgs = {}) {
    super(args, 0.5);
    [this.accumulator] = this.defineState([{ name: 'accumulator', shape: [this.thresholds.length] }]);
  }

  override updateState(yTrue: MetricInput, yPred?: MetricInput, sampleWeight?: MetricInput | null): void {
    this.update({ [this.condition]: this.accumulator }, yTrue, yPred, sampleWeight);
  }

  override result(): number | number[] {
    return this.single(Array.from(this.accumulator));
  }

  override getConfig(): Config {
    return { ...super.getConfig(), thresholds: this.initThresholds };
  }
}

/**
 * Weighted count of true positives (Keras `TruePositives`): label nonzero and `pred > threshold`.
 *
 * ```ts
 * const m = new kiln.metrics.TruePositives();
 * m.updateState([0, 1, 1, 1], [1, 0, 1, 1]);
 * m.result(); // 2
 * ```
 */
export class TruePositives extends ConditionCount {
  static override readonly className = 'TruePositives';
  protected readonly condition = 'tp';
}

/** Weighted count of false positives (Keras `FalsePositives`). `new kiln.metrics.FalsePositives()` */
export class FalsePositives extends ConditionCount {
  static override readonly className = 'FalsePositives';
  protected readonly condition = 'fp';
}

/** Weighted count of true negatives (Keras `TrueNegatives`). `new kiln.metrics.TrueNegatives()` */
export class TrueNegatives extends ConditionCount {
  static override readonly className = 'TrueNegatives';
  protected readonly condition = 'tn';
}

/** Weighted count of false negatives (Keras `FalseNegatives`). `new kiln.metrics.FalseNegatives()` */
export class FalseNegatives extends ConditionCount {
  static override readonly className = 'FalseNegatives';
  protected readonly condition = 'fn';
}

/** Options of `Precision` and `Recall`. */
export interface PrecisionRecallArgs extends ThresholdArgs {
  /** Only each row's k largest predictions may count as positive (then the default threshold is -1e10). */
  topK?: number | null;
  /** Score only this column of [batch, classes] inputs (one-vs-rest). */
  classId?: number | null;
}

/** TP plus FP (precision) or FN (recall) per threshold. */
abstract class RatioMetric extends ThresholdedMetric {
  override readonly direction = 'up' as const;
  readonly topK: number | null;
  readonly classId: number | null;
  protected readonly tp: Float64Array;
  protected readonly other: Float64Array;

  constructor(args: PrecisionRecallArgs, otherName: 'false_positives' | 'false_negatives') {
    const topK = option<number | null>(args, 'topK') ?? null;
    super(args, topK === null ? 0.5 : NEG_INF);
    this.topK = topK;
    this.classId = option<number | null>(args, 'classId') ?? null;
    if (topK !== null && (!Number.isInteger(topK) || topK < 1)) throw new ValueError(`metric '${this.name}': topK must be a positive integer, found ${JSON.stringify(topK)}`);
    const t = this.thresholds.length;
    [this.tp, this.other] = this.defineState([
      { name: 'true_positives', shape: [t] },
      { name: otherName, shape: [t] },
    ]);
  }

  override result(): number | number[] {
    return this.single(Array.from(this.tp, (tp, i) => divideNoNan(tp, tp + this.other[i]!)));
  }

  override getConfig(): Config {
    return { ...super.getConfig(), thresholds: this.initThresholds, top_k: this.topK, class_id: this.classId };
  }
}

/**
 * TP / (TP + FP): how many predicted positives are real (Keras `Precision`). 0 while nothing was
 * predicted positive. Labels count as positive when nonzero; predictions when `> threshold`.
 *
 * ```ts
 * const m = new kiln.metrics.Precision();
 * m.updateState([0, 1, 1, 1], [1, 0, 1, 1]);
 * m.result(); // 2/3
 * new kiln.metrics.Precision({ classId: 2 }); // one class of a softmax output
 * ```
 */
export class Precision extends RatioMetric {
  static override readonly className = 'Precision';

  constructor(args: PrecisionRecallArgs = {}) {
    super(args, 'false_positives');
  }

  override updateState(yTrue: MetricInput, yPred?: MetricInput, sampleWeight?: MetricInput | null): void {
    this.update({ tp: this.tp, fp: this.other }, yTrue, yPred, sampleWeight, this.topK, this.classId);
  }
}

/**
 * TP / (TP + FN): how many real positives were found (Keras `Recall`). 0 while no positive label
 * was seen.
 *
 * ```ts
 * const m = new kiln.metrics.Recall();
 * m.updateState([0, 1, 1, 1], [1, 0, 1, 1]);
 * m.result(); // 2/3
 * ```
 */
export class Recall extends RatioMetric {
  static override readonly className = 'Recall';

  constructor(args: PrecisionRecallArgs = {}) {
    super(args, 'false_negatives');
  }

  override updateState(yTrue: MetricInput, yPred?: MetricInput, sampleWeight?: MetricInput | null): void {
    this.update({ tp: this.tp, fn: this.other }, yTrue, yPred, sampleWeight, this.topK, this.classId);
  }
}

registerMetric(TruePositives);
registerMetric(FalsePositives);
registerMetric(TrueNegatives);
registerMetric(FalseNegatives);
registerMetric(Precision);
registerMetric(Recall);
