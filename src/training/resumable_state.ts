import { createHash } from 'node:crypto';
import { getBackend } from '../core/backend_registry.js';
import { noGrad } from '../core/engine.js';
import * as P from '../core/primitives.js';
import { getRandomState, setRandomState } from '../core/random.js';
import type { StreamName } from '../core/random.js';
import { stepScope } from '../core/scope.js';
import { formatShape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import type { Callback, Logs } from '../callbacks/callback.js';
import type { History } from '../callbacks/history.js';
import type { LoopPlan, LoopPosition, TrainingSnapshot } from '../callbacks/training_loop.js';
import { ValueError } from '../errors.js';
import type { CompiledState } from './compile.js';
import type { TrainableModel } from './trainer.js';
import type { LoopData } from './dataset_feed.js';
import { datasetBatch, isDataset } from './dataset_feed.js';

/** The arrays a fit runs on (after validation split and class weights). */
export interface FitData {
  /** One array per model input, and per output. */
  x: Tensor[];
  y: Tensor[];
  sw: Tensor | null;
}

/** SHA-256 over shapes, dtypes and bytes of every array: equal data ⇔ equal fingerprint. */
export function fingerprintData(arrays: (Tensor | null)[]): string {
  const hash = createHash('sha256');
  for (const t of arrays) {
    if (!t) {
      hash.update('none;');
      continue;
    }
    hash.update(`${t.dtype}${formatShape(t.shape)};`);
    const v = t.peekSync();
    hash.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  }
  return hash.digest('hex');
}

/** The key under which a user callback's state is saved: its position in the list and its class. */
export function callbackKey(cb: Callback, index: number): string {
  return `${index}:${cb.constructor.name}`;
}

/** What capture/restore needs from the fit loop. */
export interface LoopParts {
  model: TrainableModel;
  compiled: CompiledState;
  data: LoopData;
  history: History;
  /** The callbacks whose `getState` goes into a backup: the user's, then fit's own monitor. */
  statefulCallbacks: Callback[];
  plan: LoopPlan;
}

/** Copies the loop's whole resumable state (see TrainingSnapshot). */
export function captureState(
  parts: LoopParts, position: LoopPosition, order: Int32Array | null, logs: Logs, dataFingerprint: string,
): TrainingSnapshot {
  const { model, compiled, history } = parts;
  const optimizer = compiled.optimizer;
  const callbacks: Record<string, Record<string, unknown>> = {};
  parts.statefulCallbacks.forEach((cb, i) => {
    if (cb.getState) callbacks[callbackKey(cb, i)] = cb.getState();
  });
  return {
    position: { ...position },
    stopTraining: model.stopTraining,
    plan: { ...parts.plan },
    dataFingerprint,
    backend: getBackend(),
    shuffleOrder: order ? Int32Array.from(order) : null,
    rng: getRandomState(),
    weights: model.getWeights(),
    optimizer: optimizer.built ? optimizer.getState() : [],
    metrics: [compiled.lossTracker, ...compiled.outputLossTrackers, ...compiled.resolvedMetrics].map((m) => ({ name: m.name, state: m.getState() })),
    history: {
      epoch: [...history.epoch],
      history: Object.fromEntries(Object.entries(history.history).map(([k, v]) => [k, [...v]])),
      events: history.events.map((e) => ({ ...e })),
    },
    callbacks,
    logs: { ...logs },
  };
}

/**
 * Puts a captured state back into the model, optimizer, metrics, random streams, history and
 * callbacks. Weight shapes are checked before anything is written (an architecture change leaves the
 * model as it was); the callers check data and plan before calling.
 */
export function restoreState(parts: LoopParts, s: TrainingSnapshot): void {
  const { model, compiled, history } = parts;
  const weights = model.getWeights();
  if (s.weights.length !== weights.length) {
    throw new ValueError(`restore: the saved state holds ${s.weights.length} weight arrays but the model has ${weights.length}; was the model's architecture changed?`);
  }
  s.weights.forEach((w, i) => {
    const mine = weights[i]!;
    if (formatShape(w.shape) !== formatShape(mine.shape)) {
      throw new ValueError(`restore: saved weight ${i} has shape ${formatShape(w.shape)} but the model's has ${formatShape(mine.shape)}; was the model's architecture changed?`);
    }
  });
  model.setWeights(s.weights);
  const optimizer = compiled.optimizer;
  if (s.optimizer.length > 0) {
    if (!optimizer.built) optimizer.build(model.trainableWeights);
    optimizer.setState(s.optimizer);
  }
  restoreMetrics(parts, s.metrics);
  setRandomState(s.rng as Partial<Record<StreamName, number[]>>);
  history.epoch = [...s.history.epoch];
  history.history = Object.fromEntries(Object.entries(s.history.history).map(([k, v]) => [k, [...v]]));
  // Backups written before the monitor existed have no events.
  history.events = (s.history.events ?? []).map((e) => ({ ...e }));
  parts.statefulCallbacks.forEach((cb, i) => {
    const state = s.callbacks[callbackKey(cb, i)];
    if (state && cb.setState) cb.setState(state);
  });
  model.stopTraining = s.stopTraining;
}

function restoreMetrics(parts: LoopParts, saved: TrainingSnapshot['metrics']): void {
  const { compiled, model, data } = parts;
  if (saved.length > 1 && !compiled.metricsResolved) {
    // Metrics named by string resolve against the label and output shapes, as on the first batch
    // (of a Dataset: its first batch is decoded for this, inside the scope that releases it).
    const shapes = stepScope(() => noGrad(() => {
      const probe = isDataset(data) ? datasetBatch(model, data, 0, 0, 'fit', true) : data;
      const outs = model.forward(probe.x.map((t) => P.slice(t, [0], [1])), false).map((o) => [...o.shape]);
      return { outs, labels: probe.y.map((t) => [...t.shape]) };
    }));
    shapes.outs.forEach((shape, i) => compiled.metricsFor(i, shapes.labels[i]!, shape));
  }
  const live = [compiled.lossTracker, ...compiled.outputLossTrackers, ...compiled.resolvedMetrics];
  if (saved.length === 0) return;
  const names = live.map((m) => m.name);
  const savedNames = saved.map((m) => m.name);
  if (names.join('\u0000') !== savedNames.join('\u0000')) {
    throw new ValueError(`restore: the saved metrics [${savedNames.join(', ')}] do not match the compiled ones [${names.join(', ')}]`);
  }
  saved.forEach((m, i) => live[i]!.setState(m.state));
}
