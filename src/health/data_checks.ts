import type { Tensor } from '../core/tensor.js';
import type { TrainingEvent } from '../callbacks/training_event.js';

/** What the loss says about the labels: which classes they hold, or that they are real numbers. */
export type LabelKind = 'binary' | 'sparse' | 'categorical' | 'regression' | 'other';

/** The data `fit` trains and validates on, as the monitor's start-of-fit checks read it. */
export interface FitDataView {
  x: Tensor;
  y: Tensor;
  val: { x: Tensor; y: Tensor } | null;
}

export interface DataCheckOptions {
  labelKind: LabelKind;
  /** The model normalizes its input itself (a normalization layer first), so raw scales are fine. */
  normalizesInput: boolean;
  scaleRatio: number;
  overlapShare: number;
  leakCorrelation: number;
}

/** Class index per row, for classification labels (null otherwise). */
export function classLabels(y: Tensor, kind: LabelKind): Int32Array | null {
  const v = y.dataSync();
  const n = y.shape[0] ?? 0;
  if (kind === 'sparse' || kind === 'binary') {
    if (y.size !== n) return null;
    return Int32Array.from(v, (t) => (kind === 'binary' ? (Number(t) > 0.5 ? 1 : 0) : Number(t)));
  }
  if (kind === 'categorical') {
    const k = y.size / Math.max(n, 1);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (Number(v[i * k + j]) > Number(v[i * k + best])) best = j;
      out[i] = best;
    }
    return out;
  }
  return null;
}

/** How many rows each class has. */
export function classCounts(labels: Int32Array): Map<number, number> {
  const counts = new Map<number, number>();
  for (const c of labels) counts.set(c, (counts.get(c) ?? 0) + 1);
  return counts;
}

type Raise = (e: Omit<TrainingEvent, 'epoch' | 'step'>) => void;

/**
 * The checks `fit` runs once before training, on data problems a model cannot train around:
 * constant columns, features on very different scales, a feature that copies the label, rows
 * shared between training and validation, and validation labels missing a class.
 * Column checks apply to tabular input (rank 2); an image's constant border is not a defect.
 */
export function checkFitData(data: FitDataView, opts: DataCheckOptions, raise: Raise): void {
  const { x, y } = data;
  const n = x.shape[0] ?? 0;
  if (n < 2) return;
  const xv = x.dataSync();
  if (x.rank === 2) {
    const d = x.shape[1]!;
    const min = new Float64Array(d).fill(Infinity);
    const max = new Float64Array(d).fill(-Infinity);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const t = Number(xv[i * d + j]);
        if (t < min[j]!) min[j] = t;
        if (t > max[j]!) max[j] = t;
      }
    }
    const constant: number[] = [];
    for (let j = 0; j < d; j++) if (min[j] === max[j]) constant.push(j);
    if (constant.length > 0) {
      raise({
        kind: 'constant_feature', severity: 'warning',
        message: `${constant.length} of ${d} feature column(s) hold one value in every training row (column ${constant.slice(0, 10).join(', ')}${constant.length > 10 ? ', …' : ''})`,
        evidence: { columns: constant.slice(0, 50), count: constant.length, value: min[constant[0]!]! },
        remedy: 'drop the constant column(s): they carry no information (and check the pipeline that produced them)',
      });
    }
    if (!opts.normalizesInput) checkScales(min, max, opts.scaleRatio, raise);
    if (y.size === n && (opts.labelKind === 'binary' || opts.labelKind === 'regression')) checkLeak(xv, n, d, y.dataSync(), opts.leakCorrelation, raise);
  }
  if (data.val) {
    checkOverlap(x, data.val.x, opts.overlapShare, raise);
    const train = classLabels(y, opts.labelKind);
    const val = classLabels(data.val.y, opts.labelKind);
    if (train && val) {
      const valClasses = classCounts(val);
      const missing = [...classCounts(train).keys()].filter((c) => !valClasses.has(c)).sort((a, b) => a - b);
      if (missing.length > 0) {
        raise({
          kind: 'validation_missing_class', severity: 'warning',
          message: `the validation data has no row of class ${missing.join(', ')}, which training has`,
          evidence: { missing, validationRows: val.length },
          remedy: 'split with stratification (or shuffle before validationSplit, which takes the LAST rows) so every class is validated',
        });
      }
    }
  }
}

