import * as P from '../core/primitives.js';
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

/** A value given once for every output, as a list in output order, or as a record keyed by output name. */
export type PerOutput<T> = T | T[] | Record<string, T>;

/** `model.compile()` options (camelCase, or Keras snake_case). */
export interface CompileArgs {
  /** An optimizer name ('adam', 'sgd', …) or instance. Keras's default is 'rmsprop'. */
  optimizer?: OptimizerIdentifier;
  /** The loss; for a model with several outputs one loss for all, a list in output order, or a record by output name. */
  loss: LossIdentifier | LossIdentifier[] | Record<string, LossIdentifier>;
  /** Weights of each output's loss in the total (a list in output order, or a record by output name); default 1 each. */
  lossWeights?: number[] | Record<string, number>;
  /** Metrics; for several outputs a list of lists in output order, or a record by output name. */
  metrics?: MetricIdentifier[] | MetricIdentifier[][] | Record<string, MetricIdentifier | MetricIdentifier[]>;
}

/** `compile`'s options in either spelling. */
export type CompileOptions = Spelled<CompileArgs>;

export const COMPILE_OPTIONS = optionNames<CompileArgs>({ optimizer: true, loss: true, lossWeights: true, metrics: true });

/** What compile resolved for one output of the model. */
export interface CompiledOutput {
  name: string;
  loss: Loss;
  lossSpec: LossIdentifier;
  weight: number;
  metricSpecs: MetricIdentifier[];
  /** This output's weighted loss (`<name>_loss`), tracked only when the model has several outputs. */
  tracker: Mean | null;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return !!x && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype && !('class_name' in (x as object));
}

/** One value per output from a PerOutput value; `single` says whether a bare value means "the same for all". */
function perOutput<T>(given: unknown, names: readonly string[], what: string, fallback: () => T, isOne: (x: unknown) => boolean): T[] {
  if (given === undefined || given === null) return names.map(fallback);
  if (isOne(given)) return names.map(() => given as T);
  if (Array.isArray(given)) {
    if (given.length !== names.length) {
      throw new ValueError(`compile: ${what} has ${given.length} entries, but the model has ${names.length} outputs (${names.join(', ')})`);
    }
    return given as T[];
  }
  if (isRecord(given)) {
    for (const key of Object.keys(given)) {
      if (!names.includes(key)) throw new ValueError(`compile: ${what} names output '${key}', but the model's outputs are ${names.map((n) => `'${n}'`).join(', ')}`);
    }
    return names.map((n) => (n in given ? (given[n] as T) : fallback()));
  }
  throw new ValueError(`compile: ${what} must be a value, a list in output order or a record by output name, found ${JSON.stringify(given)?.slice(0, 80)}`);
}

/**
 * What compile resolved. Metrics given by name are resolved on first use, when the label and
 * output shapes are known (that is when Keras decides what 'accuracy' means). A model with
 * several outputs has a loss, a weight and metrics per output, logged as Keras 3 names them:
 * `loss` (the weighted total), `<output>_loss`, and `<output>_<metric>`.
 */
export class CompiledState {
  readonly optimizer: Optimizer;
  readonly outputs: CompiledOutput[];
  /** Running mean of the total loss (weighted by batch size, like Keras's loss tracker). */
  readonly lossTracker = new Mean({ name: 'loss' });
  /** The compile options as given (the loss, weights and metrics structures), for saving the training config. */
  readonly given: { loss: unknown; lossWeights: unknown; metrics: unknown };
  private resolved: (Metric[] | null)[];
  private resolvedNames: string[] | null = null;

