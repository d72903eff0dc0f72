// Config round trips for every loss class, configs exactly as Keras 3 writes them, and lookup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Tensor } from '../../src/core/tensor.js';
import * as losses from '../../src/losses/index.js';
import type { Config } from '../../src/serialization/registry.js';
import { deserialize, serialize } from '../../src/serialization/registry.js';
import { ops } from './helpers.js';

/** getConfig → fromConfig → getConfig is stable, via the class and via the registry, and the rebuilt loss computes the same. */
function roundTrip(loss: losses.Loss, yTrue: Tensor, yPred: Tensor): void {
  const cls = loss.constructor as unknown as { className: string; fromConfig(c: Config): losses.Loss };
  const config = JSON.parse(JSON.stringify(loss.getConfig())) as Config;
  const rebuilt = cls.fromConfig(config);
  assert.equal(rebuilt.constructor, loss.constructor);
  assert.deepEqual(rebuilt.getConfig(), loss.getConfig());
  const viaRegistry = deserialize(JSON.parse(JSON.stringify(serialize(loss)))) as losses.Loss;
  assert.deepEqual(viaRegistry.getConfig(), loss.getConfig());
  assert.deepEqual(rebuilt.apply(yTrue, yPred).dataSync(), loss.apply(yTrue, yPred).dataSync());
}

const labels = ops.tensor([0, 2, 1], undefined, 'int32');
const oneHot = ops.oneHot(labels, 3);
const logits = ops.tensor([[1, -1, 0.5], [0, 2, 1], [3, 0, -2]]);
const probs = ops.softmax(logits);

test('config round trip for every class, with non-default options', () => {
  roundTrip(new losses.SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1, reduction: 'sum', name: 'scce' }), labels, logits);
  roundTrip(new losses.CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1, axis: -1, reduction: 'none' }), oneHot, logits);
  roundTrip(new losses.BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.2, reduction: 'mean_with_sample_weight' }), oneHot, logits);
  roundTrip(new losses.MeanSquaredError({ reduction: 'mean' }), oneHot, probs);
  roundTrip(new losses.MeanAbsoluteError({ name: 'l1' }), oneHot, probs);
  roundTrip(new losses.MeanAbsolutePercentageError({ reduction: null }), ops.add(oneHot, 1), probs);
  roundTrip(new losses.Huber({ delta: 0.25 }), oneHot, logits);
  roundTrip(new losses.LogCosh({ reduction: 'sum' }), oneHot, logits);
  roundTrip(new losses.LossFunctionWrapper(losses.functions.meanSquaredError, { reduction: 'sum' }), oneHot, probs);
});

test('default configs are exactly what Keras 3 writes (keys and order)', () => {
  const base = (name: string) => ({ name, reduction: 'sum_over_batch_size' });
  const ce = { from_logits: false, label_smoothing: 0, axis: -1 };
  const cases: [losses.Loss, Config][] = [
    [new losses.SparseCategoricalCrossentropy(), { ...base('sparse_categorical_crossentropy'), from_logits: false, ignore_class: null, axis: -1 }],
    [new losses.CategoricalCrossentropy(), { ...base('categorical_crossentropy'), ...ce }],
    [new losses.BinaryCrossentropy(), { ...base('binary_crossentropy'), ...ce }],
    [new losses.MeanSquaredError(), base('mean_squared_error')],
    [new losses.MeanAbsoluteError(), base('mean_absolute_error')],
    [new losses.MeanAbsolutePercentageError(), base('mean_absolute_percentage_error')],
    [new losses.Huber(), { ...base('huber_loss'), delta: 1 }],
    [new losses.LogCosh(), base('log_cosh')],
  ];
  for (const [loss, expected] of cases) {
    assert.deepEqual(loss.getConfig(), expected);
    assert.deepEqual(Object.keys(loss.getConfig()), Object.keys(expected), `${loss.name}: key order`);
  }
  assert.deepEqual(losses.serializeLoss(new losses.Huber({ delta: 2 })), {
    module: 'keras.losses',
    class_name: 'Huber',
    config: { name: 'huber_loss', reduction: 'sum_over_batch_size', delta: 2 },
    registered_name: null,
  });
  assert.deepEqual(new losses.LossFunctionWrapper(losses.functions.huber).getConfig(), {
    name: 'huber',
    reduction: 'sum_over_batch_size',
    fn: { module: 'keras.losses', class_name: 'function', config: 'huber', registered_name: 'function' },
  });
});

