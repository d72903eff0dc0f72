import type { Tensor } from '../core/tensor.js';
import type { Logs } from '../callbacks/callback.js';
import { ValueError } from '../errors.js';
import type { Loss, LossName } from '../losses/index.js';
import { getLoss } from '../losses/index.js';
import type { Metric, MetricName } from '../metrics/index.js';
import { Mean, metricDirection, resolveMetric } from '../metrics/index.js';
import type { MetricDirection } from '../metrics/index.js';
import type { Optimizer, OptimizerIdentifier } from '../optimizers/index.js';
import { getOptimizer } from '../optimizers/index.js';
import type { SerializedObject } from '../serialization/registry.js';
import { option } from '../utils/args.js';
import type { Spelled } from '../utils/options.js';
import { checkOptions, optionNames } from '../utils/options.js';

export type LossIdentifier = LossName | Loss | ((yTrue: Tensor, yPred: Tensor) => Tensor) | SerializedObject;
export type MetricIdentifier = MetricName | Metric | SerializedObject;

/** `model.compile()` options (camelCase, or Keras snake_case). */
export interface CompileArgs {
  /** An optimizer name ('adam', 'sgd', …) or instance. Keras's default is 'rmsprop'. */
  optimizer?: OptimizerIdentifier;
  loss: LossIdentifier;
  metrics?: MetricIdentifier[];
}

/** `compile`'s options in either spelling. */
export type CompileOptions = Spelled<CompileArgs>;

export const COMPILE_OPTIONS = optionNames<CompileArgs>({ optimizer: true, loss: true, metrics: true });

/**
 * What compile resolved. Metrics given by name are resolved on first use, when the label and
 * output shapes are known (that is when Keras decides what 'accuracy' means).
 */
export class CompiledState {
  readonly optimizer: Optimizer;
  readonly loss: Loss;
  /** The loss as the user gave it, for saving the training config. */
  readonly lossSpec: LossIdentifier;
  readonly metricSpecs: MetricIdentifier[];
  /** Running mean of the total loss (weighted by batch size, like Keras's loss tracker). */
  readonly lossTracker = new Mean({ name: 'loss' });
  private resolved: Metric[] | null = null;
  private resolvedNames: string[] | null = null;

  constructor(args: CompileOptions) {
    if (!args || typeof args !== 'object') throw new ValueError('compile: expected an options object like { optimizer, loss, metrics }');
    checkOptions('compile', args, COMPILE_OPTIONS);
    const loss = option<LossIdentifier>(args, 'loss');
    if (loss === undefined || loss === null) throw new ValueError("compile: 'loss' is required (e.g. 'sparse_categorical_crossentropy')");
    this.lossSpec = loss;
    this.loss = getLoss(loss);
    this.optimizer = getOptimizer(option(args, 'optimizer') ?? 'rmsprop');
    const metrics = option<MetricIdentifier[]>(args, 'metrics') ?? [];
    if (!Array.isArray(metrics)) throw new ValueError(`compile: 'metrics' must be an array, found ${JSON.stringify(metrics)}`);
    this.metricSpecs = metrics;
  }

  /** The compiled metrics, resolving names against the shapes of the first batch seen. */
  metrics(labelShape: readonly number[], outputShape: readonly number[]): Metric[] {
    this.resolved ??= this.metricSpecs.map((m) =>
      resolveMetric(m, { outputShape: [...outputShape], labelShape: [...labelShape], lossName: this.loss.name }),
    );
    return this.resolved;
  }

  /**
   * The direction of the compiled metric logged as `name` (without `val_`), from the metric itself
   * (before the first batch, from what compile was given); undefined when no compiled metric has
   * that name. Monitoring callbacks read "higher is better" here, as Keras 3's `_set_monitor_op`.
   */
  metricDirection(name: string): MetricDirection | undefined {
    const i = this.metricLogNames().indexOf(name);
    if (i < 0) return undefined;
    const resolved = this.resolved?.[i];
    return resolved ? resolved.direction : metricDirection(this.metricSpecs[i]!);
  }

  /** Metrics already resolved (empty before the first batch). */
  get resolvedMetrics(): Metric[] {
    return this.resolved ?? [];
  }

  /**
   * The metrics' log keys, unique (see `uniqueMetricNames`): from the resolved metrics, or before
   * the first batch from what compile was given (a name string is the metric's name, as in Keras).
   */
  metricLogNames(): string[] {
    if (this.resolvedNames) return this.resolvedNames;
    const names = this.resolved
      ? this.resolved.map((m) => m.name)
      : this.metricSpecs.map((m) => {
        if (typeof m === 'string') return m;
        const named = m as { name?: unknown; config?: { name?: unknown } };
        const name = typeof named.name === 'string' ? named.name : named.config?.name;
        return typeof name === 'string' ? name : 'metric';
      });
    const unique = uniqueMetricNames(names);
    if (this.resolved) this.resolvedNames = unique;
    return unique;
  }

  resetMetrics(): void {
    this.lossTracker.resetState();
    for (const m of this.resolvedMetrics) m.resetState();
  }

  /** Current values: `loss` first, then each metric (per-class results keep their array form). */
  logs(prefix = ''): Logs {
    const logs: Logs = { [`${prefix}loss`]: this.lossTracker.result() as number };
    const names = this.metricLogNames();
    this.resolvedMetrics.forEach((m, i) => {
      // Per-class results (F1Score with average null, ConfusionMatrix) stay arrays, as in Keras.
      logs[`${prefix}${names[i]}`] = m.result();
    });
    return logs;
  }
}

/**
 * The log key of each metric, made unique as Keras 3's CompileMetrics does: the first `auc` keeps
 * its name, the next ones become `auc_1`, `auc_2`… (`loss` counts as taken, and a suffixed name
 * that is already taken is skipped, so no value is ever overwritten).
 *
 * ```ts
 * uniqueMetricNames(['auc', 'auc', 'accuracy']); // ['auc', 'auc_1', 'accuracy']
 * ```
 */
export function uniqueMetricNames(names: readonly string[]): string[] {
  const taken = new Set(['loss', ...names]);
  const counters = new Map<string, number>();
  return names.map((name) => {
    if (!counters.has(name)) {
      counters.set(name, 1);
      if (name !== 'loss') return name;
    }
    let candidate: string;
    do {
      const index = counters.get(name)!;
      counters.set(name, index + 1);
      candidate = `${name}_${index}`;
    } while (taken.has(candidate));
    taken.add(candidate);
    return candidate;
  });
}
