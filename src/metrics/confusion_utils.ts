import { formatShape } from '../core/shape.js';
import { ShapeError, ValueError } from '../errors.js';
import type { View } from './input.js';
import { broadcaster, sameShape, Scratch, shapeMismatch, sizeOfShape, squeezeOrExpand } from './input.js';
import { EPSILON } from './metric.js';

// Thresholded confusion counts, after keras/src/metrics/metrics_utils.py
// (`update_confusion_matrix_variables` and its bucketed fast path).

/** Keras's stand-in for -infinity: the threshold used with top_k. */
export const NEG_INF = -1e10;

/** Keras `parse_init_thresholds`: a list, each in [0, 1] when given by the user. */
export function parseThresholds(where: string, thresholds: number | number[] | null | undefined, defaultThreshold: number): number[] {
  if (thresholds === null || thresholds === undefined) return [defaultThreshold];
  const list = Array.isArray(thresholds) ? thresholds : [thresholds];
  const bad = list.filter((t) => typeof t !== 'number' || !(t >= 0 && t <= 1));
  if (bad.length > 0 || list.length === 0) throw new ValueError(`${where}: thresholds must be numbers in [0, 1], found ${JSON.stringify(thresholds)}`);
  return [...list];
}

/** Keras `is_evenly_distributed_thresholds`: at least 3, each within float tolerance of i/(n-1). */
export function isEvenlyDistributed(thresholds: readonly number[]): boolean {
  const n = thresholds.length;
  if (n < 3) return false;
  // np.allclose(a, b, atol=epsilon) with its default rtol=1e-5, against float32 i/(n-1).
  return thresholds.every((t, i) => {
    const even = Math.fround(Math.fround(i) / Math.fround(n - 1));
    return Math.abs(t - even) <= EPSILON + 1e-5 * Math.abs(even);
  });
}

/** The counts to update; each is [thresholds] or, multi-label, [thresholds, labels] row-major. */
export interface ConfusionTargets {
  tp?: Float64Array;
  fp?: Float64Array;
  tn?: Float64Array;
  fn?: Float64Array;
}

export interface ConfusionOptions {
  metric: string;
  thresholds: readonly number[];
  evenly: boolean;
  topK?: number | null;
  classId?: number | null;
  sampleWeight?: View | null;
  multiLabel?: boolean;
  labelWeights?: ArrayLike<number> | null;
  scratch: Scratch;
  buckets: Scratch;
}

/** Keeps the k largest of each row and sets the rest to NEG_INF (ties: lower index first). */
function filterTopK(pred: Float64Array, rows: number, c: number, k: number, order: number[]): void {
  for (let r = 0; r < rows; r++) {
    const off = r * c;
    order.length = c;
    for (let j = 0; j < c; j++) order[j] = j;
    // Stable sort by value descending: equal values keep index order, as top_k does.
    order.sort((a, b) => (pred[off + b]! > pred[off + a]! ? 1 : pred[off + b]! < pred[off + a]! ? -1 : a - b));
    for (let q = Math.min(k, c); q < c; q++) pred[off + order[q]!] = NEG_INF;
  }
}

/**
 * Adds one batch to thresholded TP/FP/TN/FN counts exactly as Keras does: labels count as
 * positive when nonzero; a prediction is positive at threshold t when `pred > t` (strict). With
 * evenly spaced thresholds Keras buckets predictions (clipped to [0, 1]) by
 * `ceil(pred·(n-1)) - 1` instead of comparing; kiln follows the same path, in float32 where Keras
 * computes the bucket, so boundary cases agree.
 */
