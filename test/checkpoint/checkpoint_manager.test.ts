import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, readdirSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as kiln from '../../src/index.js';
import { checkpointManager } from '../../src/checkpoint/manager_api.js';
import { sha256File } from '../../src/checkpoint/checkpoint_fs.js';
import { CheckpointNotFoundError, CheckpointWriteError, CorruptCheckpointError } from '../../src/checkpoint/errors.js';
import { ValueError } from '../../src/errors.js';
import { captureConsole } from '../callbacks/fake_model.js';
import { tempDir } from '../helpers/temp_dir.js';

const INDEX = 'kiln-checkpoints.json';

function toyModel(): kiln.Model {
  kiln.setSeed(3);
  const m = kiln.sequential([kiln.layers.input({ shape: [3] }), kiln.layers.dense({ units: 4, activation: 'tanh' }), kiln.layers.dense({ units: 1 })]);
  m.compile({ optimizer: kiln.optimizers.sgd({ learningRate: 0.2 }), loss: 'mse' });
  return m;
}

kiln.setSeed(11);
const X = kiln.randomNormal([16, 3]);
const Y = kiln.randomNormal([16, 1]);

function predictions(m: kiln.Model): number[] {
  return Array.from(m.predict(X).dataSync());
}

function assertSamePredictions(got: kiln.Model, want: number[], label: string): void {
  predictions(got).forEach((g, i) => assert.ok(Math.abs(g - want[i]!) < 1e-6, `${label}: prediction ${i}: ${g} vs ${want[i]}`));
}

/** A clock tests move by hand. */
function clock(start = 1_700_000_000_000) {
  const c = { t: start, now: () => c.t };
  return c;
}

/**
 * Trains one epoch at a time and saves after each with the given val_loss, returning the
 * predictions at every epoch (index 0 = epoch 1).
 */
async function trainAndSave(mgr: ReturnType<typeof checkpointManager>, model: kiln.Model, valLosses: number[], tick?: () => void): Promise<number[][]> {
  const preds: number[][] = [];
  for (let e = 0; e < valLosses.length; e++) {
    await model.fit(X, Y, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
    preds.push(predictions(model));
    tick?.();
    await mgr.save(model, { epoch: e + 1, step: (e + 1) * 2, logs: { loss: 0.5 - e / 100, val_loss: valLosses[e]! }, monitor: 'val_loss' });
  }
  return preds;
}

// Four checkpoints made once (val_loss best at epoch 2, second best at epoch 4); tests copy the directory.
const base = tempDir();
const baseClock = clock();
const BASE_PREDS = await trainAndSave(checkpointManager(base.dir, { now: baseClock.now }), toyModel(), [0.9, 0.3, 0.8, 0.5], () => void (baseClock.t += 60_000));
process.on('exit', base.cleanup);

function copyBase(): { dir: string; cleanup: () => void } {
  const t = tempDir();
  cpSync(base.dir, t.dir, { recursive: true });
  return t;
}

test('checkpointManager: list / latest / best describe each checkpoint; restore by every selector', async () => {
  const { dir, cleanup } = copyBase();
  try {
    const mgr = checkpointManager(dir);
    const list = mgr.list();
    assert.deepEqual(list.map((c) => [c.version, c.epoch, c.step, c.file]), [[1, 1, 2, 'ckpt-1.keras'], [2, 2, 4, 'ckpt-2.keras'], [3, 3, 6, 'ckpt-3.keras'], [4, 4, 8, 'ckpt-4.keras']]);
    assert.deepEqual(list.map((c) => c.time - list[0]!.time), [0, 60_000, 120_000, 180_000]);
    for (const c of list) {
      assert.equal(c.path, join(dir, c.file));
      assert.equal(c.kind, 'model');
      assert.equal(c.sha256, sha256File(c.path));
      assert.equal(c.size, statSync(c.path).size);
      assert.equal(c.monitor, 'val_loss');
      assert.equal(c.preserved, false);
    }
    assert.deepEqual(list[1]!.metrics, { loss: 0.49, val_loss: 0.3 });
    assert.equal(mgr.latest()!.version, 4);
    assert.equal(mgr.best()!.version, 2);
    assert.equal(mgr.best('loss')!.version, 4);
    assert.equal(checkpointManager(dir, { monitor: 'val_loss', mode: 'max' }).best()!.version, 1);

    assertSamePredictions(await mgr.restore('latest'), BASE_PREDS[3]!, 'latest');
    assertSamePredictions(await mgr.restore('best'), BASE_PREDS[1]!, 'best');
    assertSamePredictions(await mgr.restore(3), BASE_PREDS[2]!, 'version 3');
    const byEpoch = await mgr.restore({ epoch: 1 });
    assertSamePredictions(byEpoch, BASE_PREDS[0]!, 'epoch 1');
    assert.ok(byEpoch.optimizer, 'a restored model comes back compiled');
    assert.equal((await mgr.restore('latest', { compile: false })).optimizer ?? null, null);

    await assert.rejects(mgr.restore(9), (e: Error) => e instanceof CheckpointNotFoundError && /version 9/.test(e.message) && /available versions: 1, 2, 3, 4/.test(e.message));
    await assert.rejects(mgr.restore({ epoch: 7 }), (e: Error) => e instanceof CheckpointNotFoundError && /available epochs: 1, 2, 3, 4/.test(e.message));
    await assert.rejects(mgr.restore('bogus' as never), ValueError);
    const empty = checkpointManager(join(dir, 'nothing-here'));
    assert.deepEqual(empty.list(), []);
    assert.equal(empty.latest(), null);
    await assert.rejects(empty.restore('latest'), CheckpointNotFoundError);
  } finally {
    cleanup();
  }
});

test('checkpointManager: weights-only checkpoints restore into a given model', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const model = toyModel();
    await model.fit(X, Y, { epochs: 1, verbose: 0 });
    const want = predictions(model);
    const mgr = checkpointManager(dir);
    const info = await mgr.save(model, { epoch: 1, filename: 'w.weights.h5' });
    assert.equal(info.kind, 'weights');
    await assert.rejects(mgr.restore('latest'), (e: Error) => e instanceof ValueError && /weights only/.test(e.message));
    const fresh = toyModel();
    const got = await mgr.restore('latest', { model: fresh });
    assert.equal(got, fresh);
    assertSamePredictions(got, want, 'weights');
    await assert.rejects(mgr.save(model, { epoch: 2, filename: '../escape.keras' }), /directly inside/);
  } finally {
    cleanup();
  }
});

