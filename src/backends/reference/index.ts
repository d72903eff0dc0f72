import type { DType, TypedArray } from '../../core/dtype.js';
import { allocArray } from '../../core/dtype.js';
import type { Shape } from '../../core/shape.js';
import { sizeOf } from '../../core/shape.js';
import type { Backend, BinaryOp, Conv2DInfo, DataHandle, DenseActivation, Pool2DInfo, ReduceOp, TensorInfo, UnaryOp } from '../../core/backend.js';
import * as conv from './conv.js';
import { broadcastIndex } from './broadcast.js';
import { BINARY, UNARY } from './elementwise.js';
import { matmul } from './matmul.js';
import * as move from './movement.js';
import { argMax, reduce } from './reduce.js';

/** The reference backend's storage: a plain typed array, freed by the garbage collector. */
export class ArrayHandle implements DataHandle {
  constructor(readonly values: TypedArray, readonly dtype: DType) {}
  get size(): number {
    return this.values.length;
  }
}

function vals(x: TensorInfo | DataHandle): TypedArray {
  const h = 'handle' in x ? x.handle : x;
  return (h as ArrayHandle).values;
}

function wrap(values: TypedArray, dtype: DType): ArrayHandle {
  return new ArrayHandle(values, dtype);
}

/**
 * The pure-TypeScript backend: simple loops, float64 accumulation, no cleverness. It is the
 * executable specification every faster backend is tested against, so clarity beats speed here.
 * It has no fused optimizer kernels: the composed updates in `core/updates.ts` are their definition.
 */
export class ReferenceBackend implements Backend {
  readonly name = 'reference';

  upload(values: TypedArray, dtype: DType): DataHandle {
    const copy = allocArray(dtype, values.length);
    copy.set(values);
    return wrap(copy, dtype);
  }

  read(x: TensorInfo): TypedArray {
    return vals(x).slice();
  }

  peek(x: TensorInfo): TypedArray {
    return vals(x);
  }

  writeInto(target: DataHandle, source: DataHandle): void {
    (target as ArrayHandle).values.set(vals(source));
  }

  fill(size: number, value: number, dtype: DType): DataHandle {
    const out = allocArray(dtype, size);
    if (value !== 0) out.fill(value);
    return wrap(out, dtype);
  }

  cast(x: TensorInfo, dtype: DType): DataHandle {
    const src = vals(x);
    const out = allocArray(dtype, src.length);
    if (dtype === 'int32' && x.dtype === 'float32') {
      // Truncate toward zero like tf.cast.
      for (let i = 0; i < src.length; i++) out[i] = Math.trunc(src[i]!);
    } else {
      out.set(src);
    }
    return wrap(out, dtype);
  }

  unary(op: UnaryOp, x: TensorInfo): DataHandle {
    const f = UNARY[op];
    const src = vals(x);
    const outDType: DType = op === 'isnan' || op === 'isfinite' ? 'float32' : x.dtype;
    const out = allocArray(outDType, src.length);
    for (let i = 0; i < src.length; i++) out[i] = f(src[i]!);
    return wrap(out, outDType);
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape, dtype: DType): DataHandle {
    const f = BINARY[op];
    const av = vals(a);
    const bv = vals(b);
    const out = allocArray(dtype, sizeOf(outShape));
    const ai = broadcastIndex(a.shape, outShape);
    const bi = broadcastIndex(b.shape, outShape);
    if (!ai && !bi) {
      for (let i = 0; i < out.length; i++) out[i] = f(av[i]!, bv[i]!);
    } else if (!ai && bv.length === 1) {
      const s = bv[0]!;
      for (let i = 0; i < out.length; i++) out[i] = f(av[i]!, s);
    } else {
      for (let i = 0; i < out.length; i++) out[i] = f(av[ai ? ai[i]! : i]!, bv[bi ? bi[i]! : i]!);
    }
    return wrap(out, dtype);
  }

