import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import { EarlyStopping } from '../../src/callbacks/early_stopping.js';
import { ValueError } from '../../src/errors.js';
import { FakeModel, captureConsole, drive } from './fake_model.js';

// Expected stop epochs below are traced by hand through keras/src/callbacks/early_stopping.py
// (wait += 1 before the improvement test; stop when wait >= patience and epoch > 0).

test('earlyStopping: min mode on val_loss stops when wait reaches patience', () => {
  const m = new FakeModel();
  const es = kiln.callbacks.earlyStopping({ patience: 2 });
  const seen = drive(es, m, 'val_loss', [1.0, 0.9, 0.95, 0.92, 0.85, 0.9]);
  assert.equal(seen.length, 4);
  assert.equal(es.stoppedEpoch, 3);
  assert.equal(es.best, 0.9);
  assert.equal(m.stopTraining, true);
});

test('earlyStopping: minDelta (snake_case too) makes small gains count as no improvement', () => {
  for (const args of [{ monitor: 'loss', minDelta: 0.1, patience: 1 }, { monitor: 'loss', min_delta: -0.1, patience: 1 }]) {
    const m = new FakeModel();
    const es = new EarlyStopping(args);
    drive(es, m, 'loss', [1.0, 0.95, 0.85]);
    assert.equal(es.stoppedEpoch, 1, JSON.stringify(args));
  }
});

test("earlyStopping: 'auto' resolves accuracy/auc to max, errors to min; an unknown name needs a mode", () => {
  const m = new FakeModel();
  const es = new EarlyStopping({ monitor: 'val_accuracy', patience: 1 });
  drive(es, m, 'val_accuracy', [0.5, 0.6, 0.6, 0.55]);
  assert.equal(es.stoppedEpoch, 2);
  assert.equal(new EarlyStopping({ monitor: 'val_auc_1' }).resolvedMode, 'max');
  assert.equal(new EarlyStopping({ monitor: 'mean_squared_error' }).resolvedMode, 'min');
  assert.equal(new EarlyStopping({ monitor: 'my_score', mode: 'max' }).resolvedMode, 'max');
  assert.throws(() => new EarlyStopping({ monitor: 'my_score' }).onTrainBegin(), (e: Error) => e instanceof ValueError && /mode: 'max'/.test(e.message));
  assert.throws(() => new EarlyStopping({ mode: 'bigger' as 'max' }), ValueError);
  assert.throws(() => new EarlyStopping({ patience: -1 }), ValueError);
});

test('earlyStopping: baseline keeps wait counting while the best stays above it', () => {
  // Without a baseline, 0.9 resets wait and epoch 2 is the first miss (wait 1 < 2): no stop.
  const plain = new EarlyStopping({ monitor: 'loss', patience: 2 });
  drive(plain, new FakeModel(), 'loss', [1.0, 0.9, 0.9]);
  assert.equal(plain.stoppedEpoch, 0);
  const withBase = new EarlyStopping({ monitor: 'loss', patience: 2, baseline: 0.5 });
  drive(withBase, new FakeModel(), 'loss', [1.0, 0.9, 0.9]);
  assert.equal(withBase.stoppedEpoch, 2);
});

test('earlyStopping: startFromEpoch ignores warm-up epochs', () => {
  const es = new EarlyStopping({ monitor: 'loss', patience: 0, start_from_epoch: 2 });
  drive(es, new FakeModel(), 'loss', [1, 2, 3, 4, 5]);
  assert.equal(es.stoppedEpoch, 3);
  assert.equal(es.best, 3);
});

test('earlyStopping: restoreBestWeights restores the best epoch at train end, stopped or not', async () => {
  const m = new FakeModel();
  const es = new EarlyStopping({ monitor: 'loss', patience: 2, restoreBestWeights: true, verbose: 1 });
  drive(es, m, 'loss', [1.0, 0.5, 0.7, 0.8, 0.1]);
  assert.equal(m.version, 4);
  const { log } = await captureConsole(() => es.onTrainEnd({}));
  assert.equal(m.version, 2, 'weights from the end of epoch 1 (version 2)');
  assert.deepEqual(log, ['Epoch 4: early stopping', 'Restoring model weights from the end of the best epoch: 2.']);

  // Patience never runs out: Keras 3 still restores the best epoch's weights.
  const m2 = new FakeModel();
  const es2 = new EarlyStopping({ monitor: 'loss', patience: 5, restoreBestWeights: true });
  drive(es2, m2, 'loss', [1.0, 0.5, 0.7]);
  assert.equal(m2.stopTraining, false);
  await es2.onTrainEnd({});
  assert.equal(m2.version, 2);
});

