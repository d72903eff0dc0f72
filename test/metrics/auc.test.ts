import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValueError } from '../../src/errors.js';
import { AUC } from '../../src/metrics/index.js';
import { assertStreams, close, rng, run } from './util.js';

/**
 * A float64 re-implementation of Keras's AUC (keras/src/metrics/confusion_metrics.py, `AUC.result`
 * and `interpolate_pr_auc`; thresholds as in `AUC.__init__`), counting by direct comparison
 * `pred > threshold` at every threshold instead of kiln's bucketing.
 */
function referenceAUC(
  yTrue: number[],
  yPred: number[],
  { numThresholds = 200, curve = 'ROC', summation = 'interpolation', weights, thresholds }: { numThresholds?: number; curve?: string; summation?: string; weights?: number[]; thresholds?: number[] } = {},
): number {
  const inner = thresholds ? [...thresholds].sort((a, b) => a - b) : Array.from({ length: numThresholds - 2 }, (_, i) => (i + 1) / (numThresholds - 1));
  const th = [-1e-7, ...inner, 1 + 1e-7];
  const n = th.length;
  const tp = new Array<number>(n).fill(0);
  const fp = new Array<number>(n).fill(0);
  const tn = new Array<number>(n).fill(0);
  const fn = new Array<number>(n).fill(0);
  for (let t = 0; t < n; t++) {
    for (let i = 0; i < yTrue.length; i++) {
      const w = weights ? weights[i]! : 1;
      const pos = yTrue[i] !== 0;
      const predPos = yPred[i]! > th[t]!;
      if (pos && predPos) tp[t] += w;
      else if (pos) fn[t] += w;
      else if (predPos) fp[t] += w;
      else tn[t] += w;
    }
  }
  const div = (a: number, b: number) => (b === 0 ? 0 : a / b);
  if (curve === 'PR' && summation === 'interpolation') {
    let auc = 0;
    for (let i = 0; i < n - 1; i++) {
      const dtp = tp[i]! - tp[i + 1]!;
      const pA = tp[i]! + fp[i]!;
      const pB = tp[i + 1]! + fp[i + 1]!;
      const slope = div(dtp, Math.max(pA - pB, 0));
      const intercept = tp[i + 1]! - slope * pB;
      const ratio = pA > 0 && pB > 0 ? div(pA, Math.max(pB, 0)) : 1;
      auc += div(slope * (dtp + intercept * Math.log(ratio)), Math.max(tp[i + 1]! + fn[i + 1]!, 0));
    }
    return auc;
  }
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const recall = div(tp[i]!, tp[i]! + fn[i]!);
    if (curve === 'ROC') {
      x.push(div(fp[i]!, fp[i]! + tn[i]!));
      y.push(recall);
    } else {
      x.push(recall);
      y.push(div(tp[i]!, tp[i]! + fp[i]!));
    }
  }
  let auc = 0;
  for (let i = 0; i < n - 1; i++) {
    const h = summation === 'interpolation' ? (y[i]! + y[i + 1]!) / 2 : summation === 'minoring' ? Math.min(y[i]!, y[i + 1]!) : Math.max(y[i]!, y[i + 1]!);
    auc += (x[i]! - x[i + 1]!) * h;
  }
  return auc;
}

/** The exact ROC AUC (Mann–Whitney: P(score of a positive > score of a negative), ties half). */
function exactROC(yTrue: number[], yPred: number[]): number {
  let num = 0;
  let pairs = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (!yTrue[i]) continue;
    for (let j = 0; j < yTrue.length; j++) {
      if (yTrue[j]) continue;
      pairs++;
      num += yPred[i]! > yPred[j]! ? 1 : yPred[i] === yPred[j] ? 0.5 : 0;
    }
  }
  return num / pairs;
}

function randomBatch(seed: number, n: number): { t: number[]; p: number[]; w: number[] } {
  const r = rng(seed);
  const t: number[] = [];
  const p: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = r() < 0.4 ? 1 : 0;
    t.push(label);
    // informative but noisy scores, as float32 (what a model outputs)
    p.push(Math.fround(Math.min(1, Math.max(0, 0.35 * label + 0.65 * r()))));
    w.push(Math.fround(0.25 + r()));
  }
  return { t, p, w };
}

