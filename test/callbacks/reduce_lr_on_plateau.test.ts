import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import { ReduceLROnPlateau } from '../../src/callbacks/reduce_lr_on_plateau.js';
import { ValueError } from '../../src/errors.js';
import { FakeModel, captureConsole, drive } from './fake_model.js';

// Traced by hand through keras/src/callbacks/reduce_lr_on_plateau.py: cooldown ticks down first
// (resetting wait), then an improvement resets wait, otherwise wait grows outside cooldown and a
// reduction at wait >= patience starts the cooldown.
const SERIES = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5];
const LR_AFTER = [1, 1, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.125, 0.125, 0.1, 0.1, 0.1, 0.1];
const LOGGED = [1, 1, 1, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.125, 0.125, 0.1, 0.1, 0.1];

function run(cb: ReduceLROnPlateau, from = 0, to = SERIES.length, m = new FakeModel(), trainBegin = true) {
  const lrs: number[] = [];
  const logged: number[] = [];
  cb.setModel(m);
  if (trainBegin) cb.onTrainBegin({});
  for (let e = from; e < to; e++) {
    const logs: kiln.Logs = { val_loss: SERIES[e]! };
    cb.onEpochEnd(e, logs);
    logged.push(logs['learning_rate'] as number);
    lrs.push(m.optimizer!.learningRate);
  }
  return { lrs, logged, m };
}

test('reduceLROnPlateau: patience, cooldown, minLr and the logged learning_rate follow Keras', async () => {
  const cb = kiln.callbacks.reduceLROnPlateau({ factor: 0.5, patience: 2, cooldown: 1, min_lr: 0.1, verbose: 1 });
  const { result, log } = await captureConsole(() => run(cb));
  assert.deepEqual(result.lrs, LR_AFTER);
  assert.deepEqual(result.logged, LOGGED);
  assert.deepEqual(log, [
    'Epoch 3: ReduceLROnPlateau reducing learning rate to 0.5.',
    'Epoch 5: ReduceLROnPlateau reducing learning rate to 0.25.',
    'Epoch 9: ReduceLROnPlateau reducing learning rate to 0.125.',
    'Epoch 11: ReduceLROnPlateau reducing learning rate to 0.1.',
  ]);
  // At minLr no further reduction: wait keeps growing (Keras does not reset it).
  assert.equal(cb.wait, 3);
});

test('reduceLROnPlateau: default minDelta 1e-4 and max mode', () => {
  const m = new FakeModel();
  const cb = new ReduceLROnPlateau({ monitor: 'val_accuracy', patience: 1 });
  assert.equal(cb.factor, 0.1);
  assert.equal(cb.patience, 1);
  drive(cb, m, 'val_accuracy', [0.5, 0.50005]);
  assert.equal(m.optimizer!.learningRate, 0.1, 'a 5e-5 gain is below minDelta: reduced once');
  drive(cb, m, 'val_accuracy', [0.5, 0.6]);
  assert.equal(m.optimizer!.learningRate, 0.1, 'a real gain: no reduction');
});

test('reduceLROnPlateau: bad options, a missing key and a model without optimizer', async () => {
  assert.throws(() => new ReduceLROnPlateau({ factor: 1 }), (e: Error) => e instanceof ValueError && /factor >= 1.0/.test(e.message));
  assert.throws(() => new ReduceLROnPlateau({ cooldown: 1.5 }), ValueError);
  const m = new FakeModel();
  const cb = new ReduceLROnPlateau({ patience: 0 });
  const { warn } = await captureConsole(() => drive(cb, m, 'loss', [1, 2]));
  assert.match(warn[0]!, /Learning rate reduction is conditioned on metric `val_loss` which is not available. Available metrics are: loss,learning_rate/);
  assert.equal(m.optimizer!.learningRate, 1);
  m.optimizer = null;
  assert.throws(() => cb.onEpochEnd(0, { val_loss: 1 }), (e: Error) => e instanceof ValueError && /compile/.test(e.message));
});

test('reduceLROnPlateau: getState/setState round trip continues the same decisions', () => {
  const opts = { factor: 0.5, patience: 2, cooldown: 1, minLr: 0.1 };
  for (const cut of [1, 2, 3, 5, 9]) {
    const first = new ReduceLROnPlateau(opts);
    const a = run(first, 0, cut);
    const state = JSON.parse(JSON.stringify(first.getState())) as Record<string, unknown>;
    const resumed = new ReduceLROnPlateau(opts);
    resumed.setState(state);
    const b = run(resumed, cut, SERIES.length, a.m);
    assert.deepEqual([...a.lrs, ...b.lrs], LR_AFTER, `cut at ${cut}`);
  }
});

test('reduceLROnPlateau in fit: changes model.optimizer.learningRate and History records learning_rate', async () => {
  kiln.setSeed(5);
  const model = kiln.sequential([kiln.layers.dense({ units: 1, inputShape: [2] })]);
  model.compile({ optimizer: kiln.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
  const x = kiln.randomUniform([16, 2]);
  const y = kiln.sum(x, 1, true);
  // The loss decreases every epoch, so in 'max' mode every epoch after the first is a plateau.
  const cb = kiln.callbacks.reduceLROnPlateau({ monitor: 'loss', mode: 'max', factor: 0.5, patience: 1 });
  const h = await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0, callbacks: [cb] });
  const f = Math.fround;
  // Logged before the epoch's reduction, as Keras: 0.1 (first value is the best), 0.1, 0.05.
  assert.deepEqual(h.history.learning_rate, [f(0.1), f(0.1), f(f(0.1) * 0.5)]);
  assert.equal(model.optimizer!.learningRate, f(f(f(0.1) * 0.5) * 0.5));
});
