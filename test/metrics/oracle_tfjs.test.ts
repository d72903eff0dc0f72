import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { Metric } from '../../src/metrics/index.js';
import * as metrics from '../../src/metrics/index.js';
import { close, rng } from './util.js';

// Streaming kiln metrics over three batches against TensorFlow.js's stateless metric functions
// on the union of the batches (tfjs returns per-sample values; their mean is the Keras metric).
// tfjs and Keras 3 agree on these formulas (strict `> 0.5`, argmax, 1e-7 clipping, MAPE's
// max(|y|, 1e-7)); tfjs has no AUC or F-score, which auc.test.ts checks against a reference.

const BATCHES = [5, 9, 7];

function randomMatrix(r: () => number, rows: number, cols: number, f: (r: () => number) => number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.fround(f(r))));
}

function oneHotRows(r: () => number, rows: number, c: number): number[][] {
  return Array.from({ length: rows }, () => {
    const k = Math.floor(r() * c);
    return Array.from({ length: c }, (_, j) => (j === k ? 1 : 0));
  });
}

/** kiln over batches vs tfjs on the union (mean of its per-sample output). */
function compare(make: () => Metric, tfFn: (t: tf.Tensor, p: tf.Tensor) => tf.Tensor, gen: (r: () => number, n: number) => [number[] | number[][], number[][]], seed: number, tol = 1e-5): void {
  const r = rng(seed);
  const m = make();
  const allT: (number | number[])[] = [];
  const allP: number[][] = [];
  for (const n of BATCHES) {
    const [t, p] = gen(r, n);
    m.updateState(t, p);
    allT.push(...t);
    allP.push(...p);
  }
  const expected = tf.mean(tfFn(tf.tensor(allT as number[][]), tf.tensor(allP))).dataSync()[0]!;
  close(m.result(), expected, tol, (m.constructor as typeof metrics.Metric).className);
}

describe('metrics vs TensorFlow.js on random batches', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });
  const binary = (r: () => number, n: number): [number[][], number[][]] => [randomMatrix(r, n, 3, (q) => (q() < 0.5 ? 0 : 1)), randomMatrix(r, n, 3, (q) => q())];
  const categorical = (r: () => number, n: number): [number[][], number[][]] => [oneHotRows(r, n, 4), randomMatrix(r, n, 4, (q) => 0.05 + q())];
  const regression = (r: () => number, n: number): [number[][], number[][]] => [randomMatrix(r, n, 2, (q) => 4 * q() - 2), randomMatrix(r, n, 2, (q) => 4 * q() - 2)];
  for (const seed of [1, 2]) {
    it(`accuracies (seed ${seed})`, () => {
      compare(() => new metrics.BinaryAccuracy(), tf.metrics.binaryAccuracy, binary, seed);
      compare(() => new metrics.CategoricalAccuracy(), tf.metrics.categoricalAccuracy, categorical, seed);
      compare(
        () => new metrics.SparseCategoricalAccuracy(),
        (t, p) => tf.metrics.sparseCategoricalAccuracy(t, p),
        (r, n) => {
          const [t, p] = categorical(r, n);
          return [t.map((row) => [row.indexOf(1)]), p];
        },
        seed,
      );
    });
    it(`regression errors (seed ${seed})`, () => {
      compare(() => new metrics.MeanSquaredError(), tf.metrics.meanSquaredError, regression, seed);
      compare(() => new metrics.MeanAbsoluteError(), tf.metrics.meanAbsoluteError, regression, seed);
      compare(() => new metrics.MeanAbsolutePercentageError(), tf.metrics.meanAbsolutePercentageError, regression, seed, 1e-4);
    });
    it(`crossentropies (seed ${seed})`, () => {
      compare(() => new metrics.BinaryCrossentropy(), tf.metrics.binaryCrossentropy, binary, seed);
      compare(() => new metrics.CategoricalCrossentropy(), tf.metrics.categoricalCrossentropy, categorical, seed);
    });
    it(`precision, recall, R² (seed ${seed})`, () => {
      // tfjs counts 0/1 predictions (no threshold): feed thresholded predictions to both.
      const hard = (r: () => number, n: number): [number[][], number[][]] => {
        const [t, p] = binary(r, n);
        return [t, p.map((row) => row.map((v) => (v > 0.5 ? 1 : 0)))];
      };
      compare(() => new metrics.Precision(), tf.metrics.precision, hard, seed);
      compare(() => new metrics.Recall(), tf.metrics.recall, hard, seed);
      // tfjs r2Score pools every element: the same as Keras's per-column score for one column
      const oneColumn = (r: () => number, n: number): [number[][], number[][]] => {
        const t = randomMatrix(r, n, 1, (q) => 3 * q());
        return [t, t.map(([v]) => [Math.fround(v! + 0.5 * r() - 0.25)])];
      };
      compare(() => new metrics.R2Score(), tf.metrics.r2Score, oneColumn, seed);
    });
  }
});
