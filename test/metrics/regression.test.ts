import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ShapeError, ValueError } from '../../src/errors.js';
import {
  Mean,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanMetricWrapper,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
  R2Score,
  RootMeanSquaredError,
  Sum,
} from '../../src/metrics/index.js';
import { abs, max, sub } from '../../src/ops/index.js';
import { assertStreams, close, run } from './util.js';

describe('Mean and Sum', () => {
  it('Mean is a weighted running mean (Keras docstring values)', () => {
    const m = new Mean();
    m.updateState([1, 3, 5, 7]);
    close(m.result(), 4);
    m.resetState();
    m.updateState([1, 3, 5, 7], [1, 1, 0, 0]);
    close(m.result(), 2);
    // then [2] with weight 0.5: (4 + 1) / (2 + 0.5)
    m.updateState([2], [0.5]);
    close(m.result(), 2);
  });
  it('Mean averages each sample of rank-2 values first', () => {
    // per-sample means [1.5, 3.5] → 2.5; weights [1, 0] → 1.5
    close(run(() => new Mean(), [[[[1, 2], [3, 4]], undefined]]), 2.5);
    const m = new Mean();
    m.updateState([[1, 2], [3, 4]], [1, 0]);
    close(m.result(), 1.5);
  });
  it('Mean of nothing is 0 (divide_no_nan)', () => {
    close(new Mean().result(), 0);
  });
  it('Sum adds weighted per-sample sums', () => {
    const s = new Sum();
    s.updateState([1, 3, 5, 7], [1, 1, 0, 0]);
    close(s.result(), 4);
    s.updateState([[1, 2], [3, 4]], [1, 2]); // 3·1 + 7·2 = 17
    close(s.result(), 21);
  });
  it('rejects weights that do not broadcast', () => {
    assert.throws(() => new Mean().updateState([1, 2, 3], [1, 2]), (e: Error) => e instanceof ShapeError && /mean/.test(e.message));
  });
});

describe('MAE / MSE / RMSE / MAPE / MSLE', () => {
  const t = [[0, 1], [0, 0]];
  const p = [[1, 1], [0, 0]];
  it('MSE: per-sample means [0.5, 0] → 0.25; weights [1, 0] → 0.5', () => {
    close(run(() => new MeanSquaredError(), [[t, p]]), 0.25);
    close(run(() => new MeanSquaredError(), [[t, p, [1, 0]]]), 0.5);
  });
  it('MAE: |e| means [0.5, 0] → 0.25', () => {
    close(run(() => new MeanAbsoluteError(), [[t, p]]), 0.25);
  });
  it('RMSE: sqrt(0.25) = 0.5; weights [1, 3] → sqrt(0.5·1 / 4)', () => {
    close(run(() => new RootMeanSquaredError(), [[t, p]]), 0.5);
    close(run(() => new RootMeanSquaredError(), [[t, p, [1, 3]]]), Math.sqrt(0.125));
  });
  it('MAPE: 100·|2-1|/2 = 50 and 100·|4-5|/4 = 25 → 37.5; zero targets divide by 1e-7', () => {
    close(run(() => new MeanAbsolutePercentageError(), [[[[2], [4]], [[1], [5]]]]), 37.5);
    close(run(() => new MeanAbsolutePercentageError(), [[[[0]], [[1]]]]), 100 / Math.fround(1e-7), 1e-6);
  });
  it('MSLE: (log(1+1e-7) - log 2)² / 2 for [[0, 1]] vs [[1, 1]]', () => {
    close(run(() => new MeanSquaredLogarithmicError(), [[[[0, 1]], [[1, 1]]]]), (Math.log(1 + Math.fround(1e-7)) - Math.log(2)) ** 2 / 2);
  });
  it('all stream: two batches equal their union', () => {
    const a: [unknown, unknown] = [[[1], [2]], [[1.5], [2]]];
    const b: [unknown, unknown] = [[[3]], [[5]]];
    const u: [unknown, unknown] = [[[1], [2], [3]], [[1.5], [2], [5]]];
    for (const make of [() => new MeanSquaredError(), () => new MeanAbsoluteError(), () => new RootMeanSquaredError(), () => new MeanAbsolutePercentageError(), () => new MeanSquaredLogarithmicError()]) {
      assertStreams(make, a, b, u);
    }
    // squared errors [0.25, 0, 4] → 4.25 / 3
    close(run(() => new MeanSquaredError(), [a, b]), 4.25 / 3);
  });
  it('Keras quirk kept: two rank-1 arrays make ONE value per batch for MSE, but per element for RMSE', () => {
    // batch 1: mean([0, 0, 4]) = 4/3 counts once; batch 2: 1 → (4/3 + 1) / 2
    close(run(() => new MeanSquaredError(), [[[1, 2, 3], [1, 2, 5]], [[0], [1]]]), 7 / 6);
    // RMSE: squared errors [0, 0, 4, 1] each count → sqrt(5/4)
    close(run(() => new RootMeanSquaredError(), [[[1, 2, 3], [1, 2, 5]], [[0], [1]]]), Math.sqrt(5 / 4));
  });
  it('rejects mismatched shapes naming the metric and both shapes', () => {
    assert.throws(() => new MeanSquaredError().updateState([[1, 2]], [[1, 2, 3]]), (e: Error) => e instanceof ShapeError && /mean_squared_error/.test(e.message) && /\[1, 2\]/.test(e.message) && /\[1, 3\]/.test(e.message));
    assert.throws(() => new RootMeanSquaredError().updateState([[1, 2]], [[1], [2]]), ShapeError);
  });
});

