// The training-health monitor's trend and gradient detectors (issue 10): a loss spike, divergence,
// a learning rate too low, vanishing and exploding gradients, and features on very different
// scales — each planted, each caught with the right kind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import { mulberry32 } from '../helpers/random.js';
import type { TrainingEvent } from '../../src/callbacks/training_event.js';
import { TrainingMonitor } from '../../src/health/training_monitor.js';
import type { Callback } from '../../src/callbacks/callback.js';
import { tempDir } from '../helpers/temp_dir.js';

function regressionData(n: number, d: number, seed: number) {
  const r = mulberry32(seed);
  const x: number[][] = [];
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: d }, () => r());
    x.push(row);
    t.push(row[0]! * 2 - row[1]! + 0.05 * r());
  }
  return { x, t };
}

const kinds = (events: TrainingEvent[]) => JSON.stringify(events.map((e) => `${e.kind}@${e.epoch}:${e.step}:${e.layer ?? ''}`));

function regressor(d: number, optimizer: Parameters<kiln.Sequential["compile"]>[0]["optimizer"] = "adam") {
  const m = kiln.sequential([
    kiln.layers.dense({ units: 16, activation: 'relu', inputShape: [d], name: 'hidden' }),
    kiln.layers.dense({ units: 1, name: 'out' }),
  ]);
  m.compile({ optimizer, loss: 'mse' });
  return m;
}

test('a loss spike from one batch of outlier rows is raised at that batch, at most once per epoch', async () => {
  kiln.setSeed(3);
  const { x, t } = regressionData(640, 4, 3);
  for (let i = 320; i < 352; i++) t[i] = 300; // batch 10 of 20 (unshuffled)
  const h = await regressor(4).fit(x, t, { epochs: 4, batchSize: 32, shuffle: false, verbose: 0, monitor: { print: false } });
  const spikes = h.events.filter((e) => e.kind === 'loss_spike');
  assert.ok(spikes.length >= 3, kinds(h.events));
  for (const e of spikes) assert.equal(e.step! % 20, 10, `at the outlier batch: ${kinds(h.events)}`);
  assert.equal(new Set(spikes.map((e) => e.epoch)).size, spikes.length, 'once per epoch');
});

test('plain SGD above its stable rate diverges: divergence is raised before anything overflows', async () => {
  kiln.setSeed(3);
  const { x, t } = regressionData(640, 4, 3);
  const lin = kiln.sequential([kiln.layers.dense({ units: 1, inputShape: [4], name: 'linear' })]);
  lin.compile({ optimizer: kiln.optimizers.sgd({ learningRate: 0.5 }), loss: 'mse' });
  const h = await lin.fit(x, t, { epochs: 10, batchSize: 32, verbose: 0, monitor: { print: false } });
  const loss = h.history['loss'] as number[];
  assert.ok(loss.at(-1)! > 10 * loss[0]!, `the run really diverges: ${loss.join(' ')}`);
  assert.deepEqual(h.events.map((e) => e.kind), ['divergence']);
  assert.match(h.events[0]!.remedy, /learning rate/);
  // Just below the stable rate the same model converges and raises nothing.
  kiln.setSeed(3);
  const ok = kiln.sequential([kiln.layers.dense({ units: 1, inputShape: [4], name: 'linear' })]);
  ok.compile({ optimizer: kiln.optimizers.sgd({ learningRate: 0.4 }), loss: 'mse' });
  const h2 = await ok.fit(x, t, { epochs: 10, batchSize: 32, verbose: 0, monitor: { print: false } });
  assert.deepEqual(h2.events, []);
});

test('a rising schedule gives exploding gradients on the layer where they grew, before the NaN', async () => {
  kiln.setSeed(3);
  const { x, t } = regressionData(640, 4, 3);
  const sched = kiln.callbacks.learningRateScheduler((epoch: number) => 0.02 * 3 ** epoch);
  const h = await regressor(4, kiln.optimizers.sgd({ learningRate: 0.02 })).fit(x, t, { epochs: 8, batchSize: 32, verbose: 0, callbacks: [sched], monitor: { print: false } });
  const order = h.events.map((e) => e.kind);
  const exploding = h.events.find((e) => e.kind === 'exploding_gradients');
  assert.ok(exploding, kinds(h.events));
  assert.ok(['hidden', 'out'].includes(exploding.layer!), kinds(h.events));
  assert.ok(order.indexOf('divergence') >= 0 && order.indexOf('divergence') < order.indexOf('non_finite'), kinds(h.events));
  assert.ok(order.indexOf('exploding_gradients') < order.indexOf('non_finite'), kinds(h.events));
});

