import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValueError } from '../../src/errors.js';
import type { Metric } from '../../src/metrics/index.js';
import * as metrics from '../../src/metrics/index.js';
import { serialize } from '../../src/serialization/registry.js';
import { close } from './util.js';

type Batch = [unknown, unknown, unknown?];
interface Case {
  make: () => Metric;
  a: Batch;
  b: Batch;
}

const bin: [Batch, Batch] = [
  [[[1], [0], [1]], [[0.8], [0.6], [0.3]], [1, 2, 1]],
  [[[0], [1]], [[0.1], [0.9]]],
];
const oneHot: [Batch, Batch] = [
  [[[1, 0, 0], [0, 1, 0]], [[0.6, 0.3, 0.1], [0.5, 0.4, 0.1]], [1, 3]],
  [[[0, 0, 1], [0, 1, 0]], [[0.2, 0.2, 0.6], [0.1, 0.7, 0.2]]],
];
const sparse: [Batch, Batch] = [
  [[0, 1], [[0.6, 0.3, 0.1], [0.5, 0.4, 0.1]], [1, 3]],
  [[2, 1], [[0.2, 0.2, 0.6], [0.1, 0.7, 0.2]]],
];
const reg: [Batch, Batch] = [
  [[[1, 2], [3, 4]], [[1.5, 2], [2, 5]], [1, 2]],
  [[[0, 1]], [[0.5, 0.5]]],
];

// Every registered metric class, built with non-default options where it has any.
const cases: Record<string, Case> = {
  Mean: { make: () => new metrics.Mean({ name: 'my_mean' }), a: [[1, 2, 3], [1, 0, 2]], b: [[4, 5], undefined] },
  Sum: { make: () => new metrics.Sum({ name: 'my_sum' }), a: [[1, 2, 3], [1, 0, 2]], b: [[4, 5], undefined] },
  Accuracy: { make: () => new metrics.Accuracy({ name: 'exact' }), a: [[1, 2, 3], [1, 0, 3]], b: [[4], [4]] },
  BinaryAccuracy: { make: () => new metrics.BinaryAccuracy({ threshold: 0.7 }), a: bin[0], b: bin[1] },
  CategoricalAccuracy: { make: () => new metrics.CategoricalAccuracy(), a: oneHot[0], b: oneHot[1] },
  SparseCategoricalAccuracy: { make: () => new metrics.SparseCategoricalAccuracy(), a: sparse[0], b: sparse[1] },
  TopKCategoricalAccuracy: { make: () => new metrics.TopKCategoricalAccuracy({ k: 2 }), a: oneHot[0], b: oneHot[1] },
  SparseTopKCategoricalAccuracy: { make: () => new metrics.SparseTopKCategoricalAccuracy({ k: 1, fromSortedIds: false }), a: sparse[0], b: sparse[1] },
  TruePositives: { make: () => new metrics.TruePositives({ thresholds: [0.2, 0.7] }), a: bin[0], b: bin[1] },
  FalsePositives: { make: () => new metrics.FalsePositives(), a: bin[0], b: bin[1] },
  TrueNegatives: { make: () => new metrics.TrueNegatives({ thresholds: 0.3 }), a: bin[0], b: bin[1] },
  FalseNegatives: { make: () => new metrics.FalseNegatives(), a: bin[0], b: bin[1] },
  Precision: { make: () => new metrics.Precision({ thresholds: [0.4, 0.65], classId: 1 }), a: oneHot[0], b: oneHot[1] },
  Recall: { make: () => new metrics.Recall({ topK: 1 }), a: oneHot[0], b: oneHot[1] },
  AUC: { make: () => new metrics.AUC({ numThresholds: 50, curve: 'PR', summationMethod: 'majoring', fromLogits: true }), a: bin[0], b: bin[1] },
  'AUC (thresholds, multi-label)': {
    make: () => new metrics.AUC({ thresholds: [0.25, 0.5, 0.8], multiLabel: true, labelWeights: [1, 2, 3] }),
    a: oneHot[0],
    b: oneHot[1],
  },
  F1Score: { make: () => new metrics.F1Score({ average: 'weighted', threshold: 0.4 }), a: oneHot[0], b: oneHot[1] },
  FBetaScore: { make: () => new metrics.FBetaScore({ average: 'micro', beta: 0.5 }), a: oneHot[0], b: oneHot[1] },
  MeanSquaredError: { make: () => new metrics.MeanSquaredError(), a: reg[0], b: reg[1] },
  MeanAbsoluteError: { make: () => new metrics.MeanAbsoluteError(), a: reg[0], b: reg[1] },
  MeanAbsolutePercentageError: { make: () => new metrics.MeanAbsolutePercentageError(), a: reg[0], b: reg[1] },
  MeanSquaredLogarithmicError: { make: () => new metrics.MeanSquaredLogarithmicError(), a: reg[0], b: reg[1] },
  RootMeanSquaredError: { make: () => new metrics.RootMeanSquaredError(), a: reg[0], b: reg[1] },
  R2Score: { make: () => new metrics.R2Score({ classAggregation: null, numRegressors: 1 }), a: reg[0], b: reg[1] },
  ConfusionMatrix: { make: () => new metrics.ConfusionMatrix({ numClasses: 3, name: 'cm' }), a: sparse[0], b: sparse[1] },
  BinaryCrossentropy: { make: () => new metrics.BinaryCrossentropy({ labelSmoothing: 0.1 }), a: bin[0], b: bin[1] },
  CategoricalCrossentropy: { make: () => new metrics.CategoricalCrossentropy({ fromLogits: true }), a: oneHot[0], b: oneHot[1] },
  SparseCategoricalCrossentropy: { make: () => new metrics.SparseCategoricalCrossentropy({ ignoreClass: 2 }), a: sparse[0], b: sparse[1] },
};

