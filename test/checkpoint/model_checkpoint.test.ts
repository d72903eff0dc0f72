import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as kiln from '../../src/index.js';
import { ModelCheckpoint } from '../../src/checkpoint/model_checkpoint.js';
import { formatPython } from '../../src/callbacks/format_path.js';
import type { FormatValue } from '../../src/callbacks/format_path.js';
import { ValueError } from '../../src/errors.js';
import { FakeModel, captureConsole } from '../callbacks/fake_model.js';
import { tempDir } from '../helpers/temp_dir.js';

// Expected strings produced by CPython 3 `template.format(**values)` (ints passed as Python ints).
const PY_CASES: [string, Record<string, FormatValue>, string][] = [
  ['model.{epoch:02d}-{val_loss:.4f}.keras', { epoch: 3n, val_loss: 0.123456 }, 'model.03-0.1235.keras'],
  ['{loss:.2e}', { loss: 0.000123456 }, '1.23e-04'],
  ['{x:>6.3f}|', { x: 1.23456 }, ' 1.235|'],
  ['{x:.2f}', { x: 0.125 }, '0.12'], // exact tie: half-to-even (JS toFixed gives 0.13)
  ['{x:.2f}', { x: 0.375 }, '0.38'],
  ['{x:.0f}', { x: 2.5 }, '2'],
  ['{x:.1f}', { x: 0.05 }, '0.1'], // 0.05 is slightly above the tie in binary
  ['{x}', { x: 1.0 }, '1.0'],
  ['{x}', { x: 1e-5 }, '1e-05'],
  ['{x}', { x: 1e16 }, '1e+16'],
  ['{x}', { x: 0.1 }, '0.1'],
  ['{x:.3}', { x: 100.0 }, '1e+02'],
  ['{x:.3}', { x: 1234.5 }, '1.23e+03'],
  ['{x:.3}', { x: 10.0 }, '10.0'],
  ['{x:.2}', { x: 99.0 }, '9.9e+01'],
  ['{x:g}', { x: 0.0001234 }, '0.0001234'],
  ['{x:.3g}', { x: 9.9996 }, '10'],
  ['{x:e}', { x: 0.0 }, '0.000000e+00'],
  ['{x:+.2f}', { x: -0.001 }, '-0.00'],
  ['{x:08.3f}', { x: -3.14159 }, '-003.142'],
  ['{x:,.1f}', { x: 1234567.25 }, '1,234,567.2'],
  ['{epoch:03d}', { epoch: 7n }, '007'],
  ['{epoch:<4d}|', { epoch: 7n }, '7   |'],
  ['{x:.1%}', { x: 0.1234 }, '12.3%'],
  ['{x:.2e}', { x: 9.995 }, '9.99e+00'],
  ['{x}', { x: NaN }, 'nan'],
  ['{x:.3f}', { x: -Infinity }, '-inf'],
  ['{{a}}{x:.1f}', { x: 2.25 }, '{a}2.2'],
  ['{epoch:.2f}', { epoch: 3n }, '3.00'],
  ['{x:*^9.2f}', { x: 1.5 }, '**1.50***'],
  ['{n:08,d}', { n: 7n }, '0,000,007'],
  ['{x:012,.2f}', { x: -1234.5 }, '-0,001,234.50'],
  ['{n:#x}', { n: 255n }, '0xff'],
  ['{s!r}-{x!s}', { s: 'q', x: 1.5 }, "'q'-1.5"],
  ['{x:.1%}', { x: 1.7976931348623157e308 }, 'inf%'], // Python multiplies by 100 first
];
// (A one-off comparison of formatValue with CPython's format() over 72,000 random float/spec pairs
// found no difference; Python is not needed to run these tests.)

test('formatPython matches CPython str.format, rounding included', () => {
  for (const [tpl, values, want] of PY_CASES) assert.equal(formatPython(tpl, values), want, `${tpl} ${String(Object.values(values)[0])}`);
});

