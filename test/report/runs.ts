import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as kiln from '../../src/index.js';
import type { TrainingEvent } from '../../src/callbacks/training_event.js';
import { mulberry32 } from '../helpers/random.js';

/** Normal samples from a seeded generator (Box-Muller), so the data is the same on every backend. */
function normals(rand: () => number, n: number): number[] {
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));
}

export interface Split {
  x: number[][];
  y: number[];
}

/** Two features, label 1 when x0 + 0.5·x1 + noise > 0. */
export function binaryData(n: number, seed: number): Split {
  const r = mulberry32(seed);
  const x = Array.from({ length: n }, () => normals(r, 2));
  const noise = normals(r, n);
  return { x, y: x.map((row, i) => (row[0]! + 0.5 * row[1]! + 0.6 * noise[i]! > 0 ? 1 : 0)) };
}

/** Three features, three classes around three centres. */
export function multiclassData(n: number, seed: number): Split {
  const r = mulberry32(seed);
  const centres = [[1.5, 0, 0], [0, 1.5, 0], [0, 0, 1.5]];
  const y = Array.from({ length: n }, (_, i) => i % 3);
  return { x: y.map((c) => normals(r, 3).map((v, j) => v + centres[c]![j]!)), y };
}

/** y = 2·x0 − x1 + 0.5 + noise. */
export function regressionData(n: number, seed: number): Split {
  const r = mulberry32(seed);
  const x = Array.from({ length: n }, () => normals(r, 2));
  const noise = normals(r, n);
  return { x, y: x.map((row, i) => 2 * row[0]! - row[1]! + 0.5 + 0.3 * noise[i]!) };
}

/** A small MLP: [inputs] → dense(8, relu) → dense(outputs, activation). */
export function mlp(inputs: number, outputs: number, activation: 'sigmoid' | 'softmax' | 'linear'): kiln.Sequential {
  return kiln.sequential([
    kiln.layers.dense({ units: 8, activation: 'relu', inputShape: [inputs] }),
    kiln.layers.dense({ units: outputs, activation }),
  ]);
}

/** The model block of a run_begin record, as the jsonlLogger writes it. */
export function modelInfo(model: kiln.Sequential, loss: string, metrics: string[]): Record<string, unknown> {
  const lines: string[] = [];
  model.summary((l) => lines.push(l));
  const trainable = model.trainableWeights.reduce((n, w) => n + w.size, 0);
  return {
    name: model.name, className: 'Sequential', summary: lines.join('\n'),
    params: { total: model.countParams(), trainable }, loss,
    optimizer: { className: 'Adam', ...model.optimizer!.getConfig() }, metrics,
  };
}

/**
 * Writes `run.jsonl` in the schema of callbacks.jsonlLogger from a finished History: run_begin,
 * one epoch record each (with wall times and the learning rate), the events after their epoch,
 * then run_end (omitted with `running`, and the last line cut in half with `cut`).
 */
export function writeRunRecord(dir: string, history: kiln.callbacks.History, begin: Record<string, unknown>, events: TrainingEvent[], options: { running?: boolean; cut?: boolean } = {}): string {
  mkdirSync(dir, { recursive: true });
  const t0 = 1_750_000_000;
  const lines: object[] = [{ type: 'run_begin', wallTime: t0, time: new Date(t0 * 1000).toISOString(), params: { ...history.params }, ...begin }];
  const before = events.filter((e) => e.epoch < 0);
  for (const e of before) lines.push({ type: 'event', wallTime: t0, event: e });
  history.epoch.forEach((epoch, i) => {
    const logs: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(history.history)) logs[k] = Number.isFinite(v[i]) ? v[i] : null;
    lines.push({ type: 'epoch', epoch, wallTime: t0 + 1.5 * (i + 1), elapsed: 1.5 * (i + 1), logs });
    for (const e of events.filter((ev) => ev.epoch === epoch)) lines.push({ type: 'event', wallTime: t0 + 1.5 * (i + 1), event: e });
  });
  if (!options.running) lines.push({ type: 'run_end', wallTime: t0 + 1.5 * history.epoch.length + 0.2, epochs: history.epoch.length, stopped: false });
  let text = lines.map((l) => `${JSON.stringify(l)}\n`).join('');
  if (options.cut) text += JSON.stringify({ type: 'epoch', epoch: history.epoch.length, wallTime: t0 + 99, logs: { loss: 0.1 } }).slice(0, 30);
  const path = join(dir, 'run.jsonl');
  writeFileSync(path, text);
  return path;
}

/** Monitor events of the kinds the report must show: one before training, one batch-level error, one epoch-level warning. */
export function sampleEvents(): TrainingEvent[] {
  return [
    {
      kind: 'class_imbalance', severity: 'warning', epoch: -1, step: null,
      message: 'class 1 is 38% of the training labels', evidence: { share: 0.38 }, remedy: 'pass classWeight to fit or resample the data',
    },
    {
      kind: 'loss_spike', severity: 'error', epoch: 2, step: 17, layer: 'dense_1',
      message: 'the batch loss jumped to 6.1× its running mean', evidence: { loss: 2.9, mean: 0.47, ratio: 6.1 }, remedy: 'lower the learning rate or clip gradients (clipnorm)',
    },
    {
      kind: 'overfitting', severity: 'warning', epoch: 6, step: null,
      message: 'val_loss rose for 3 epochs while loss kept falling', evidence: { val_loss: [0.41, 0.43, 0.45] }, remedy: 'add dropout or weight decay, or stop earlier with earlyStopping',
    },
  ];
}
