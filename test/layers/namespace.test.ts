import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/backends/index.js';
import * as layers from '../../src/layers/index.js';
import { deserialize, getRegisteredClass } from '../../src/serialization/registry.js';
import { randomInput } from './helpers.js';
import { checkLayerRoundTrip } from './roundtrip.js';

test('every built-in layer class is registered under its Keras class name', () => {
  const classes = [layers.Dense, layers.Activation, layers.Dropout, layers.Flatten, layers.LeakyReLU, layers.BatchNormalization, layers.LayerNormalization, layers.InputLayer];
  const names = ['Dense', 'Activation', 'Dropout', 'Flatten', 'LeakyReLU', 'BatchNormalization', 'LayerNormalization', 'InputLayer'];
  assert.deepEqual(classes.map((c) => c.className), names);
  for (const cls of classes) assert.equal(getRegisteredClass(cls.className), cls, cls.className);
  const bn = deserialize({ class_name: 'BatchNormalization', config: { name: 'bn', momentum: 0.9 } });
  assert.ok(bn instanceof layers.BatchNormalization);
  assert.equal(bn.momentum, 0.9);
});

test('factories build the classes, from camelCase or snake_case options', () => {
  assert.ok(layers.dense({ units: 3 }) instanceof layers.Dense);
  assert.ok(layers.activation({ activation: 'relu' }) instanceof layers.Activation);
  assert.ok(layers.dropout({ rate: 0.1 }) instanceof layers.Dropout);
  assert.ok(layers.flatten() instanceof layers.Flatten);
  assert.ok(layers.leakyReLU() instanceof layers.LeakyReLU);
  assert.ok(layers.batchNormalization() instanceof layers.BatchNormalization);
  assert.ok(layers.layerNormalization() instanceof layers.LayerNormalization);
  // keras.Input: a symbolic tensor made by an input layer.
  assert.ok(layers.input({ shape: [2] }).history.layer instanceof layers.InputLayer);
  assert.deepEqual(layers.input({ shape: [2] }).shape, [null, 2]);
  assert.ok(layers.inputLayer({ inputShape: [2] }) instanceof layers.InputLayer);
  assert.deepEqual(layers.dropout({ rate: 0.1, noiseShape: [null, 1] }).noiseShape, layers.dropout({ rate: 0.1, noise_shape: [null, 1] } as never).noiseShape);
  assert.deepEqual(layers.batchNormalization({ axis: 1, movingMeanInitializer: 'ones' }).getConfig().moving_mean_initializer,
    layers.batchNormalization({ axis: 1, moving_mean_initializer: 'ones' } as never).getConfig().moving_mean_initializer);
  // A layer given inputShape (tfjs style) records the full batch shape.
  assert.deepEqual(layers.leakyReLU({ inputShape: [4] }).batchInputShape, [null, 4]);
});

test('computeOutputShape of every layer on symbolic shapes', () => {
  const shape = [null, 3, 4];
  assert.deepEqual(layers.activation({ activation: 'relu' }).computeOutputShape(shape), shape);
  assert.deepEqual(layers.dropout({ rate: 0.5 }).computeOutputShape(shape), shape);
  assert.deepEqual(layers.leakyReLU().computeOutputShape(shape), shape);
  assert.deepEqual(layers.batchNormalization().computeOutputShape(shape), shape);
  assert.deepEqual(layers.layerNormalization({ axis: [1, 2] }).computeOutputShape(shape), shape);
  assert.deepEqual(layers.flatten().computeOutputShape(shape), [null, 12]);
  assert.deepEqual(layers.inputLayer({ shape: [3, 4] }).computeOutputShape(shape), shape);
});

test('Dense passes the shared round-trip check (the helper the models reuse)', () => {
  checkLayerRoundTrip(layers.dense({ units: 3, activation: 'relu', kernelRegularizer: 'l2' }), { input: randomInput([2, 5], 1).x });
});