test('formatPython: missing keys and bad specs are ValueErrors that say what is wrong', () => {
  assert.throws(() => formatPython('m-{val_loss:.2f}.keras', { epoch: 1n, loss: 0.5 }), (e: Error) =>
    e instanceof ValueError && /\{val_loss\}/.test(e.message) && /available keys: epoch, loss/.test(e.message));
  assert.throws(() => formatPython('{loss:d}', { loss: 0.5 }), /Unknown format code 'd' for object of type 'float'/);
  assert.throws(() => formatPython('{epoch:.2d}', { epoch: 1n }), /Precision not allowed/);
  assert.throws(() => formatPython('{x:?}', { x: 1 }), /Invalid format specifier/);
  assert.throws(() => formatPython('a}b', {}), /Single '\}'/);
  assert.throws(() => formatPython('a{b', { b: 1 }), /Unmatched/);
  assert.throws(() => formatPython('{}', {}), /named fields/);
});

test('modelCheckpoint: filepath uses 1-based epoch and batch; {batch} needs batch saving', () => {
  const cb = new ModelCheckpoint({ filepath: 'c/{epoch:02d}-{batch}-{loss:.3f}.keras', saveFreq: 2 });
  assert.equal(cb.filePathFor(0, 4, { loss: 0.25 }), 'c/01-5-0.250.keras');
  assert.throws(() => cb.filePathFor(2, null, { loss: 0.25 }), (e: Error) => e instanceof ValueError && /\{batch\}/.test(e.message) && /epoch/.test(e.message));
});

test('modelCheckpoint: bad options are ValueErrors', () => {
  assert.throws(() => kiln.callbacks.modelCheckpoint({ filepath: 'm.weights.h5', saveWeightsOnly: true, saveFreq: 0 }), /saveFreq/);
  assert.throws(() => kiln.callbacks.modelCheckpoint({ filepath: 'm.keras', save_freq: 'batch' as 'epoch' }), ValueError);
  assert.throws(() => kiln.callbacks.modelCheckpoint({ filepath: 'm.keras', saveWeightsOnly: true }), /must end in '\.weights\.h5'/);
  assert.throws(() => kiln.callbacks.modelCheckpoint({ filepath: 'm.ckpt' }), /must end in '\.keras'/);
  assert.throws(() => kiln.callbacks.modelCheckpoint({ filepath: '' }), ValueError);
  assert.throws(() => kiln.callbacks.modelCheckpoint({ filepath: 'm.keras', mode: 'up' as 'max' }), ValueError);
  assert.throws(() => kiln.callbacks.modelCheckpoint({ filepath: 'm.keras', initialValueThreshold: 'x' as unknown as number }), ValueError);
  // Keras's extension rules: a full model may go to .h5, weights only to .weights.h5.
  kiln.callbacks.modelCheckpoint({ filepath: 'm.h5' });
  kiln.callbacks.modelCheckpoint({ filepath: 'm.weights.h5', save_weights_only: true });
});

/** A FakeModel whose save/saveWeights only record the paths. */
class SavingFake extends FakeModel {
  saved: string[] = [];
  async save(path: string): Promise<void> { this.saved.push(`model:${path}`); }
  async saveWeights(path: string): Promise<void> { this.saved.push(`weights:${path}`); }
}

async function runEpochs(cb: ModelCheckpoint, m: FakeModel, series: Logs[]): Promise<void> {
  cb.setModel(m);
  await cb.onTrainBegin({});
  for (let e = 0; e < series.length; e++) {
    await cb.onEpochBegin(e, {});
    await cb.onEpochEnd(e, series[e]!);
  }
}
type Logs = kiln.Logs;

