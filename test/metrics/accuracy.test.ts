import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ShapeError, ValueError } from '../../src/errors.js';
import {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy,
} from '../../src/metrics/index.js';
import { tensor } from '../../src/ops/index.js';
import { assertStreams, close, run } from './util.js';

describe('Accuracy (exact match)', () => {
  it('counts equal elements: 3 of 4', () => {
    // matches [0, 1, 1, 1] → 3/4
    close(run(() => new Accuracy(), [[[[1], [2], [3], [4]], [[0], [2], [3], [4]]]]), 0.75);
  });
  it('weights samples: [1, 1, 0, 0] → (0·1 + 1·1) / 2', () => {
    close(run(() => new Accuracy(), [[[[1], [2], [3], [4]], [[0], [2], [3], [4]], [1, 1, 0, 0]]]), 0.5);
  });
  it('streams: two batches equal their union', () => {
    assertStreams(() => new Accuracy(), [[[1], [2]], [[0], [2]]], [[[3], [4], [5]], [[3], [4], [0]]], [[[1], [2], [3], [4], [5]], [[0], [2], [3], [4], [0]]]);
  });
  it('compares in float32, like Keras (0.1 given as a JS number equals float32 0.1)', () => {
    close(run(() => new Accuracy(), [[[0.1, 0.2], tensor([0.1, 0.3])]]), 0.5);
  });
  it('rejects shapes that differ beyond a trailing 1', () => {
    assert.throws(() => new Accuracy().updateState([[1, 2]], [[1], [2]]), (e: Error) => e instanceof ShapeError && /accuracy/.test(e.message) && /\[1, 2\]/.test(e.message) && /\[2, 1\]/.test(e.message));
  });
});

describe('BinaryAccuracy', () => {
  it('thresholds strictly at 0.5 (0.5 counts as 0)', () => {
    // preds > 0.5: [1, 1, 0, 0, 1]; labels [1, 1, 0, 0, 0] → 4/5 (0.5 with label 0 is right)
    close(run(() => new BinaryAccuracy(), [[[[1], [1], [0], [0], [0]], [[0.98], [1], [0], [0.5], [0.6]]]]), 0.8);
  });
  it('uses a custom threshold', () => {
    // > 0.7: [1, 0, 0] vs labels [1, 1, 0] → 2/3
    close(run(() => new BinaryAccuracy({ threshold: 0.7 }), [[[1, 1, 0], [0.8, 0.6, 0.1]]]), 2 / 3);
  });
  it('expands [batch] labels beside [batch, 1] predictions', () => {
    close(run(() => new BinaryAccuracy(), [[[1, 0, 1, 0], [[0.9], [0.2], [0.3], [0.7]]]]), 0.5);
  });
  it('averages multi-label rows per sample before weighting', () => {
    // matches [[1, 1], [0, 1]] → per sample [1, 0.5]; weights [1, 3] → (1 + 1.5) / 4 = 0.625
    close(run(() => new BinaryAccuracy(), [[[[1, 0], [1, 1]], [[0.9, 0.1], [0.2, 0.8]], [1, 3]]]), 0.625);
  });
  it('per-element weights follow Keras: Σ mean(v·w) / Σ mean(w)', () => {
    // v·w = [[1, 0], [0, 2]] → per-sample means [0.5, 1] = 1.5; weights means [0.5, 2] = 2.5 → 0.6
    close(run(() => new BinaryAccuracy(), [[[[1, 0], [1, 1]], [[0.9, 0.1], [0.2, 0.8]], [[1, 0], [2, 2]]]]), 0.6);
  });
  it('a scalar weight weighs the batch mean (Keras reduce_to_samplewise_values)', () => {
    // batch 1: mean([1, 0]) = 0.5, weight 2 → total 1, count 2; batch 2: [1, 1] → total 3, count 4
    close(run(() => new BinaryAccuracy(), [[[[1], [0]], [[0.9], [0.9]], 2], [[[1], [1]], [[0.9], [0.9]]]]), 0.75);
  });
  it('streams', () => {
    assertStreams(() => new BinaryAccuracy(), [[1, 0], [0.7, 0.6]], [[1, 1, 0], [0.2, 0.9, 0.1]], [[1, 0, 1, 1, 0], [0.7, 0.6, 0.2, 0.9, 0.1]]);
  });
  it('accepts tensors', () => {
    close(run(() => new BinaryAccuracy(), [[tensor([[1], [0]]), tensor([[0.2], [0.1]])]]), 0.5);
  });
});

