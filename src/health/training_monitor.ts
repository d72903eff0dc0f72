import { ValueError } from '../errors.js';
import { option } from '../utils/args.js';
import type { Spelled } from '../utils/options.js';
import { checkOptions } from '../utils/options.js';
import type { Logs } from '../callbacks/callback.js';
import { Callback } from '../callbacks/callback.js';
import type { StepRecord } from '../callbacks/step_record.js';
import type { TrainingEvent, TrainingEventKind } from '../callbacks/training_event.js';
import type { FitDataView, LabelKind } from './data_checks.js';
import { checkFitData, classCounts, classLabels } from './data_checks.js';

/** fit's `monitor` option: `false` turns the monitor off; an object tunes it. */
export interface MonitorOptions {
  /** Inspect layer statistics every N training steps (default 20; the last step of each epoch is always inspected). */
  inspectEvery?: number;
  /** Print events as they are raised (default true): under the progress bar on a terminal, else on stderr. */
  print?: boolean;
  /** Checks to turn off, by kind. */
  disable?: TrainingEventKind[];
  /** A batch loss this many times the recent median is a spike (default 10). */
  spikeFactor?: number;
  /** Consecutive rising loss windows that make a divergence (default 4). */
  divergencePatience?: number;
  /** A layer gradient norm above this, and 50× its own median, is exploding (default 1e3). */
  explodingNorm?: number;
  /** A layer whose gradient norm is this small relative to the largest layer's is vanishing (default 1e-6). */
  vanishingRatio?: number;
  /** The share of a ReLU layer's units never active over an epoch that is reported (default 0.5). */
  deadShare?: number;
  /** Epochs without a 0.1% improvement of the training loss that make a plateau (default 10). */
  plateauPatience?: number;
  /** Validated epochs of rising validation loss with falling training loss that make overfitting (default 3). */
  overfitPatience?: number;
  /** Majority-class share from which labels count as imbalanced (default 0.8). */
  imbalanceShare?: number;
  /** Ratio of the largest to the smallest feature range that is reported without normalization (default 100). */
  scaleRatio?: number;
}

const MONITOR_OPTIONS = [
  'inspectEvery', 'print', 'disable', 'spikeFactor', 'divergencePatience', 'explodingNorm', 'vanishingRatio', 'deadShare',
  'plateauPatience', 'overfitPatience', 'imbalanceShare', 'scaleRatio',
] as const;

/** What fit tells the monitor about the model it watches. */
export interface MonitorContext {
  labelKind: LabelKind;
  normalizesInput: boolean;
  /** Other callbacks in the run: the overfitting event looks for saved checkpoints there. */
  callbacks: readonly Callback[];
  /** Where events go: history.events, the loggers, the terminal. */
  sink: (event: TrainingEvent) => void;
}

interface LayerTrack {
  gradNorms: number[];
  epochGradNorms: number[];
  active: Uint8Array | null;
  samples: number;
}

/**
 * The training-health monitor (on by default in `fit`): watches the run and raises events for the
 * strange occurrences the course says to look out for — a NaN, a loss spike or divergence,
 * exploding or vanishing gradients, dead ReLUs, a plateau, a learning rate too high or too low,
 * overfitting, class imbalance, and data problems when fit starts. Layer statistics come from the
 * training step itself, every `inspectEvery` steps (see StepRecord), so watching costs a few
 * reductions, not a second forward pass.
 *
 * Each kind is raised once per layer per run (a loss spike at most once per epoch), so a broken run
 * gets one clear message, not one per step.
 *
 * ```ts
 * const h = await model.fit(x, y, { epochs: 20, validationSplit: 0.2, monitor: { inspectEvery: 5 } });
 * for (const e of h.events) console.log(e.kind, e.epoch, e.layer, e.message, e.remedy);
 * ```
 */
export class TrainingMonitor extends Callback {
  readonly inspectEvery: number;
  readonly print: boolean;
  private readonly disabled: Set<string>;
  private readonly spikeFactor: number;
  private readonly divergencePatience: number;
  private readonly explodingNorm: number;
  private readonly vanishingRatio: number;
  private readonly deadShare: number;
  private readonly plateauPatience: number;
  private readonly overfitPatience: number;
  private readonly imbalanceShare: number;
  private readonly scaleRatio: number;
  private context: MonitorContext | null = null;
  private readonly raised = new Set<string>();
  private epoch = 0;
  private readonly layers = new Map<string, LayerTrack>();
  private layerOrder: string[] = [];
  private readonly recentLosses: number[] = [];
  private median: number | null = null;
  private mad = 0;
  private windowSum = 0;
  private windowCount = 0;
  private readonly windows: number[] = [];
  private firstWindow: number | null = null;
  private stepsSeen = 0;
  private spikeEpoch = -1;
  private readonly epochLoss: number[] = [];
  private readonly valLoss: (number | null)[] = [];
  private majority: { cls: number; share: number } | null = null;