test('modelCheckpoint: Keras verbose messages, initialValueThreshold, state hook', async () => {
  const dir = tempDir('kiln-ckpt-').dir;
  try {
    const m = new SavingFake();
    const cb = new ModelCheckpoint({ filepath: join(dir, 'best.keras'), monitor: 'val_loss', saveBestOnly: true, verbose: 1 });
    const { log } = await captureConsole(() => runEpochs(cb, m, [{ val_loss: 0.41 }, { val_loss: 0.38 }, { val_loss: 0.39 }, { val_loss: 0.38 }]));
    const p = join(dir, 'best.keras');
    assert.deepEqual(log, [
      `Epoch 1: val_loss improved from inf to 0.41000, saving model to ${p}`,
      `Epoch 1: finished saving model to ${p}`,
      `Epoch 2: val_loss improved from 0.41000 to 0.38000, saving model to ${p}`,
      `Epoch 2: finished saving model to ${p}`,
      'Epoch 3: val_loss did not improve from 0.38000',
      'Epoch 4: val_loss did not improve from 0.38000',
    ]);
    assert.deepEqual(m.saved, [`model:${p}`, `model:${p}`]);
    // State round trip: a fresh callback continues from the restored best.
    const again = new ModelCheckpoint({ filepath: p, saveBestOnly: true });
    again.setState(JSON.parse(JSON.stringify(cb.getState())) as Record<string, unknown>);
    assert.equal(again.best, 0.38);
    const m2 = new SavingFake();
    await runEpochs(again, m2, [{ val_loss: 0.385 }, { val_loss: 0.2 }]);
    assert.deepEqual(m2.saved, [`model:${p}`]);

    // initialValueThreshold is the starting best; max mode from 'val_accuracy'; plain saving message.
    const m3 = new SavingFake();
    const acc = new ModelCheckpoint({ filepath: join(dir, 'a.weights.h5'), monitor: 'val_accuracy', saveBestOnly: true, saveWeightsOnly: true, initial_value_threshold: 0.9, verbose: 1 });
    const out = await captureConsole(() => runEpochs(acc, m3, [{ val_accuracy: 0.85 }, { val_accuracy: 0.95 }]));
    assert.equal(out.log[0], 'Epoch 1: val_accuracy did not improve from 0.90000');
    assert.deepEqual(m3.saved, [`weights:${join(dir, 'a.weights.h5')}`]);
    const every = new ModelCheckpoint({ filepath: join(dir, 'e{epoch}.keras'), verbose: 1 });
    const o2 = await captureConsole(() => runEpochs(every, new SavingFake(), [{ loss: 1 }]));
    assert.equal(o2.log[0], `Epoch 1: saving model to ${join(dir, 'e1.keras')}`);
    // A missing monitor warns as Keras does and saves anyway.
    const missing = new ModelCheckpoint({ filepath: join(dir, 'm.keras'), saveBestOnly: true });
    const m4 = new SavingFake();
    const o3 = await captureConsole(() => runEpochs(missing, m4, [{ loss: 1 }]));
    assert.deepEqual(o3.warn, ['Can save best model only with val_loss available.']);
    assert.equal(m4.saved.length, 1);
    // An existing directory at the path is refused.
    mkdirSync(join(dir, 'd.keras'));
    const isDir = new ModelCheckpoint({ filepath: join(dir, 'd.keras') });
    await assert.rejects(runEpochs(isDir, new SavingFake(), [{ loss: 1 }]), /non-directory filepath/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('modelCheckpoint: saveFreq N counts batches across epochs as Keras does', async () => {
  const m = new SavingFake();
  const cb = new ModelCheckpoint({ filepath: 'unused-{epoch}-{batch}.weights.h5', saveWeightsOnly: true, saveFreq: 3 });
  // Save paths are recorded by the fake; mkdir of '.' is harmless.
  cb.setModel(m);
  for (let e = 0; e < 2; e++) {
    await cb.onEpochBegin(e, {});
    for (let b = 0; b < 4; b++) await cb.onTrainBatchEnd(b, { loss: 1 });
    await cb.onEpochEnd(e, { loss: 1 });
  }
  // 8 batches: saves after the 3rd (epoch 1 batch 3) and 6th (epoch 2 batch 2).
  assert.deepEqual(m.saved, ['weights:unused-1-3.weights.h5', 'weights:unused-2-2.weights.h5']);
  assert.deepEqual(cb.getState(), { best: null, batches_seen_since_last_saving: 2, last_batch_seen: 3, current_epoch: 1 });
});

function toyData() {
  kiln.setSeed(5);
  const x = kiln.randomNormal([32, 3]);
  const y = kiln.randomNormal([32, 1]);
  const xv = kiln.randomNormal([16, 3]);
  const yv = kiln.randomNormal([16, 1]);
  return { x, y, xv, yv };
}

function toyModel() {
  kiln.setSeed(9);
  const m = kiln.sequential([kiln.layers.input({ shape: [3] }), kiln.layers.dense({ units: 4, activation: 'tanh' }), kiln.layers.dense({ units: 1 })]);
  m.compile({ optimizer: kiln.optimizers.sgd({ learningRate: 0.3 }), loss: 'mse' });
  return m;
}

test('modelCheckpoint in fit: saveBestOnly writes only on improvement; the best file predicts like that epoch', async () => {
  const dir = tempDir('kiln-ckpt-').dir;
  try {
    const { x, y, xv, yv } = toyData();
    const model = toyModel();
    const ckptDir = join(dir, 'nested', 'ckpt'); // created by the callback
    const ckpt = kiln.callbacks.modelCheckpoint({ filepath: join(ckptDir, 'model.{epoch:02d}-{val_loss:.4f}.keras'), monitor: 'val_loss', saveBestOnly: true });
    const perEpoch: kiln.Tensor[][] = [];
    const record = kiln.callbacks.lambdaCallback({ onEpochEnd: () => void perEpoch.push(model.getWeights()) });
    const hist = await model.fit(x, y, { epochs: 8, batchSize: 8, shuffle: false, verbose: 0, validationData: [xv, yv], callbacks: [ckpt, record] });
    const vl = hist.history['val_loss'] as number[];
    const expected: string[] = [];
    let best = Infinity;
    let bestEpoch = -1;
    vl.forEach((v, e) => {
      if (v < best) {
        best = v;
        bestEpoch = e;
        expected.push(formatPython('model.{epoch:02d}-{val_loss:.4f}.keras', { epoch: BigInt(e + 1), val_loss: v }));
      }
    });
    assert.ok(expected.length >= 1 && expected.length < vl.length, 'the run should have both improving and non-improving epochs');
    // kiln-checkpoints.json is the checkpoint index modelCheckpoint keeps beside the files.
    assert.deepEqual(readdirSync(ckptDir).filter((f) => f !== 'kiln-checkpoints.json').sort(), expected.sort());
    assert.equal(ckpt.best, best);
    const loaded = await kiln.loadModel(join(ckptDir, expected[expected.length - 1]!));
    model.setWeights(perEpoch[bestEpoch]!);
    const want = Array.from(model.predict(xv).dataSync());
    const got = Array.from(loaded.predict(xv).dataSync());
    got.forEach((g, i) => assert.ok(Math.abs(g - want[i]!) < 1e-6, `prediction ${i}: ${g} vs ${want[i]}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('modelCheckpoint in fit: saveFreq in batches and saveWeightsOnly write .weights.h5 files that load', async () => {
  const dir = tempDir('kiln-ckpt-').dir;
  try {
    const { x, y } = toyData();
    const model = toyModel();
    const ckpt = kiln.callbacks.modelCheckpoint({ filepath: join(dir, 'w-{epoch}-{batch}.weights.h5'), saveWeightsOnly: true, saveFreq: 3 });
    const seen: kiln.Tensor[][] = [];
    const record = kiln.callbacks.lambdaCallback({ onTrainBatchEnd: () => void seen.push(model.getWeights()) });
    // 4 batches per epoch, 2 epochs: saves after global batches 3 and 6.
    await model.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0, callbacks: [record, ckpt] });
    assert.deepEqual(readdirSync(dir).sort(), ['kiln-checkpoints.json', 'w-1-3.weights.h5', 'w-2-2.weights.h5']);
    const fresh = toyModel();
    await fresh.loadWeights(join(dir, 'w-2-2.weights.h5'));
    assert.ok(existsSync(join(dir, 'w-1-3.weights.h5')));
    // The second file holds the weights after global batch 6 (index 5), not the final ones.
    fresh.getWeights().forEach((w, i) => assert.deepEqual(Array.from(w.dataSync()), Array.from(seen[5]![i]!.dataSync())));
    assert.notDeepEqual(Array.from(seen[5]![0]!.dataSync()), Array.from(seen[7]![0]!.dataSync()));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a relative filepath in a subdirectory (as in the README) is saved and recorded relative to the working directory', async () => {
  const { dir, cleanup } = tempDir('kiln-ckpt-relative-');
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    kiln.setSeed(3);
    const model = kiln.sequential([kiln.layers.dense({ units: 1, inputShape: [2] })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const cb = kiln.callbacks.modelCheckpoint({ filepath: 'runs/ckpt/model.{epoch:02d}.keras' });
    await model.fit([[0, 1], [1, 0]], [[1], [0]], { epochs: 2, verbose: 0, callbacks: [cb] });
    assert.deepEqual(readdirSync(join(dir, 'runs', 'ckpt')).filter((f) => f.endsWith('.keras')).sort(), ['model.01.keras', 'model.02.keras']);
    const versions = kiln.checkpointManager('runs/ckpt').list();
    assert.deepEqual(versions.map((v) => v.file), ['model.01.keras', 'model.02.keras']);
  } finally {
    process.chdir(cwd);
    cleanup();
  }
});
