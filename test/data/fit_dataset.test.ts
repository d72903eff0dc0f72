import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as kiln from '../../src/index.js';
import { tempDir } from '../helpers/temp_dir.js';
import { halves, makeImageTree } from './image_files.js';

const t = tempDir('kiln-fit-dataset-');
process.on('exit', () => t.cleanup());

// Two learnable classes (4×4 grayscale): 'left' images are bright on their left half, 'right' ones
// on their right half, each with its own brightness offset.
const tree = t.path('halves');
makeImageTree(tree, { left: 20, right: 20 }, (k, j) => halves(4, k === 0, j));
const quiet = { verbose: false } as const;
const base = { imageSize: [4, 4], colorMode: 'grayscale', batchSize: 8, seed: 9, ...quiet } as const;
const folder = (o: kiln.data.ImageFolderOptions = {}) => kiln.data.imageFolder(tree, { ...base, ...o }) as kiln.data.ImageFolderDataset;
const split = (seed: number) => kiln.data.imageFolder(tree, { ...base, validationSplit: 0.25, subset: 'both', seed });

function classifier(units = 2): kiln.Sequential {
  const model = kiln.sequential([
    kiln.layers.input({ shape: [4, 4, 1] }),
    kiln.layers.flatten(),
    kiln.layers.dense({ units, activation: units === 1 ? 'sigmoid' : 'softmax', kernelInitializer: 'zeros' }),
  ]);
  return model;
}

