import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnknownNameError, ValueError } from '../../src/errors.js';
import type { Metric } from '../../src/metrics/index.js';
import { AUC, ConfusionMatrix, getMetric, MeanMetricWrapper, MeanSquaredError, metricNames, Precision, resolveMetric } from '../../src/metrics/index.js';
import { registerMetric } from '../../src/metrics/registry.js';
import { getRegisteredClass, registerClass } from '../../src/serialization/registry.js';
import { sub } from '../../src/ops/index.js';
import './util.js';

const cls = (m: Metric) => (m.constructor as typeof Metric).className;

describe("resolveMetric: 'accuracy' like Keras 3 compile", () => {
  const cases: [string, Parameters<typeof resolveMetric>[1], string][] = [
    ['one output unit → binary', { outputShape: [null, 1], labelShape: [null, 1] }, 'BinaryAccuracy'],
    ['one output unit, [batch] labels → binary', { outputShape: [null, 1], labelShape: [null] }, 'BinaryAccuracy'],
    ['labels of lower rank → sparse', { outputShape: [null, 10], labelShape: [null] }, 'SparseCategoricalAccuracy'],
    ['[batch, 1] labels beside 10 outputs → sparse', { outputShape: [null, 10], labelShape: [null, 1] }, 'SparseCategoricalAccuracy'],
    ['one-hot labels → categorical', { outputShape: [null, 10], labelShape: [null, 10] }, 'CategoricalAccuracy'],
    ['binary_crossentropy on 3 sigmoid outputs → binary (multi-label)', { outputShape: [32, 3], labelShape: [32, 3], lossName: 'binary_crossentropy' }, 'BinaryAccuracy'],
    ['loss class name BinaryCrossentropy also counts', { outputShape: [32, 3], labelShape: [32, 3], lossName: 'BinaryCrossentropy' }, 'BinaryAccuracy'],
    ['no label shape, sparse loss → sparse', { outputShape: [null, 4], lossName: 'sparse_categorical_crossentropy' }, 'SparseCategoricalAccuracy'],
    ['no label shape, other loss → categorical', { outputShape: [null, 4], lossName: 'categorical_crossentropy' }, 'CategoricalAccuracy'],
  ];
  for (const [label, ctx, expected] of cases) {
    it(label, () => {
      const m = resolveMetric('accuracy', ctx);
      assert.equal(cls(m), expected);
      assert.equal(m.name, 'accuracy');
    });
  }
  it("keeps the spelling the user gave as the display name ('acc', 'Accuracy')", () => {
    assert.equal(resolveMetric('acc', { outputShape: [null, 1] }).name, 'acc');
    const m = resolveMetric('Accuracy', { outputShape: [null, 5], labelShape: [null] });
    assert.equal(cls(m), 'SparseCategoricalAccuracy');
    assert.equal(m.name, 'Accuracy');
  });
  it("'crossentropy' / 'ce' pick the matching crossentropy the same way", () => {
    assert.equal(cls(resolveMetric('crossentropy', { outputShape: [null, 1] })), 'BinaryCrossentropy');
    assert.equal(cls(resolveMetric('ce', { outputShape: [null, 3], labelShape: [null] })), 'SparseCategoricalCrossentropy');
    assert.equal(cls(resolveMetric('crossentropy', { outputShape: [null, 3], labelShape: [null, 3] })), 'CategoricalCrossentropy');
  });
  it('the resolved metric works on the batch it was resolved for', () => {
    const m = resolveMetric('accuracy', { outputShape: [2, 3], labelShape: [2] });
    m.updateState([2, 0], [[0.1, 0.2, 0.7], [0.1, 0.8, 0.1]]);
    assert.equal(m.result(), 0.5);
  });
});

