// Logs in the formats people read (issue 10): csvLogger with Keras's columns, the JSONL run record,
// and TensorBoard event files read back with kiln.readEvents, including a resumed run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as kiln from '../../src/index.js';
import { mulberry32 } from '../helpers/random.js';
import { tempDir } from '../helpers/temp_dir.js';

function data(n = 64) {
  const r = mulberry32(11);
  const x = Array.from({ length: n }, () => [r(), r(), r()]);
  const y = x.map((row) => (row[0]! > 0.5 ? 1 : 0));
  return { x, y };
}

function model() {
  kiln.setSeed(3);
  const m = kiln.sequential([kiln.layers.dense({ units: 4, activation: 'relu', inputShape: [3] }), kiln.layers.dense({ units: 1, activation: 'sigmoid' })]);
  m.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return m;
}

test('csvLogger writes Keras\'s columns: epoch, the sorted keys, val_ twins as NA, \\r\\n line ends, Python float format', async () => {
  const tmp = tempDir();
  try {
    const { x, y } = data();
    const path = tmp.path('nested/dir/log.csv');
    const h = await model().fit(x, y, { epochs: 2, batchSize: 16, verbose: 0, callbacks: [kiln.callbacks.csvLogger(path)], monitor: false });
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\r\n');
    assert.equal(lines[0], 'epoch,accuracy,loss,val_accuracy,val_loss');
    assert.equal(lines.length, 4);
    assert.equal(lines[3], '');
    const row = lines[1]!.split(',');
    assert.equal(row[0], '0');
    assert.equal(Number(row[2]), h.history['loss']![0]);
    assert.deepEqual(row.slice(3), ['NA', 'NA']);
    assert.ok(!/\.\d*e/.test(lines[1]!) || /e-0\d/.test(lines[1]!), 'Python exponent style');
    // append: no second header.
    await model().fit(x, y, { epochs: 1, verbose: 0, callbacks: [kiln.callbacks.csvLogger(path, { append: true })], monitor: false });
    const again = readFileSync(path, 'utf8').split('\r\n');
    assert.equal(again.filter((l) => l.startsWith('epoch')).length, 1);
    assert.equal(again.length, 5);
    assert.throws(() => kiln.callbacks.csvLogger(path, { seperator: ';' } as never), /did you mean 'separator'/);
  } finally {
    tmp.cleanup();
  }
});

test('jsonlLogger writes the run record: run_begin with the model, one line per epoch and per N batches, events, run_end', async () => {
  const tmp = tempDir();
  try {
    const { x, y } = data();
    for (const row of x) row[1] = 5; // a constant column: the monitor's event goes into the record
    const path = tmp.path('run/run.jsonl');
    await model().fit(x, y, { epochs: 3, batchSize: 16, verbose: 0, validationSplit: 0.25, callbacks: [kiln.callbacks.jsonlLogger(path, { updateFreq: 2 })], monitor: { print: false } });
    const records = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(records[0]!['type'], 'run_begin');
    const model0 = records[0]!['model'] as { summary: string; loss: string; params: { total: number } };
    assert.match(model0.summary, /Total params: 21/);
    assert.equal(model0.loss, 'binary_crossentropy');
    assert.equal((records[0]!['settings'] as { batchSize: number }).batchSize, 16);
    const epochs = records.filter((r) => r['type'] === 'epoch');
    assert.deepEqual(epochs.map((r) => r['epoch']), [0, 1, 2]);
    const logs = epochs[0]!['logs'] as Record<string, number>;
    assert.deepEqual(Object.keys(logs).sort(), ['accuracy', 'learning_rate', 'loss', 'val_accuracy', 'val_loss']);
    assert.equal(typeof epochs[0]!['wallTime'], 'number');
    assert.equal(records.filter((r) => r['type'] === 'batch').length, 4); // 3 batches × 3 epochs, every 2nd
    const events = records.filter((r) => r['type'] === 'event');
    assert.equal((events[0]!['event'] as { kind: string }).kind, 'constant_feature');
    assert.equal(records.at(-1)!['type'], 'run_end');
  } finally {
    tmp.cleanup();
  }
});

