// Issue 9, "Types": the option types accept what the runtime accepts, camelCase or snake_case, and
// refuse misspellings. The build compiles this file (tsconfig includes test/): each `@ts-expect-error`
// line must fail to type-check, or the build fails; the positive lines must type-check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import type { SnakeCase } from '../../src/index.js';
import { toSnakeCase } from '../../src/utils/naming.js';

/** Never called: only type-checked. */
async function typeChecks(model: kiln.Sequential, x: number[][], y: number[]) {
  // fit: both spellings, and a mix of them.
  await model.fit(x, y, { epochs: 3, batchSize: 32, validationSplit: 0.2, classWeight: { 0: 1 }, stepsPerEpoch: 4, verbose: 'auto' });
  await model.fit(x, y, { epochs: 3, batch_size: 32, validation_split: 0.2, class_weight: { 0: 1 }, steps_per_epoch: 4, validation_steps: 2 });
  await model.fit(x, y, { batchSize: 8, initial_epoch: 1, validation_batch_size: 4, validation_freq: 2, sample_weight: y });
  // @ts-expect-error 'epoch' is not an option (epochs is)
  await model.fit(x, y, { epoch: 3 });
  // @ts-expect-error 'batchsize' is neither spelling
  await model.fit(x, y, { batchsize: 3 });
  // @ts-expect-error verbose is 0, 1, 2 or 'auto'
  await model.fit(x, y, { verbose: 'loud' });
  // @ts-expect-error the snake spelling keeps the camel one's type
  await model.fit(x, y, { batch_size: '32' });

  // compile
  model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
  // @ts-expect-error 'metric' is not an option
  model.compile({ loss: 'mse', metric: ['mae'] });

  // evaluate, with the returnDict overloads in both spellings
  const [loss] = await model.evaluate(x, y, { batchSize: 8, verbose: 0 });
  const logs: kiln.Logs = await model.evaluate(x, y, { batch_size: 8, return_dict: true });
  const logs2: kiln.Logs = await model.evaluate(x, y, { returnDict: true, sample_weight: y });
  // @ts-expect-error 'returnDicts' is not an option
  await model.evaluate(x, y, { returnDicts: true });

  // predict
  model.predict(x, { batchSize: 4 });
  model.predict(x, { batch_size: 4, verbose: 'auto' });
  // @ts-expect-error 'batch' is not an option
  model.predict(x, { batch: 4 });

  // layers
  kiln.layers.dense({ units: 3, useBias: false, kernelInitializer: 'zeros', inputShape: [2] });
  kiln.layers.dense({ units: 3, use_bias: false, kernel_initializer: 'zeros', input_shape: [2] });
  new kiln.layers.Dense({ units: 3, bias_regularizer: null, activity_regularizer: null });
  kiln.layers.input({ shape: [2], batch_size: 4 });
  kiln.layers.batchNormalization({ moving_mean_initializer: 'zeros' });
  // @ts-expect-error 'unit' is not an option
  kiln.layers.dense({ unit: 3 });
  // @ts-expect-error 'use_biass' is neither spelling
  kiln.layers.dense({ units: 3, use_biass: false });

  // callbacks and checkpoint callbacks
  kiln.callbacks.earlyStopping({ restoreBestWeights: true, minDelta: 0.1 });
  kiln.callbacks.earlyStopping({ restore_best_weights: true, min_delta: 0.1, start_from_epoch: 2 });
  kiln.callbacks.reduceLROnPlateau({ min_lr: 1e-4 });
  kiln.callbacks.terminateOnNaN({ raise_error: true });
  kiln.callbacks.lambdaCallback({ on_epoch_end: (epoch, l) => void [epoch, l], onTrainBegin: (l) => void l });
  kiln.callbacks.modelCheckpoint({ filepath: 'm.keras', save_best_only: true, max_to_keep: 3 });
  kiln.callbacks.backupAndRestore({ backupDir: 'b', saveFreq: 2 });
  kiln.callbacks.backupAndRestore({ backup_dir: 'b', save_freq: 2, delete_checkpoint: false });
  kiln.checkpointManager('dir', { keep_every_n_hours: 1 });
  // @ts-expect-error 'patiense' is not an option
  kiln.callbacks.earlyStopping({ patiense: 2 });
  // @ts-expect-error 'onEpochEnds' is not a hook
  kiln.callbacks.lambdaCallback({ onEpochEnds: () => {} });
  // @ts-expect-error 'saveBestOnlly' is not an option
  kiln.callbacks.modelCheckpoint({ filepath: 'm.keras', saveBestOnlly: true });

  model.summary({ print_fn: (line) => void line });
  return [loss, logs, logs2];
}

// The type-level snake rule agrees with the runtime's toSnakeCase on option names.
const snake: SnakeCase<'keepEveryNHours'> = 'keep_every_n_hours';
const snake2: SnakeCase<'validationBatchSize'> = 'validation_batch_size';

test('the option types file compiles (its checks ran in the build)', () => {
  assert.equal(typeof typeChecks, 'function');
  assert.equal(toSnakeCase('keepEveryNHours'), snake);
  assert.equal(snake2, 'validation_batch_size');
});
