/**
 * Synthetic data for the examples and tests: made with kiln's seeded generator, so every run
 * (and every test) sees the same numbers.
 */
import * as kiln from '../src/index.js';
import type { Tensor } from '../src/index.js';

/**
 * A fraud-detection-like binary task that is separable with a margin: two Gaussian clouds of
 * 10 features whose centres differ by 1.5 standard deviations in every feature (the classes
 * alternate, so they are balanced). The best possible accuracy is about 0.99.
 */
export function makeClassificationData(rows = 1000, features = 10): { x: Tensor; y: Tensor } {
  const direction = kiln.sub(kiln.mul(kiln.floor(kiln.randomUniform([1, features], 0, 2)), 2), 1); // ±1 per feature
  const labels = Float32Array.from({ length: rows }, (_, i) => i % 2);
  const y = kiln.tensor(labels, [rows, 1]);
  const offset = kiln.mul(kiln.sub(y, 0.5), kiln.mul(direction, 1.5)); // ±0.75 per feature
  const x = kiln.add(kiln.randomNormal([rows, features]), offset);
  return { x, y };
}

/** A smooth regression target: y = sin(x0) + 0.5·x1² − x2·x3 on features in [-1.5, 1.5]. */
export function makeRegressionData(rows = 1000, features = 4): { x: Tensor; y: Tensor } {
  const x = kiln.randomUniform([rows, features], -1.5, 1.5);
  const v = x.dataSync();
  const y = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    const r = v.subarray(i * features, (i + 1) * features);
    y[i] = Math.sin(r[0]!) + 0.5 * r[1]! * r[1]! - r[2]! * r[3]!;
  }
  return { x, y: kiln.tensor(y, [rows, 1]) };
}

/** Min-max scaling of each column to [0, 1], with statistics from `fitOn` (the training rows). */
export function minMaxScale(x: Tensor, fitOn: Tensor = x): Tensor {
  const lo = kiln.min(fitOn, 0, true);
  const hi = kiln.max(fitOn, 0, true);
  return kiln.div(kiln.sub(x, lo), kiln.maximum(kiln.sub(hi, lo), 1e-12));
}

/** The first `trainRows` rows, and the rest. */
export function split(t: Tensor, trainRows: number): [Tensor, Tensor] {
  const n = t.shape[0]!;
  return [kiln.slice(t, [0], [trainRows]), kiln.slice(t, [trainRows], [n - trainRows])];
}

/** R² = 1 − SS_res / SS_tot. */
export function r2Score(yTrue: Tensor, yPred: Tensor): number {
  const t = yTrue.dataSync();
  const p = yPred.dataSync();
  let mean = 0;
  for (let i = 0; i < t.length; i++) mean += t[i]! / t.length;
  let res = 0;
  let tot = 0;
  for (let i = 0; i < t.length; i++) {
    res += (t[i]! - p[i]!) ** 2;
    tot += (t[i]! - mean) ** 2;
  }
  return 1 - res / tot;
}
