// Keras 3 semantics of fit that a user porting a program relies on (issue 9): class weights
// weigh training batches only, array-valued metrics are kept, metric names are made unique.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import { uniqueMetricNames } from '../../src/training/compile.js';

/** 40 rows, 2 features, about one positive in four; the last rows (validation) hold positives too. */
function binaryData() {
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 40; i++) {
    x.push([Math.sin(i * 1.3), Math.cos(i * 0.7)]);
    y.push(i % 4 === 1 ? 1 : 0);
  }
  return { x, y };
}

function binaryModel() {
  const model = kiln.sequential([kiln.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })]);
  model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy', metrics: ['precision'] });
  return model;
}

test('classWeight weighs training only: val_loss and val_precision equal evaluate on the validation rows', async () => {
  kiln.setSeed(3);
  const { x, y } = binaryData();
  const model = binaryModel();
  const h = await model.fit(x, y, { epochs: 1, batchSize: 8, validationSplit: 0.5, classWeight: { 0: 1, 1: 5 }, verbose: 0 });
  const [loss, precision] = (await model.evaluate(x.slice(20), y.slice(20), { batchSize: 8, verbose: 0 })) as number[];
  assert.equal(h.history.val_loss![0], loss);
  assert.equal(h.history.val_precision![0], precision);
});

test('classWeight leaves validationData unweighted, while its sample weights (validationData[2]) apply', async () => {
  kiln.setSeed(4);
  const { x, y } = binaryData();
  const sw = y.map((_, i) => (i % 3 === 0 ? 2 : 0.5));
  const model = binaryModel();
  const h = await model.fit(x.slice(0, 20), y.slice(0, 20), {
    epochs: 1, batchSize: 8, classWeight: { 0: 1, 1: 5 }, verbose: 0,
    validationData: [x.slice(20), y.slice(20), sw.slice(20)],
  });
  const [loss, precision] = (await model.evaluate(x.slice(20), y.slice(20), { batchSize: 8, verbose: 0, sampleWeight: sw.slice(20) })) as number[];
  assert.equal(h.history.val_loss![0], loss);
  assert.equal(h.history.val_precision![0], precision);
});

test('classWeight still weighs the training batches', async () => {
  const { x, y } = binaryData();
  const run = async (classWeight?: Record<number, number>) => {
    kiln.setSeed(5);
    const h = await binaryModel().fit(x, y, { epochs: 1, batchSize: 8, validationSplit: 0.5, classWeight, verbose: 0, shuffle: false });
    return h.history.loss![0]!;
  };
  assert.notEqual(await run({ 0: 1, 1: 5 }), await run());
});

test("two metrics with one name both stay, as 'auc' and 'auc_1' (History, val_ keys, evaluate)", async () => {
  kiln.setSeed(6);
  const { x, y } = binaryData();
  const model = kiln.sequential([kiln.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })]);
  model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy', metrics: [new kiln.metrics.AUC(), 'auc', 'accuracy'] });
  const h = await model.fit(x, y, { epochs: 2, batchSize: 8, validationSplit: 0.25, verbose: 0 });
  assert.deepEqual(Object.keys(h.history), ['loss', 'auc', 'auc_1', 'accuracy', 'val_loss', 'val_auc', 'val_auc_1', 'val_accuracy']);
  for (const k of Object.keys(h.history)) assert.equal(h.history[k]!.length, 2, k);
  // Both are the same ROC AUC, computed independently.
  assert.deepEqual(h.history.auc_1, h.history.auc);
  assert.deepEqual(h.history.val_auc_1, h.history.val_auc);
  const result = (await model.evaluate(x, y, { verbose: 0 })) as number[];
  assert.equal(result.length, 4);
  assert.equal(result[1], result[2]);
});

test('uniqueMetricNames: Keras suffixes, never a collision with loss or an explicit name', () => {
  assert.deepEqual(uniqueMetricNames(['auc', 'auc', 'accuracy', 'auc']), ['auc', 'auc_1', 'accuracy', 'auc_2']);
  assert.deepEqual(uniqueMetricNames(['auc', 'auc_1', 'auc']), ['auc', 'auc_1', 'auc_2']);
  assert.deepEqual(uniqueMetricNames(['loss', 'mae']), ['loss_1', 'mae']);
});
