import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import * as kiln from '../../src/index.js';
import { loadModel, modelFromJson } from '../../src/io/index.js';
import { H5Reader } from '../../src/io/h5/h5file.js';
import { tempDir } from './helpers.js';

/** A model with every layer kiln has, and a Dense for each activation. */
function everyLayerModel(): kiln.Sequential {
  const acts = kiln.activations.activationNames() as kiln.activations.ActivationName[];
  return kiln.sequential([
    kiln.layers.input({ shape: [2, 3] }),
    kiln.layers.dense({ units: 4, activation: 'tanh' }),
    kiln.layers.flatten(),
    kiln.layers.batchNormalization({ momentum: 0.5 }),
    kiln.layers.layerNormalization(),
    kiln.layers.leakyReLU({ negativeSlope: 0.1 }),
    kiln.layers.activation({ activation: 'elu' }),
    kiln.layers.dropout({ rate: 0.25 }),
    ...acts.map((a) => kiln.layers.dense({ units: 3, activation: a })),
    kiln.layers.dense({ units: 2, activation: 'softmax' }),
  ]);
}

async function trained(): Promise<{ model: kiln.Sequential; x: kiln.Tensor }> {
  kiln.setSeed(7);
  const model = everyLayerModel();
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const x = kiln.randomNormal([16, 2, 3]);
  const y = kiln.tensor([0, 1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 0], undefined, 'int32');
  await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 }); // moves BN statistics off their initial values
  return { model, x };
}

for (const ext of ['keras', 'h5'] as const) {
  test(`every layer and activation round-trips through .${ext} with identical predictions and compile state`, async () => {
    const { model, x } = await trained();
    const t = tempDir();
    try {
      await model.save(t.path(`m.${ext}`));
      const loaded = await loadModel(t.path(`m.${ext}`));
      assert.deepEqual(loaded.layers.map((l) => l.name), model.layers.map((l) => l.name));
      assert.deepEqual(loaded.predict(x).arraySync(), model.predict(x).arraySync());
      assert.ok(loaded.compiled);
      assert.equal(loaded.compiled!.loss.name, model.compiled!.loss.name);
      assert.deepEqual(loaded.compiled!.metricSpecs, ['accuracy']);
      assert.deepEqual(loaded.optimizer!.getConfig(), model.optimizer!.getConfig());
      const saved = model.optimizer!.getState().map((s) => Array.from(s.dataSync()));
      assert.deepEqual(loaded.optimizer!.getState().map((s) => Array.from(s.dataSync())), saved);
    } finally {
      t.cleanup();
    }
  });
}

test('.keras layout is Keras 3\'s: stored members, InputLayer first, class-keyed weight paths, optimizer vars', async () => {
  const { model } = await trained();
  const t = tempDir();
  try {
    await model.save(t.path('m.keras'));
    const files = unzipSync(new Uint8Array(readFileSync(t.path('m.keras'))));
    assert.deepEqual(Object.keys(files).sort(), ['config.json', 'metadata.json', 'model.weights.h5']);
    const meta = JSON.parse(new TextDecoder().decode(files['metadata.json']));
    assert.match(meta.keras_version, /^3\./);
    assert.match(meta.date_saved, /^\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d$/);
    const config = JSON.parse(new TextDecoder().decode(files['config.json']));
    assert.equal(config.class_name, 'Sequential');
    assert.deepEqual(Object.keys(config).sort(), ['build_config', 'class_name', 'compile_config', 'config', 'module', 'registered_name']);
    const first = config.config.layers[0];
    assert.deepEqual([first.module, first.class_name, first.config.batch_shape], ['keras.layers', 'InputLayer', [null, 2, 3]]);
    const dense = config.config.layers[1];
    assert.deepEqual([dense.module, dense.class_name, dense.registered_name, dense.build_config], ['keras.layers', 'Dense', null, { input_shape: [null, 2, 3] }]);
    assert.equal(config.compile_config.optimizer.class_name, 'Adam');
    assert.equal(config.compile_config.loss, 'sparse_categorical_crossentropy');
    // HDF5 reads files: write the member out to inspect it.
    writeFileSync(t.path('w.h5'), files['model.weights.h5']!);
    const r = await H5Reader.open(t.path('w.h5'));
    try {
      assert.deepEqual(r.shape('layers/dense/vars/0'), [3, 4]);
      assert.deepEqual(r.shape('layers/dense_1/vars/0'), [8, 3]); // after flatten: 2 × 4
      assert.equal(r.keys('layers/batch_normalization/vars').length, 4);
      assert.equal(r.keys('layers/leaky_re_lu/vars').length, 0);
      assert.equal(r.stringAttr('layers/dropout/vars', 'name'), model.layers[6]!.name);
      assert.equal(r.read('optimizer/vars/0').values[0], model.optimizer!.iterations);
      assert.equal(r.keys('optimizer/vars').length, model.optimizer!.variables().length);
      assert.equal(r.stringAttr('vars', 'name'), model.name);
    } finally {
      r.close();
    }
  } finally {
    t.cleanup();
  }
});

