// The training-health monitor (issue 10): every planted fault is caught with the right kind (and
// layer), and healthy seeded runs raise nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import { mulberry32 } from '../helpers/random.js';
import { tempDir } from '../helpers/temp_dir.js';
import type { TrainingEvent } from '../../src/callbacks/training_event.js';

function tabular(n: number, d: number, seed: number) {
  const r = mulberry32(seed);
  const x: number[][] = [];
  const y: number[] = [];
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: d }, () => r());
    x.push(row);
    y.push(row[0]! + row[1]! > 1 ? 1 : 0);
    t.push(row[0]! * 2 - row[2]! + 0.1 * r());
  }
  return { x, y, t };
}

const quiet = { print: false };
const kinds = (events: TrainingEvent[]) => events.map((e) => e.kind);

function classifier(d: number, first: Record<string, unknown> = {}) {
  const m = kiln.sequential([
    kiln.layers.dense({ units: 16, activation: 'relu', inputShape: [d], ...first }),
    kiln.layers.dense({ units: 1, activation: 'sigmoid' }),
  ]);
  m.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return m;
}

test('a learning rate of 1e4 gives one non_finite event naming the first layer where it appeared', async () => {
  kiln.setSeed(1);
  const { x, t } = tabular(600, 6, 1);
  const m = kiln.sequential([kiln.layers.dense({ units: 32, activation: 'relu', inputShape: [6], name: 'hidden' }), kiln.layers.dense({ units: 1, name: 'out' })]);
  m.compile({ optimizer: kiln.optimizers.sgd({ learningRate: 1e4 }), loss: 'mse' });
  const h = await m.fit(x, t, { epochs: 3, batchSize: 32, verbose: 0, monitor: quiet });
  const nan = h.events.filter((e) => e.kind === 'non_finite');
  assert.equal(nan.length, 1, `raised once, not every step: ${JSON.stringify(kinds(h.events))}`);
  assert.equal(nan[0]!.layer, 'hidden');
  assert.equal(nan[0]!.epoch, 0);
  assert.equal(nan[0]!.severity, 'error');
  assert.match(nan[0]!.remedy, /learning rate/);
});

test('a layer initialized to produce dead ReLUs gives dead_relu for that layer', async () => {
  kiln.setSeed(2);
  const { x, y } = tabular(800, 8, 2);
  const m = classifier(8, { name: 'dead_layer', biasInitializer: kiln.initializers.constant({ value: -10 }) });
  const h = await m.fit(x, y, { epochs: 3, batchSize: 32, verbose: 0, validationSplit: 0.2, monitor: quiet });
  const dead = h.events.find((e) => e.kind === 'dead_relu');
  assert.ok(dead, `no dead_relu in ${JSON.stringify(kinds(h.events))}`);
  assert.equal(dead.layer, 'dead_layer');
  assert.ok(dead.epoch <= 2, `judged once 128 inspected rows were seen, at epoch ${dead.epoch}`);
  assert.equal(dead.evidence['share'], 1);
});

test('a constant column gives constant_feature naming the column, before training', async () => {
  kiln.setSeed(3);
  const { x, y } = tabular(400, 5, 3);
  for (const row of x) row[3] = 7;
  const h = await classifier(5).fit(x, y, { epochs: 2, verbose: 0, validationSplit: 0.2, monitor: quiet });
  const e = h.events.find((ev) => ev.kind === 'constant_feature');
  assert.ok(e, JSON.stringify(kinds(h.events)));
  assert.equal(e.epoch, -1);
  assert.deepEqual(e.evidence['columns'], [3]);
});

test('a leak between train and validation gives train_val_overlap; a target copied into a feature gives target_leak', async () => {
  kiln.setSeed(4);
  const { x, y } = tabular(400, 4, 4);
  const h = await classifier(4).fit(x, y, { epochs: 1, verbose: 0, validationData: [x.slice(0, 100), y.slice(0, 100)], monitor: quiet });
  const overlap = h.events.find((e) => e.kind === 'train_val_overlap');
  assert.ok(overlap, JSON.stringify(kinds(h.events)));
  assert.equal(overlap.evidence['duplicates'], 100);
  const leaky = x.map((row, i) => [...row, y[i]!]);
  const h2 = await classifier(5).fit(leaky, y, { epochs: 1, verbose: 0, validationSplit: 0.2, monitor: quiet });
  const leak = h2.events.find((e) => e.kind === 'target_leak');
  assert.ok(leak, JSON.stringify(kinds(h2.events)));
  assert.deepEqual(leak.evidence['columns'], [4]);
});