describe('AUC: the Keras test batch (num_thresholds 3)', () => {
  // thresholds [-1e-7, 0.5, 1 + 1e-7]; unweighted tp [2, 1, 0], fp [2, 0, 0], fn [0, 1, 2], tn [0, 2, 2];
  // weighted [1, 2, 3, 4]: tp [7, 4, 0], fp [3, 0, 0], fn [0, 3, 7], tn [0, 3, 3]
  const t = [0, 0, 1, 1];
  const p = [0, 0.5, 0.3, 0.9];
  const w = [1, 2, 3, 4];
  const auc = (args: ConstructorParameters<typeof AUC>[0], weights?: number[]) => run(() => new AUC({ numThresholds: 3, ...args }), [[t, p, weights]]);
  it('ROC: heights [(1 + 0.5)/2, (0.5 + 0)/2], widths [1, 0] → 0.75', () => close(auc({}), 0.75));
  it('ROC weighted: recall [1, 4/7, 0] → (1 + 4/7) / 2', () => close(auc({}, w), 11 / 14));
  it('ROC majoring 1, minoring 4/7', () => {
    close(auc({ summationMethod: 'majoring' }, w), 1);
    close(auc({ summationMethod: 'minoring' }, w), 4 / 7);
  });
  it('PR majoring 1, minoring 0.7 · 3/7', () => {
    close(auc({ curve: 'PR', summationMethod: 'majoring' }, w), 1);
    close(auc({ curve: 'PR', summationMethod: 'minoring' }, w), 0.3);
  });
  it('PR interpolation: (0.5·(3 + 2·log 2.5) + 1·(4 + 0)) / 7', () => {
    // P = [10, 4, 0], dTP [3, 4], slope [0.5, 1], intercept [2, 0], P ratio [2.5, 1]
    close(auc({ curve: 'PR' }, w), (0.5 * (3 + 2 * Math.log(2.5)) + 4) / 7);
  });
  it('PR interpolation with negative weights is 0 (divisor max(·, 0) = 0)', () => close(auc({ curve: 'PR' }, [-1, -2, -3, -4]), 0));
  it('PR gain: interpolation 0.5, majoring 1, minoring 0', () => {
    close(auc({ curve: 'PRGAIN' }, w), 0.5);
    close(auc({ curve: 'PRGAIN', summationMethod: 'majoring' }, w), 1);
    close(auc({ curve: 'PRGAIN', summationMethod: 'minoring' }, w), 0);
  });
  it('fromLogits applies a sigmoid first', () => {
    const logits = p.map((v) => -Math.log(1 / (v + 1e-12) - 1));
    close(run(() => new AUC({ numThresholds: 3, fromLogits: true }), [[t, logits]]), 0.75);
  });
  it('explicit thresholds [0.5] mean [-1e-7, 0.5, 1 + 1e-7]', () => {
    const m = new AUC({ numThresholds: 2, thresholds: [0.5] });
    assert.equal(m.numThresholds, 3);
    m.updateState(t, p);
    close(m.result(), 0.75);
  });
});

describe('AUC sanity values', () => {
  it('perfect ranking → 1 (ROC and PR); reversed → 0 (ROC)', () => {
    close(run(() => new AUC(), [[[0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]]]), 1);
    close(run(() => new AUC({ curve: 'PR' }), [[[0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]]]), 1);
    close(run(() => new AUC(), [[[1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9]]]), 0);
    close(run(() => new AUC(), [[[0, 1], [0, 1]]]), 1); // predictions exactly 0 and 1 sit inside the epsilon ends
  });
  it('reversed PR is not 0: interpolated precision from 1/2 down', () => {
    // (2,4)→(1,3): (1 - 2·log(4/3)) / 2; (1,3)→(0,2): (1 - 2·log(3/2)) / 2
    const expected = (1 - 2 * Math.log(4 / 3)) / 2 + (1 - 2 * Math.log(3 / 2)) / 2;
    close(run(() => new AUC({ curve: 'PR' }), [[[1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9]]]), expected);
  });
  it('one class only: Keras returns 0 for ROC (0/0 rates read as 0); PR is 1 with only positives, 0 with only negatives', () => {
    close(run(() => new AUC(), [[[1, 1, 1], [0.2, 0.5, 0.9]]]), 0);
    close(run(() => new AUC(), [[[0, 0, 0], [0.2, 0.5, 0.9]]]), 0);
    close(run(() => new AUC({ curve: 'PR' }), [[[1, 1, 1], [0.2, 0.5, 0.9]]]), 1);
    close(run(() => new AUC({ curve: 'PR' }), [[[0, 0, 0], [0.2, 0.5, 0.9]]]), 0);
  });
  it('before any update the result is 0', () => close(new AUC().result(), 0));
});