export function updateConfusion(targets: ConfusionTargets, yTrue: View, yPred: View, o: ConfusionOptions): void {
  const [pshape, tshape] = squeezeOrExpand(yPred.shape, yTrue.shape);
  if (!sameShape(pshape, tshape)) throw shapeMismatch(o.metric, 'yTrue', yTrue.shape, 'yPred', yPred.shape, 'expected yTrue and yPred of the same shape');
  // Keras expands the weight by one axis, then squeezes it back to the labels' rank when needed.
  let wshape: number[] | null = null;
  if (o.sampleWeight) [, wshape] = squeezeOrExpand(tshape, [...o.sampleWeight.shape, 1], false);

  const size = sizeOfShape(pshape);
  const last = pshape.length === 0 ? 1 : pshape[pshape.length - 1]!;
  const rows = last === 0 ? 0 : size / last;
  let pred: ArrayLike<number> = yPred.data;
  if (o.topK != null) {
    const buf = o.scratch.get(size);
    for (let i = 0; i < size; i++) buf[i] = yPred.data[i]!;
    filterTopK(buf, rows, last, o.topK, []);
    pred = buf;
  }
  // class_id keeps one column: element r of the batch reads index r*last + classId.
  let stride = 1;
  let offset = 0;
  let n = size;
  let shape = pshape;
  if (o.classId != null) {
    if (pshape.length < 2) {
      throw new ValueError(`metric '${o.metric}': with classId, yPred must be [batch, classes], found ${formatShape(yPred.shape)}`);
    }
    if (!Number.isInteger(o.classId) || o.classId < 0 || o.classId >= last) {
      throw new ValueError(`metric '${o.metric}': classId must be an integer in [0, ${last}), found ${o.classId}`);
    }
    stride = last;
    offset = o.classId;
    n = rows;
    shape = [...pshape.slice(0, -1), 1];
  }
  let wAt: ((k: number) => number) | null = null;
  if (o.sampleWeight && wshape) {
    wAt = broadcaster(wshape, shape);
    if (!wAt) throw new ShapeError(`metric '${o.metric}': sampleWeight of shape ${formatShape(o.sampleWeight.shape)} does not broadcast to yPred ${formatShape(shape)}`);
  }
  const labelsPer = o.multiLabel ? (shape.length === 2 ? shape[1]! : 0) : 1;
  if (o.multiLabel && shape.length !== 2) throw new ShapeError(`metric '${o.metric}': multiLabel needs yPred of rank 2 [batch, labels], found ${formatShape(yPred.shape)}`);
  const lastOut = shape.length === 0 ? 1 : shape[shape.length - 1]!;
  if (o.labelWeights && !o.multiLabel && o.labelWeights.length !== lastOut && o.labelWeights.length !== 1) {
    throw new ShapeError(`metric '${o.metric}': labelWeights has ${o.labelWeights.length} values, yPred's last axis ${lastOut}`);
  }
  const sw = o.sampleWeight?.data;
  const weightAt = (k: number): number => {
    let w = wAt && sw ? sw[wAt(k)]! : 1;
    if (o.labelWeights && !o.multiLabel) w *= o.labelWeights[o.labelWeights.length === 1 ? 0 : k % lastOut]!;
    return w;
  };
  const lOf = (k: number) => (o.multiLabel ? k % labelsPer : 0);
  const nLabels = o.multiLabel ? labelsPer : 1;
  const nt = o.thresholds.length;
  const add = (v: Float64Array | undefined, t: number, l: number, x: number) => {
    if (v) v[t * nLabels + l] += x;
  };

  if (o.evenly) {
    const withEpsilon = o.thresholds[0]! < 0 || o.thresholds[nt - 1]! > 1;
    // Per label: bucket sums of positive and negative weight, then the totals.
    const b = o.buckets.get(2 * nt * nLabels + 2 * nLabels);
    b.fill(0, 0, 2 * nt * nLabels + 2 * nLabels);
    const posAt = 0;
    const negAt = nt * nLabels;
    const totAt = 2 * nt * nLabels;
    for (let k = 0; k < n; k++) {
      const src = k * stride + offset;
      const label = yTrue.data[src] !== 0 ? 1 : 0;
      const w = weightAt(k);
      const l = lOf(k);
      const p = Math.min(Math.max(pred[src]!, 0), 1);
      let bucket = Math.ceil(Math.fround(p * (nt - 1))) - 1;
      if (withEpsilon && bucket < 0) bucket = 0;
      if (bucket >= 0 && bucket < nt) b[(label ? posAt : negAt) + bucket * nLabels + l] += w;
      b[totAt + 2 * l + label] += w;
    }
    for (let l = 0; l < nLabels; l++) {
      let tp = 0;
      let fp = 0;
      const totalPos = b[totAt + 2 * l + 1]!;
      const totalNeg = b[totAt + 2 * l]!;
      for (let t = nt - 1; t >= 0; t--) {
        tp += b[posAt + t * nLabels + l]!;
        fp += b[negAt + t * nLabels + l]!;
        add(targets.tp, t, l, tp);
        add(targets.fp, t, l, fp);
        add(targets.tn, t, l, totalNeg - fp);
        add(targets.fn, t, l, totalPos - tp);
      }
    }
    return;
  }

  const th = o.thresholds.map((t) => Math.fround(t));
  for (let k = 0; k < n; k++) {
    const src = k * stride + offset;
    const label = yTrue.data[src] !== 0;
    const w = weightAt(k);
    const l = lOf(k);
    const p = pred[src]!;
    for (let t = 0; t < nt; t++) {
      const positive = p > th[t]!;
      if (label) add(positive ? targets.tp : targets.fn, t, l, w);
      else add(positive ? targets.fp : targets.tn, t, l, w);
    }
  }
}
