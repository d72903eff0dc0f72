import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as kiln from '../../src/index.js';
import { checkpointManager } from '../../src/checkpoint/manager_api.js';
import { CheckpointWriteError } from '../../src/checkpoint/errors.js';
import { ValueError } from '../../src/errors.js';
import { captureConsole } from '../callbacks/fake_model.js';
import { tempDir } from '../helpers/temp_dir.js';

const INDEX = 'kiln-checkpoints.json';

function data() {
  kiln.setSeed(5);
  return { x: kiln.randomNormal([32, 3]), y: kiln.randomNormal([32, 1]), xv: kiln.randomNormal([16, 3]), yv: kiln.randomNormal([16, 1]) };
}

function toyModel(learningRate = 0.3) {
  kiln.setSeed(9);
  const m = kiln.sequential([kiln.layers.input({ shape: [3] }), kiln.layers.dense({ units: 4, activation: 'tanh' }), kiln.layers.dense({ units: 1 })]);
  m.compile({ optimizer: kiln.optimizers.sgd({ learningRate }), loss: 'mse' });
  return m;
}

function predictions(m: kiln.Model, x: kiln.Tensor): number[] {
  return Array.from(m.predict(x).dataSync());
}

function assertClosePreds(got: number[], want: number[], label: string): void {
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]!) < 1e-6, `${label}: prediction ${i}: ${g} vs ${want[i]}`));
}

test('modelCheckpoint + fit: every save is indexed with epoch, step and metrics; maxToKeep prunes', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const { x, y, xv, yv } = data();
    const model = toyModel();
    const ckpt = kiln.callbacks.modelCheckpoint({ filepath: join(dir, 'model.{epoch:02d}.keras'), max_to_keep: 2 });
    const hist = await model.fit(x, y, { epochs: 4, batchSize: 8, shuffle: false, verbose: 0, validationData: [xv, yv], callbacks: [ckpt] });
    const vl = hist.history['val_loss'] as number[];
    const list = checkpointManager(dir).list();
    // val_loss is recorded as the monitor, so the best epoch survives maxToKeep beside the newest two.
    const bestEpoch = vl.indexOf(Math.min(...vl)) + 1;
    const expectEpochs = [...new Set([bestEpoch, 3, 4])].sort();
    assert.deepEqual(list.map((c) => c.epoch), expectEpochs);
    assert.deepEqual(readdirSync(dir).filter((f) => f !== INDEX).sort(), expectEpochs.map((e) => `model.0${e}.keras`));
    for (const c of list) {
      assert.equal(c.step, c.epoch * 4, 'step = batches done (4 per epoch)');
      assert.equal(c.metrics['val_loss'], vl[c.epoch - 1]);
      assert.equal(c.metrics['loss'], (hist.history['loss'] as number[])[c.epoch - 1]);
      assert.equal(c.monitor, 'val_loss');
      assert.equal(c.mode, 'min');
      assert.equal(c.kind, 'model');
    }
    // Batch-frequency weights saves: step counts batches across epochs; kind 'weights'.
    const wdir = join(dir, 'w');
    const wck = kiln.callbacks.modelCheckpoint({ filepath: join(wdir, 'w-{epoch}-{batch}.weights.h5'), saveWeightsOnly: true, saveFreq: 3 });
    await model.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0, callbacks: [wck] });
    assert.deepEqual(checkpointManager(wdir).list().map((c) => [c.file, c.epoch, c.step, c.kind, c.monitor ?? null]), [
      ['w-1-3.weights.h5', 1, 3, 'weights', null], ['w-2-2.weights.h5', 2, 6, 'weights', null],
    ]);
    assert.throws(() => kiln.callbacks.modelCheckpoint({ filepath: 'm.keras', maxToKeep: 0 }), ValueError);
    assert.throws(() => kiln.callbacks.modelCheckpoint({ filepath: 'm.keras', keep_every_n_hours: 'x' as unknown as number }), ValueError);
  } finally {
    cleanup();
  }
});