test('legacy .h5 layout: root attributes, layer_names, weight_names, optimizer_weights', async () => {
  const { model } = await trained();
  const t = tempDir();
  try {
    await model.save(t.path('m.h5'));
    const r = await H5Reader.open(t.path('m.h5'));
    try {
      assert.match(r.stringAttr('', 'keras_version')!, /^3\./);
      assert.equal(r.stringAttr('', 'backend'), 'tensorflow');
      const config = JSON.parse(r.stringAttr('', 'model_config')!);
      assert.equal(config.class_name, 'Sequential');
      assert.equal(config.config.layers[0].class_name, 'InputLayer');
      const training = JSON.parse(r.stringAttr('', 'training_config')!);
      assert.equal(training.optimizer_config.class_name, 'Adam');
      assert.deepEqual(training.metrics, ['accuracy']);
      assert.deepEqual(r.stringListAttr('model_weights', 'layer_names'), model.layers.map((l) => l.name));
      const dense = model.layers[0]!.name;
      assert.deepEqual(r.stringListAttr(`model_weights/${dense}`, 'weight_names'), [`${model.name}/${dense}/kernel`, `${model.name}/${dense}/bias`]);
      assert.deepEqual(r.shape(`model_weights/${dense}/${model.name}/${dense}/kernel`), [3, 4]);
      const optNames = r.stringListAttr('optimizer_weights', 'weight_names');
      assert.equal(optNames.length, model.optimizer!.variables().length);
      assert.match(optNames[0]!, /\/iteration$/);
    } finally {
      r.close();
    }
  } finally {
    t.cleanup();
  }
});

test('saveWeights / loadWeights and modelFromJson rebuild the same model', async () => {
  const { model, x } = await trained();
  const t = tempDir();
  try {
    await model.saveWeights(t.path('w.weights.h5'));
    await model.save(t.path('m.keras'));
    const config = unzipSync(new Uint8Array(readFileSync(t.path('m.keras'))))['config.json']!;
    const copy = modelFromJson(new TextDecoder().decode(config));
    assert.notDeepEqual(copy.predict(x).arraySync(), model.predict(x).arraySync());
    await copy.loadWeights(t.path('w.weights.h5'));
    assert.deepEqual(copy.predict(x).arraySync(), model.predict(x).arraySync());
    // A legacy full-model file's weights load the same way.
    await model.save(t.path('m.h5'));
    const copy2 = modelFromJson(new TextDecoder().decode(config));
    await copy2.loadWeights(t.path('m.h5'));
    assert.deepEqual(copy2.predict(x).arraySync(), model.predict(x).arraySync());
  } finally {
    t.cleanup();
  }
});

test('modelFromJson reads Keras 2 configs: batch_input_shape on the first layer, and the 2.0-era bare layer list', () => {
  const dense = (name: string, units: number, extra: Record<string, unknown> = {}) => ({
    class_name: 'Dense',
    config: {
      name, trainable: true, dtype: 'float32', units, activation: 'relu', use_bias: true,
      kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
      bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
      ...extra,
    },
  });
  const keras2 = { class_name: 'Sequential', config: { name: 'sequential_1', layers: [dense('dense_1', 8, { batch_input_shape: [null, 5] }), dense('dense_2', 1)] }, keras_version: '2.15.0', backend: 'tensorflow' };
  const m = modelFromJson(JSON.stringify(keras2));
  assert.deepEqual(m.layers.map((l) => l.name), ['dense_1', 'dense_2']);
  assert.deepEqual(m.outputShape, [null, 1]);
  assert.equal(m.countParams(), 5 * 8 + 8 + 8 + 1);
  const keras20 = { class_name: 'Sequential', config: [dense('d1', 4, { batch_input_shape: [null, 3] })] };
  assert.deepEqual(modelFromJson(keras20).outputShape, [null, 4]);
});
