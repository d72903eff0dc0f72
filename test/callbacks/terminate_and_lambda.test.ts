import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import { NonFiniteLossError, TerminateOnNaN } from '../../src/callbacks/terminate_on_nan.js';
import { ValueError } from '../../src/errors.js';
import { FakeModel, captureConsole } from './fake_model.js';

test('terminateOnNaN: NaN or Infinity loss stops at batch end; finite or absent loss does not', async () => {
  const m = new FakeModel();
  const cb = kiln.callbacks.terminateOnNaN();
  cb.setModel(m);
  cb.onTrainBatchEnd(0, { loss: 1 });
  cb.onTrainBatchEnd(1, {});
  assert.equal(m.stopTraining, false);
  const { log } = await captureConsole(() => cb.onTrainBatchEnd(2, { loss: Infinity }));
  assert.deepEqual(log, ['Batch 2: Invalid loss, terminating training']);
  assert.equal(m.stopTraining, true);
  const raising = new TerminateOnNaN({ raise_error: true });
  raising.setModel(new FakeModel());
  assert.throws(() => raising.onTrainBatchEnd(4, { loss: NaN }), (e: Error) => e instanceof NonFiniteLossError && /batch 4/.test(e.message));
});

test('terminateOnNaN in fit: a huge learning rate drives the loss to NaN/Inf and training stops in that batch', async () => {
  kiln.setSeed(9);
  const model = kiln.sequential([kiln.layers.dense({ units: 1, inputShape: [4] })]);
  model.compile({ optimizer: kiln.optimizers.sgd({ learningRate: 1e30 }), loss: 'mse' });
  const x = kiln.mul(kiln.randomUniform([64, 4]), 10);
  const y = kiln.sum(x, 1, true);
  const losses: number[] = [];
  const count = kiln.callbacks.lambdaCallback({ on_train_batch_end: (_b: number, logs: kiln.Logs) => void losses.push(logs.loss as number) });
  const { log, result: h } = await captureConsole(() =>
    model.fit(x, y, { epochs: 20, batchSize: 4, verbose: 0, callbacks: [kiln.callbacks.terminateOnNaN(), count] }),
  );
  assert.equal(log.length, 1);
  assert.match(log[0]!, /^Batch \d+: Invalid loss, terminating training$/);
  assert.ok(!Number.isFinite(losses.at(-1)!), 'the last batch loss is not finite');
  assert.ok(losses.slice(0, -1).every(Number.isFinite), 'training ran until the first non-finite loss');
  assert.ok(losses.length < 20 * 16 && h.epoch.length === Math.ceil(losses.length / 16));
});

test('lambdaCallback: any hook as a function, camelCase or snake_case, `this` is the callback', async () => {
  const calls: string[] = [];
  const cb = kiln.callbacks.lambdaCallback({
    on_train_begin: () => void calls.push('trainBegin'),
    onEpochBegin: (e) => void calls.push(`epochBegin ${e}`),
    onBatchEnd: (b) => void calls.push(`batchEnd ${b}`),
    on_test_end: (logs: kiln.Logs) => void calls.push(`testEnd ${Object.keys(logs).join(',')}`),
    onEpochEnd(this: kiln.callbacks.Callback, e: number) {
      calls.push(`epochEnd ${e} ${this.params.epochs}`);
    },
    on_train_end: async () => void calls.push('trainEnd'),
    getState: () => ({ n: calls.length }),
  });
  kiln.setSeed(1);
  const model = kiln.sequential([kiln.layers.dense({ units: 1, inputShape: [2] })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const x = kiln.randomUniform([4, 2]);
  await model.fit(x, kiln.sum(x, 1, true), { epochs: 2, batchSize: 2, verbose: 0, validationData: [x, kiln.sum(x, 1, true)], callbacks: [cb] });
  assert.deepEqual(calls, [
    'trainBegin', 'epochBegin 0', 'batchEnd 0', 'batchEnd 1', 'testEnd loss', 'epochEnd 0 2',
    'epochBegin 1', 'batchEnd 0', 'batchEnd 1', 'testEnd loss', 'epochEnd 1 2', 'trainEnd',
  ]);
  assert.deepEqual(cb.getState!(), { n: 12 });
  // @ts-expect-error an unknown hook is refused by the types too
  assert.throws(() => kiln.callbacks.lambdaCallback({ onEpochFinish: () => {} }), (e: Error) => e instanceof ValueError && /onEpochFinish/.test(e.message));
  assert.throws(() => kiln.callbacks.lambdaCallback({ onEpochEnd: 3 as never }), ValueError);
  void FakeModel;
});