const CORRUPTIONS: [string, (path: string) => void][] = [
  ['truncated', (p) => truncateSync(p, Math.floor(statSync(p).size / 2))],
  ['a flipped byte in the middle', (p) => {
    const b = readFileSync(p);
    b[b.length >> 1] ^= 0xff;
    writeFileSync(p, b);
  }],
  ['deleted', (p) => unlinkSync(p)],
  ['replaced with garbage', (p) => writeFileSync(p, Buffer.alloc(statSync(p).size, 0x41))],
];

test('checkpointManager: a corrupt newest checkpoint is detected and the previous good one restored, with a warning', async () => {
  for (const [what, corrupt] of CORRUPTIONS) {
    const { dir, cleanup } = copyBase();
    try {
      const mgr = checkpointManager(dir);
      const bad = join(dir, 'ckpt-4.keras');
      corrupt(bad);
      const { warn, result } = await captureConsole(() => mgr.restore('latest'));
      assertSamePredictions(result, BASE_PREDS[2]!, what);
      assert.equal(warn.length, 1, what);
      assert.ok(warn[0]!.includes(bad) && /version 4/.test(warn[0]!) && /restored checkpoint version 3/.test(warn[0]!), `${what}: ${warn[0]}`);
      // An explicit request for the bad one is refused, never silently substituted.
      await assert.rejects(mgr.restore(4), (e: Error) => e instanceof CorruptCheckpointError && e.message.includes(bad), what);
      await assert.rejects(mgr.restore({ epoch: 4 }), CorruptCheckpointError);
    } finally {
      cleanup();
    }
  }
});

