import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toSnakeCase } from '../../src/utils/naming.js';

// Expected values are what Keras 3's keras.src.utils.naming.to_snake_case returns for the same input.
test("toSnakeCase follows Keras's rule for class and option names", () => {
  const cases: Array<[string, string]> = [
    ['Dense', 'dense'],
    ['LeakyReLU', 'leaky_re_lu'],
    ['Conv2D', 'conv2d'],
    ['Conv2DTranspose', 'conv2d_transpose'],
    ['BatchNormalization', 'batch_normalization'],
    ['LSTM', 'lstm'],
    ['GlobalAveragePooling2D', 'global_average_pooling2d'],
    ['SparseCategoricalCrossentropy', 'sparse_categorical_crossentropy'],
    ['learningRate', 'learning_rate'],
    ['onEpochEnd', 'on_epoch_end'],
    ['batchSize', 'batch_size'],
    ['beta1', 'beta1'],
    ['already_snake', 'already_snake'],
  ];
  for (const [input, expected] of cases) assert.equal(toSnakeCase(input), expected, input);
});
