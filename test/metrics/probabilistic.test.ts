import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ShapeError, ValueError } from '../../src/errors.js';
import { BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy } from '../../src/metrics/index.js';
import { assertStreams, close, run } from './util.js';

const f = Math.fround;

describe('BinaryCrossentropy metric', () => {
  it('averages −(t·log p + (1−t)·log(1−p)) over the last axis, then samples', () => {
    // row 0: (−log 0.4 − log 0.4)/2; row 1: (−log 0.6 − log 0.4)/2
    const expected = (-Math.log(f(0.4)) + (-Math.log(1 - f(0.4)) - Math.log(1 - f(0.6))) / 2) / 2;
    close(run(() => new BinaryCrossentropy(), [[[[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]]]), expected);
  });
  it('clips probabilities to [1e-7, 1 − 1e-7]', () => {
    close(run(() => new BinaryCrossentropy(), [[[[1]], [[0]]]]), -Math.log(f(1e-7)));
  });
  it('fromLogits: logit 0 gives log 2; label smoothing moves targets toward 1/2', () => {
    close(run(() => new BinaryCrossentropy({ fromLogits: true }), [[[[1], [0]], [[0], [0]]]]), Math.log(2));
    // smoothing 0.2: target 1 → 0.9: −(0.9·log 0.8 + 0.1·log 0.2)
    close(run(() => new BinaryCrossentropy({ labelSmoothing: 0.2 }), [[[[1]], [[0.8]]]]), -(0.9 * Math.log(f(0.8)) + 0.1 * Math.log(1 - f(0.8))));
  });
  it('streams', () => {
    assertStreams(() => new BinaryCrossentropy(), [[[1], [0]], [[0.7], [0.2]]], [[[1]], [[0.4]]], [[[1], [0], [1]], [[0.7], [0.2], [0.4]]]);
  });
});

describe('CategoricalCrossentropy and SparseCategoricalCrossentropy metrics', () => {
  const oneHot = [[0, 1, 0], [0, 0, 1]];
  const probs = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]];
  const expected = (-Math.log(f(0.95) / (f(0.05) + f(0.95))) - Math.log(f(0.1) / (f(0.1) + f(0.8) + f(0.1)))) / 2;
  it('−Σ t·log p per sample: (−log 0.95 − log 0.1) / 2', () => {
    close(run(() => new CategoricalCrossentropy(), [[oneHot, probs]]), expected);
    close(run(() => new SparseCategoricalCrossentropy(), [[[1, 2], probs]]), expected);
    close(run(() => new SparseCategoricalCrossentropy(), [[[[1], [2]], probs]]), expected);
  });
  it('renormalizes probabilities, or takes logits', () => {
    // [1, 3] → [0.25, 0.75]; logits [0, ln 3] → softmax [0.25, 0.75]
    close(run(() => new CategoricalCrossentropy(), [[[[0, 1]], [[1, 3]]]]), -Math.log(0.75));
    close(run(() => new CategoricalCrossentropy({ fromLogits: true }), [[[[0, 1]], [[0, Math.log(3)]]]]), -Math.log(0.75), 1e-6);
    close(run(() => new SparseCategoricalCrossentropy({ fromLogits: true }), [[[1], [[0, Math.log(3)]]]]), -Math.log(0.75), 1e-6);
  });
  it('label smoothing 0.3 over 2 classes: targets [0.15, 0.85]', () => {
    close(run(() => new CategoricalCrossentropy({ labelSmoothing: 0.3 }), [[[[0, 1]], [[0.25, 0.75]]]]), -(0.15 * Math.log(0.25) + 0.85 * Math.log(0.75)));
  });
  it('ignoreClass leaves those samples out of the mean (weight 0)', () => {
    close(run(() => new SparseCategoricalCrossentropy({ ignoreClass: 0 }), [[[1, 0], probs]]), -Math.log(f(0.95) / (f(0.05) + f(0.95))));
    close(run(() => new SparseCategoricalCrossentropy({ ignoreClass: 0 }), [[[1, 0, 2], [...probs, [0.1, 0.8, 0.1]], [1, 5, 1]]]), expected);
  });
  it('stream', () => {
    assertStreams(() => new SparseCategoricalCrossentropy(), [[1], probs.slice(0, 1)], [[2], probs.slice(1)], [[1, 2], probs]);
    assertStreams(() => new CategoricalCrossentropy(), [oneHot.slice(0, 1), probs.slice(0, 1)], [oneHot.slice(1), probs.slice(1)], [oneHot, probs]);
  });
  it('reject bad labels and shapes', () => {
    assert.throws(() => new SparseCategoricalCrossentropy().updateState([3], [[0.2, 0.8]]), ValueError);
    assert.throws(() => new CategoricalCrossentropy().updateState([1, 0], [[0.2, 0.8], [0.5, 0.5]]), ShapeError);
    assert.throws(() => new SparseCategoricalCrossentropy().updateState([1, 0, 1], [[0.2, 0.8], [0.5, 0.5]]), ShapeError);
    assert.throws(() => new CategoricalCrossentropy({ axis: 1 }), ValueError);
  });
});