test('a learning rate of 1e-7 gives lr_too_low; a linear model on pure noise gives plateau', async () => {
  kiln.setSeed(3);
  const { x, t } = regressionData(640, 4, 3);
  // lr_too_low is judged over at least 100 steps and three epochs (a slow start is not a fault): 8 epochs of 20 steps.
  const h = await regressor(4, kiln.optimizers.sgd({ learningRate: 1e-7 })).fit(x, t, { epochs: 8, batchSize: 32, verbose: 0, monitor: { print: false } });
  assert.deepEqual(h.events.map((e) => e.kind), ['lr_too_low'], kinds(h.events));
  const r = mulberry32(9);
  const noise = x.map(() => r());
  kiln.setSeed(3);
  const lin = kiln.sequential([kiln.layers.dense({ units: 1, inputShape: [4], name: 'linear' })]);
  lin.compile({ optimizer: kiln.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
  const h2 = await lin.fit(x, noise, { epochs: 30, batchSize: 32, verbose: 0, monitor: { print: false } });
  assert.deepEqual(h2.events.map((e) => e.kind), ['plateau'], kinds(h2.events));
  assert.ok(h2.events[0]!.epoch >= 10, 'after plateauPatience epochs without improvement');
});

test('a deep sigmoid stack gives vanishing_gradients naming its first layers', async () => {
  kiln.setSeed(3);
  const { x, t } = regressionData(640, 4, 3);
  const layers = [kiln.layers.dense({ units: 16, activation: 'sigmoid', inputShape: [4], name: 'first' })];
  for (let i = 0; i < 12; i++) layers.push(kiln.layers.dense({ units: 16, activation: 'sigmoid', name: `s${i}` }));
  layers.push(kiln.layers.dense({ units: 1, name: 'out' }));
  const deep = kiln.sequential(layers);
  deep.compile({ optimizer: 'sgd', loss: 'mse' });
  const h = await deep.fit(x, t, { epochs: 2, batchSize: 32, verbose: 0, monitor: { print: false } });
  const vanishing = h.events.filter((e) => e.kind === 'vanishing_gradients').map((e) => e.layer);
  assert.equal(vanishing[0], 'first', kinds(h.events));
  assert.ok(!vanishing.includes('out'), 'the last layer still learns');
});

test('one feature 10^4 times larger than the rest gives feature_scale before training', async () => {
  kiln.setSeed(3);
  const { x, t } = regressionData(640, 4, 3);
  const xs = x.map((r) => [r[0]!, r[1]! * 1e4, r[2]!, r[3]!]);
  const h = await regressor(4).fit(xs, t, { epochs: 1, batchSize: 32, verbose: 0, monitor: { print: false } });
  const e = h.events.find((ev) => ev.kind === 'feature_scale');
  assert.ok(e, kinds(h.events));
  assert.equal(e.epoch, -1);
  assert.match(e.message, /column 1 spans/);
});

test('loss windows that bounce without going down give lr_too_high (fed to the monitor directly)', () => {
  const events: TrainingEvent[] = [];
  const mon = new TrainingMonitor({ print: false });
  mon.attach({ labelKind: 'regression', normalizesInput: false, callbacks: [], sink: (e) => events.push(e) });
  mon.setParams({ epochs: 10, steps: 20, verbose: 0, metrics: ['loss'] });
  // Window size is max(5, steps / 4) = 5 steps; the window means alternate 1.0 and 0.6.
  for (let w = 0; w < 9; w++) {
    for (let b = 0; b < 5; b++) {
      const step = w * 5 + b;
      mon.onTrainStep({ step, epoch: Math.floor(step / 20), batch: step % 20, batchSize: 32, loss: w % 2 === 0 ? 1.0 : 0.6 });
    }
  }
  assert.deepEqual(events.map((e) => e.kind), ['lr_too_high']);
  assert.equal(events[0]!.evidence['reversals'], 6);
  // The same bounce around a falling trend is a healthy run.
  const calm: TrainingEvent[] = [];
  const mon2 = new TrainingMonitor({ print: false });
  mon2.attach({ labelKind: 'regression', normalizesInput: false, callbacks: [], sink: (e) => calm.push(e) });
  mon2.setParams({ epochs: 10, steps: 20, verbose: 0, metrics: ['loss'] });
  for (let w = 0; w < 9; w++) {
    for (let b = 0; b < 5; b++) {
      const step = w * 5 + b;
      mon2.onTrainStep({ step, epoch: Math.floor(step / 20), batch: step % 20, batchSize: 32, loss: (w % 2 === 0 ? 1.0 : 0.6) * 0.7 ** w });
    }
  }
  assert.deepEqual(calm, []);
});

test('a run resumed through backupAndRestore keeps the monitor state: the same events, none twice', async () => {
  const { x, t } = regressionData(640, 4, 3);
  const run = async (callbacks: Callback[]) => {
    kiln.setSeed(3);
    const lin = kiln.sequential([kiln.layers.dense({ units: 1, inputShape: [4], name: 'linear' })]);
    lin.compile({ optimizer: kiln.optimizers.sgd({ learningRate: 0.5 }), loss: 'mse' });
    return lin.fit(x, t, { epochs: 8, batchSize: 32, verbose: 0, callbacks, monitor: { print: false } });
  };
  const whole = await run([]);
  assert.deepEqual(whole.events.map((e) => e.kind), ['divergence']);
  const tmp = tempDir('kiln-monitor-resume-');
  try {
    const backup = () => kiln.callbacks.backupAndRestore({ backupDir: tmp.path('backup'), saveFreq: 10 });
    // Divergence needs windows from before and after the crash (it is raised in epoch 4, step 94).
    const crash = kiln.callbacks.lambdaCallback({ onBatchEnd: (batch) => { if (batch === 15 && crashes++ === 2) throw new Error('planted crash'); } });
    let crashes = 0;
    await assert.rejects(run([crash, backup()]), /planted crash/);
    const resumed = await run([crash, backup()]);
    assert.deepEqual(resumed.events, whole.events);
    assert.deepEqual(resumed.history['loss'], whole.history['loss']);
  } finally {
    tmp.cleanup();
  }
});