  constructor(args: CompileOptions, outputNames: readonly string[] = ['output']) {
    if (!args || typeof args !== 'object') throw new ValueError('compile: expected an options object like { optimizer, loss, metrics }');
    checkOptions('compile', args, COMPILE_OPTIONS);
    const loss = option<unknown>(args, 'loss');
    if (loss === undefined || loss === null) throw new ValueError("compile: 'loss' is required (e.g. 'sparse_categorical_crossentropy')");
    const several = outputNames.length > 1;
    const isOneLoss = (x: unknown) => !Array.isArray(x) && !isRecord(x);
    const lossSpecs = several ? perOutput<LossIdentifier>(loss, outputNames, 'loss', () => {
      throw new ValueError(`compile: loss gives no loss for some outputs; give one for each of ${outputNames.join(', ')}`);
    }, isOneLoss) : [loss as LossIdentifier];
    const weightsGiven = option<unknown>(args, 'lossWeights');
    const weights = perOutput<number>(weightsGiven, outputNames, 'lossWeights', () => 1, (x) => typeof x === 'number');
    weights.forEach((w, i) => {
      if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new ValueError(`compile: lossWeights for output '${outputNames[i]}' must be a non-negative number, found ${JSON.stringify(w)}`);
    });
    const metrics = option<unknown>(args, 'metrics') ?? [];
    let metricLists: MetricIdentifier[][];
    if (!several) {
      if (!Array.isArray(metrics)) throw new ValueError(`compile: 'metrics' must be an array, found ${JSON.stringify(metrics)}`);
      metricLists = [metrics as MetricIdentifier[]];
    } else if (Array.isArray(metrics) && metrics.length === 0) {
      metricLists = outputNames.map(() => []);
    } else if (Array.isArray(metrics) && !metrics.every(Array.isArray)) {
      throw new ValueError(
        `compile: the model has ${outputNames.length} outputs (${outputNames.join(', ')}); give metrics as a list of lists (one per output) or a record by output name, e.g. { ${outputNames[0]}: ['accuracy'] }`,
      );
    } else {
      metricLists = perOutput<MetricIdentifier | MetricIdentifier[]>(metrics, outputNames, 'metrics', () => [], () => false)
        .map((m) => (Array.isArray(m) ? m : [m]));
    }
    this.outputs = outputNames.map((name, i) => ({
      name, lossSpec: lossSpecs[i]!, loss: getLoss(lossSpecs[i]!), weight: weights[i]!, metricSpecs: metricLists[i]!,
      tracker: several ? new Mean({ name: `${name}_loss` }) : null,
    }));
    this.resolved = this.outputs.map(() => null);
    this.given = { loss, lossWeights: weightsGiven ?? null, metrics: option(args, 'metrics') ?? null };
    this.optimizer = getOptimizer(option(args, 'optimizer') ?? 'rmsprop');
  }

  /** The first output's loss (the loss, for a model with one output). */
  get loss(): Loss {
    return this.outputs[0]!.loss;
  }
  /** The first output's loss as given (the loss, for a model with one output). */
  get lossSpec(): LossIdentifier {
    return this.outputs[0]!.lossSpec;
  }
  /** The first output's metrics as given (the metrics, for a model with one output). */
  get metricSpecs(): MetricIdentifier[] {
    return this.outputs[0]!.metricSpecs;
  }

  /**
   * The total loss of a batch: each output's loss times its weight, summed; also returns each
   * output's weighted part (for the `<output>_loss` logs).
   */
  computeLoss(ys: readonly Tensor[], preds: readonly Tensor[], sw: Tensor | undefined): { total: Tensor; parts: Tensor[] } {
    const parts = this.outputs.map((o, i) => {
      const l = o.loss.apply(ys[i]!, preds[i]!, sw);
      return o.weight === 1 ? l : P.binary('mul', l, P.fill([], o.weight, 'float32'));
    });
    let total = parts[0]!;
    for (let i = 1; i < parts.length; i++) total = P.binary('add', total, parts[i]!);
    return { total, parts };
  }

  /** Updates the loss trackers and every output's metrics after a batch. */
  updateMetrics(total: Tensor, parts: readonly Tensor[], ys: readonly Tensor[], preds: readonly Tensor[], sw: Tensor | undefined, rows: number): void {
    this.lossTracker.updateState(total, rows);
    this.outputs.forEach((o, i) => {
      o.tracker?.updateState(parts[i]!, rows);
      for (const m of this.metricsFor(i, ys[i]!.shape, preds[i]!.shape)) m.updateState(ys[i]!, preds[i]!, sw);
    });
  }