  select(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): DataHandle {
    const cv = vals(cond);
    const av = vals(a);
    const bv = vals(b);
    const ci = broadcastIndex(cond.shape, outShape);
    const ai = broadcastIndex(a.shape, outShape);
    const bi = broadcastIndex(b.shape, outShape);
    const out = allocArray(a.dtype, sizeOf(outShape));
    for (let i = 0; i < out.length; i++) {
      out[i] = cv[ci ? ci[i]! : i]! !== 0 ? av[ai ? ai[i]! : i]! : bv[bi ? bi[i]! : i]!;
    }
    return wrap(out, a.dtype);
  }

  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): DataHandle {
    return wrap(reduce(op, vals(x), x.shape, axes, x.dtype), x.dtype);
  }

  argMax(x: TensorInfo, axis: number): DataHandle {
    return wrap(argMax(vals(x), x.shape, axis), 'int32');
  }

  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, outShape: Shape): DataHandle {
    return wrap(matmul(vals(a), a.shape, vals(b), b.shape, transposeA, transposeB, outShape), 'float32');
  }

  transpose(x: TensorInfo, perm: readonly number[]): DataHandle {
    return wrap(move.transpose(vals(x), x.shape, perm, x.dtype), x.dtype);
  }

  slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): DataHandle {
    return wrap(move.slice(vals(x), x.shape, begin, size, x.dtype), x.dtype);
  }

  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], value: number): DataHandle {
    return wrap(move.pad(vals(x), x.shape, paddings, value, x.dtype), x.dtype);
  }

  concat(xs: readonly TensorInfo[], axis: number, outShape: Shape): DataHandle {
    const dtype = xs[0]!.dtype;
    return wrap(move.concat(xs.map((x) => ({ values: vals(x), shape: x.shape })), axis, outShape, dtype), dtype);
  }

  gather(x: TensorInfo, indices: TensorInfo, axis: number, outShape: Shape): DataHandle {
    return wrap(move.gather(vals(x), x.shape, vals(indices), axis, outShape, x.dtype), x.dtype);
  }

  scatterAdd(updates: TensorInfo, indices: TensorInfo, axis: number, outShape: Shape): DataHandle {
    return wrap(move.scatterAdd(vals(updates), vals(indices), axis, outShape, updates.dtype), updates.dtype);
  }

  broadcastTo(x: TensorInfo, outShape: Shape): DataHandle {
    const src = vals(x);
    const idx = broadcastIndex(x.shape, outShape);
    const out = allocArray(x.dtype, sizeOf(outShape));
    if (!idx) out.set(src);
    else for (let i = 0; i < out.length; i++) out[i] = src[idx[i]!]!;
    return wrap(out, x.dtype);
  }

  oneHot(indices: TensorInfo, depth: number, onValue: number, offValue: number): DataHandle {
    return wrap(move.oneHot(vals(indices), depth, onValue, offValue), 'float32');
  }

  dense(x: TensorInfo, w: TensorInfo, bias: TensorInfo | null, activation: DenseActivation, outShape: Shape): DataHandle {
    // Composed from the primitives' own kernels, so fused and unfused dense agree exactly.
    let z = this.matmul(x, w, false, false, outShape);
    if (bias) z = this.binary('add', { handle: z, shape: outShape, dtype: 'float32' }, bias, outShape, 'float32');
    return activation === 'linear' ? z : this.unary(activation, { handle: z, shape: outShape, dtype: 'float32' });
  }

  sparseSoftmaxCrossEntropy(logits: TensorInfo, labels: TensorInfo): DataHandle {
    const n = logits.shape[logits.shape.length - 1]!;
    const logp = softmaxRows(vals(logits), n, true);
    const lab = vals(labels);
    const out = new Float32Array(lab.length);
    for (let r = 0; r < lab.length; r++) out[r] = -logp[r * n + lab[r]!]!;
    return wrap(out, 'float32');
  }

  sparseSoftmaxCrossEntropyGrad(logits: TensorInfo, labels: TensorInfo, dy: TensorInfo): DataHandle {
    const n = logits.shape[logits.shape.length - 1]!;
    const p = softmaxRows(vals(logits), n, false);
    const lab = vals(labels);
    const g = vals(dy);
    for (let r = 0; r < lab.length; r++) {
      p[r * n + lab[r]!]! -= 1;
      for (let k = 0; k < n; k++) p[r * n + k]! *= g[r]!;
    }
    return wrap(p, 'float32');
  }

  conv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataHandle {
    return wrap(conv.conv2d(vals(x), vals(filter), info), 'float32');
  }

  conv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataHandle {
    return wrap(conv.conv2dBackpropInput(vals(dy), vals(filter), info), 'float32');
  }

  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataHandle {
    return wrap(conv.conv2dBackpropFilter(vals(x), vals(dy), info), 'float32');
  }

  maxPool2d(x: TensorInfo, info: Pool2DInfo): DataHandle {
    return wrap(conv.maxPool2d(vals(x), info), 'float32');
  }

  avgPool2d(x: TensorInfo, info: Pool2DInfo): DataHandle {
    return wrap(conv.avgPool2d(vals(x), info), 'float32');
  }

  maxPool2dGrad(x: TensorInfo, dy: TensorInfo, info: Pool2DInfo): DataHandle {
    return wrap(conv.maxPool2dGrad(vals(x), vals(dy), info), 'float32');
  }

  avgPool2dGrad(dy: TensorInfo, info: Pool2DInfo): DataHandle {
    return wrap(conv.avgPool2dGrad(vals(dy), info), 'float32');
  }

  softmax(x: TensorInfo): DataHandle {
    return wrap(softmaxRows(vals(x), x.shape[x.shape.length - 1] ?? 1, false), 'float32');
  }

  logSoftmax(x: TensorInfo): DataHandle {
    return wrap(softmaxRows(vals(x), x.shape[x.shape.length - 1] ?? 1, true), 'float32');
  }
}

/** Softmax over rows of length n, shifted by the row max so exp never overflows. */
function softmaxRows(x: TypedArray, n: number, log: boolean): Float32Array {
  const out = new Float32Array(x.length);
  for (let o = 0; o < x.length; o += n) {
    let max = -Infinity;
    for (let k = 0; k < n; k++) max = Math.max(max, x[o + k]!);
    let sum = 0;
    for (let k = 0; k < n; k++) sum += Math.exp(x[o + k]! - max);
    if (log) {
      const logSum = Math.log(sum);
      for (let k = 0; k < n; k++) out[o + k] = x[o + k]! - max - logSum;
    } else {
      for (let k = 0; k < n; k++) out[o + k] = Math.exp(x[o + k]! - max) / sum;
    }
  }
  return out;
}
