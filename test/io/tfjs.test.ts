import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import * as kiln from '../../src/index.js';
import { describeModelFile, loadModel } from '../../src/io/index.js';
import { writeTfjsModel } from '../../src/io/tfjs/save.js';
import { maxAbsDiff, tempDir } from './helpers.js';
import { fileLoader, saveLikeTfjs } from './tfjs_helpers.js';

await tf.setBackend('cpu');

/** Activations both kiln and tfjs have (kiln's 'silu' is tfjs's 'swish'). */
const SHARED = ['linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'tanh', 'softmax', 'log_softmax', 'softplus', 'softsign', 'silu', 'gelu', 'mish'] as const;

async function trainedKiln(): Promise<{ model: kiln.Sequential; x: kiln.Tensor }> {
  kiln.setSeed(11);
  const model = kiln.sequential([
    kiln.layers.input({ shape: [2, 3] }),
    kiln.layers.dense({ units: 4, activation: 'tanh' }),
    kiln.layers.flatten(),
    kiln.layers.batchNormalization({ momentum: 0.5 }),
    kiln.layers.layerNormalization(),
    kiln.layers.leakyReLU({ negativeSlope: 0.1 }),
    kiln.layers.activation({ activation: 'elu' }),
    kiln.layers.dropout({ rate: 0.25 }),
    ...SHARED.map((a) => kiln.layers.dense({ units: 3, activation: a })),
    kiln.layers.dense({ units: 2, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: new kiln.optimizers.RMSprop({ learningRate: 0.01, rho: 0.8 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const x = kiln.randomNormal([16, 2, 3]);
  const y = kiln.tensor([0, 1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 0], undefined, 'int32');
  await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 }); // moves BN statistics off their initial values
  return { model, x };
}

test('kiln → model.json → tf.loadLayersModel: same predictions, tfjs compiles it', async () => {
  const { model, x } = await trainedKiln();
  const t = tempDir();
  try {
    await model.save(t.path('model.json'));
    assert.deepEqual(readdirSync(t.dir).sort(), ['group1-shard1of1.bin', 'model.json']); // no temp files left
    const mj = JSON.parse(readFileSync(t.path('model.json'), 'utf8'));
    assert.equal(mj.format, 'layers-model');
    assert.equal(mj.convertedBy, null);
    assert.deepEqual(mj.modelTopology.config.layers[0].config.batch_input_shape, [null, 2, 3]);
    assert.deepEqual(mj.weightsManifest[0].weights.slice(0, 2).map((w: { name: string }) => w.name), ['dense/kernel', 'dense/bias']);
    const tm = await tf.loadLayersModel(fileLoader(t.path('model.json'), t.dir));
    const expected = model.predict(x).arraySync();
    const got = (tm.predict(tf.tensor(x.arraySync() as number[][][])) as tf.Tensor).arraySync();
    assert.ok(maxAbsDiff(got, expected) < 1e-5, `tfjs differs by ${maxAbsDiff(got, expected)}`);
    assert.equal(tm.optimizer.getClassName(), 'RMSProp');
    assert.equal((tm.optimizer.getConfig() as { decay: number }).decay, 0.8);
    // And back into kiln: identical predictions, compiled with the same hyperparameters.
    const again = await loadModel(t.path('model.json'));
    assert.deepEqual(again.predict(x).arraySync(), expected);
    assert.equal(again.compiled?.optimizer.getConfig().rho, 0.8);
    assert.deepEqual(again.compiled?.metricSpecs, ['accuracy']);
  } finally {
    t.cleanup();
  }
});

function tfjsModel(): tf.Sequential {
  const acts = ['linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'hardSigmoid', 'tanh', 'softmax', 'logSoftmax', 'softplus', 'softsign', 'swish', 'gelu', 'mish'];
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [2, 3], units: 4, activation: 'tanh' }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.batchNormalization({ momentum: 0.5 }));
  m.add(tf.layers.layerNormalization());
  m.add(tf.layers.leakyReLU({ alpha: 0.2 }));
  m.add(tf.layers.activation({ activation: 'elu' }));
  m.add(tf.layers.dropout({ rate: 0.25 }));
  for (const a of acts) m.add(tf.layers.dense({ units: 3, activation: a as 'relu', biasInitializer: 'randomNormal' }));
  return m;
}

test('tfjs → model.json (as tfjs-node writes it) → kiln.loadModel: same predictions, hard_sigmoid is tfjs\'s', async () => {
  const tm = tfjsModel();
  tm.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  const xs = tf.randomNormal([16, 2, 3]);
  await tm.fit(xs, tf.randomNormal([16, 3]), { epochs: 2, batchSize: 8, verbose: 0 }); // BN statistics and weights move
  const t = tempDir();
  const warn = console.warn;
  const warnings: string[] = [];
  console.warn = (m: string) => warnings.push(m);
  try {
    const path = await saveLikeTfjs(tm, t.dir, true);
    const model = await loadModel(path);
    const x = kiln.tensor(xs.arraySync() as number[][][]);
    const expected = (tm.predict(xs) as tf.Tensor).arraySync();
    assert.ok(maxAbsDiff(model.predict(x).arraySync(), expected) < 1e-5, `kiln differs by ${maxAbsDiff(model.predict(x).arraySync(), expected)}`);
    assert.equal(model.compiled?.optimizer.getConfig().learning_rate, Math.fround(0.01));
    assert.equal(model.compiled?.loss.name, 'mean_squared_error');
    assert.ok(warnings.some((w) => /optimizer state/.test(w)), 'tfjs optimizer weights are skipped with a warning');
    // tfjs's hardSigmoid (0.2x + 0.5) loaded as hard_sigmoid_keras2; saving maps it back for tfjs.
    const hs = model.layers.find((l) => (l.getConfig() as { activation?: string }).activation === 'hard_sigmoid_keras2');
    assert.ok(hs, 'hard_sigmoid maps to hard_sigmoid_keras2');
    await model.save(t.path('again.json'));
    assert.match(readFileSync(t.path('again.json'), 'utf8'), /"activation":"hard_sigmoid"/);
    const back = await tf.loadLayersModel(fileLoader(t.path('again.json'), t.dir));
    assert.ok(maxAbsDiff((back.predict(xs) as tf.Tensor).arraySync(), expected) < 1e-5);
    const d = await describeModelFile(path);
    assert.equal(d.format, 'tfjs');
    assert.equal(d.layers.length, tm.layers.length);
    assert.equal(d.params, tm.countParams());
    assert.equal(d.hasOptimizerState, true);
    assert.equal(d.compiled, true);
    assert.deepEqual(d.layers[0]!.outputShape, [null, 2, 4]);
  } finally {
    console.warn = warn;
    t.cleanup();
  }
});

test("Keras 3's hard_sigmoid and activations tfjs lacks are refused when saving for tfjs, leaving no files", async () => {
  const t = tempDir();
  try {
    for (const activation of ['hard_sigmoid', 'exponential'] as const) {
      const m = kiln.sequential([kiln.layers.input({ shape: [2] }), kiln.layers.dense({ units: 2, activation })]);
      await assert.rejects(m.save(t.path('m.json')), (e: Error) => e instanceof kiln.errors.ValueError && e.message.includes('m.json') && e.message.includes(activation));
    }
    assert.deepEqual(readdirSync(t.dir), []);
  } finally {
    t.cleanup();
  }
});

test('weights over the shard size are split into group1-shardNofM.bin files tfjs reads', async () => {
  kiln.setSeed(3);
  const model = kiln.sequential([kiln.layers.input({ shape: [5] }), kiln.layers.dense({ units: 7 }), kiln.layers.dense({ units: 2 })]);
  const t = tempDir();
  try {
    await writeTfjsModel(model, t.path('model.json'), { shardBytes: 40 });
    const mj = JSON.parse(readFileSync(t.path('model.json'), 'utf8'));
    const bytes = (5 * 7 + 7 + 7 * 2 + 2) * 4;
    const n = Math.ceil(bytes / 40);
    assert.deepEqual(mj.weightsManifest[0].paths, Array.from({ length: n }, (_, i) => `group1-shard${i + 1}of${n}.bin`));
    assert.ok(mj.weightsManifest[0].paths.every((p: string) => statSync(t.path(p)).size <= 40));
    const x = kiln.randomNormal([4, 5]);
    const tm = await tf.loadLayersModel(fileLoader(t.path('model.json'), t.dir));
    assert.ok(maxAbsDiff((tm.predict(tf.tensor(x.arraySync() as number[][])) as tf.Tensor).arraySync(), model.predict(x).arraySync()) < 1e-5);
    assert.deepEqual((await loadModel(t.path('model.json'))).predict(x).arraySync(), model.predict(x).arraySync());
    assert.equal((await loadModel(t.path('model.json'))).compiled, null);
  } finally {
    t.cleanup();
  }
});