test('checkpointManager: why a checkpoint is corrupt is said; a file that fails to load also falls back', async () => {
  const { dir, cleanup } = copyBase();
  try {
    const mgr = checkpointManager(dir);
    truncateSync(join(dir, 'ckpt-4.keras'), 10);
    await assert.rejects(mgr.restore(4), /has 10 bytes where the index recorded \d+/);
    writeFileSync(join(dir, 'ckpt-3.keras'), Buffer.alloc(statSync(join(dir, 'ckpt-3.keras')).size, 1));
    await assert.rejects(mgr.restore(3), /SHA-256 .* does not match/);
    // A file whose checksum matches the index but does not load (written broken): the index is made to agree with it.
    const index = JSON.parse(readFileSync(join(dir, INDEX), 'utf8'));
    const bestPath = join(dir, 'ckpt-2.keras');
    writeFileSync(bestPath, 'PK\u0003\u0004 not really a zip');
    Object.assign(index.checkpoints[1], { sha256: sha256File(bestPath), size: statSync(bestPath).size });
    writeFileSync(join(dir, INDEX), JSON.stringify(index));
    // Best (v2) does not load → next best by val_loss is v4 (0.5) — corrupt — then v3 (0.8) corrupt, then v1 (0.9).
    const { warn, result } = await captureConsole(() => mgr.restore('best'));
    assertSamePredictions(result, BASE_PREDS[0]!, 'fallback to v1');
    assert.equal(warn.length, 3);
    assert.match(warn[0]!, /version 2 .*cannot be loaded.*restored checkpoint version 1/);
    // Nothing valid at all: the error lists every candidate tried.
    unlinkSync(join(dir, 'ckpt-1.keras'));
    await assert.rejects(mgr.restore('latest'), (e: Error) =>
      e instanceof CorruptCheckpointError && ['version 4', 'version 3', 'version 2', 'version 1'].every((v) => e.message.includes(v)));
  } finally {
    cleanup();
  }
});

test('checkpointManager: retention with maxToKeep and keepEveryNHours deletes and keeps real files; the best is protected', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const c = clock();
    const mgr = checkpointManager(dir, { max_to_keep: 2, keepEveryNHours: 1, now: c.now });
    // record() of small files: retention never opens them. val_loss is best at v2.
    const val = [0.9, 0.1, 0.8, 0.7, 0.6, 0.5, 0.4];
    for (let i = 0; i < val.length; i++) {
      c.t += 25 * 60_000; // 25 minutes per checkpoint
      const f = join(dir, `f${i + 1}.keras`);
      writeFileSync(f, `checkpoint ${i + 1}`);
      await mgr.record(f, { epoch: i + 1, step: i + 1, logs: { val_loss: val[i]! }, monitor: 'val_loss' });
    }
    // Times from the manager's start: v1 25m … v7 175m. Leaving the active set: v1 (25m < 60m: deleted),
    // v2 (50m: best, kept but not preserved), v3 (75m ≥ 60m: preserved, ref 75m), v4 (100m: deleted),
    // v5 (125m: 50m after the ref: deleted); v6 and v7 are the active two.
    const list = mgr.list();
    assert.deepEqual(list.map((e) => [e.version, e.preserved]), [[2, false], [3, true], [6, false], [7, false]]);
    assert.deepEqual(readdirSync(dir).filter((f) => f !== INDEX).sort(), ['f2.keras', 'f3.keras', 'f6.keras', 'f7.keras']);
    // A reopened manager continues from the index; a new best releases the old one.
    const again = checkpointManager(dir, { maxToKeep: 2, keepEveryNHours: 1, now: c.now });
    c.t += 25 * 60_000;
    writeFileSync(join(dir, 'f8.keras'), 'checkpoint 8');
    await again.record(join(dir, 'f8.keras'), { epoch: 8, step: 8, logs: { val_loss: 0.05 }, monitor: 'val_loss' });
    // v8 (200m) is best; v2 and v6 leave: v6 at 150m is 75m after the 75m ref → preserved; v2 (not best now) deleted.
    assert.deepEqual(again.list().map((e) => [e.version, e.preserved]), [[3, true], [6, true], [7, false], [8, false]]);
    assert.ok(!existsSync(join(dir, 'f2.keras')));
    const idx = JSON.parse(readFileSync(join(dir, INDEX), 'utf8'));
    assert.equal(idx.last_preserved_time, idx.checkpoints.find((e: { version: number }) => e.version === 6).time);
    // delete(): file first, then entry.
    await again.delete(3);
    assert.ok(!existsSync(join(dir, 'f3.keras')));
    assert.deepEqual(again.list().map((e) => e.version), [6, 7, 8]);
    await assert.rejects(again.delete(3), CheckpointNotFoundError);
    // prune() applies a tighter policy now; preserved ones stay.
    await checkpointManager(dir, { maxToKeep: 1 }).prune();
    assert.deepEqual(again.list().map((e) => e.version), [6, 8]);
    assert.throws(() => checkpointManager(dir, { maxToKeep: 0 }), ValueError);
    assert.throws(() => checkpointManager(dir, { keepEveryNHours: -2 }), ValueError);
    assert.throws(() => checkpointManager(dir, { mode: 'up' as 'max' }), ValueError);
  } finally {
    cleanup();
  }
});