describe('names and aliases', () => {
  const ctx = { outputShape: [null, 3] };
  const cases: [string, string][] = [
    ['mae', 'MeanAbsoluteError'], ['MAE', 'MeanAbsoluteError'], ['mean_absolute_error', 'MeanAbsoluteError'],
    ['mse', 'MeanSquaredError'], ['meanSquaredError', 'MeanSquaredError'], ['rmse', 'RootMeanSquaredError'],
    ['root_mean_squared_error', 'RootMeanSquaredError'], ['mape', 'MeanAbsolutePercentageError'], ['msle', 'MeanSquaredLogarithmicError'],
    ['AUC', 'AUC'], ['auc', 'AUC'], ['f1_score', 'F1Score'], ['F1Score', 'F1Score'], ['f1', 'F1Score'], ['fbeta_score', 'FBetaScore'],
    ['r2_score', 'R2Score'], ['R2Score', 'R2Score'], ['precision', 'Precision'], ['Recall', 'Recall'],
    ['binary_accuracy', 'BinaryAccuracy'], ['binaryAccuracy', 'BinaryAccuracy'], ['categorical_accuracy', 'CategoricalAccuracy'],
    ['sparse_categorical_accuracy', 'SparseCategoricalAccuracy'], ['top_k_categorical_accuracy', 'TopKCategoricalAccuracy'],
    ['sparseTopKCategoricalAccuracy', 'SparseTopKCategoricalAccuracy'], ['true_positives', 'TruePositives'], ['FalseNegatives', 'FalseNegatives'],
    ['bce', 'BinaryCrossentropy'], ['categorical_crossentropy', 'CategoricalCrossentropy'], ['mean', 'Mean'], ['sum', 'Sum'],
  ];
  for (const [name, expected] of cases) {
    it(`'${name}' → ${expected}, named '${name}'`, () => {
      const m = resolveMetric(name, ctx);
      assert.equal(cls(m), expected);
      assert.equal(m.name, name);
    });
  }
  it("'confusion_matrix' takes numClasses from the output (2 for one unit)", () => {
    assert.equal((resolveMetric('confusion_matrix', { outputShape: [null, 4] }) as ConfusionMatrix).numClasses, 4);
    assert.equal((resolveMetric('confusion_matrix', { outputShape: [null, 1] }) as ConfusionMatrix).numClasses, 2);
    assert.throws(() => getMetric('confusion_matrix'), ValueError);
  });
  it('lists its names', () => {
    assert.ok(metricNames().includes('accuracy') && metricNames().includes('auc'));
  });
});

describe('instances, configs, functions, unknowns', () => {
  it('returns a Metric instance unchanged', () => {
    const p = new Precision({ name: 'p' });
    assert.equal(resolveMetric(p, { outputShape: [null, 1] }), p);
  });
  it('builds from {class_name, config}', () => {
    const m = resolveMetric({ class_name: 'AUC', config: { curve: 'PR', name: 'pr_auc' } }, { outputShape: [null, 1] }) as AUC;
    assert.ok(m instanceof AUC);
    assert.equal(m.curve, 'PR');
    assert.equal(m.name, 'pr_auc');
  });
  it('wraps a function of tensors in MeanMetricWrapper named after it', () => {
    const meanError = (t: Parameters<typeof sub>[0], p: Parameters<typeof sub>[0]) => sub(t, p);
    const m = resolveMetric(meanError as never, { outputShape: [null, 1] });
    assert.ok(m instanceof MeanMetricWrapper);
    assert.equal(m.name, 'meanError');
  });
  it("getMetric('accuracy') is the exact-match Accuracy (Keras metrics.get)", () => {
    assert.equal(cls(getMetric('accuracy')), 'Accuracy');
    assert.equal(getMetric('mae').name, 'mean_absolute_error');
  });
  it('unknown names and classes raise UnknownNameError', () => {
    assert.throws(() => resolveMetric('accuracyy', { outputShape: [null, 1] }), (e: Error) => e instanceof UnknownNameError && /accuracyy/.test(e.message));
    assert.throws(() => getMetric({ class_name: 'NoSuchMetric', config: {} }), UnknownNameError);
    assert.throws(() => resolveMetric(null as never, { outputShape: [null, 1] }), ValueError);
  });
  it('a loss class sharing a Keras class name neither breaks metric configs nor is overwritten', () => {
    // Keras has both losses.MeanSquaredError and metrics.MeanSquaredError.
    class FakeLoss {
      static readonly className = 'MeanSquaredError';
      getConfig() {
        return {};
      }
      static fromConfig() {
        return new FakeLoss();
      }
    }
    registerClass(FakeLoss);
    assert.ok(getMetric({ class_name: 'MeanSquaredError', config: { name: 'm' } }) instanceof MeanSquaredError);
    registerMetric(MeanSquaredError);
    assert.equal(getRegisteredClass('MeanSquaredError'), FakeLoss);
  });
});
