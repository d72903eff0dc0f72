// Bad inputs get typed errors whose messages name the loss/argument and say expected vs found.
import { test } from 'node:test';
import { ShapeError, UnknownNameError, ValueError } from '../../src/errors.js';
import * as losses from '../../src/losses/index.js';
import { deserialize, registerClass } from '../../src/serialization/registry.js';
import { assertThrowsNaming, ops } from './helpers.js';

const probs10 = ops.softmax(ops.randomNormal([4, 10]));

test('sparse labels out of range: ValueError naming the loss, the value and the valid range', () => {
  const scce = 'sparse_categorical_crossentropy';
  assertThrowsNaming(() => losses.functions.sparseCategoricalCrossentropy([0, 3, 10, 1], probs10), ValueError, [scce, 'y_true', '10', '[0, 10)']);
  assertThrowsNaming(() => losses.functions.sparseCategoricalCrossentropy(ops.tensor([0, -1, 2, 1], undefined, 'int32'), probs10, { fromLogits: true }), ValueError, [scce, '-1', '[0, 10)']);
  assertThrowsNaming(() => new losses.SparseCategoricalCrossentropy().apply([[0], [1], [2], [12]], probs10), ValueError, [scce, '12', '[0, 10)']);
  // ignore_class allows exactly that one out-of-range value.
  assertThrowsNaming(() => losses.functions.sparseCategoricalCrossentropy([0, -1, 2, 11], probs10, { ignoreClass: -1 }), ValueError, [scce, '11']);
});

test('sparse labels that are not integers: ValueError naming the value', () => {
  assertThrowsNaming(() => losses.functions.sparseCategoricalCrossentropy([0, 1.5, 2, 1], probs10), ValueError, ['sparse_categorical_crossentropy', 'y_true', '1.5', 'not an integer']);
  assertThrowsNaming(() => losses.functions.sparseCategoricalCrossentropy([0, NaN, 2, 1], probs10), ValueError, ['sparse_categorical_crossentropy', 'NaN']);
});

test('sparse label shapes that do not fit the predictions: ShapeError with both shapes', () => {
  assertThrowsNaming(() => losses.functions.sparseCategoricalCrossentropy([0, 1, 2], probs10), ShapeError, ['sparse_categorical_crossentropy', '[3]', '[4, 10]']);
  assertThrowsNaming(() => losses.functions.sparseCategoricalCrossentropy(ops.zeros([4, 2]), probs10), ShapeError, ['sparse_categorical_crossentropy', '[4, 2]', '[4, 10]']);
  assertThrowsNaming(() => losses.functions.sparseCategoricalCrossentropy(ops.zeros([4]), ops.scalar(1)), ShapeError, ['sparse_categorical_crossentropy', 'y_pred']);
});

test('y_true/y_pred that do not match after rank alignment: ShapeError with both shapes', () => {
  const labels = ops.zeros([4, 1]);
  for (const [name, fn] of [
    ['mean_squared_error', () => losses.functions.meanSquaredError(labels, probs10)],
    ['mean_absolute_error', () => losses.functions.meanAbsoluteError(labels, probs10)],
    ['mean_absolute_percentage_error', () => losses.functions.meanAbsolutePercentageError(labels, probs10)],
    ['huber', () => losses.functions.huber(labels, probs10)],
    ['log_cosh', () => losses.functions.logCosh(labels, probs10)],
    ['categorical_crossentropy', () => losses.functions.categoricalCrossentropy(labels, probs10)],
    ['binary_crossentropy', () => losses.functions.binaryCrossentropy(labels, probs10)],
    ['mean_squared_error', () => new losses.MeanSquaredError().apply(labels, probs10)],
    ['categorical_crossentropy', () => new losses.CategoricalCrossentropy({ fromLogits: true }).apply(labels, probs10)],
  ] as const) {
    assertThrowsNaming(fn, ShapeError, [name, 'y_true', '[4, 1]', 'y_pred', '[4, 10]']);
  }
  // Batch sizes that differ.
  assertThrowsNaming(() => losses.functions.meanSquaredError(ops.zeros([3, 2]), ops.zeros([4, 2])), ShapeError, ['mean_squared_error', '[3, 2]', '[4, 2]']);
  assertThrowsNaming(() => losses.functions.binaryCrossentropy(ops.zeros([3]), ops.zeros([4, 1])), ShapeError, ['binary_crossentropy', '[3]', '[4, 1]']);
});

test('sample weights that do not fit the losses: ShapeError naming sample_weight', () => {
  const mse = new losses.MeanSquaredError();
  assertThrowsNaming(() => mse.apply(ops.zeros([4, 2]), ops.zeros([4, 2]), [1, 2, 3]), ShapeError, ['mean_squared_error', 'sample_weight', '[3]', '[4]']);
  assertThrowsNaming(() => mse.apply(ops.zeros([4, 2]), ops.zeros([4, 2]), ops.ones([4, 3])), ShapeError, ['sample_weight', '[4, 3]']);
});