describe('CategoricalAccuracy', () => {
  it('compares argmaxes, weighted [0.5, 0.25]', () => {
    // argmax true [2, 1], pred [1, 1] → matches [0, 1]; weighted 0.25 / 0.75
    close(run(() => new CategoricalAccuracy(), [[[[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], [0.5, 0.25]]]), 1 / 3);
  });
  it('breaks ties toward the first index, like argmax', () => {
    close(run(() => new CategoricalAccuracy(), [[[[0, 1, 0], [1, 0, 0]], [[0.5, 0.5, 0], [0.5, 0.5, 0]]]]), 0.5);
  });
  it('streams', () => {
    const t = [[1, 0], [0, 1], [0, 1]];
    const p = [[0.6, 0.4], [0.7, 0.3], [0.1, 0.9]];
    assertStreams(() => new CategoricalAccuracy(), [t.slice(0, 1), p.slice(0, 1)], [t.slice(1), p.slice(1)], [t, p]);
  });
  it('rejects integer labels with a ShapeError naming both shapes', () => {
    assert.throws(() => new CategoricalAccuracy().updateState([1, 0], [[0.2, 0.8], [0.6, 0.4]]), (e: Error) => e instanceof ShapeError && /categorical_accuracy/.test(e.message) && /\[2\]/.test(e.message) && /\[2, 2\]/.test(e.message));
  });
});

describe('SparseCategoricalAccuracy', () => {
  it('compares integer labels with the argmax, [batch] or [batch, 1]', () => {
    // argmax [1, 1] vs labels [2, 1] → [0, 1]
    close(run(() => new SparseCategoricalAccuracy(), [[[[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]]]), 0.5);
    close(run(() => new SparseCategoricalAccuracy(), [[[2, 1], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]], [0.25, 0.75]]]), 0.75);
  });
  it('accepts int32 label tensors', () => {
    close(run(() => new SparseCategoricalAccuracy(), [[tensor([0, 2], [2], 'int32'), tensor([[0.9, 0.05, 0.05], [0.2, 0.5, 0.3]])]]), 0.5);
  });
  it('streams', () => {
    assertStreams(() => new SparseCategoricalAccuracy(), [[0], [[0.9, 0.1]]], [[1, 1], [[0.2, 0.8], [0.6, 0.4]]], [[0, 1, 1], [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]]);
  });
  it('rejects labels out of range or not integers (ValueError)', () => {
    assert.throws(() => new SparseCategoricalAccuracy().updateState([0, 3], [[0.2, 0.5, 0.3], [0.1, 0.1, 0.8]]), (e: Error) => e instanceof ValueError && /\[0, 3\)/.test(e.message) && /found 3/.test(e.message));
    assert.throws(() => new SparseCategoricalAccuracy().updateState([-1], [[0.5, 0.5]]), ValueError);
    assert.throws(() => new SparseCategoricalAccuracy().updateState([0.5], [[0.5, 0.5]]), ValueError);
  });
  it('rejects a batch-size mismatch (ShapeError)', () => {
    assert.throws(() => new SparseCategoricalAccuracy().updateState([0, 1, 1], [[0.5, 0.5], [0.2, 0.8]]), ShapeError);
  });
});

describe('top-k accuracies', () => {
  it('TopKCategoricalAccuracy k=1 matches the Keras docstring', () => {
    close(run(() => new TopKCategoricalAccuracy({ k: 1 }), [[[[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]]]), 0.5);
  });
  it('default k=5 counts every class of a 3-class problem as a hit', () => {
    close(run(() => new TopKCategoricalAccuracy(), [[[[0, 0, 1]], [[0.9, 0.1, 0]]]]), 1);
  });
  it('ties at the boundary all count as in the top k (Keras in_top_k)', () => {
    // k=2, scores [0.5, 0.2, 0.2, 0.1]: classes 1 and 2 have one larger score → both hits; class 3 has three → miss
    const p = [[0.5, 0.2, 0.2, 0.1], [0.5, 0.2, 0.2, 0.1], [0.5, 0.2, 0.2, 0.1]];
    close(run(() => new SparseTopKCategoricalAccuracy({ k: 2 }), [[[1, 2, 3], p]]), 2 / 3);
    close(run(() => new TopKCategoricalAccuracy({ k: 2 }), [[[[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], p]]), 2 / 3);
    // all equal: nobody is larger, so every class is a hit even with k=1
    close(run(() => new SparseTopKCategoricalAccuracy({ k: 1 }), [[[3], [[0.25, 0.25, 0.25, 0.25]]]]), 1);
  });
  it('SparseTopKCategoricalAccuracy weights and streams', () => {
    // k=2: label 0 score 0.1 has 2 larger → miss; label 2 score 0.3 has 1 larger → hit; weights [1, 3] → 0.75
    close(run(() => new SparseTopKCategoricalAccuracy({ k: 2 }), [[[0, 2], [[0.1, 0.6, 0.3], [0.1, 0.6, 0.3]], [1, 3]]]), 0.75);
    const p = [[0.1, 0.6, 0.3], [0.5, 0.2, 0.3], [0.3, 0.3, 0.4]];
    assertStreams(() => new SparseTopKCategoricalAccuracy({ k: 1 }), [[1], p.slice(0, 1)], [[1, 0], p.slice(1)], [[1, 1, 0], p]);
  });
  it('fromSortedIds looks for the label among the first k ids', () => {
    close(run(() => new SparseTopKCategoricalAccuracy({ k: 1, fromSortedIds: true }), [[[2, 1], [[1, 0, 3], [1, 2, 3]]]]), 0.5);
  });
  it('rejects labels out of range and bad k', () => {
    assert.throws(() => new SparseTopKCategoricalAccuracy().updateState([5], [[0.2, 0.8]]), ValueError);
    assert.throws(() => new TopKCategoricalAccuracy({ k: 0 }), ValueError);
  });
});