test('fit(imageFolder) trains (loss goes down), with a validation Dataset; evaluate and predict take the Dataset', async () => {
  kiln.setSeed(1);
  const [train, val] = split(9);
  const model = classifier();
  model.compile({ optimizer: kiln.optimizers.adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const history = await model.fit(train, undefined, { epochs: 8, validationData: val, verbose: 0 });
  const loss = history.history['loss'] as number[];
  assert.equal(loss.length, 8);
  assert.ok(loss[7]! < loss[0]! * 0.5, `loss ${loss[0]} → ${loss[7]}`);
  assert.equal((history.history['val_loss'] as number[]).length, 8);
  assert.ok((history.history['accuracy'] as number[])[7]! >= 0.9);
  // Each epoch decoded every training file once (30), each validation run every validation file (10).
  assert.equal(train.decodedCount, 8 * 30);
  assert.equal(val.decodedCount, 8 * 10);

  const { loss: valLoss, accuracy } = await model.evaluate(val, undefined, { returnDict: true, verbose: 0 });
  assert.ok(Math.abs((valLoss as number) - (history.history['val_loss'] as number[])[7]!) < 1e-5);
  assert.ok((accuracy as number) >= 0.9);
  const [l2] = await model.evaluate(val, null, { verbose: 0 });
  assert.ok(Math.abs(l2! - (valLoss as number)) < 1e-6);

  const inOrder = folder({ shuffle: false, labelMode: null });
  const probs = model.predict(inOrder);
  assert.deepEqual(probs.shape, [40, 2]);
  const p = probs.dataSync();
  const predicted = Array.from({ length: 40 }, (_, i) => (p[2 * i + 1]! > p[2 * i]! ? 1 : 0));
  assert.deepEqual(predicted, Array.from({ length: 40 }, (_, i) => (i < 20 ? 0 : 1)));
  // predict ignores labels a Dataset carries.
  assert.deepEqual(model.predict(folder({ shuffle: false })).shape, [40, 2]);
});

test("labelMode 'binary' and 'categorical' train with their losses", async () => {
  kiln.setSeed(2);
  const bin = classifier(1);
  bin.compile({ optimizer: kiln.optimizers.adam({ learningRate: 0.02 }), loss: 'binary_crossentropy' });
  const hb = await bin.fit(folder({ labelMode: 'binary' }), undefined, { epochs: 5, verbose: 0 });
  assert.ok((hb.history['loss'] as number[])[4]! < (hb.history['loss'] as number[])[0]!);
  const cat = classifier(2);
  cat.compile({ optimizer: kiln.optimizers.adam({ learningRate: 0.02 }), loss: 'categorical_crossentropy' });
  const hc = await cat.fit(folder({ labelMode: 'categorical' }), undefined, { epochs: 5, verbose: 0 });
  assert.ok((hc.history['loss'] as number[])[4]! < (hc.history['loss'] as number[])[0]!);
});

test('fit asks for batch k of pass p, and a Dataset with a corrupt file still trains', async () => {
  const dir = t.path('with_bad');
  makeImageTree(dir, { a: 5, b: 5 }, (k, j) => halves(4, k === 0, j));
  writeFileSync(join(dir, 'a', 'zz_bad.png'), 'broken');
  const ds = kiln.data.imageFolder(dir, { imageSize: [4, 4], colorMode: 'grayscale', batchSize: 4, seed: 1, ...quiet });
  const asked: string[] = [];
  const batch = ds.batch.bind(ds);
  ds.batch = (i: number, pass: number) => (asked.push(`${pass}:${i}`), batch(i, pass));
  const model = classifier();
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
  const warn = console.warn;
  const warnings: string[] = [];
  console.warn = (m: string) => void warnings.push(m);
  try {
    await model.fit(ds, undefined, { epochs: 2, verbose: 0 });
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(asked, ['0:0', '0:1', '0:2', '1:0', '1:1', '1:2']);
  assert.equal(warnings.filter((w) => w.includes('zz_bad.png')).length, 1);
  // initialEpoch numbers the passes, so continuing a run sees new orders.
  asked.length = 0;
  await model.fit(ds, undefined, { epochs: 4, initialEpoch: 3, verbose: 0 });
  assert.deepEqual(asked, ['3:0', '3:1', '3:2']);
  // stepsPerEpoch below a pass: the next epoch continues the pass.
  asked.length = 0;
  // (The pass runs out in epoch 1 after one step, which ends that epoch early, as Keras's iterator does.)
  const warn2 = console.warn;
  console.warn = () => {};
  try {
    await model.fit(ds, undefined, { epochs: 3, stepsPerEpoch: 2, verbose: 0 });
  } finally {
    console.warn = warn2;
  }
  assert.deepEqual(asked, ['0:0', '0:1', '0:2', '1:0', '1:1']);
});

test('classWeight applies to Dataset batches as they come (Keras 3 maps it over the dataset)', async () => {
  kiln.setSeed(6);
  const model = classifier();
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
  // Weight 0 for both classes: every sample weighs nothing, so the loss is 0.
  const zero = await model.fit(folder(), undefined, { classWeight: { 0: 0, 1: 0 }, epochs: 1, verbose: 0 });
  assert.equal((zero.history['loss'] as number[])[0], 0);
  // Only class 1 counts: the loss is that of the class-1 samples scaled by their share of each batch.
  const before = model.getWeights().map((w) => Array.from(w.dataSync()));
  const one = await model.fit(folder(), undefined, { classWeight: { 0: 0, 1: 1 }, epochs: 1, verbose: 0 });
  assert.ok((one.history['loss'] as number[])[0]! > 0);
  assert.notDeepEqual(model.getWeights().map((w) => Array.from(w.dataSync())), before);
  await assert.rejects(model.fit(folder(), undefined, { classWeight: { 5: 1 }, verbose: 0 }), /class/);
});

test('a Dataset of your own: the contract is batchCount, batchSize, sampleCount, shuffle, labeled, batch(i, pass), fingerprint', async () => {
  class Line extends kiln.data.Dataset {
    readonly batchCount = 4;
    readonly batchSize = 8;
    readonly sampleCount = 32;
    readonly shuffle = false;
    readonly labeled = true;
    batch(i: number) {
      const x = kiln.reshape(kiln.div(kiln.range(i * 8, i * 8 + 8), 32), [8, 1]);
      return { x, y: kiln.add(kiln.mul(x, 3), 1) };
    }
    fingerprint() {
      return 'line-v1';
    }
  }
  kiln.setSeed(4);
  const model = kiln.sequential([kiln.layers.dense({ units: 1, inputShape: [1] })]);
  model.compile({ optimizer: kiln.optimizers.sgd({ learningRate: 0.3 }), loss: 'mse' });
  const h = await model.fit(new Line(), undefined, { epochs: 40, verbose: 0 });
  assert.ok((h.history['loss'] as number[])[39]! < 1e-3, `final loss ${(h.history['loss'] as number[])[39]}`);
  const pred = model.predict(new Line());
  assert.deepEqual(pred.shape, [32, 1]);
  assert.ok(Math.abs(pred.dataSync()[31]! - (3 * 31 / 32 + 1)) < 0.1);
});

test('options that mean nothing for a Dataset are refused, as in Keras', async () => {
  const ds = folder();
  const model = classifier();
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
  const refused = (re: RegExp) => (e: unknown) => e instanceof kiln.errors.ValueError && re.test(e.message);
  await assert.rejects(model.fit(ds, undefined, { validationSplit: 0.2, verbose: 0 }), refused(/validationSplit is not supported when x is a Dataset.*split it when making it/));
  await assert.rejects(model.fit(ds, undefined, { batchSize: 4, verbose: 0 }), refused(/batchSize is not supported when x is a Dataset/));
  await assert.rejects(model.fit(ds, kiln.zeros([40]) as unknown as null, { verbose: 0 }), refused(/y must not be given when x is a Dataset/));
  await assert.rejects(model.fit(ds, undefined, { validationData: ds, validationBatchSize: 4, verbose: 0 }), refused(/validationBatchSize is not supported/));
  await assert.rejects(model.fit(folder({ labelMode: null }), undefined, { verbose: 0 }), refused(/yields no labels/));
  await assert.rejects(model.evaluate(folder({ labelMode: null }), undefined, { verbose: 0 }), refused(/yields no labels/));
  await assert.rejects(model.evaluate(ds, undefined, { batchSize: 3, verbose: 0 }), refused(/batchSize is not supported/));
  assert.throws(() => model.predict(ds, { batchSize: 3 }), refused(/batchSize is not supported/));
  await assert.rejects(model.fit(kiln.zeros([4, 4, 4, 1]), undefined as unknown as kiln.Tensor, { verbose: 0 }), refused(/y \(the labels\) is required/));
  // A Dataset whose images do not fit the model: the shape error names the batch.
  const wide = kiln.data.imageFolder(tree, { imageSize: [5, 5], colorMode: 'grayscale', seed: 1, ...quiet });
  await assert.rejects(model.fit(wide, undefined, { verbose: 0 }), (e: unknown) => e instanceof kiln.errors.ShapeError && /fit batch 0 x/.test(e.message));
});

// Exact resume: a backup taken mid-epoch on a shuffling Dataset holds only the position; the resumed
// run must train on the very batches the straight run did.
async function resumableRun(backupDir: string, crashAfter: number | null, stepsPerEpoch?: number): Promise<{ result: string; restored: boolean; batches: number }> {
  kiln.setSeed(77);
  const [train, val] = split(21);
  const model = kiln.sequential([
    kiln.layers.input({ shape: [4, 4, 1] }),
    kiln.layers.flatten(),
    kiln.layers.dense({ units: 6, activation: 'relu' }),
    kiln.layers.dropout({ rate: 0.2 }),
    kiln.layers.dense({ units: 2, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: kiln.optimizers.adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  let batches = 0;
  const crash = kiln.callbacks.lambdaCallback({
    onTrainBatchEnd: () => {
      batches++;
      if (batches === crashAfter) throw new Error('crash');
    },
  });
  const backup = kiln.callbacks.backupAndRestore({ backupDir, saveFreq: 2 });
  const history = await model.fit(train, undefined, { epochs: 4, validationData: val, verbose: 0, stepsPerEpoch, callbacks: [backup, crash] });
  const weights = model.getWeights().map((w) => Buffer.from(w.dataSync().buffer).toString('hex')).join('|');
  return { result: `${weights}#${JSON.stringify(history.history)}`, restored: backup.restoredFrom !== null, batches };
}

for (const stepsPerEpoch of [undefined, 3]) {
  test(`a run on a shuffling Dataset resumes bit-exactly from a mid-epoch backup${stepsPerEpoch ? ` (stepsPerEpoch ${stepsPerEpoch})` : ''}`, async () => {
    const straight = await resumableRun(t.path(`straight-${stepsPerEpoch}`), null, stepsPerEpoch);
    const dir = t.path(`crashed-${stepsPerEpoch}`);
    const quietWarn = console.warn;
    console.warn = () => {};
    try {
      await assert.rejects(resumableRun(dir, 5, stepsPerEpoch), /crash/);
      await assert.rejects(resumableRun(dir, 4, stepsPerEpoch), /crash/);
      const resumed = await resumableRun(dir, null, stepsPerEpoch);
      assert.ok(resumed.restored, 'the last run resumed from a backup');
      // Backups every 2 batches. The first run crashed after batch 5 (last backup at step 4); the
      // second resumed there and crashed after step 8, before that step's backup: it resumes at 6.
      assert.equal(resumed.batches, straight.batches - 6);
      assert.equal(resumed.result, straight.result);
    } finally {
      console.warn = quietWarn;
    }
  });
}

test('a backup made on one Dataset is refused for another (fingerprint)', async () => {
  const dir = t.path('fingerprint');
  kiln.setSeed(5);
  const model = classifier();
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
  const crash = kiln.callbacks.lambdaCallback({ onTrainBatchEnd: (b: number) => { if (b === 2) throw new Error('crash'); } });
  await assert.rejects(model.fit(folder({ seed: 1 }), undefined, { verbose: 0, callbacks: [kiln.callbacks.backupAndRestore({ backupDir: dir, saveFreq: 1 }), crash] }), /crash/);
  await assert.rejects(
    model.fit(folder({ seed: 2 }), undefined, { verbose: 0, callbacks: [kiln.callbacks.backupAndRestore({ backupDir: dir, saveFreq: 1 })] }),
    (e: unknown) => e instanceof kiln.CheckpointError && /different data/.test(e.message),
  );
});

test('evaluate and predict on a Dataset agree with the same images given as arrays; array validation data works with a Dataset', async () => {
  kiln.setSeed(8);
  const model = classifier();
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const ds = folder({ shuffle: false });
  const batches = [...ds.batches()];
  const x = kiln.concat(batches.map((b) => b.x as kiln.Tensor), 0);
  const y = kiln.concat(batches.map((b) => b.y as kiln.Tensor), 0);
  assert.deepEqual(x.shape, [40, 4, 4, 1]);
  const h = await model.fit(folder(), undefined, { epochs: 2, validationData: [x, y], verbose: 0 });
  assert.equal((h.history['val_loss'] as number[]).length, 2);
  const onDataset = await model.evaluate(ds, undefined, { returnDict: true, verbose: 0 });
  const onArrays = await model.evaluate(x, y, { returnDict: true, batchSize: 8, verbose: 0 });
  assert.ok(Math.abs((onDataset['loss'] as number) - (onArrays['loss'] as number)) < 1e-6);
  assert.equal(onDataset['accuracy'], onArrays['accuracy']);
  assert.deepEqual(Array.from(model.predict(ds).dataSync()), Array.from(model.predict(x, { batchSize: 8 }).dataSync()));
});

test("a Dataset's sampleWeight is used: zero weights give zero loss", async () => {
  class Weighted extends kiln.data.Dataset {
    readonly batchCount = 2;
    readonly batchSize = 4;
    readonly sampleCount = 8;
    readonly shuffle = false;
    readonly labeled = true;
    constructor(private readonly weight: number) {
      super();
    }
    batch() {
      return { x: kiln.ones([4, 3]), y: kiln.zeros([4, 1]), sampleWeight: kiln.fill([4], this.weight) };
    }
    fingerprint() {
      return `weighted-${this.weight}`;
    }
  }
  const model = kiln.sequential([kiln.layers.dense({ units: 1, inputShape: [3], biasInitializer: 'ones' })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  assert.equal(await model.evaluate(new Weighted(0), undefined, { verbose: 0 }), 0);
  assert.ok((await model.evaluate(new Weighted(1), undefined, { verbose: 0 })) > 0);
});
