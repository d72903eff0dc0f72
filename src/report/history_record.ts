import type { History } from '../callbacks/history.js';
import type { TrainingEvent } from '../callbacks/training_event.js';
import type { EpochRecord, RecordValue, RunRecordModel, RunRecord } from './run_record.js';

/** The parts of a model the report reads, when it has them (kiln's Model has all of them). */
export interface DescribableModel {
  name?: string;
  /** kiln's `Model.runInfo()`: name, summary, parameter counts and compile settings. */
  runInfo?(): RunRecordModel;
  /** `model.summary(printFn)`, used when there is no runInfo. */
  summary?(printFn: (line: string) => void): void;
}

/**
 * The run that produced a History, as a RunRecord: its epochs' logs, its params, and the
 * monitor's events when History holds them (`history.events`). A History knows no times, so the
 * duration and start time are unknown; the model, when the History still points to it, gives
 * the name and summary.
 */
export function runRecordFromHistory(history: History): RunRecord {
  const epochs: EpochRecord[] = history.epoch.map((epoch, i) => {
    const logs: Record<string, RecordValue> = {};
    for (const [key, values] of Object.entries(history.history)) {
      const v = values[i];
      if (v !== undefined) logs[key] = v;
    }
    return { epoch, logs };
  });
  // A later epoch record of the same epoch wins, as in a run record.
  const byEpoch = new Map(epochs.map((e) => [e.epoch, e]));
  const { settings, ...params } = history.params as typeof history.params & { settings?: Record<string, unknown> };
  // A History from before the monitor existed (or built by hand) may have no events.
  const events: TrainingEvent[] = (history as { events?: TrainingEvent[] }).events ?? [];
  return {
    source: null,
    startTime: null,
    durationSeconds: null,
    params,
    settings: { ...(settings ?? {}) },
    model: describeModel(history.model as DescribableModel | null),
    epochs: [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch),
    batches: [],
    events: [...events],
    status: 'finished',
    segments: 1,
    truncated: false,
    abortError: null,
  };
}

/** Name and summary of a model, through `runInfo()` when it has one. */
export function describeModel(model: DescribableModel | null | undefined): RunRecordModel | null {
  if (model === null || model === undefined) return null;
  if (typeof model.runInfo === 'function') return model.runInfo();
  const info: RunRecordModel = {};
  if (typeof model.name === 'string') info.name = model.name;
  if (typeof model.summary === 'function') {
    const lines: string[] = [];
    try {
      model.summary((line) => lines.push(line));
      info.summary = lines.join('\n');
    } catch {
      // An unbuilt model cannot summarize itself; the report then shows no summary.
    }
  }
  return Object.keys(info).length > 0 ? info : null;
}