describe('MeanMetricWrapper', () => {
  it('averages a user function of tensors', () => {
    const m = new MeanMetricWrapper((yt, yp) => max(abs(sub(yt, yp)), -1), { name: 'max_error' });
    m.updateState([[1, 2], [0, 0]], [[1, 4], [1, 0]]); // per-sample max errors [2, 1]
    assert.equal(m.name, 'max_error');
    close(m.result(), 1.5);
  });
});

describe('R2Score', () => {
  it('1 - SS_res / SS_tot: y [1, 4, 3], ŷ [2, 4, 4] → 1 - 2 / (14/3) = 4/7', () => {
    // sum 8, Σy² 26, mean 8/3, SS_tot 26 - 64/3 = 14/3, SS_res 1 + 0 + 1 = 2
    close(run(() => new R2Score(), [[[[1], [4], [3]], [[2], [4], [4]]]]), 4 / 7, 1e-12);
  });
  it('expands [batch] labels beside [batch, 1] predictions', () => {
    close(run(() => new R2Score(), [[[1, 4, 3], [[2], [4], [4]]]]), 4 / 7, 1e-12);
  });
  it('streams exactly', () => {
    assertStreams(() => new R2Score(), [[[1], [4]], [[2], [4]]], [[[3]], [[4]]], [[[1], [4], [3]], [[2], [4], [4]]], 1e-12);
  });
  it('weights samples: [1, 2, 1] → 1 - 2/6', () => {
    // sum 12, Σwy² 42, count 4, mean 3, SS_tot 42 - 36 = 6, SS_res 1 + 0 + 1 = 2
    close(run(() => new R2Score(), [[[[1], [4], [3]], [[2], [4], [4]], [1, 2, 1]]]), 2 / 3, 1e-12);
  });
  it('aggregates columns: none, uniform, variance-weighted', () => {
    // col 0: 4/7 (SS_tot 14/3); col 1: y [0, 0, 3], ŷ [0, 1, 3] → 1 - 1/6 = 5/6 (SS_tot 6)
    const batch: [unknown, unknown] = [[[1, 0], [4, 0], [3, 3]], [[2, 0], [4, 1], [4, 3]]];
    close(run(() => new R2Score({ classAggregation: null }), [batch]), [4 / 7, 5 / 6], 1e-12);
    close(run(() => new R2Score(), [batch]), 59 / 84, 1e-12);
    // (4/7 · 14/3 + 5/6 · 6) / (14/3 + 6) = (23/3) / (32/3)
    close(run(() => new R2Score({ class_aggregation: 'variance_weighted_average' } as never), [batch]), 23 / 32, 1e-12);
  });
  it('constant targets follow Keras: 0 when predictions err (-inf → 0), NaN when exact (0/0)', () => {
    close(run(() => new R2Score(), [[[[2], [2], [2]], [[1], [2], [3]]]]), 0);
    close(run(() => new R2Score(), [[[[2], [2], [2]], [[2], [2], [2]]]]), NaN);
  });
  it('adjusted R² with numRegressors, falling back when n - 1 <= p', () => {
    // n = 3, p = 1: 1 - (1 - 4/7)·2 / 1 = 1/7
    close(run(() => new R2Score({ numRegressors: 1 }), [[[[1], [4], [3]], [[2], [4], [4]]]]), 1 / 7, 1e-12);
    close(run(() => new R2Score({ numRegressors: 2 }), [[[[1], [4], [3]], [[2], [4], [4]]]]), 4 / 7, 1e-12);
    // a zero-weight sample does not count toward n: n = 2, p = 1 → fallback
    close(run(() => new R2Score({ numRegressors: 1 }), [[[[1], [4], [3]], [[2], [4], [4]], [1, 1, 0]]]), 1 - 1 / 4.5, 1e-12);
  });
  it('rejects rank-1 pairs, column changes and bad options', () => {
    assert.throws(() => new R2Score().updateState([1, 2, 3], [1, 2, 3]), (e: Error) => e instanceof ShapeError && /r2_score/.test(e.message));
    const m = new R2Score();
    m.updateState([[1, 2]], [[1, 2]]);
    assert.throws(() => m.updateState([[1]], [[1]]), ShapeError);
    assert.throws(() => new R2Score({ classAggregation: 'median' as never }), ValueError);
    assert.throws(() => new R2Score({ numRegressors: -1 }), ValueError);
  });
});
