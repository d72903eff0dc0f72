import { createHash } from 'node:crypto';
import * as kiln from '../../src/index.js';
import { mulberry32 } from '../helpers/random.js';

/**
 * The training script of the issue, small: a dropout + batch-norm classifier trained with Adam on
 * shuffled batches, validation split, earlyStopping with restoreBestWeights, reduceLROnPlateau,
 * modelCheckpoint-like state (none here), backupAndRestore every `saveFreq` batches. Every random
 * choice (init, dropout, shuffle) goes through kiln's streams, so two runs agree only if a resumed
 * run restores them all.
 */
export interface ScriptOptions {
  backupDir: string;
  saveFreq: number | 'epoch';
  epochs?: number;
  /** Throw from onTrainBatchEnd after this many batches run in this process (a crash by exception). */
  crashAfter?: number | null;
  /** Called after each batch (the child process reports progress with it). */
  /** Called after each batch; a returned promise holds training until it settles. */
  onBatch?: (globalBatches: number) => void | Promise<void>;
  units?: number;
  /** Adds a callback whose state (saved in every backup) grows by this many bytes per batch. */
  journalBytesPerBatch?: number;
  /** fit's stepsPerEpoch (a pass over the 8 training batches then spans epochs). */
  stepsPerEpoch?: number;
}

/** A user callback with its own state through the documented hook: a journal that grows each batch. */
class Journal extends kiln.callbacks.Callback {
  entries: string[] = [];
  constructor(private readonly bytes: number) {
    super();
  }
  override onTrainBatchEnd(batch: number, logs: kiln.Logs): void {
    this.entries.push(`${batch}:${logs['loss']}:`.padEnd(this.bytes, '.'));
  }
  override getState(): Record<string, unknown> {
    return { entries: [...this.entries] };
  }
  override setState(state: Record<string, unknown>): void {
    this.entries = [...(state['entries'] as string[])];
  }
}

export interface ScriptResult {
  weights: string;
  optimizer: string;
  history: string;
  earlyStoppedEpoch: number;
  lr: number;
  restoredFrom: string | null;
}

export function makeData(n = 96, features = 6, classes = 3): { x: kiln.Tensor; y: kiln.Tensor } {
  const rand = mulberry32(12345);
  const xs = new Float32Array(n * features);
  const ys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = -Infinity;
    for (let f = 0; f < features; f++) xs[i * features + f] = rand() * 2 - 1;
    for (let c = 0; c < classes; c++) {
      const score = xs[i * features + c]! - 0.5 * xs[i * features + ((c + 3) % features)]! + 0.3 * rand();
      if (score > best) {
        best = score;
        ys[i] = c;
      }
    }
  }
  return { x: kiln.fromValues(xs, [n, features]), y: kiln.fromValues(ys, [n], 'int32') };
}

export class Crash extends Error {}

export async function runScript(o: ScriptOptions): Promise<ScriptResult> {
  kiln.setSeed(2024);
  const { x, y } = makeData();
  const model = kiln.sequential([
    kiln.layers.input({ shape: [6] }),
    kiln.layers.dense({ units: o.units ?? 16, activation: 'relu' }),
    kiln.layers.dropout({ rate: 0.3 }),
    kiln.layers.batchNormalization(),
    kiln.layers.dense({ units: 3, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: kiln.optimizers.adam({ learningRate: 0.05 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const backup = kiln.callbacks.backupAndRestore({ backupDir: o.backupDir, saveFreq: o.saveFreq });
  const stop = kiln.callbacks.earlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true });
  let ran = 0;
  const crash = kiln.callbacks.lambdaCallback({
    onTrainBatchEnd: () => {
      ran++;
      const wait = o.onBatch?.(ran);
      if (o.crashAfter != null && ran >= o.crashAfter) throw new Crash(`crash after ${ran} batches`);
      return wait;
    },
  });
  const history = await model.fit(x, y, {
    epochs: o.epochs ?? 12, batchSize: 10, validationSplit: 0.25, verbose: 0,
    ...(o.stepsPerEpoch ? { stepsPerEpoch: o.stepsPerEpoch } : {}),
    callbacks: [
      backup, stop, kiln.callbacks.reduceLROnPlateau({ factor: 0.5, patience: 1, minLr: 1e-4 }), crash,
      ...(o.journalBytesPerBatch ? [new Journal(o.journalBytesPerBatch)] : []),
    ],
  });
  return {
    weights: digest(model.getWeights()),
    optimizer: digest(model.optimizer!.getState()),
    history: JSON.stringify({ epoch: history.epoch, history: history.history }),
    earlyStoppedEpoch: stop.stoppedEpoch,
    lr: model.optimizer!.learningRate,
    restoredFrom: backup.restoredFrom,
  };
}

/** SHA-256 over the exact bytes of every tensor. */
export function digest(ts: kiln.Tensor[]): string {
  const h = createHash('sha256');
  for (const t of ts) {
    const v = t.dataSync();
    h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  }
  return h.digest('hex');
}

/** Runs `fn` with console.warn captured; returns the warnings. */
export async function withWarnings<T>(fn: () => Promise<T>): Promise<{ value: T; warnings: string[] }> {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...a: unknown[]) => void warnings.push(a.map(String).join(' '));
  try {
    return { value: await fn(), warnings };
  } finally {
    console.warn = original;
  }
}