test('configs from Keras files load: snake_case keys, dtype, Keras 2 "auto" reduction', () => {
  const scce = deserialize({
    module: 'keras.losses',
    class_name: 'SparseCategoricalCrossentropy',
    config: { name: 'sparse_categorical_crossentropy', reduction: 'auto', from_logits: true, ignore_class: null, dtype: 'float32' },
    registered_name: null,
  }) as losses.SparseCategoricalCrossentropy;
  assert.ok(scce instanceof losses.SparseCategoricalCrossentropy);
  assert.equal(scce.fromLogits, true);
  assert.equal(scce.reduction, 'sum_over_batch_size');
  const cce = losses.getLoss({ class_name: 'CategoricalCrossentropy', config: { from_logits: true, label_smoothing: 0.1 } }) as losses.CategoricalCrossentropy;
  assert.equal(cce.fromLogits, true);
  assert.equal(cce.labelSmoothing, 0.1);
  assert.equal(cce.name, 'categorical_crossentropy');
});

test('options accept camelCase and snake_case alike', () => {
  const a = new losses.SparseCategoricalCrossentropy({ from_logits: true, ignore_class: 3 } as never);
  assert.equal(a.fromLogits, true);
  assert.equal(a.ignoreClass, 3);
  assert.equal(losses.functions.binaryCrossentropy([[1]], [[0]], { from_logits: true } as never).item(), Math.fround(Math.LN2));
});

test('getLoss: Keras names, aliases, tfjs camelCase, class names, instances, classes, configs', () => {
  const expectations: [string, unknown][] = [
    ['sparse_categorical_crossentropy', losses.SparseCategoricalCrossentropy],
    ['sparseCategoricalCrossentropy', losses.SparseCategoricalCrossentropy],
    ['SparseCategoricalCrossentropy', losses.SparseCategoricalCrossentropy],
    ['categorical_crossentropy', losses.CategoricalCrossentropy],
    ['categoricalCrossentropy', losses.CategoricalCrossentropy],
    ['binary_crossentropy', losses.BinaryCrossentropy],
    ['bce', losses.BinaryCrossentropy],
    ['mean_squared_error', losses.MeanSquaredError],
    ['meanSquaredError', losses.MeanSquaredError],
    ['mse', losses.MeanSquaredError],
    ['MSE', losses.MeanSquaredError],
    ['mae', losses.MeanAbsoluteError],
    ['meanAbsoluteError', losses.MeanAbsoluteError],
    ['mape', losses.MeanAbsolutePercentageError],
    ['meanAbsolutePercentageError', losses.MeanAbsolutePercentageError],
    ['huber', losses.Huber],
    ['huber_loss', losses.Huber],
    ['log_cosh', losses.LogCosh],
    ['logcosh', losses.LogCosh],
    ['LogCosh', losses.LogCosh],
  ];
  for (const [name, cls] of expectations) assert.equal(losses.getLoss(name).constructor, cls, name);
  const instance = new losses.Huber({ delta: 3 });
  assert.equal(losses.getLoss(instance), instance);
  assert.ok(losses.getLoss(losses.LogCosh) instanceof losses.LogCosh);
  const fromFunctionConfig = losses.getLoss({ class_name: 'function', config: 'mse' as never });
  assert.ok(fromFunctionConfig instanceof losses.LossFunctionWrapper);
  assert.equal(fromFunctionConfig.name, 'mean_squared_error');
  assert.deepEqual(losses.lossNames(), [
    'sparse_categorical_crossentropy', 'categorical_crossentropy', 'binary_crossentropy', 'mean_squared_error',
    'mean_absolute_error', 'mean_absolute_percentage_error', 'huber', 'log_cosh',
  ]);
});
