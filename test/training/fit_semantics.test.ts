// Keras 3 semantics of fit that a user porting a program relies on (issue 9): class weights
// weigh training batches only, array-valued metrics are kept, metric names are made unique.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';

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