  constructor(args: Spelled<MonitorOptions> = {}) {
    super();
    checkOptions('monitor', args, MONITOR_OPTIONS);
    const num = (name: string, dflt: number, integer = false): number => {
      const v = option<unknown>(args, name) ?? dflt;
      if (typeof v !== 'number' || !(v > 0) || (integer && !Number.isInteger(v))) {
        throw new ValueError(`monitor: ${name} must be a positive ${integer ? 'integer' : 'number'}, found ${JSON.stringify(v)}`);
      }
      return v;
    };
    this.inspectEvery = num('inspectEvery', 20, true);
    this.spikeFactor = num('spikeFactor', 10);
    this.divergencePatience = num('divergencePatience', 4, true);
    this.explodingNorm = num('explodingNorm', 1e3);
    this.vanishingRatio = num('vanishingRatio', 1e-6);
    this.deadShare = num('deadShare', 0.5);
    this.plateauPatience = num('plateauPatience', 10, true);
    this.overfitPatience = num('overfitPatience', 3, true);
    this.imbalanceShare = num('imbalanceShare', 0.8);
    this.scaleRatio = num('scaleRatio', 100);
    const print = option<unknown>(args, 'print') ?? true;
    if (typeof print !== 'boolean') throw new ValueError(`monitor: print must be true or false, found ${JSON.stringify(print)}`);
    this.print = print;
    const disable = option<unknown>(args, 'disable') ?? [];
    if (!Array.isArray(disable) || disable.some((k) => typeof k !== 'string')) {
      throw new ValueError(`monitor: disable must be a list of event kinds, found ${JSON.stringify(disable)}`);
    }
    this.disabled = new Set(disable as string[]);
  }

  /** Called by fit before training with what the monitor needs to know and where events go. */
  attach(context: MonitorContext): void {
    this.context = context;
  }

  /** The start-of-fit data checks (fit calls this once, before the first epoch). */
  checkData(data: FitDataView): void {
    const ctx = this.context;
    if (!ctx) return;
    checkFitData(data, { labelKind: ctx.labelKind, normalizesInput: ctx.normalizesInput, scaleRatio: this.scaleRatio, overlapShare: 0.01, leakCorrelation: 0.999 },
      (e) => this.raise({ ...e, epoch: -1, step: null }));
    const labels = classLabels(data.y, ctx.labelKind);
    if (labels && labels.length > 0) {
      let best = { cls: 0, share: 0 };
      for (const [cls, count] of classCounts(labels)) if (count / labels.length > best.share) best = { cls, share: count / labels.length };
      this.majority = best;
    }
  }

