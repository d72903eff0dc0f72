import type { Callback, CallbackList } from '../callbacks/callback.js';
import type { History } from '../callbacks/history.js';
import type { TrainingEvent } from '../callbacks/training_event.js';
import { formatTrainingEvent } from '../callbacks/training_event.js';
import { ValueError } from '../errors.js';
import type { LabelKind, MonitorOptions } from '../health/index.js';
import { TrainingMonitor } from '../health/index.js';
import type { Layer } from '../layers/layer.js';
import type { Spelled } from '../utils/options.js';
import type { CompiledState } from './compile.js';
import type { TrainableModel } from './trainer.js';

/** fit's `monitor` option as a monitor (null: turned off). */
export function monitorFor(setting: unknown): TrainingMonitor | null {
  if (setting === false) return null;
  if (setting === undefined || setting === true) return new TrainingMonitor();
  if (setting instanceof TrainingMonitor) return setting;
  if (typeof setting !== 'object' || setting === null || Array.isArray(setting)) {
    throw new ValueError(`fit: monitor must be true, false or an options object, found ${JSON.stringify(setting)}`);
  }
  return new TrainingMonitor(setting as Spelled<MonitorOptions>);
}

const LABEL_KINDS: Record<string, LabelKind> = {
  BinaryCrossentropy: 'binary', BinaryFocalCrossentropy: 'binary',
  SparseCategoricalCrossentropy: 'sparse', CategoricalCrossentropy: 'categorical',
  MeanSquaredError: 'regression', MeanAbsoluteError: 'regression', MeanAbsolutePercentageError: 'regression',
  MeanSquaredLogarithmicError: 'regression', Huber: 'regression', LogCosh: 'regression',
};

/** Layers that put the input on a common scale themselves, so raw feature scales are not a defect. */
const NORMALIZING = new Set(['Normalization', 'Rescaling', 'BatchNormalization', 'LayerNormalization', 'MinMaxScaling']);

/**
 * Connects the monitor to the run: what the loss says about the labels, whether the model
 * normalizes its input, and where events go — `history.events`, every callback's
 * `onTrainingEvent` (the loggers), and the terminal (under the progress bar on a TTY, else stderr).
 */
export function attachMonitor(
  monitor: TrainingMonitor, model: TrainableModel, compiled: CompiledState, history: History, callbacks: CallbackList,
  userCallbacks: readonly Callback[], verbose: number,
): void {
  const lossClass = (compiled.loss.constructor as { className?: string }).className ?? '';
  const first = model.layers[0] as Layer | undefined;
  const firstClass = first ? (first.constructor as typeof Layer).className : '';
  monitor.attach({
    labelKind: LABEL_KINDS[lossClass] ?? 'other',
    normalizesInput: NORMALIZING.has(firstClass),
    callbacks: userCallbacks,
    sink: (event: TrainingEvent) => {
      history.events.push(event);
      for (const cb of callbacks.callbacks) cb.onTrainingEvent?.(event);
      if (!monitor.print) return;
      const line = formatTrainingEvent(event);
      // On a terminal the bar is redrawn in place: clear its line, print the event, and the next
      // redraw puts the bar back under it.
      if (verbose > 0 && process.stdout.isTTY) process.stdout.write(`\r\x1b[2K${line}\n`);
      else process.stderr.write(`${line}\n`);
    },
  });
}
