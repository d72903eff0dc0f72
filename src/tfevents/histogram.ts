/**
 * Histograms in the form TensorFlow 1.x's `tf.summary.histogram` wrote them (HistogramProto, the
 * `histo` member of Summary.Value), which TensorBoard's histogram plugin still reads: it converts the
 * buckets to its tensor form on load (tensorboard/data_compat.py), using `min` and `max` as the outer
 * edges. Bucket limits and encoding follow tensorflow/core/lib/histogram/histogram.cc.
 */

/** The fields of a HistogramProto, camelCased. */
export interface Histogram {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  /** Right edges: bucket i counts values in [bucketLimits[i-1], bucketLimits[i]) (the first from -DBL_MAX). */
  bucketLimits: number[];
  buckets: number[];
}

const DBL_MAX = Number.MAX_VALUE;

let defaultLimits: Float64Array | null = null;

/**
 * TensorFlow's default bucket limits: right edges growing by 10% from 1e-12 up to 1e20, closed by
 * DBL_MAX, mirrored for negatives, with 0 in the middle (1551 edges). The repeated multiplication
 * is the same double arithmetic as the C++ loop, so the edges are bit-identical to TensorFlow's.
 */
export function defaultBucketLimits(): Float64Array {
  if (defaultLimits) return defaultLimits;
  const positive: number[] = [];
  for (let v = 1e-12; v < 1e20; v *= 1.1) positive.push(v);
  positive.push(DBL_MAX);
  const limits = new Float64Array(positive.length * 2 + 1);
  positive.forEach((v, i) => {
    limits[positive.length - 1 - i] = -v;
    limits[positive.length + 1 + i] = v;
  });
  // limits[positive.length] stays 0.
  defaultLimits = limits;
  return limits;
}

/** Index of the first limit strictly greater than `v` (C++ `std::upper_bound`). */
function upperBound(limits: Float64Array, v: number): number {
  let lo = 0;
  let hi = limits.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (limits[mid]! > v) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The histogram of `values` with TensorFlow's default buckets, encoded as `EncodeToProto` does
 * without `preserve_zero_buckets`: each run of empty buckets collapses into one zero-count entry
 * whose limit is the run's last limit, so a histogram of a few thousand weights stays a few
 * dozen entries. With no values it is TensorFlow's empty histogram (min DBL_MAX, max -DBL_MAX, one
 * empty bucket up to DBL_MAX), which TensorBoard draws as empty.
 *
 * NaN and ±Infinity are skipped: they are not counted, and not in min, max, sum or sumSquares.
 * (TensorFlow's C++ would index past its last bucket with them, and one infinity would make the sum
 * and TensorBoard's outer bucket edges infinite; a monitor that cares about non-finite weights
 * checks for them separately.)
 *
 * ```ts
 * const h = histogramOf([0.5, -1, 2]); // h.num === 3, h.min === -1, h.max === 2
 * ```
 */
export function histogramOf(values: ArrayLike<number>): Histogram {
  const limits = defaultBucketLimits();
  const counts = new Float64Array(limits.length);
  let min = DBL_MAX;
  let max = -DBL_MAX;
  let num = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    // DBL_MAX itself is above every right edge; it belongs to the last bucket, whose edge it is.
    counts[Math.min(upperBound(limits, v), limits.length - 1)]! += 1;
    if (v < min) min = v;
    if (v > max) max = v;
    num++;
    sum += v;
    sumSquares += v * v;
  }
  const bucketLimits: number[] = [];
  const buckets: number[] = [];
  for (let i = 0; i < counts.length; ) {
    let end = limits[i]!;
    const count = counts[i]!;
    i++;
    if (count <= 0) {
      while (i < counts.length && counts[i]! <= 0) end = limits[i++]!;
    }
    bucketLimits.push(end);
    buckets.push(count);
  }
  return { min, max, num, sum, sumSquares, bucketLimits, buckets };
}