function checkScales(min: Float64Array, max: Float64Array, ratio: number, raise: Raise): void {
  let big = -1;
  let small = -1;
  for (let j = 0; j < min.length; j++) {
    const r = max[j]! - min[j]!;
    if (!(r > 0) || !Number.isFinite(r)) continue;
    if (big < 0 || r > max[big]! - min[big]!) big = j;
    if (small < 0 || r < max[small]! - min[small]!) small = j;
  }
  if (big < 0) return;
  const rb = max[big]! - min[big]!;
  const rs = max[small]! - min[small]!;
  if (rb / rs < ratio) return;
  raise({
    kind: 'feature_scale', severity: 'warning',
    message: `feature ranges differ by ${(rb / rs).toPrecision(3)}×: column ${big} spans ${rb.toPrecision(4)}, column ${small} spans ${rs.toPrecision(4)}`,
    evidence: { largestColumn: big, largestRange: rb, smallestColumn: small, smallestRange: rs, ratio: rb / rs },
    remedy: 'scale the features (min-max to 0–1, or standardize) with statistics from the training split only',
  });
}

/** A column (almost) equal to a linear function of the label: the target leaking into a feature. */
function checkLeak(xv: ArrayLike<number>, n: number, d: number, yv: ArrayLike<number>, threshold: number, raise: Raise): void {
  let my = 0;
  for (let i = 0; i < n; i++) my += Number(yv[i]);
  my /= n;
  let vy = 0;
  for (let i = 0; i < n; i++) vy += (Number(yv[i]) - my) ** 2;
  if (!(vy > 0)) return;
  const leaks: number[] = [];
  let strongest = 0;
  for (let j = 0; j < d; j++) {
    let mx = 0;
    for (let i = 0; i < n; i++) mx += Number(xv[i * d + j]);
    mx /= n;
    let vx = 0;
    let cov = 0;
    for (let i = 0; i < n; i++) {
      const dx = Number(xv[i * d + j]) - mx;
      vx += dx * dx;
      cov += dx * (Number(yv[i]) - my);
    }
    if (!(vx > 0)) continue;
    const r = Math.abs(cov / Math.sqrt(vx * vy));
    if (r >= threshold) {
      leaks.push(j);
      strongest = Math.max(strongest, r);
    }
  }
  if (leaks.length === 0) return;
  raise({
    kind: 'target_leak', severity: 'warning',
    message: `feature column ${leaks.join(', ')} is almost exactly the label (|correlation| ${strongest.toFixed(4)}): the task is trivial with it`,
    evidence: { columns: leaks, correlation: strongest },
    remedy: 'remove the column: it is derived from the target and will not be available (or not honest) at prediction time',
  });
}

/** Rows of the validation set that also appear, byte for byte, in the training set. */
function checkOverlap(x: Tensor, vx: Tensor, minShare: number, raise: Raise): void {
  const n = x.shape[0]!;
  const m = vx.shape[0] ?? 0;
  if (m === 0 || x.size === 0) return;
  const rowLen = x.size / n;
  if (vx.size / m !== rowLen) return;
  const a = new Float32Array(x.dataSync());
  const b = new Float32Array(vx.dataSync());
  const bits = new Uint32Array(a.buffer);
  const vbits = new Uint32Array(b.buffer);
  const byHash = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const h = rowHash(bits, i * rowLen, rowLen);
    const list = byHash.get(h);
    if (list) list.push(i);
    else byHash.set(h, [i]);
  }
  let dup = 0;
  for (let i = 0; i < m; i++) {
    const candidates = byHash.get(rowHash(vbits, i * rowLen, rowLen));
    if (candidates?.some((r) => sameRow(bits, r * rowLen, vbits, i * rowLen, rowLen))) dup++;
  }
  if (dup === 0 || dup / m < minShare) return;
  raise({
    kind: 'train_val_overlap', severity: 'warning',
    message: `${dup} of ${m} validation rows (${((100 * dup) / m).toFixed(1)}%) also appear in the training data: validation scores will be optimistic`,
    evidence: { duplicates: dup, validationRows: m, share: dup / m },
    remedy: 'de-duplicate the data before splitting, so no row is in both training and validation',
  });
}

function rowHash(bits: Uint32Array, start: number, len: number): number {
  // FNV-1a over the float bits: exact duplicates collide by construction, others rarely.
  let h = 0x811c9dc5;
  for (let k = start; k < start + len; k++) h = Math.imul(h ^ bits[k]!, 16777619);
  return h >>> 0;
}

function sameRow(a: Uint32Array, ai: number, b: Uint32Array, bi: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (a[ai + k] !== b[bi + k]) return false;
  return true;
}