  override inspectStep(globalStep: number): boolean {
    const steps = this.params.steps;
    return globalStep % this.inspectEvery === 0 || (steps > 0 && (globalStep + 1) % steps === 0);
  }

  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
    // Active units keep accumulating across epochs until enough rows were seen to judge them.
    for (const t of this.layers.values()) t.epochGradNorms = [];
  }

  /**
   * What the monitor has seen so far, for backupAndRestore: a resumed run keeps its windows, layer
   * tracks and the set of events already raised, so it neither forgets a trend nor raises an event twice.
   */
  override getState(): Record<string, unknown> {
    return {
      raised: [...this.raised],
      epoch: this.epoch,
      layers: [...this.layers].map(([name, t]) => ({
        name, gradNorms: [...t.gradNorms], epochGradNorms: [...t.epochGradNorms], active: t.active ? [...t.active] : null, samples: t.samples,
      })),
      layerOrder: [...this.layerOrder],
      recentLosses: [...this.recentLosses],
      median: this.median, mad: this.mad, windowSum: this.windowSum, windowCount: this.windowCount,
      windows: [...this.windows], firstWindow: this.firstWindow, stepsSeen: this.stepsSeen, spikeEpoch: this.spikeEpoch,
      epochLoss: [...this.epochLoss], valLoss: [...this.valLoss], majority: this.majority ? { ...this.majority } : null,
    };
  }

  override setState(state: Record<string, unknown>): void {
    const s = state as {
      raised: string[]; epoch: number; layerOrder: string[]; recentLosses: number[]; median: number | null; mad: number;
      windowSum: number; windowCount: number; windows: number[]; firstWindow: number | null; stepsSeen: number; spikeEpoch: number;
      epochLoss: number[]; valLoss: (number | null)[]; majority: { cls: number; share: number } | null;
      layers: { name: string; gradNorms: number[]; epochGradNorms: number[]; active: number[] | null; samples: number }[];
    };
    const refill = <T>(target: T[], from: readonly T[]): void => void target.splice(0, target.length, ...from);
    this.raised.clear();
    for (const k of s.raised) this.raised.add(k);
    this.epoch = s.epoch;
    this.layers.clear();
    for (const t of s.layers) {
      this.layers.set(t.name, { gradNorms: [...t.gradNorms], epochGradNorms: [...t.epochGradNorms], active: t.active ? Uint8Array.from(t.active) : null, samples: t.samples });
    }
    this.layerOrder = [...s.layerOrder];
    refill(this.recentLosses, s.recentLosses);
    this.median = s.median;
    this.mad = s.mad;
    this.windowSum = s.windowSum;
    this.windowCount = s.windowCount;
    refill(this.windows, s.windows);
    this.firstWindow = s.firstWindow;
    this.stepsSeen = s.stepsSeen;
    this.spikeEpoch = s.spikeEpoch;
    refill(this.epochLoss, s.epochLoss);
    refill(this.valLoss, s.valLoss);
    this.majority = s.majority;
  }

  override onEpochResume(epoch: number): void {
    this.onEpochBegin(epoch);
  }

  override onTrainStep(r: StepRecord): void {
    this.epoch = r.epoch;
    if (!Number.isFinite(r.loss)) {
      this.nonFinite(r);
      return;
    }
    this.lossChecks(r);
    if (r.layers) this.layerChecks(r);
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    this.deadAndVanishing(epoch);
    const loss = logs['loss'];
    if (typeof loss === 'number' && Number.isFinite(loss)) this.epochLoss.push(loss);
    const val = logs['val_loss'];
    this.valLoss.push(typeof val === 'number' && Number.isFinite(val) ? val : null);
    this.plateau(epoch);
    this.overfitting(epoch);
    this.imbalance(epoch, logs);
  }

  // ── blow-ups ────────────────────────────────────────────────────────────────

  private nonFinite(r: StepRecord): void {
    const layers = r.layers ?? [];
    const byOutput = layers.find((l) => !l.outputFinite);
    const byWeights = layers.find((l) => !l.weightsFinite);
    const byGrad = layers.find((l) => l.gradNorm !== null && !Number.isFinite(l.gradNorm));
    const first = byWeights ?? byOutput ?? byGrad;
    const where = byWeights ? 'its weights' : byOutput ? 'its output' : byGrad ? 'its gradient' : null;
    this.raise({
      kind: 'non_finite', severity: 'error', epoch: r.epoch, step: r.step, ...(first ? { layer: first.name } : {}),
      message: first
        ? `the loss is ${r.loss}; the first layer with a non-finite value is '${first.name}' (${where})`
        : `the loss is ${r.loss} while every layer's output is finite: the loss itself overflowed (log of 0, or labels out of range)`,
      evidence: { loss: String(r.loss), layer: first?.name ?? null, where, gradNorm: first?.gradNorm ?? null, weightNorm: first?.weightNorm ?? null },
      remedy: 'lower the learning rate (try 10× smaller), scale the inputs, or clip gradients (optimizer clipnorm); add terminateOnNaN to stop at once',
    }, 'non_finite');
  }

  private lossChecks(r: StepRecord): void {
    this.stepsSeen++;
    const recent = this.recentLosses;
    // The median and MAD of the recent losses are refreshed every 10 steps: sorting every step
    // would cost more than the rest of the monitor.
    if (recent.length >= 10 && (this.stepsSeen % 10 === 0 || this.median === null)) {
      const sorted = [...recent].sort((a, b) => a - b);
      this.median = sorted[sorted.length >> 1]!;
      const med = this.median;
      this.mad = recent.map((v) => Math.abs(v - med)).sort((a, b) => a - b)[recent.length >> 1]!;
    }
    if (this.median !== null && this.spikeEpoch !== r.epoch) {
      const median = this.median;
      const mad = this.mad;
      if (r.loss > this.spikeFactor * median && r.loss > median + this.spikeFactor * mad && r.loss - median > 1e-3) {
        this.spikeEpoch = r.epoch;
        this.raise({
          kind: 'loss_spike', severity: 'warning', epoch: r.epoch, step: r.step,
          message: `batch loss ${fmt(r.loss)} is ${fmt(r.loss / median)}× the recent median ${fmt(median)}`,
          evidence: { loss: r.loss, median, ratio: r.loss / median },
          remedy: 'look for bad rows in that batch (outliers, wrong labels) or lower the learning rate; gradient clipping (clipnorm) limits the damage',
        }, `loss_spike:${r.epoch}`);
      }
    }
    recent.push(r.loss);
    if (recent.length > 50) recent.shift();
    // Trend checks run on window means, which smooth batch-to-batch noise.
    const windowSize = Math.max(5, Math.min(200, Math.ceil(this.params.steps / 4)));
    this.windowSum += r.loss;
    this.windowCount++;
    if (this.windowCount < windowSize) return;
    const mean = this.windowSum / this.windowCount;
    this.windowSum = 0;
    this.windowCount = 0;
    this.windows.push(mean);
    this.firstWindow ??= mean;
    this.trendChecks(r);
  }

  private trendChecks(r: StepRecord): void {
    const w = this.windows;
    const n = this.divergencePatience;
    if (w.length > n) {
      const tail = w.slice(-n - 1);
      const rising = tail.every((v, i) => i === 0 || v > tail[i - 1]! * 1.005);
      const low = Math.min(...w);
      // A converged run wanders around its floor: a rise counts only when it gives back a real share
      // of the progress made since the first window (or when the loss never fell at all).
      const givesBack = tail.at(-1)! - low > 0.25 * Math.max(0, this.firstWindow! - low);
      if (rising && tail.at(-1)! > 1.5 * low && givesBack) {
        this.raise({
          kind: 'divergence', severity: 'error', epoch: r.epoch, step: r.step,
          message: `the loss rose for ${n} consecutive checks, from ${fmt(tail[0]!)} to ${fmt(tail.at(-1)!)} (lowest so far ${fmt(low)})`,
          evidence: { windows: tail, lowest: low },
          remedy: 'lower the learning rate (try 10× smaller) or add a schedule (reduceLROnPlateau)',
        }, 'divergence');
      }
    }
    if (w.length >= 8) {
      const tail = w.slice(-8);
      let flips = 0;
      let swing = 0;
      for (let i = 2; i < tail.length; i++) if (Math.sign(tail[i]! - tail[i - 1]!) !== Math.sign(tail[i - 1]! - tail[i - 2]!)) flips++;
      for (let i = 1; i < tail.length; i++) swing += Math.abs(tail[i]! - tail[i - 1]!);
      const mean = tail.reduce((a, b) => a + b, 0) / tail.length;
      const relSwing = swing / (tail.length - 1) / mean;
      // A converged run also bounces batch to batch; a rate that is too high bounces without ever
      // getting far below where it started.
      if (flips >= 5 && relSwing > 0.2 && tail.at(-1)! >= 0.9 * tail[0]! && mean >= 0.5 * this.firstWindow!) {
        this.raise({
          kind: 'lr_too_high', severity: 'warning', epoch: r.epoch, step: r.step,
          message: `the loss oscillates (${flips} reversals in the last 8 checks, average swing ${(100 * relSwing).toFixed(0)}%) without going down`,
          evidence: { windows: tail, reversals: flips, relativeSwing: relSwing },
          remedy: 'the learning rate looks too high: lower it (try 3–10× smaller)',
        }, 'lr_too_high');
      }
    }
    const first = this.firstWindow!;
    // Judged over at least 100 steps and three epochs: a CNN often sits on its first loss for an
    // epoch or two before it starts to learn, and that slow start is not a learning rate too low.
    const horizon = Math.max(100, 3 * this.params.steps);
    if (w.length >= 6 && this.stepsSeen >= horizon && w.at(-1)! >= 0.99 * first && w.at(-1)! <= 1.01 * first) {
      // A run whose units are dead cannot move whatever the rate: that event already says why.
      const moving = [...this.layers.values()].some((t) => t.gradNorms.some((g) => g > 0));
      const dead = [...this.raised].some((k) => k.startsWith('dead_relu:'));
      if (moving && !dead) {
        this.raise({
          kind: 'lr_too_low', severity: 'warning', epoch: r.epoch, step: r.step,
          message: `after ${this.stepsSeen} steps the loss has not moved: ${fmt(first)} at the start, ${fmt(w.at(-1)!)} now`,
          evidence: { firstWindow: first, lastWindow: w.at(-1)!, steps: this.stepsSeen },
          remedy: 'the learning rate looks too low (or the model cannot learn this): raise it 10×, and check that the labels match the inputs',
        }, 'lr_too_low');
      }
    }
  }

  // ── layers ──────────────────────────────────────────────────────────────────

  private layerChecks(r: StepRecord): void {
    if (this.layerOrder.length === 0) this.layerOrder = r.layers!.map((l) => l.name);
    for (const l of r.layers!) {
      let t = this.layers.get(l.name);
      if (!t) this.layers.set(l.name, (t = { gradNorms: [], epochGradNorms: [], active: null, samples: 0 }));
      if (l.activeUnits) {
        if (!t.active) t.active = Uint8Array.from(l.activeUnits);
        else for (let i = 0; i < t.active.length; i++) t.active[i]! |= l.activeUnits[i]!;
        t.samples += r.batchSize;
      }
      if (l.gradNorm === null || !Number.isFinite(l.gradNorm)) continue;
      const history = t.gradNorms;
      if (history.length >= 5) {
        const median = [...history].sort((a, b) => a - b)[history.length >> 1]!;
        if (l.gradNorm > this.explodingNorm && l.gradNorm > 50 * median) {
          this.raise({
            kind: 'exploding_gradients', severity: 'error', epoch: r.epoch, step: r.step, layer: l.name,
            message: `gradient norm of '${l.name}' is ${fmt(l.gradNorm)}, ${fmt(l.gradNorm / median)}× its median ${fmt(median)}`,
            evidence: { gradNorm: l.gradNorm, median },
            remedy: 'clip gradients (optimizer clipnorm: 1), lower the learning rate, or normalize the inputs',
          }, `exploding_gradients:${l.name}`);
        }
      }
      history.push(l.gradNorm);
      if (history.length > 100) history.shift();
      t.epochGradNorms.push(l.gradNorm);
    }
  }

  private deadAndVanishing(epoch: number): void {
    let deadFrom = Infinity;
    this.layerOrder.forEach((name, index) => {
      const t = this.layers.get(name)!;
      if (!t.active || t.samples < DEAD_UNIT_ROWS) return;
      const dead = t.active.reduce((n, a) => n + (a ? 0 : 1), 0);
      const seen = t.samples;
      const units = t.active.length;
      t.active = null;
      t.samples = 0;
      const share = dead / units;
      if (share >= this.deadShare) {
        deadFrom = Math.min(deadFrom, index);
        this.raise({
          kind: 'dead_relu', severity: 'warning', epoch, step: null, layer: name,
          message: `${dead} of ${units} ReLU units of '${name}' (${(100 * share).toFixed(0)}%) were never active on the ${seen} rows of the inspected batches`,
          evidence: { deadUnits: dead, units, share, rowsSeen: seen },
          remedy: "lower the learning rate, use he_normal initialization with a zero bias, or use leakyReLU / 'gelu'",
        }, `dead_relu:${name}`);
      }
    });
    const medians = this.layerOrder.map((name) => {
      const g = this.layers.get(name)!.epochGradNorms;
      return g.length === 0 ? null : [...g].sort((a, b) => a - b)[g.length >> 1]!;
    });
    const largest = Math.max(0, ...medians.filter((m): m is number => m !== null));
    if (!(largest > 0)) return;
    this.layerOrder.forEach((name, index) => {
      const m = medians[index];
      // Layers below a dead ReLU layer get no gradient because of it: that event already says why.
      if (m === null || m === undefined || (deadFrom !== Infinity && index <= deadFrom)) return;
      if (m < this.vanishingRatio * largest) {
        this.raise({
          kind: 'vanishing_gradients', severity: 'warning', epoch, step: null, layer: name,
          message: `gradient norm of '${name}' is ${fmt(m)}, ${fmt(m / largest)} of the largest layer's (${fmt(largest)}): it barely learns`,
          evidence: { gradNorm: m, largestLayerNorm: largest, ratio: m / largest },
          remedy: "use ReLU-family activations instead of sigmoid/tanh in deep stacks, he_normal initialization, or batchNormalization",
        }, `vanishing_gradients:${name}`);
      }
    });
  }

  // ── epochs ──────────────────────────────────────────────────────────────────

  private plateau(epoch: number): void {
    const losses = this.epochLoss;
    const p = this.plateauPatience;
    if (losses.length <= p) return;
    const before = Math.min(...losses.slice(0, -p));
    const recentBest = Math.min(...losses.slice(-p));
    if (recentBest > before * (1 - 1e-3)) {
      this.raise({
        kind: 'plateau', severity: 'warning', epoch, step: null,
        message: `the training loss has not improved by 0.1% in ${p} epochs (best ${fmt(before)} before, ${fmt(recentBest)} since)`,
        evidence: { bestBefore: before, bestSince: recentBest, epochs: p },
        remedy: 'lower the learning rate on plateaus (reduceLROnPlateau), stop early (earlyStopping), or give the model more capacity',
      }, 'plateau');
    }
  }

  private overfitting(epoch: number): void {
    const pairs = this.valLoss.map((v, i) => ({ epoch: i, val: v, train: this.epochLoss[i] })).filter((p) => p.val !== null) as { epoch: number; val: number; train: number | undefined }[];
    const k = this.overfitPatience;
    if (pairs.length <= k) return;
    let best = pairs[0]!;
    for (const p of pairs) if (p.val < best.val) best = p;
    const after = pairs.filter((p) => p.epoch > best.epoch);
    if (after.length < k) return;
    const tail = [best, ...after.slice(-k)];
    const valRising = after.slice(-k).every((p, i) => p.val > tail[i]!.val) && after.at(-1)!.val > best.val * 1.02;
    const trainFalling = after.at(-1)!.train !== undefined && best.train !== undefined && after.at(-1)!.train! < best.train;
    if (!valRising || !trainFalling) return;
    const began = best.epoch + 1;
    const saved = this.context?.callbacks.flatMap((cb) => cb.savedCheckpoints?.() ?? []) ?? [];
    const restore = [...saved].reverse().find((c) => c.epoch <= best.epoch && c.batch === null) ?? null;
    this.raise({
      kind: 'overfitting', severity: 'warning', epoch, step: null,
      message: `validation loss has risen since epoch ${began + 1} (best ${fmt(best.val)} at epoch ${best.epoch + 1}, now ${fmt(after.at(-1)!.val)}) while training loss fell`,
      evidence: { began, bestEpoch: best.epoch, bestValLoss: best.val, valLoss: after.at(-1)!.val, trainLoss: after.at(-1)!.train ?? null, checkpoint: restore?.path ?? null },
      remedy: restore
        ? `restore the checkpoint saved at epoch ${restore.epoch + 1}: ${restore.path}; add earlyStopping({ restoreBestWeights: true }) or regularization (dropout, L2)`
        : 'stop earlier (earlyStopping with restoreBestWeights), add regularization (dropout, L2), or get more data; save checkpoints with modelCheckpoint to restore the best epoch',
    }, 'overfitting');
  }

  private imbalance(epoch: number, logs: Logs): void {
    const maj = this.majority;
    if (!maj || maj.share < this.imbalanceShare) return;
    const key = ['accuracy', 'acc', 'binary_accuracy', 'sparse_categorical_accuracy', 'categorical_accuracy'].find((k) => typeof logs[k] === 'number');
    if (!key || (epoch < 1 && epoch + 1 < this.params.epochs)) return;
    const acc = logs[key] as number;
    if (acc > maj.share + 0.005) return;
    this.raise({
      kind: 'class_imbalance', severity: 'warning', epoch, step: null,
      message: `${key} ${fmt(acc)} is no better than always predicting class ${maj.cls}, which is ${(100 * maj.share).toFixed(1)}% of the labels`,
      evidence: { accuracy: acc, majorityClass: maj.cls, majorityShare: maj.share },
      remedy: 'weigh the classes (classWeight, e.g. inversely to their frequency), resample, and judge by precision/recall/AUC rather than accuracy',
    }, 'class_imbalance');
  }

  private raise(event: TrainingEvent, key: string = event.kind): void {
    if (this.disabled.has(event.kind) || this.raised.has(key)) return;
    this.raised.add(key);
    this.context?.sink(event);
  }
}

/** Rows of inspected batches a layer's units are judged on: fewer, and a rarely active unit looks dead. */
const DEAD_UNIT_ROWS = 128;

function fmt(v: number): string {
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toPrecision(4);
}