test('earlyStopping: a missing monitor key warns and changes nothing', async () => {
  const m = new FakeModel();
  const es = new EarlyStopping({ patience: 0 });
  const { warn } = await captureConsole(() => drive(es, m, 'loss', [1, 2, 3]));
  assert.equal(warn.length, 3);
  assert.match(warn[0]!, /Early stopping conditioned on metric `val_loss` which is not available. Available metrics are: loss/);
  assert.equal(m.stopTraining, false);
});

test('earlyStopping: getState/setState round trip continues the same decisions', () => {
  const series = [1.0, 0.8, 0.85, 0.7, 0.75, 0.74, 0.73, 0.9];
  const full = new EarlyStopping({ monitor: 'loss', patience: 3, restoreBestWeights: true });
  const mFull = new FakeModel();
  drive(full, mFull, 'loss', series);

  const first = new EarlyStopping({ monitor: 'loss', patience: 3, restoreBestWeights: true });
  drive(first, new FakeModel(), 'loss', series.slice(0, 5));
  const saved = first.getState();
  const plain = JSON.parse(JSON.stringify({ ...saved, best_weights: null })) as Record<string, unknown>;
  const resumed = new EarlyStopping({ monitor: 'loss', patience: 3, restoreBestWeights: true });
  resumed.setState({ ...plain, best_weights: saved['best_weights'] });
  const mRes = new FakeModel();
  drive(resumed, mRes, 'loss', series, 5); // onTrainBegin must keep the restored state
  assert.deepEqual(resumed.getState()['wait'], full.getState()['wait']);
  assert.equal(resumed.stoppedEpoch, full.stoppedEpoch);
  assert.equal(resumed.best, full.best);
  assert.equal(resumed.bestEpoch, full.bestEpoch);
  void full.onTrainEnd({});
  void resumed.onTrainEnd({});
  assert.equal(mRes.version, mFull.version);
  assert.equal(full.stoppedEpoch, 6);
  // A later fit resets as usual.
  resumed.onTrainBegin();
  assert.equal(resumed.best, null);
  assert.throws(() => resumed.setState({ wait: 'x' }), ValueError);
});

test('earlyStopping in fit: stops at the traced epoch and restores the best weights', async () => {
  kiln.setSeed(3);
  const model = kiln.sequential([kiln.layers.dense({ units: 1, inputShape: [2] })]);
  model.compile({ optimizer: kiln.optimizers.sgd({ learningRate: 0.05 }), loss: 'mse' });
  const x = kiln.randomUniform([32, 2]);
  const y = kiln.add(kiln.sum(x, 1, true), 1);
  const weightsAt: number[][] = [];
  const record = kiln.callbacks.lambdaCallback({ onEpochEnd: () => void weightsAt.push(model.getWeights().flatMap((w) => [...w.dataSync()])) });
  // Training decreases the loss every epoch, so in 'max' mode epoch 0 stays best: with patience 2
  // wait reaches 2 at epoch 2 and training stops there.
  const es = kiln.callbacks.earlyStopping({ monitor: 'loss', mode: 'max', patience: 2, restoreBestWeights: true });
  const h = await model.fit(x, y, { epochs: 10, batchSize: 8, verbose: 0, shuffle: false, callbacks: [record, es] });
  const loss = h.history.loss!;
  assert.ok(loss[1]! < loss[0]! && loss[2]! < loss[1]!, 'the loss decreases');
  assert.deepEqual(h.epoch, [0, 1, 2]);
  assert.equal(es.stoppedEpoch, 2);
  assert.deepEqual(model.getWeights().flatMap((w) => [...w.dataSync()]), weightsAt[0]);
  assert.notDeepEqual(weightsAt[2], weightsAt[0]);
});