test('bad options: ValueError naming the option', () => {
  assertThrowsNaming(() => new losses.MeanSquaredError({ reduction: 'avg' as never }), ValueError, ['reduction', '"avg"', 'sum_over_batch_size']);
  assertThrowsNaming(() => new losses.CategoricalCrossentropy({ labelSmoothing: 1.5 }), ValueError, ['categorical_crossentropy', 'label_smoothing', '1.5']);
  assertThrowsNaming(() => losses.functions.binaryCrossentropy([[1]], [[0.5]], { labelSmoothing: -0.1 }), ValueError, ['binary_crossentropy', 'label_smoothing']);
  assertThrowsNaming(() => new losses.BinaryCrossentropy({ fromLogits: 'yes' as never }), ValueError, ['from_logits', '"yes"']);
  assertThrowsNaming(() => new losses.Huber({ delta: -1 }), ValueError, ['huber_loss', 'delta', '-1']);
  assertThrowsNaming(() => losses.functions.huber([[1]], [[2]], { delta: 0 }), ValueError, ['huber', 'delta']);
  assertThrowsNaming(() => new losses.SparseCategoricalCrossentropy({ ignoreClass: 0.5 }), ValueError, ['ignore_class', '0.5']);
  assertThrowsNaming(() => new losses.CategoricalCrossentropy({ axis: 1.5 }), ValueError, ['axis', '1.5']);
  assertThrowsNaming(() => losses.functions.categoricalCrossentropy(probs10, probs10, { axis: 2 }), ValueError, ['categorical_crossentropy', 'axis', '2']);
  assertThrowsNaming(() => new losses.MeanSquaredError({ name: '' }), ValueError, ['name']);
});

test('lookup: unknown names list the known ones; unusable identifiers are ValueErrors', () => {
  assertThrowsNaming(() => losses.getLoss('mean_sqared_error'), UnknownNameError, ['getLoss', "'mean_sqared_error'", 'mean_squared_error', 'sparse_categorical_crossentropy', 'log_cosh']);
  assertThrowsNaming(() => losses.getLoss({ class_name: 'FancyLoss', config: {} }), UnknownNameError, ['FancyLoss']);
  assertThrowsNaming(() => losses.getLoss({ class_name: 'function', config: 'nope' as never }), UnknownNameError, ["'nope'", 'mean_squared_error']);
  assertThrowsNaming(() => losses.getLoss(42 as never), ValueError, ['getLoss', 'number']);
  assertThrowsNaming(() => losses.getLoss(null as never), ValueError, ['getLoss', 'null']);
  class NotALoss {
    static readonly className = 'NotALossForTests';
    getConfig() {
      return {};
    }
    static fromConfig() {
      return new NotALoss();
    }
  }
  registerClass(NotALoss);
  assertThrowsNaming(() => losses.getLoss({ class_name: 'NotALossForTests', config: {} }), ValueError, ['NotALossForTests', 'not a Loss']);
});

test('configs: unknown keys and unrestorable functions are refused', () => {
  assertThrowsNaming(() => losses.CategoricalCrossentropy.fromConfig({ from_logit: true }), ValueError, ['CategoricalCrossentropy', "'from_logit'", 'from_logits']);
  assertThrowsNaming(() => deserialize({ class_name: 'Huber', config: { delta: 1, detla: 2 } }), ValueError, ["'detla'"]);
  assertThrowsNaming(() => losses.LossFunctionWrapper.fromConfig({ name: 'x', reduction: 'sum', fn: 'my_custom_loss' }), UnknownNameError, ['my_custom_loss']);
  assertThrowsNaming(() => new losses.LossFunctionWrapper('mse' as never), ValueError, ['fn', 'function']);
});

test('class weights: keys must be classes of the output, weights finite and >= 0, y shaped like the output', () => {
  const y = ops.tensor([0, 1, 2], undefined, 'int32');
  assertThrowsNaming(() => losses.classWeightToSampleWeight(y, { 0: 1, 3: 2 }, [null, 3]), ValueError, ['class_weight', 'key 3', '0..2']);
  assertThrowsNaming(() => losses.classWeightToSampleWeight(y, { 0: 1, 2: 2 }, [null, 1]), ValueError, ['class_weight', 'key 2', '0..1']);
  assertThrowsNaming(() => losses.classWeightToSampleWeight(y, { a: 1 } as never, [null, 3]), ValueError, ['class_weight', '"a"', 'integer']);
  assertThrowsNaming(() => losses.classWeightToSampleWeight(y, { 1.5: 1 } as never, [null, 3]), ValueError, ['class_weight', '"1.5"']);
  assertThrowsNaming(() => losses.classWeightToSampleWeight(y, { 0: -1 }, [null, 3]), ValueError, ['class_weight', 'class 0', '-1']);
  assertThrowsNaming(() => losses.classWeightToSampleWeight(y, { 0: NaN }, [null, 3]), ValueError, ['class_weight', 'class 0']);
  assertThrowsNaming(() => losses.classWeightToSampleWeight(y, [1, 2] as never, [null, 3]), ValueError, ['class_weight', 'object']);
  assertThrowsNaming(() => losses.classWeightToSampleWeight(ops.zeros([3, 4]), { 0: 1 }, [null, 3]), ShapeError, ['class_weight', '[3, 4]', '[n, 3]']);
  assertThrowsNaming(() => losses.classWeightToSampleWeight(ops.zeros([3, 2, 2]), { 0: 1 }, [null, 2]), ShapeError, ['class_weight', '[3, 2, 2]']);
  assertThrowsNaming(() => losses.classWeightToSampleWeight(y, { 0: 1 }, [] as never), ShapeError, ['class_weight', 'output shape']);
});
