import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ShapeError, ValueError } from '../../src/errors.js';
import { ConfusionMatrix, FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives, TruePositives } from '../../src/metrics/index.js';
import { tensor } from '../../src/ops/index.js';
import { assertStreams, close, run } from './util.js';

// The Keras confusion_metrics_test batch: 4 rows × 5 columns of 0/1.
const T = [[0, 1, 0, 1, 0], [0, 0, 1, 1, 1], [1, 1, 1, 1, 0], [0, 0, 0, 0, 1]];
const P = [[0, 0, 1, 1, 0], [1, 1, 1, 1, 1], [0, 1, 0, 1, 0], [1, 1, 1, 1, 1]];

describe('TruePositives / FalsePositives / TrueNegatives / FalseNegatives', () => {
  it('count the Keras test batch: TP 7, FP 7, TN 3, FN 3', () => {
    // row by row: TP 1+3+2+1, FP 1+2+0+4, TN 2+0+1+0, FN 1+0+2+0
    close(run(() => new TruePositives(), [[T, P]]), 7);
    close(run(() => new FalsePositives(), [[T, P]]), 7);
    close(run(() => new TrueNegatives(), [[T, P]]), 3);
    close(run(() => new FalseNegatives(), [[T, P]]), 3);
  });
  it('weight rows and give one count per threshold', () => {
    // row weights [1, 1.5, 2, 2.5]: TP 1 + 4.5 + 4 + 2.5 = 12
    close(run(() => new TruePositives(), [[T, P, [1, 1.5, 2, 2.5]]]), 12);
    // preds [0.1, 0.6, 0.9, 0.4] labels all 1: above 0.15 → 3, above 0.5 → 2, above 0.85 → 1
    close(run(() => new TruePositives({ thresholds: [0.15, 0.5, 0.85] }), [[[1, 1, 1, 1], [0.1, 0.6, 0.9, 0.4]]]), [3, 2, 1]);
  });
});

describe('Precision and Recall', () => {
  it('TP / (TP + FP) and TP / (TP + FN) at the strict 0.5 threshold', () => {
    // labels [0, 1, 1, 1], preds > 0.5 → [1, 0, 1, 1] (0.5 is NOT positive): TP 2, FP 1, FN 1
    close(run(() => new Precision(), [[[0, 1, 1, 1], [0.9, 0.5, 0.7, 1]]]), 2 / 3);
    close(run(() => new Recall(), [[[0, 1, 1, 1], [0.9, 0.5, 0.7, 1]]]), 2 / 3);
  });
  it('weighted, as in the Keras test: 7 / 10', () => {
    // weighted TP 3 + 4 = 7; predicted positives (1 + 3) + (4 + 2) = 10
    const yt = [[0, 1, 1, 0], [1, 0, 0, 1]];
    const yp = [[1, 0, 1, 0], [1, 0, 1, 0]];
    close(run(() => new Precision(), [[yt, yp, [[1, 2, 3, 4], [4, 3, 2, 1]]]]), 0.7);
    // recall: weighted TP 7; positives (2 + 3) + (4 + 1) = 10
    close(run(() => new Recall(), [[yt, yp, [[1, 2, 3, 4], [4, 3, 2, 1]]]]), 0.7);
  });
  it('zero division gives 0: no positive predictions / no positive labels', () => {
    close(run(() => new Precision(), [[[1, 0, 1], [0.1, 0.2, 0.3]]]), 0);
    close(run(() => new Recall(), [[[0, 0, 0], [0.9, 0.8, 0.3]]]), 0);
    close(new Precision().result(), 0);
  });
  it('several thresholds give one value each', () => {
    // labels [0, 1, 1, 1], preds [1, 0, 0.9, 0.7]: t=0.5 → TP 2 FP 1 FN 1; t=0.8 → TP 1 FP 1 FN 2
    close(run(() => new Precision({ thresholds: [0.5, 0.8] }), [[[0, 1, 1, 1], [1, 0, 0.9, 0.7]]]), [2 / 3, 1 / 2]);
    close(run(() => new Recall({ thresholds: [0.5, 0.8] }), [[[0, 1, 1, 1], [1, 0, 0.9, 0.7]]]), [2 / 3, 1 / 3]);
  });
  it('evenly spaced thresholds take the bucketed path and agree with direct comparison', () => {
    // [0, 0.5, 1] is "evenly distributed" in Keras (bucketed); [0, 0.5, 0.999] is not (compared).
    const yt = [0, 1, 1, 0, 1, 0, 1];
    const yp = [0, 0.25, 0.5, 0.5, 0.75, 0.9, 0.3];
    const even = run(() => new Recall({ thresholds: [0, 0.5, 1] }), [[yt, yp]]) as number[];
    const direct = run(() => new Recall({ thresholds: [0, 0.5, 0.999] }), [[yt, yp]]) as number[];
    close(even, direct);
    // t=0: TP 4 of 4 (0.25, 0.5, 0.75, 0.3 > 0); t=0.5: only 0.75 → 1/4; t=1: 0
    close(even, [1, 0.25, 0]);
  });
  it('classId scores one column of [batch, classes] inputs', () => {
    // column 2: labels [1, 0, 1], preds [0.7, 0.3, 0.1] → TP 1, FP 0, FN 1
    const yt = [[0, 0, 1], [0, 1, 0], [0, 0, 1]];
    const yp = [[0.1, 0.2, 0.7], [0.1, 0.6, 0.3], [0.6, 0.3, 0.1]];
    close(run(() => new Precision({ classId: 2 }), [[yt, yp]]), 1);
    close(run(() => new Recall({ classId: 2 }), [[yt, yp]]), 0.5);
    // column 1 with row weights [1, 2, 3]: labels [0, 1, 0], preds [0.2, 0.6, 0.3] → TP 2 of positives 2
    close(run(() => new Recall({ class_id: 1 } as never), [[yt, yp, [1, 2, 3]]]), 1);
  });
  it('topK keeps each row\'s k largest (ties to the lower index)', () => {
    // Keras test: top 3 of [0.2, 0.1, 0.5, 0, 0.2] are indices 2, 0, 4 → one of them is a label → 1/3
    close(run(() => new Precision({ topK: 3 }), [[[0, 1, 1, 0, 0], [0.2, 0.1, 0.5, 0, 0.2]]]), 1 / 3);
    // top 1 of [0.2, 0.5, 0.5] is index 1 (first of the tie)
    close(run(() => new Precision({ topK: 1 }), [[[0, 1, 0], [0.2, 0.5, 0.5]]]), 1);
    close(run(() => new Precision({ topK: 1 }), [[[0, 0, 1], [0.2, 0.5, 0.5]]]), 0);
    // recall with top 2 over two rows: row 1 finds 1 of 2 labels, row 2 finds 1 of 1 → 2/3
    close(run(() => new Recall({ topK: 2 }), [[[[1, 0, 1, 0], [0, 1, 0, 0]], [[0.9, 0.8, 0.1, 0], [0.1, 0.9, 0.8, 0]]]]), 2 / 3);
  });
  it('stream', () => {
    for (const make of [() => new Precision(), () => new Recall(), () => new Precision({ thresholds: [0.2, 0.6] })]) {
      assertStreams(make, [[1, 0], [0.7, 0.6]], [[1, 1, 0], [0.2, 0.9, 0.1]], [[1, 0, 1, 1, 0], [0.7, 0.6, 0.2, 0.9, 0.1]]);
    }
  });
  it('accept tensors', () => {
    close(run(() => new Precision(), [[tensor([[1], [0], [1]]), tensor([[0.9], [0.8], [0.1]])]]), 0.5);
  });
  it('reject bad input', () => {
    assert.throws(() => new Precision().updateState([[1, 0, 1]], [[0.5, 0.5]]), (e: Error) => e instanceof ShapeError && /precision/.test(e.message) && /\[1, 3\]/.test(e.message) && /\[1, 2\]/.test(e.message));
    assert.throws(() => new Precision({ classId: 3 }).updateState([[1, 0, 1]], [[0.5, 0.5, 0.2]]), ValueError);
    assert.throws(() => new Precision({ classId: 0 }).updateState([1, 0], [0.5, 0.5]), ValueError);
    assert.throws(() => new Precision({ thresholds: [1.5] }), ValueError);
    assert.throws(() => new Recall({ topK: 0 }), ValueError);
  });
});