test('modelCheckpoint saveBestOnly + checkpointManager.restore("best") gives the best epoch\'s model', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const { x, y, xv, yv } = data();
    const model = toyModel();
    const perEpoch: number[][] = [];
    const record = kiln.callbacks.lambdaCallback({ onEpochEnd: () => void perEpoch.push(predictions(model, xv)) });
    const ckpt = kiln.callbacks.modelCheckpoint({ filepath: join(dir, 'model.{epoch:02d}-{val_loss:.4f}.keras'), monitor: 'val_loss', saveBestOnly: true });
    const hist = await model.fit(x, y, { epochs: 8, batchSize: 8, shuffle: false, verbose: 0, validationData: [xv, yv], callbacks: [record, ckpt] });
    const vl = hist.history['val_loss'] as number[];
    const best = vl.indexOf(Math.min(...vl));
    const mgr = checkpointManager(dir, { maxToKeep: 5, keepEveryNHours: 1 });
    assert.equal(mgr.best()!.epoch, best + 1);
    assertClosePreds(predictions(await mgr.restore('best'), xv), perEpoch[best]!, 'best');
    // Improvements only: the latest saved is also the best.
    assert.equal(mgr.latest()!.version, mgr.best()!.version);
    const first = mgr.list()[0]!;
    assertClosePreds(predictions(await mgr.restore({ epoch: first.epoch }), xv), perEpoch[first.epoch - 1]!, 'first');
  } finally {
    cleanup();
  }
});

test('modelCheckpoint: a diverged run (NaN loss) never writes a checkpoint; the good one stays', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const { x, y } = data();
    const model = toyModel(0.1);
    // After epoch 1 the learning rate becomes absurd, so the weights and loss blow up to Infinity/NaN.
    const blowUp = kiln.callbacks.lambdaCallback({ onEpochEnd: () => void (model.optimizer!.learningRate = 1e30) });
    const ckpt = kiln.callbacks.modelCheckpoint({ filepath: join(dir, 'e{epoch}.keras'), monitor: 'loss' });
    const { warn } = await captureConsole(() => model.fit(x, y, { epochs: 4, batchSize: 8, shuffle: false, verbose: 0, callbacks: [ckpt, blowUp] }));
    assert.ok(warn.length >= 1 && warn.length <= 3, warn.join('\n'));
    assert.ok(warn.every((w) => /^Epoch [234]: not saving model to .*e[234]\.keras: .*(NaN|Infinity).*; the last saved checkpoint is kept$/.test(w)), warn.join('\n'));
    const files = readdirSync(dir).filter((f) => f.endsWith('.keras'));
    assert.ok(files.includes('e1.keras'));
    for (const f of files) {
      const m = await kiln.loadModel(join(dir, f));
      for (const w of m.getWeights()) assert.ok(Array.from(w.dataSync()).every(Number.isFinite), `${f} holds a non-finite weight`);
    }
    assert.ok(checkpointManager(dir).list().every((c) => Number.isFinite(c.metrics['loss'])));
    assert.equal(ckpt.best, null, 'not saveBestOnly: best untouched');
  } finally {
    cleanup();
  }
});

test('modelCheckpoint: a save that cannot be written stops fit with CheckpointWriteError; the earlier checkpoint restores', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const { x, y, xv } = data();
    const model = toyModel();
    const ckptDir = join(dir, 'ckpt');
    let afterEpoch1: number[] = [];
    // After epoch 1 the checkpoint directory is moved away and a plain file takes its place.
    const sabotage = kiln.callbacks.lambdaCallback({
      onEpochEnd: (epoch) => {
        if (epoch !== 0) return;
        afterEpoch1 = predictions(model, xv);
        renameSync(ckptDir, join(dir, 'kept'));
        writeFileSync(ckptDir, 'not a directory');
      },
    });
    const ckpt = kiln.callbacks.modelCheckpoint({ filepath: join(ckptDir, 'sub', 'e{epoch}.keras') });
    await assert.rejects(model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0, callbacks: [ckpt, sabotage] }), (e: Error) =>
      e instanceof CheckpointWriteError && e.message.includes(join(ckptDir, 'sub', 'e2.keras')) && /not a directory|ENOTDIR/.test(e.message) && /previous checkpoint is left intact/.test(e.message));
    const restored = await checkpointManager(join(dir, 'kept', 'sub')).restore('latest');
    assertClosePreds(predictions(restored, xv), afterEpoch1, 'epoch 1 checkpoint');
    // A system error from the writer itself (here: disk full) is named the same way, and the file stays the old one.
    const path = join(dir, 'kept', 'sub', 'e1.keras');
    const before = readFileSync(path);
    const full = toyModel();
    full.save = async () => { throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }); };
    const again = kiln.callbacks.modelCheckpoint({ filepath: join(dir, 'kept', 'sub', 'e{epoch}.keras') });
    await assert.rejects(full.fit(x, kiln.randomNormal([32, 1]), { epochs: 1, verbose: 0, callbacks: [again] }), (e: Error) =>
      e instanceof CheckpointWriteError && /the disk is full \(ENOSPC\)/.test(e.message));
    assert.deepEqual(readFileSync(path), before);
    assert.ok(existsSync(join(dir, 'kept', 'sub', INDEX)));
  } finally {
    cleanup();
  }
});
