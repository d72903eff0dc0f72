import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValueError } from '../../src/errors.js';
import { classificationSummary, confusionMatrixCounts } from '../../src/metrics/index.js';
import { assertClose } from '../helpers/assert_close.js';

describe('confusionMatrixCounts', () => {
  it("scikit-learn's confusion_matrix example", () => {
    assert.deepEqual(confusionMatrixCounts([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2], 3), [[2, 0, 0], [0, 0, 1], [1, 0, 2]]);
  });
  it('adds sample weights', () => {
    assert.deepEqual(confusionMatrixCounts([0, 1, 1], [0, 1, 0], 2, [0.5, 2, 3]), [[0.5, 0], [3, 2]]);
  });
  it('refuses labels outside [0, numClasses) and lengths that differ', () => {
    assert.throws(() => confusionMatrixCounts([0, 3], [0, 1], 3), (e: unknown) => e instanceof ValueError && /yTrue must hold class indices in \[0, 3\), found 3 at position 1/.test(e.message));
    assert.throws(() => confusionMatrixCounts([0, 1], [0, 1.5], 3), (e: unknown) => e instanceof ValueError && /yPred .* found 1.5/.test(e.message));
    assert.throws(() => confusionMatrixCounts([0, 1], [0], 3), (e: unknown) => e instanceof ValueError && /found 2 and 1/.test(e.message));
  });
});

describe('classificationSummary', () => {
  it("scikit-learn's classification_report example (y_true [0, 1, 2, 2, 2], y_pred [0, 0, 2, 2, 1])", () => {
    //               precision    recall  f1-score   support
    //      class 0       0.50      1.00      0.67         1
    //      class 1       0.00      0.00      0.00         1
    //      class 2       1.00      0.67      0.80         3
    //     accuracy                           0.60         5
    //    macro avg       0.50      0.56      0.49         5
    // weighted avg       0.70      0.60      0.61         5
    const s = classificationSummary(confusionMatrixCounts([0, 1, 2, 2, 2], [0, 0, 2, 2, 1], 3));
    const row = (c: { precision: number; recall: number; f1: number; support: number }) => [c.precision, c.recall, c.f1, c.support];
    assertClose(row(s.perClass[0]!), [0.5, 1, 2 / 3, 1]);
    assertClose(row(s.perClass[1]!), [0, 0, 0, 1]);
    assertClose(row(s.perClass[2]!), [1, 2 / 3, 0.8, 3]);
    assertClose([s.accuracy], [0.6]);
    assertClose(row(s.macro), [0.5, 5 / 9, (2 / 3 + 0.8) / 3, 5]);
    assertClose(row(s.weighted), [0.7, 0.6, (2 / 3 + 2.4) / 5, 5]);
  });
  it('a class never predicted nor present scores 0, not NaN', () => {
    const s = classificationSummary([[2, 0], [0, 0]]);
    assert.deepEqual(s.perClass[1], { precision: 0, recall: 0, f1: 0, support: 0 });
    assert.equal(s.weighted.f1, 1);
    assert.equal(classificationSummary([[0]]).accuracy, 0);
  });
  it('refuses a matrix that is not square', () => {
    assert.throws(() => classificationSummary([[1, 2], [3]]), ValueError);
  });
});
