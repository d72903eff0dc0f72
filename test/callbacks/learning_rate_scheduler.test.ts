import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import { LearningRateScheduler } from '../../src/callbacks/learning_rate_scheduler.js';
import { ValueError } from '../../src/errors.js';
import { FakeModel, captureConsole } from './fake_model.js';

test('learningRateScheduler: sets schedule(epoch, lr) at epoch begin and logs learning_rate at epoch end', async () => {
  const m = new FakeModel();
  const cb = new LearningRateScheduler({ schedule: (epoch, lr) => (epoch < 2 ? lr : lr / 2), verbose: 1 });
  cb.setModel(m);
  const logged: number[] = [];
  const { log } = await captureConsole(() => {
    for (let e = 0; e < 4; e++) {
      cb.onEpochBegin(e);
      const logs: kiln.Logs = { loss: 1 };
      cb.onEpochEnd(e, logs);
      logged.push(logs['learning_rate'] as number);
    }
  });
  assert.deepEqual(logged, [1, 1, 0.5, 0.25]);
  assert.equal(log[2], 'Epoch 3: LearningRateScheduler setting learning rate to 0.5.');
  assert.throws(() => new LearningRateScheduler({} as never), ValueError);
  const bad = kiln.callbacks.learningRateScheduler(() => 'fast' as unknown as number);
  bad.setModel(m);
  assert.throws(() => bad.onEpochBegin(0), (e: Error) => e instanceof ValueError && /should be a number/.test(e.message));
});

test('learningRateScheduler in fit: the optimizer follows the schedule; a schedule optimizer refuses a number', async () => {
  kiln.setSeed(2);
  const model = kiln.sequential([kiln.layers.dense({ units: 1, inputShape: [2] })]);
  model.compile({ optimizer: kiln.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
  const x = kiln.randomUniform([8, 2]);
  const y = kiln.sum(x, 1, true);
  const h = await model.fit(x, y, { epochs: 3, verbose: 0, callbacks: [kiln.callbacks.learningRateScheduler((epoch) => 0.1 / (epoch + 1))] });
  const f = Math.fround;
  assert.deepEqual(h.history.learning_rate, [f(0.1), f(0.05), f(0.1 / 3)]);

  const sched = new kiln.optimizers.schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9 });
  model.compile({ optimizer: kiln.optimizers.sgd({ learningRate: sched }), loss: 'mse' });
  await assert.rejects(model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [kiln.callbacks.learningRateScheduler((_e, lr) => lr)] }), ValueError);
});