test('checkpointManager: crash consistency of the index', async () => {
  const { dir, cleanup } = copyBase();
  try {
    const mgr = checkpointManager(dir, { maxToKeep: 10 });
    // A crash between deleting a file and writing the index: the entry is dropped from list().
    unlinkSync(join(dir, 'ckpt-1.keras'));
    assert.deepEqual(mgr.list().map((e) => e.version), [2, 3, 4]);
    // Files the index does not name are left alone; the next write drops the dangling entry.
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const model = toyModel();
    await mgr.save(model, { epoch: 5, logs: { val_loss: 0.7 } });
    assert.ok(existsSync(join(dir, 'notes.txt')));
    const idx = JSON.parse(readFileSync(join(dir, INDEX), 'utf8'));
    assert.equal(idx.format, 'kiln-checkpoint-index');
    assert.equal(idx.format_version, 1);
    assert.equal(idx.next_version, 6);
    assert.deepEqual(idx.checkpoints.map((e: { version: number }) => e.version), [2, 3, 4, 5]);
    // Re-saving the same file (a resumed run) replaces its entry under a new version.
    await mgr.save(model, { epoch: 3, logs: { val_loss: 0.6 }, filename: 'ckpt-3.keras' });
    assert.deepEqual(mgr.list().map((e) => [e.version, e.file, e.epoch]), [[2, 'ckpt-2.keras', 2], [4, 'ckpt-4.keras', 4], [5, 'ckpt-5.keras', 5], [6, 'ckpt-3.keras', 3]]);
    assertSamePredictions(await mgr.restore({ epoch: 3 }), predictions(model), 're-saved epoch 3');
    // Concurrent records in one process are serialized: neither update of the index is lost.
    writeFileSync(join(dir, 'a.keras'), 'a');
    writeFileSync(join(dir, 'b.keras'), 'b');
    await Promise.all([mgr.record(join(dir, 'a.keras'), { epoch: 7 }), checkpointManager(dir).record(join(dir, 'b.keras'), { epoch: 8 })]);
    assert.deepEqual(mgr.list().slice(-2).map((e) => [e.version, e.file]), [[7, 'a.keras'], [8, 'b.keras']]);
    await assert.rejects(mgr.record(join(dir, 'missing.keras'), { epoch: 9 }), CheckpointNotFoundError);
    await assert.rejects(mgr.record(join(dir, 'a.keras'), { epoch: -1 }), ValueError);
    // No temporary files are left behind.
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('.')), []);
  } finally {
    cleanup();
  }
});

test('checkpointManager: a corrupt index is an error naming it, never silently replaced', async () => {
  const { dir, cleanup } = copyBase();
  try {
    const path = join(dir, INDEX);
    const cases: [string, RegExp][] = [
      ['{"format": "kiln-checkpoint-index", "format_version": 1, "next_ver', /not valid JSON/],
      ['[1, 2]', /expected a JSON object, found \[1,2\]/],
      ['{"format": "something-else"}', /expected "format": "kiln-checkpoint-index", found "something-else"/],
      ['{"format": "kiln-checkpoint-index", "format_version": 1, "next_version": 3, "last_preserved_time": null, "checkpoints": [{"version": 1}]}', /checkpoints\[0\]\.file must be/],
      ['', /not valid JSON/],
    ];
    for (const [text, why] of cases) {
      writeFileSync(path, text);
      const mgr = checkpointManager(dir);
      assert.throws(() => mgr.list(), (e: Error) => e instanceof CorruptCheckpointError && e.message.includes(path) && why.test(e.message), text);
      await assert.rejects(mgr.restore('latest'), CorruptCheckpointError);
      await assert.rejects(mgr.save(toyModel(), { epoch: 9 }), CorruptCheckpointError);
      assert.equal(readFileSync(path, 'utf8'), text, 'the index is left as it was');
    }
  } finally {
    cleanup();
  }
});

test('checkpointManager: a save that cannot be written is a CheckpointWriteError and the previous checkpoint stays', async () => {
  const { dir, cleanup } = copyBase();
  try {
    const mgr = checkpointManager(join(dir, 'ckpt-1.keras', 'sub')); // a path component is a file
    await assert.rejects(mgr.save(toyModel(), { epoch: 1 }), (e: Error) => e instanceof CheckpointWriteError && /not a directory|ENOTDIR|EEXIST/.test(e.message));
    assertSamePredictions(await checkpointManager(dir).restore('latest'), BASE_PREDS[3]!, 'intact');
  } finally {
    cleanup();
  }
});