test('tensorBoard writes train/validation event files that readEvents reads back, with Keras 3 tags and steps', async () => {
  const tmp = tempDir();
  try {
    const { x, y } = data();
    const cb = kiln.callbacks.tensorBoard({ logDir: tmp.path('tb'), updateFreq: 2, histogramFreq: 1, writeGrads: true });
    const h = await model().fit(x, y, { epochs: 3, batchSize: 16, verbose: 0, validationSplit: 0.25, callbacks: [cb], monitor: false });
    const ev = kiln.readEvents(tmp.path('tb'));
    const train = ev.runs['train']!;
    const val = ev.runs['validation']!;
    assert.match(train.files[0]!, /events\.out\.tfevents\.\d{10}\..+\.\d+\.\d+$/);
    assert.deepEqual(train.scalars['epoch_loss']!.map((p) => p.step), [0, 1, 2]);
    train.scalars['epoch_loss']!.forEach((p, i) => assert.equal(p.value, Math.fround(h.history['loss']![i] as number)));
    assert.deepEqual(val.scalars['epoch_loss']!.map((p) => p.value), (h.history['val_loss'] as number[]).map(Math.fround));
    assert.deepEqual(train.scalars['epoch_learning_rate']!.map((p) => p.value), [0.001, 0.001, 0.001].map(Math.fround));
    assert.deepEqual(train.scalars['batch_loss']!.map((p) => p.step), [2, 4, 6, 8]);
    assert.ok(val.scalars['evaluation_loss_vs_iterations']);
    const kernel = Object.keys(train.histograms).find((t) => t.endsWith('/kernel/histogram'));
    assert.ok(kernel, Object.keys(train.histograms).join(', '));
    assert.equal(train.histograms[kernel]![0]!.num, 12);
    assert.ok(Object.keys(train.histograms).some((t) => t.endsWith('/kernel/gradient')));
    assert.equal(train.graphs, 1);
    assert.deepEqual(train.warnings, []);
  } finally {
    tmp.cleanup();
  }
});

test('a run resumed through backupAndRestore appends consistent steps to TensorBoard, CSV and JSONL logs', async () => {
  const tmp = tempDir();
  try {
    const { x, y } = data();
    const logs = () => [
      kiln.callbacks.tensorBoard({ logDir: tmp.path('tb'), updateFreq: 1 }),
      kiln.callbacks.csvLogger(tmp.path('log.csv')),
      kiln.callbacks.jsonlLogger(tmp.path('run.jsonl')),
    ];
    const backup = () => kiln.callbacks.backupAndRestore({ backupDir: tmp.path('backup'), saveFreq: 'epoch' });
    const crash = kiln.callbacks.lambdaCallback({ onEpochEnd: (epoch) => { if (epoch === 2) throw new Error('planted crash'); } });
    // The crash comes after the loggers wrote epoch 2 but before its backup: epoch 2 is redone.
    await assert.rejects(model().fit(x, y, { epochs: 5, batchSize: 16, verbose: 0, callbacks: [...logs(), crash, backup()], monitor: false }), /planted crash/);
    const h = await model().fit(x, y, { epochs: 5, batchSize: 16, verbose: 0, callbacks: [...logs(), backup()], monitor: false });
    const train = kiln.readEvents(tmp.path('tb')).runs['train']!;
    assert.deepEqual(train.scalars['epoch_loss']!.map((p) => p.step), [0, 1, 2, 3, 4]);
    const batchSteps = train.scalars['batch_loss']!.map((p) => p.step);
    assert.deepEqual(batchSteps, Array.from({ length: 20 }, (_, i) => i + 1), 'no duplicate or missing batch step');
    const lossHistory = (h.history['loss'] as number[]).map(Math.fround);
    assert.deepEqual(train.scalars['epoch_loss']!.map((p) => p.value).slice(-lossHistory.length), lossHistory);
    assert.equal(train.sessionStarts.length, 1);
    const csv = readFileSync(tmp.path('log.csv'), 'utf8').split('\r\n').filter(Boolean);
    assert.deepEqual(csv.slice(1).map((l) => l.split(',')[0]), ['0', '1', '2', '3', '4']);
    const jsonl = readFileSync(tmp.path('run.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; resumed?: boolean });
    assert.equal(jsonl.filter((r) => r.type === 'run_begin').length, 2);
    assert.equal(jsonl.filter((r) => r.type === 'run_begin')[1]!.resumed, true);
  } finally {
    tmp.cleanup();
  }
});

test('fit({ plot: true }) prints a text chart of loss and val_loss within 80 columns', async () => {
  const { x, y } = data();
  const { captureStdout } = await import('../helpers/capture_stdout.js');
  const { out } = await captureStdout(() => model().fit(x, y, { epochs: 6, verbose: 0, validationSplit: 0.25, plot: true, monitor: false }));
  const lines = out.trimEnd().split('\n');
  assert.ok(lines.length >= 13, out);
  assert.ok(lines.every((l) => l.length <= 80), 'fits 80 columns');
  assert.match(out, /\* loss {2}o val_loss/);
  assert.ok((out.match(/[*#]/g) ?? []).length >= 6, 'one point per epoch');
});
