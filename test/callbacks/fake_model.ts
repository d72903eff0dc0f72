import type { Callback, CallbackModel, Logs } from '../../src/callbacks/callback.js';
import type { Tensor } from '../../src/core/tensor.js';
import { scalar } from '../../src/ops/index.js';

/** A CallbackModel whose single "weight" is a version number the test bumps each epoch. */
export class FakeModel implements CallbackModel {
  stopTraining = false;
  version = 0;
  optimizer: { learningRate: number } | null = { learningRate: 1 };
  getWeights(): Tensor[] {
    return [scalar(this.version)];
  }
  setWeights(weights: Tensor[]): void {
    this.version = weights[0]!.item() as number;
  }
}

/**
 * Drives epoch hooks the way fit does: one epoch per value of `series` under `key`, bumping the
 * weight version first, until the callback sets stopTraining. Returns the logs passed per epoch.
 */
export function drive(cb: Callback, model: FakeModel, key: string, series: number[], from = 0, trainBegin = true): Logs[] {
  cb.setModel(model);
  if (trainBegin) void cb.onTrainBegin({});
  const seen: Logs[] = [];
  for (let e = from; e < series.length && !model.stopTraining; e++) {
    void cb.onEpochBegin(e, {});
    model.version = e + 1;
    const logs: Logs = { [key]: series[e]! };
    void cb.onEpochEnd(e, logs);
    seen.push(logs);
  }
  return seen;
}

/** Captures console.log / console.warn lines while `fn` runs. */
export async function captureConsole<T>(fn: () => T | Promise<T>): Promise<{ log: string[]; warn: string[]; result: T }> {
  const { log, warn } = console;
  const out = { log: [] as string[], warn: [] as string[] };
  console.log = (...a: unknown[]) => void out.log.push(a.join(' '));
  console.warn = (...a: unknown[]) => void out.warn.push(a.join(' '));
  try {
    const result = await fn();
    return { ...out, result };
  } finally {
    console.log = log;
    console.warn = warn;
  }
}