test('99:1 labels with accuracy no better than the majority give class_imbalance', async () => {
  kiln.setSeed(5);
  const { x } = tabular(800, 8, 5);
  const y = x.map((_, i) => (i % 100 === 0 ? 1 : 0));
  const h = await classifier(8).fit(x, y, { epochs: 3, batchSize: 32, verbose: 0, monitor: quiet });
  const e = h.events.find((ev) => ev.kind === 'class_imbalance');
  assert.ok(e, JSON.stringify(kinds(h.events)));
  assert.equal(e.evidence['majorityClass'], 0);
  assert.ok((e.evidence['majorityShare'] as number) >= 0.99);
});

test('a model that overfits gives overfitting, naming where it began and the checkpoint to restore', async () => {
  kiln.setSeed(6);
  const tmp = tempDir('kiln-overfit-');
  try {
    const train = tabular(40, 8, 3);
    const noisy = train.x.map((_, i) => ((i * 7) % 3 === 0 ? 1 : 0));
    const val = tabular(200, 8, 9);
    const valY = val.x.map((_, i) => ((i * 5) % 3 === 0 ? 1 : 0));
    const m = kiln.sequential([
      kiln.layers.dense({ units: 256, activation: 'relu', inputShape: [8] }),
      kiln.layers.dense({ units: 256, activation: 'relu' }),
      kiln.layers.dense({ units: 1, activation: 'sigmoid' }),
    ]);
    m.compile({ optimizer: kiln.optimizers.adam({ learningRate: 0.01 }), loss: 'binary_crossentropy' });
    const ckpt = kiln.callbacks.modelCheckpoint({ filepath: tmp.path('ckpt/model.{epoch:02d}.keras'), monitor: 'val_loss', saveBestOnly: true });
    const h = await m.fit(train.x, noisy, { epochs: 30, batchSize: 32, verbose: 0, validationData: [val.x, valY], callbacks: [ckpt], monitor: quiet });
    const e = h.events.find((ev) => ev.kind === 'overfitting');
    assert.ok(e, JSON.stringify(kinds(h.events)));
    const best = e.evidence['bestEpoch'] as number;
    assert.equal(e.evidence['began'], best + 1);
    const valLoss = h.history['val_loss'] as number[];
    assert.equal(Math.min(...valLoss.slice(0, e.epoch + 1)), valLoss[best]);
    assert.match(String(e.evidence['checkpoint']), new RegExp(`model\\.${String(best + 1).padStart(2, '0')}\\.keras$`));
    assert.match(e.remedy, /restore the checkpoint saved at epoch/);
  } finally {
    tmp.cleanup();
  }
});

test('healthy seeded runs raise no event (regression and multiclass, five seeds each)', async () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    kiln.setSeed(seed);
    const d = tabular(600, 6, seed);
    const reg = kiln.sequential([kiln.layers.dense({ units: 32, activation: 'relu', inputShape: [6] }), kiln.layers.dense({ units: 16, activation: 'relu' }), kiln.layers.dense({ units: 1 })]);
    reg.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
    const h = await reg.fit(d.x, d.t, { epochs: 20, batchSize: 32, verbose: 0, validationSplit: 0.2, monitor: quiet });
    assert.deepEqual(kinds(h.events), [], `regression seed ${seed}: ${h.events.map((e) => e.message).join('; ')}`);
    const cls = kiln.sequential([kiln.layers.dense({ units: 32, activation: 'relu', inputShape: [6] }), kiln.layers.dense({ units: 3, activation: 'softmax' })]);
    cls.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const yc = d.x.map((r) => (r[0]! > 0.66 ? 2 : r[0]! > 0.33 ? 1 : 0));
    const h2 = await cls.fit(d.x, yc, { epochs: 20, batchSize: 16, verbose: 0, validationSplit: 0.2, monitor: quiet });
    assert.deepEqual(kinds(h2.events), [], `multiclass seed ${seed}: ${h2.events.map((e) => e.message).join('; ')}`);
  }
});

test('monitor: false turns it off; unknown options are refused with a suggestion', async () => {
  kiln.setSeed(7);
  const { x, y } = tabular(100, 4, 7);
  for (const row of x) row[0] = 1;
  const h = await classifier(4).fit(x, y, { epochs: 1, verbose: 0, monitor: false });
  assert.deepEqual(h.events, []);
  await assert.rejects(classifier(4).fit(x, y, { epochs: 1, verbose: 0, monitor: { inspectEvry: 3 } as never }), /unknown option 'inspectEvry'; did you mean 'inspectEvery'/);
});