describe('ConfusionMatrix', () => {
  it('counts rows = true class, columns = predicted argmax', () => {
    // argmax preds [0, 1, 1, 2] for labels [0, 1, 2, 2]
    close(run(() => new ConfusionMatrix({ numClasses: 3 }), [[[0, 1, 2, 2], [[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.1, 0.6, 0.3], [0, 0, 1]]]]), [[1, 0, 0], [0, 1, 0], [0, 1, 1]]);
  });
  it('accepts one-hot labels, [batch, 1] labels, integer predictions and weights', () => {
    const oneHot = [[1, 0, 0], [0, 0, 1]];
    close(run(() => new ConfusionMatrix({ numClasses: 3 }), [[oneHot, [2, 2], [0.5, 2]]]), [[0, 0, 0.5], [0, 0, 0], [0, 0, 2]]);
    close(run(() => new ConfusionMatrix({ numClasses: 3 }), [[[[1], [2]], [[1], [0]]]]), [[0, 0, 0], [0, 1, 0], [1, 0, 0]]);
  });
  it('thresholds one probability per sample with 2 classes', () => {
    // preds > 0.5 → [1, 0, 0, 1] vs labels [1, 1, 0, 0]
    close(run(() => new ConfusionMatrix({ numClasses: 2 }), [[[1, 1, 0, 0], [[0.9], [0.2], [0.5], [0.7]]]]), [[1, 1], [1, 1]]);
  });
  it('streams', () => {
    assertStreams(() => new ConfusionMatrix({ numClasses: 2 }), [[0, 1], [[0.9, 0.1], [0.3, 0.7]]], [[1], [[0.6, 0.4]]], [[0, 1, 1], [[0.9, 0.1], [0.3, 0.7], [0.6, 0.4]]]);
  });
  it('rejects bad labels and shapes', () => {
    assert.throws(() => new ConfusionMatrix({ numClasses: 3 }).updateState([3], [[0.1, 0.2, 0.7]]), ValueError);
    assert.throws(() => new ConfusionMatrix({ numClasses: 3 }).updateState([0, 1], [[0.1, 0.2, 0.7]]), ShapeError);
    assert.throws(() => new ConfusionMatrix({ numClasses: 3 }).updateState([0], [[0.5, 0.5]]), ShapeError);
    assert.throws(() => new ConfusionMatrix({} as never), ValueError);
  });
});