  /** Output `i`'s compiled metrics, resolving names against the shapes of the first batch seen. */
  metricsFor(i: number, labelShape: readonly number[], outputShape: readonly number[]): Metric[] {
    const o = this.outputs[i]!;
    if (!this.resolved[i]) {
      this.resolved[i] = o.metricSpecs.map((m) =>
        resolveMetric(m, { outputShape: [...outputShape], labelShape: [...labelShape], lossName: o.loss.name }),
      );
      this.resolvedNames = null;
    }
    return this.resolved[i]!;
  }

  /** The single output's metrics (see metricsFor). */
  metrics(labelShape: readonly number[], outputShape: readonly number[]): Metric[] {
    return this.metricsFor(0, labelShape, outputShape);
  }

  /** Whether every output's metrics are resolved. */
  get metricsResolved(): boolean {
    return this.resolved.every((r) => r !== null);
  }

  /**
   * The direction of the compiled metric logged as `name` (without `val_`), from the metric itself
   * (before the first batch, from what compile was given); undefined when no compiled metric has
   * that name. Monitoring callbacks read "higher is better" here, as Keras 3's `_set_monitor_op`.
   */
  metricDirection(name: string): MetricDirection | undefined {
    const i = this.metricLogNames().indexOf(name);
    if (i < 0) return undefined;
    const resolved = this.resolvedMetrics[i];
    return resolved && this.metricsResolved ? resolved.direction : metricDirection(this.outputs.flatMap((o) => o.metricSpecs)[i]!);
  }

  /** Metrics already resolved, output by output (empty before the first batch). */
  get resolvedMetrics(): Metric[] {
    return this.resolved.flatMap((r) => r ?? []);
  }

  /** The per-output loss trackers (none for a model with one output). */
  get outputLossTrackers(): Mean[] {
    return this.outputs.flatMap((o) => (o.tracker ? [o.tracker] : []));
  }

  /**
   * The metrics' log keys, unique (see `uniqueMetricNames`): from the resolved metrics, or before
   * the first batch from what compile was given (a name string is the metric's name, as in Keras).
   * With several outputs each is prefixed by its output's name.
   */
  metricLogNames(): string[] {
    if (this.resolvedNames) return this.resolvedNames;
    const several = this.outputs.length > 1;
    const names = this.outputs.flatMap((o, i) => {
      const resolved = this.resolved[i];
      const own = resolved
        ? resolved.map((m) => m.name)
        : o.metricSpecs.map((m) => {
          if (typeof m === 'string') return m;
          const named = m as { name?: unknown; config?: { name?: unknown } };
          const name = typeof named.name === 'string' ? named.name : named.config?.name;
          return typeof name === 'string' ? name : 'metric';
        });
      return several ? own.map((n) => `${o.name}_${n}`) : own;
    });
    const unique = uniqueMetricNames(names, this.outputLossTrackers.map((t) => t.name));
    if (this.metricsResolved) this.resolvedNames = unique;
    return unique;
  }

  /** The log keys of the losses: `loss`, then `<output>_loss` per output when there are several. */
  lossLogNames(): string[] {
    return ['loss', ...this.outputLossTrackers.map((t) => t.name)];
  }

  resetMetrics(): void {
    this.lossTracker.resetState();
    for (const t of this.outputLossTrackers) t.resetState();
    for (const m of this.resolvedMetrics) m.resetState();
  }

  /** Current values: `loss` first, then per-output losses, then each metric (per-class results keep their array form). */
  logs(prefix = ''): Logs {
    const logs: Logs = { [`${prefix}loss`]: this.lossTracker.result() as number };
    for (const t of this.outputLossTrackers) logs[`${prefix}${t.name}`] = t.result() as number;
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
export function uniqueMetricNames(names: readonly string[], reserved: readonly string[] = []): string[] {
  const taken = new Set(['loss', ...reserved, ...names]);
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
