// Keras 3 semantics of fit that a user porting a program relies on (issue 9): class weights
// weigh training batches only, array-valued metrics are kept, metric names are made unique.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import { captureStdout } from '../helpers/capture_stdout.js';
import { uniqueMetricNames } from '../../src/training/compile.js';
import { ValueError } from '../../src/errors.js';

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

/** 3 classes, one-hot labels; a softmax model. */
function threeClassData() {
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < 30; i++) {
    x.push([Math.sin(i), Math.cos(i * 1.7), (i % 5) / 5]);
    y.push([0, 1, 2].map((c) => (c === i % 3 ? 1 : 0)));
  }
  return { x, y };
}


test('F1Score (average null) and ConfusionMatrix stay arrays in History, val_ keys and evaluate', async () => {
  kiln.setSeed(7);
  const { x, y } = threeClassData();
  const model = kiln.sequential([kiln.layers.dense({ units: 3, activation: 'softmax', inputShape: [3] })]);
  model.compile({
    optimizer: 'adam', loss: 'categorical_crossentropy',
    metrics: [new kiln.metrics.F1Score(), new kiln.metrics.ConfusionMatrix({ numClasses: 3 }), 'accuracy'],
  });
  const h = await model.fit(x, y, { epochs: 2, batchSize: 8, validationSplit: 0.3, verbose: 0 });
  assert.deepEqual(Object.keys(h.history), [
    'loss', 'f1_score', 'confusion_matrix', 'accuracy', 'val_loss', 'val_f1_score', 'val_confusion_matrix', 'val_accuracy',
  ]);
  for (const key of ['f1_score', 'val_f1_score']) {
    const perEpoch = h.history[key]!;
    assert.equal(perEpoch.length, 2);
    for (const v of perEpoch) assert.ok(Array.isArray(v) && v.length === 3 && v.every((e) => typeof e === 'number'), key);
  }
  const cm = h.history.val_confusion_matrix!.at(-1) as number[][];
  assert.equal(cm.flat().reduce((a, b) => a + b, 0), 9); // the 9 validation rows
  // evaluate on the validation rows gives what fit logged for them.
  const xVal = x.slice(21);
  const yVal = y.slice(21);
  const dict = await model.evaluate(xVal, yVal, { batchSize: 8, verbose: 0, returnDict: true });
  assert.deepEqual(Object.keys(dict), ['loss', 'f1_score', 'confusion_matrix', 'accuracy']);
  assert.deepEqual(dict.f1_score, h.history.val_f1_score!.at(-1));
  assert.deepEqual(dict.confusion_matrix, cm);
  assert.equal(dict.loss, h.history.val_loss!.at(-1));
  const [loss, f1, matrix, acc] = await model.evaluate(xVal, yVal, { batchSize: 8, verbose: 0 });
  assert.equal(loss, dict.loss);
  assert.deepEqual(f1, dict.f1_score);
  assert.deepEqual(matrix, cm);
  assert.equal(acc, dict.accuracy);
});

test('an array-valued metric is on the progress line as its mean, as Keras 3 prints it', async () => {
  kiln.setSeed(8);
  const { x, y } = threeClassData();
  const model = kiln.sequential([kiln.layers.dense({ units: 3, activation: 'softmax', inputShape: [3] })]);
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: [new kiln.metrics.F1Score()] });
  const { out, result: h } = await captureStdout(() => model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 2 }));
  const f1 = h.history.f1_score![0] as number[];
  const { npMean } = await import('../../src/callbacks/progbar.js');
  const { formatFixed } = await import('../../src/utils/python_format.js');
  assert.match(out, new RegExp(` - loss: \\d\\.\\d{4} - f1_score: ${formatFixed(npMean(f1), 4).replace('.', '\\.')} - `));
  const { out: evalOut } = await captureStdout(() => model.evaluate(x, y, { verbose: 2 }));
  assert.match(evalOut, / - f1_score: \d\.\d{4} - /);
});

test('evaluate: a scalar without metrics, a list with them, a dict with returnDict; a bad returnDict is a ValueError', async () => {
  kiln.setSeed(9);
  const { x, y } = binaryData();
  const plain = kiln.sequential([kiln.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })]);
  plain.compile({ optimizer: 'sgd', loss: 'binary_crossentropy' });
  const loss = await plain.evaluate(x, y, { verbose: 0 });
  assert.equal(typeof loss, 'number');
  assert.equal(loss.toFixed(3).length, 5);
  assert.deepEqual(await plain.evaluate(x, y, { verbose: 0, returnDict: true }), { loss });
  const withMetrics = binaryModel();
  const [l, precision] = await withMetrics.evaluate(x, y, { verbose: 0 });
  const { loss: dl, precision: dp } = await withMetrics.evaluate(x, y, { verbose: 0, return_dict: true } as never);
  assert.equal(l, dl);
  assert.equal(precision, dp);
  await assert.rejects(plain.evaluate(x, y, { verbose: 0, returnDict: 'yes' as never }), (e: Error) => e instanceof ValueError && /returnDict/.test(e.message));
});

test('monitoring a per-class array is a ValueError naming the monitor', async () => {
  kiln.setSeed(10);
  const { x, y } = threeClassData();
  const model = kiln.sequential([kiln.layers.dense({ units: 3, activation: 'softmax', inputShape: [3] })]);
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: [new kiln.metrics.F1Score()] });
  const stop = kiln.callbacks.earlyStopping({ monitor: 'f1_score', mode: 'max' });
  await assert.rejects(
    model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, callbacks: [stop] }),
    (e: Error) => e instanceof ValueError && /monitor 'f1_score' is an array/.test(e.message),
  );
});