describe('AUC vs the float64 reference on random batches', () => {
  for (const seed of [1, 2, 3]) {
    const { t, p, w } = randomBatch(seed, 300);
    it(`seed ${seed}: ROC and PR, weighted and not, 200 thresholds`, () => {
      for (const curve of ['ROC', 'PR'] as const) {
        close(run(() => new AUC({ curve }), [[t, p]]), referenceAUC(t, p, { curve }), 1e-9, `${curve}`);
        close(run(() => new AUC({ curve }), [[t, p, w]]), referenceAUC(t, p, { curve, weights: w }), 1e-9, `${curve} weighted`);
        close(run(() => new AUC({ curve, summationMethod: 'majoring' }), [[t, p]]), referenceAUC(t, p, { curve, summation: 'majoring' }), 1e-9, `${curve} majoring`);
      }
      // 200 thresholds approximate the exact ROC AUC closely
      assert.ok(Math.abs((run(() => new AUC(), [[t, p]]) as number) - exactROC(t, p)) < 0.01);
    });
  }
  it('uneven explicit thresholds take the direct path and match the reference', () => {
    const { t, p, w } = randomBatch(7, 100);
    const thresholds = [0.7, 0.1, 0.33, 0.5];
    for (const curve of ['ROC', 'PR'] as const) {
      close(run(() => new AUC({ curve, thresholds }), [[t, p, w]]), referenceAUC(t, p, { curve, thresholds, weights: w }), 1e-9, curve);
    }
  });
  it('streams: two batches equal their union', () => {
    const a = randomBatch(11, 40);
    const b = randomBatch(12, 25);
    for (const curve of ['ROC', 'PR'] as const) {
      assertStreams(() => new AUC({ curve }), [a.t, a.p, a.w], [b.t, b.p, b.w], [[...a.t, ...b.t], [...a.p, ...b.p], [...a.w, ...b.w]]);
    }
  });
});

describe('AUC multi-label and label weights', () => {
  // the Keras MultiAUC-style batch: two label columns
  const t = [[0, 0], [1, 1], [1, 1], [1, 0]];
  const p = [[0, 0.4], [0.5, 0.7], [0.3, 0.2], [0.9, 0.3]];
  const col = (m: number[][], j: number) => m.map((r) => r[j]!);
  it('multiLabel averages one AUC per column', () => {
    const per = [0, 1].map((j) => referenceAUC(col(t, j), col(p, j), { numThresholds: 3 }));
    close(run(() => new AUC({ numThresholds: 3, multiLabel: true }), [[t, p]]), (per[0]! + per[1]!) / 2);
    // label weights [1, 3]: (a + 3b) / 4
    close(run(() => new AUC({ numThresholds: 3, multiLabel: true, labelWeights: [1, 3] }), [[t, p]]), (per[0]! + 3 * per[1]!) / 4);
    const m = new AUC({ multiLabel: true });
    assert.equal(m.built, false);
    m.updateState(t, p);
    assert.deepEqual(m.stateLayout()[0], { name: 'true_positives', shape: [200, 2] });
  });
  it('without multiLabel, labelWeights [1, 0] keeps only column 0 of the flattened batch', () => {
    close(run(() => new AUC({ labelWeights: [1, 0] }), [[t, p]]), referenceAUC(col(t, 0), col(p, 0)));
  });
  it('rejects bad options', () => {
    assert.throws(() => new AUC({ numThresholds: 1 }), ValueError);
    assert.throws(() => new AUC({ curve: 'XY' }), ValueError);
    assert.throws(() => new AUC({ summationMethod: 'simpson' }), ValueError);
    assert.throws(() => new AUC({ numLabels: 2 }), ValueError);
    assert.throws(() => new AUC({ thresholds: [2] }), ValueError);
  });
});