// (Mean and Sum take (values, weights): their batches put the weights second.)
const update = (m: Metric, [t, p, w]: Batch) => m.updateState(t as never, p as never, (w ?? null) as never);

describe('getConfig / fromConfig round trip for every class', () => {
  for (const [label, c] of Object.entries(cases)) {
    it(label, () => {
      const m = c.make();
      const spec = JSON.parse(JSON.stringify(serialize(m)));
      for (const key of Object.keys(spec.config)) assert.match(key, /^[a-z0-9_]+$/, `${label}: config key '${key}' should be Keras snake_case`);
      const copy = metrics.getMetric(spec);
      assert.equal(copy.constructor, m.constructor);
      assert.deepEqual(copy.getConfig(), m.getConfig());
      assert.equal(copy.name, m.name);
      for (const x of [m, copy]) {
        update(x, c.a);
        update(x, c.b);
      }
      close(copy.result(), m.result(), 1e-12, label);
    });
  }
  it('writes the keys Keras writes', () => {
    assert.deepEqual(Object.keys(new metrics.AUC().getConfig()).sort(), ['curve', 'dtype', 'from_logits', 'label_weights', 'multi_label', 'name', 'num_labels', 'num_thresholds', 'summation_method']);
    assert.deepEqual(new metrics.Precision({ name: 'p' }).getConfig(), { name: 'p', dtype: 'float32', thresholds: null, top_k: null, class_id: null });
    assert.deepEqual(new metrics.F1Score().getConfig(), { name: 'f1_score', dtype: 'float32', average: null, threshold: null });
    assert.deepEqual(new metrics.R2Score().getConfig(), { name: 'r2_score', dtype: 'float32', class_aggregation: 'uniform_average', num_regressors: 0 });
    assert.deepEqual(new metrics.AUC({ thresholds: [0.5, 0.2] }).getConfig()['thresholds'], [0.2, 0.5]);
  });
});

describe('getState / setState', () => {
  for (const [label, c] of Object.entries(cases)) {
    it(`${label}: a restored copy continues identically`, () => {
      const m = c.make();
      update(m, c.a);
      const saved = m.getState();
      assert.ok(saved instanceof Float64Array && saved.length > 0);
      const restored = metrics.getMetric(serialize(m));
      restored.setState(saved);
      close(restored.result(), m.result(), 0, `${label} after restore`);
      update(m, c.b);
      update(restored, c.b);
      close(restored.result(), m.result(), 0, `${label} after one more batch`);
      assert.deepEqual(Array.from(restored.getState()), Array.from(m.getState()));
    });
  }
  it('getState is a copy; layout names follow Keras variables; resetState zeroes', () => {
    const p = new metrics.Precision({ thresholds: [0.3, 0.6] });
    p.updateState([1, 0], [0.9, 0.5]);
    const s = p.getState();
    s.fill(99);
    assert.notEqual(p.getState()[0], 99);
    assert.deepEqual(p.stateLayout(), [{ name: 'true_positives', shape: [2] }, { name: 'false_positives', shape: [2] }]);
    assert.deepEqual(Array.from(p.getState()), [1, 1, 1, 0]);
    p.resetState();
    assert.deepEqual(Array.from(p.getState()), [0, 0, 0, 0]);
    assert.deepEqual(new metrics.Mean().stateLayout().map((x) => x.name), ['total', 'count']);
  });
  it('setState rejects the wrong length', () => {
    assert.throws(() => new metrics.Mean().setState([1, 2, 3]), (e: Error) => e instanceof ValueError && /expected 2/.test(e.message));
    assert.throws(() => new metrics.F1Score().setState([1, 2, 3]), ValueError);
    assert.throws(() => new metrics.AUC().setState([1]), ValueError);
  });
  it('metrics sized by their first batch are built by setState', () => {
    const f = new metrics.F1Score({ average: 'macro' });
    f.setState([1, 1, 0, 0, 1, 1, 1, 1]); // 2 classes: tp [1, 1], fp [0, 0], fn [1, 1], support [1, 1]
    assert.deepEqual(f.stateLayout()[0], { name: 'true_positives', shape: [2] });
    close(f.result(), 2 / 3);
  });
});
