import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValueError } from '../../src/errors.js';
import { averagePrecisionScore, precisionRecallCurve, rocAucScore, rocCurve, trapezoidArea } from '../../src/metrics/index.js';
import { assertClose } from '../helpers/assert_close.js';

// Expected values are scikit-learn's documented examples (roc_curve, precision_recall_curve,
// average_precision_score docstrings) or worked out by hand in the comments.

describe('rocCurve', () => {
  it("scikit-learn's roc_curve example: y [1, 1, 2, 2], pos_label 2", () => {
    const r = rocCurve([1, 1, 2, 2], [0.1, 0.4, 0.35, 0.8], { posLabel: 2 });
    assert.deepEqual(r.fpr, [0, 0, 0.5, 0.5, 1]);
    assert.deepEqual(r.tpr, [0, 0.5, 0.5, 1, 1]);
    assert.deepEqual(r.thresholds, [Infinity, 0.8, 0.4, 0.35, 0.1]);
    assert.equal(trapezoidArea(r.fpr, r.tpr), 0.75);
  });

  it('drops the points on straight segments unless dropIntermediate is false', () => {
    // Scores 0.9 0.8 0.7 (positives) over 0.3 0.2 0.1 (negatives): tps 1 2 3 3 3 3, fps 0 0 0 1 2 3.
    // Only the corner (3 positives, 0 negatives) bends; the ends are always kept.
    const y = [0, 0, 0, 1, 1, 1];
    const s = [0.1, 0.2, 0.3, 0.7, 0.8, 0.9];
    const r = rocCurve(y, s);
    assert.deepEqual(r.fpr, [0, 0, 0, 1]);
    assertClose(r.tpr, [0, 1 / 3, 1, 1]);
    assert.deepEqual(r.thresholds, [Infinity, 0.9, 0.7, 0.1]);
    const all = rocCurve(y, s, { dropIntermediate: false });
    assert.equal(all.fpr.length, 7);
    assert.equal(trapezoidArea(all.fpr, all.tpr), 1);
  });

  it('moves tied scores together: one threshold for four equal scores', () => {
    const r = rocCurve([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]);
    assert.deepEqual(r, { fpr: [0, 1], tpr: [0, 1], thresholds: [Infinity, 0.5] });
    assert.equal(rocAucScore([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]), 0.5);
  });

  it('weights samples: the AUC equals the weighted share of correctly ordered pairs', () => {
    // Sorted: 0.9 neg w1, 0.8 pos w2, 0.3 neg w3, 0.1 pos w4 → tps 0 2 2 6, fps 1 1 4 4.
    // Pairs pos > neg: (0.8, 0.3) weighs 2·3 = 6 of 6·4 = 24 → AUC 0.25.
    const y = [0, 1, 0, 1];
    const s = [0.9, 0.8, 0.3, 0.1];
    const w = [1, 2, 3, 4];
    const r = rocCurve(y, s, { sampleWeight: w });
    assertClose(r.fpr, [0, 0.25, 0.25, 1, 1]);
    assertClose(r.tpr, [0, 0, 1 / 3, 1 / 3, 1]);
    assertClose([rocAucScore(y, s, { sampleWeight: w })], [0.25]);
  });

  it('without negatives the false positive rate is NaN and the AUC is refused', () => {
    const r = rocCurve([1, 1], [0.2, 0.7]);
    assert.ok(r.fpr.every(Number.isNaN));
    assert.throws(() => rocAucScore([1, 1], [0.2, 0.7]), (e: unknown) => e instanceof ValueError && /only one class/.test(e.message));
  });

  it('refuses unclear labels, lengths that differ and non-finite scores', () => {
    assert.throws(() => rocCurve([1, 2], [0.1, 0.2]), (e: unknown) => e instanceof ValueError && /\{1, 2\}.*posLabel/.test(e.message));
    assert.throws(() => rocCurve([0, 1, 1], [0.1, 0.2]), (e: unknown) => e instanceof ValueError && /same length, found 3 and 2/.test(e.message));
    assert.throws(() => rocCurve([0, 1], [0.1, NaN]), (e: unknown) => e instanceof ValueError && /finite, found NaN at position 1/.test(e.message));
    assert.throws(() => rocCurve([], []), ValueError);
    // {-1, 1} is as clear as {0, 1}.
    assert.deepEqual(rocCurve([-1, 1], [0.1, 0.9]).tpr, [0, 1, 1]);
  });
});

describe('precisionRecallCurve and averagePrecisionScore', () => {
  it("scikit-learn's precision_recall_curve example", () => {
    const r = precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    assertClose(r.precision, [0.5, 2 / 3, 0.5, 1, 1]);
    assert.deepEqual(r.recall, [1, 1, 0.5, 0.5, 0]);
    assert.deepEqual(r.thresholds, [0.1, 0.35, 0.4, 0.8]);
  });

  it("scikit-learn's average_precision_score example: 0.8333…", () => {
    // (1 − 0.5)·1 + (0.5 − 0.5)·0.5 + (1 − 0.5)·2/3 + 0 = 0.5 + 1/3
    assertClose([averagePrecisionScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])], [5 / 6]);
  });

  it('ties and weights: one step at the positive share', () => {
    assertClose([averagePrecisionScore([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])], [0.5]);
    // Weighted: positives weigh 3 of 4 at the single threshold.
    assertClose([averagePrecisionScore([0, 1], [0.5, 0.5], { sampleWeight: [1, 3] })], [0.75]);
  });
});

describe('trapezoidArea', () => {
  it('integrates increasing and decreasing x to the same positive area', () => {
    assert.equal(trapezoidArea([0, 0.5, 1], [0, 1, 1]), 0.75);
    assert.equal(trapezoidArea([1, 0.5, 0], [1, 1, 0]), 0.75);
  });
  it('refuses a non-monotonic x and too few points', () => {
    assert.throws(() => trapezoidArea([0, 1, 0.5], [0, 1, 1]), (e: unknown) => e instanceof ValueError && /monotonic/.test(e.message));
    assert.throws(() => trapezoidArea([0], [0]), ValueError);
  });
});
