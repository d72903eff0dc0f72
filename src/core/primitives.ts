import type { BinaryOp, Conv2DInfo, DataHandle, DenseActivation, Pool2DInfo, ReduceOp, UnaryOp } from './backend.js';
import { backend } from './backend_registry.js';
import { DTypeError, ShapeError, ValueError } from '../errors.js';
import type { DType, TypedArray } from './dtype.js';
import { upcast } from './dtype.js';
import { isRecording } from './engine.js';
import { onCurrent } from './placement.js';
import type { Shape } from './shape.js';
import { broadcastShapes, formatShape, normalizeAxes, normalizeAxis, shapesEqual, sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

/**
 * The primitive set: with the fused optimizer updates beside it (`updates.ts`), the only code that
 * makes tensors on a backend or runs its kernels, and the only operations with gradient rules (in
 * `gradients.ts`, keyed by the same names). Everything in `ops/` composes these. Each function
 * checks its arguments, runs the backend kernel, and — while recording — notes how its output was
 * made so `autograd.ts` can walk back through it. Creation (`upload`, `fill`) has no history.
 * (Storage bookkeeping — reading elements, a variable's in-place writes, step scopes — stays with
 * `tensor.ts`, `placement.ts` and `scope.ts`.)
 */

export type PrimitiveName =
  | UnaryOp | BinaryOp | ReduceOp
  | 'select' | 'argMax' | 'matmul' | 'transpose' | 'reshape' | 'slice' | 'pad' | 'concat'
  | 'gather' | 'scatterAdd' | 'broadcastTo' | 'oneHot' | 'cast' | 'softmax' | 'logSoftmax'
  | 'dense' | 'sparseSoftmaxCrossEntropy'
  | 'conv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter' | 'maxPool2d' | 'avgPool2d';

function emit(primitive: PrimitiveName, inputs: readonly Tensor[], attrs: unknown, handle: DataHandle, shape: Shape, dtype: DType): Tensor {
  const out = new Tensor(handle, shape, dtype, backend());
  if (isRecording() && inputs.some((t) => t.requiresGrad)) {
    out.requiresGrad = true;
    out.node = { primitive, inputs, attrs };
  }
  return out;
}

/** Wraps a handle the current backend just made as a tensor with no history. */
function fromHandle(handle: DataHandle, shape: Shape, dtype: DType): Tensor {
  return new Tensor(handle, shape, dtype, backend());
}

/** A tensor holding a copy of `values` (row-major, `sizeOf(shape)` of them). */
export function upload(values: TypedArray, shape: Shape, dtype: DType): Tensor {
  return fromHandle(backend().upload(values, dtype), shape, dtype);
}

/** A tensor of `shape` with every element `value`. */
export function fill(shape: Shape, value: number, dtype: DType): Tensor {
  return fromHandle(backend().fill(sizeOf(shape), value, dtype), shape, dtype);
}

/** The same elements with no history: a constant for the gradient (it shares `x`'s storage). */
export function stopGradient(x: Tensor): Tensor {
  return new Tensor(x.handle, x.shape, x.dtype, x.backend);
}

const FLOAT_ONLY = new Set<UnaryOp>(['exp', 'expm1', 'log', 'log1p', 'sqrt', 'rsqrt', 'reciprocal', 'tanh', 'sigmoid', 'erf', 'sin', 'cos']);

export function unary(op: UnaryOp, x: Tensor): Tensor {
  // Transcendentals of int32 would truncate silently; compute them in float32 instead.
  if (x.dtype === 'int32' && FLOAT_ONLY.has(op)) x = cast(x, 'float32');
  const dtype: DType = op === 'isnan' || op === 'isfinite' ? 'float32' : x.dtype;
  return emit(op, [x], undefined, backend().unary(op, onCurrent(x)), x.shape, dtype);
}

const COMPARISONS = new Set<BinaryOp>(['equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual']);

export function binary(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const outShape = broadcastShapes(a.shape, b.shape, op);
  // Comparisons give float 0/1 masks; division is always true division, as in Keras.
  const dtype: DType = COMPARISONS.has(op) || op === 'div' || op === 'pow' ? 'float32' : upcast(a.dtype, b.dtype);
  const opDType = op === 'div' || op === 'pow' ? 'float32' : upcast(a.dtype, b.dtype);
  if (a.dtype !== opDType) a = cast(a, opDType);
  if (b.dtype !== opDType) b = cast(b, opDType);
  return emit(op, [a, b], undefined, backend().binary(op, onCurrent(a), onCurrent(b), outShape, dtype), outShape, dtype);
}

export function select(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  const outShape = broadcastShapes(broadcastShapes(cond.shape, a.shape, 'where'), b.shape, 'where');
  if (a.dtype !== b.dtype) {
    a = cast(a, 'float32');
    b = cast(b, 'float32');
  }
  return emit('select', [cond, a, b], undefined, backend().select(onCurrent(cond), onCurrent(a), onCurrent(b), outShape), outShape, a.dtype);
}

export function reduce(op: ReduceOp, x: Tensor, axis?: number | readonly number[]): Tensor {
  const axes = normalizeAxes(axis, x.rank, op);
  const outShape = x.shape.filter((_, i) => !axes.includes(i));
  if ((op === 'max' || op === 'min') && axes.some((a) => x.shape[a] === 0)) {
    throw new ShapeError(`${op}: cannot reduce an empty dimension of shape ${formatShape(x.shape)}`);
  }
  return emit(op, [x], { axes }, backend().reduce(op, onCurrent(x), axes), outShape, x.dtype);
}

export function argMax(x: Tensor, axis = -1): Tensor {
  const a = normalizeAxis(axis, x.rank, 'argMax');
  return emit('argMax', [x], { axis: a }, backend().argMax(onCurrent(x), a), x.shape.filter((_, i) => i !== a), 'int32');
}

export function matmul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  if (a.rank < 2 || b.rank < 2) {
    throw new ShapeError(`matmul: both operands need rank >= 2, found ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  const [m, ka] = transposeA ? [a.shape[a.rank - 1]!, a.shape[a.rank - 2]!] : [a.shape[a.rank - 2]!, a.shape[a.rank - 1]!];
  const [kb, n] = transposeB ? [b.shape[b.rank - 1]!, b.shape[b.rank - 2]!] : [b.shape[b.rank - 2]!, b.shape[b.rank - 1]!];
  if (ka !== kb) {
    throw new ShapeError(
      `matmul: inner dimensions differ: ${formatShape(a.shape)}${transposeA ? 'ᵀ' : ''} × ${formatShape(b.shape)}${transposeB ? 'ᵀ' : ''} (${ka} vs ${kb})`,
    );
  }
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), 'matmul batch dims');
  const outShape = [...batch, m, n];
  if (a.dtype !== 'float32') a = cast(a, 'float32');
  if (b.dtype !== 'float32') b = cast(b, 'float32');
  const handle = backend().matmul(onCurrent(a), onCurrent(b), transposeA, transposeB, outShape);
  return emit('matmul', [a, b], { transposeA, transposeB }, handle, outShape, 'float32');
}

export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const p = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
  if (p.length !== x.rank || [...p].sort((u, v) => u - v).some((v, i) => v !== i)) {
    throw new ValueError(`transpose: perm ${JSON.stringify(p)} is not a permutation of 0..${x.rank - 1}`);
  }
  const outShape = p.map((i) => x.shape[i]!);
  return emit('transpose', [x], { perm: p }, backend().transpose(onCurrent(x), p), outShape, x.dtype);
}

/** Same elements, new shape. Costs nothing: the output shares the input's storage. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const inferred = inferShape(shape, x.size, x.shape);
  if (shapesEqual(inferred, x.shape)) return x;
  const info = onCurrent(x);
  return emit('reshape', [x], { shape: x.shape }, info.handle, inferred, x.dtype);
}

function inferShape(shape: readonly number[], size: number, from: Shape): number[] {
  const out = [...shape];
  const unknown = out.indexOf(-1);
  if (unknown >= 0) {
    const known = sizeOf(out.filter((_, i) => i !== unknown));
    if (known === 0 || size % known !== 0) throw new ShapeError(`reshape: cannot reshape ${formatShape(from)} to ${formatShape(shape)}`);
    out[unknown] = size / known;
  }
  if (sizeOf(out) !== size || out.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(`reshape: cannot reshape ${formatShape(from)} (${size} elements) to ${formatShape(shape)}`);
  }
  return out;
}

export function slice(x: Tensor, begin: readonly number[], size: readonly number[]): Tensor {
  const b = x.shape.map((_, i) => begin[i] ?? 0);
  const s = x.shape.map((d, i) => (size[i] === undefined || size[i] === -1 ? d - b[i]! : size[i]!));
  for (let i = 0; i < x.rank; i++) {
    if (b[i]! < 0 || s[i]! < 0 || b[i]! + s[i]! > x.shape[i]!) {
      throw new ShapeError(`slice: begin ${JSON.stringify(b)} size ${JSON.stringify(s)} out of range for shape ${formatShape(x.shape)}`);
    }
  }
  return emit('slice', [x], { begin: b, size: s }, backend().slice(onCurrent(x), b, s), s, x.dtype);
}

export function pad(x: Tensor, paddings: readonly (readonly [number, number])[], value = 0): Tensor {
  if (paddings.length !== x.rank) throw new ShapeError(`pad: expected ${x.rank} [before, after] pairs, found ${paddings.length}`);
  const outShape = x.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
  return emit('pad', [x], { paddings }, backend().pad(onCurrent(x), paddings, value), outShape, x.dtype);
}

export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new ValueError('concat: expected at least one tensor');
  const first = xs[0]!;
  const a = normalizeAxis(axis, first.rank, 'concat');
  let total = 0;
  for (const x of xs) {
    if (x.rank !== first.rank || x.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw new ShapeError(`concat: shapes ${formatShape(first.shape)} and ${formatShape(x.shape)} differ outside axis ${a}`);
    }
    total += x.shape[a]!;
  }
  const dtype = xs.every((x) => x.dtype === 'int32') ? 'int32' : 'float32';
  const inputs = xs.map((x) => (x.dtype === dtype ? x : cast(x, dtype)));
  const outShape = first.shape.map((d, i) => (i === a ? total : d));
  return emit('concat', inputs, { axis: a }, backend().concat(inputs.map(onCurrent), a, outShape), outShape, dtype);
}

/** Picks slices of `x` along `axis`. `checkRange` may be false only for indices kiln made itself (batch orders). */
export function gather(x: Tensor, indices: Tensor, axis = 0, checkRange = true): Tensor {
  const a = normalizeAxis(axis, x.rank, 'gather');
  if (indices.dtype !== 'int32') throw new DTypeError(`gather: indices must be int32, found ${indices.dtype}`);
  const outShape = [...x.shape.slice(0, a), ...indices.shape, ...x.shape.slice(a + 1)];
  if (checkRange) checkIndices(indices, x.shape[a]!, 'gather');
  return emit('gather', [x, indices], { axis: a }, backend().gather(onCurrent(x), onCurrent(indices), a, outShape), outShape, x.dtype);
}

export function scatterAdd(updates: Tensor, indices: Tensor, axis: number, outShape: Shape): Tensor {
  return emit('scatterAdd', [updates, indices], { axis, outShape }, backend().scatterAdd(onCurrent(updates), onCurrent(indices), axis, outShape), outShape, updates.dtype);
}

function checkIndices(indices: Tensor, limit: number, where: string): void {
  const v = indices.dataSync();
  for (let i = 0; i < v.length; i++) {
    if (v[i]! < 0 || v[i]! >= limit) throw new ValueError(`${where}: index ${v[i]} at position ${i} is out of range [0, ${limit})`);
  }
}

export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  const outShape = broadcastShapes(x.shape, shape, 'broadcastTo');
  if (!shapesEqual(outShape, shape)) {
    throw new ShapeError(`broadcastTo: cannot broadcast ${formatShape(x.shape)} to ${formatShape(shape)}`);
  }
  return emit('broadcastTo', [x], undefined, backend().broadcastTo(onCurrent(x), outShape), outShape, x.dtype);
}

export function oneHot(indices: Tensor, depth: number, onValue = 1, offValue = 0): Tensor {
  if (indices.dtype !== 'int32') throw new DTypeError(`oneHot: indices must be int32, found ${indices.dtype}`);
  return emit('oneHot', [indices], undefined, backend().oneHot(onCurrent(indices), depth, onValue, offValue), [...indices.shape, depth], 'float32');
}

export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  return emit('cast', [x], undefined, backend().cast(onCurrent(x), dtype), x.shape, dtype);
}

/** Softmax over the last axis (fused and stable: never overflows). */
export function softmax(x: Tensor): Tensor {
  if (x.dtype !== 'float32') x = cast(x, 'float32');
  return emit('softmax', [x], undefined, backend().softmax(onCurrent(x)), x.shape, 'float32');
}

/** Log-softmax over the last axis (fused and stable). */
export function logSoftmax(x: Tensor): Tensor {
  if (x.dtype !== 'float32') x = cast(x, 'float32');
  return emit('logSoftmax', [x], undefined, backend().logSoftmax(onCurrent(x)), x.shape, 'float32');
}

/**
 * A dense layer's forward pass as one primitive: act(x·w + b) for x [m, k], w [k, n], b [n] or
 * null. Fusing it is the main hot path of MLP training (fewer dispatches, bias and activation in
 * place); its gradient rule is in the table like any other.
 */
export function dense(x: Tensor, w: Tensor, bias: Tensor | null, activation: DenseActivation): Tensor {
  if (x.rank !== 2 || w.rank !== 2 || x.shape[1] !== w.shape[0]) {
    throw new ShapeError(`dense: expected x [m, k] and kernel [k, n], found ${formatShape(x.shape)} and ${formatShape(w.shape)}`);
  }
  const n = w.shape[1]!;
  if (bias && (bias.rank !== 1 || bias.shape[0] !== n)) throw new ShapeError(`dense: bias must have shape [${n}], found ${formatShape(bias.shape)}`);
  if (x.dtype !== 'float32') x = cast(x, 'float32');
  const outShape = [x.shape[0]!, n];
  const inputs = bias ? [x, w, bias] : [x, w];
  const handle = backend().dense(onCurrent(x), onCurrent(w), bias ? onCurrent(bias) : null, activation, outShape);
  return emit('dense', inputs, { activation }, handle, outShape, 'float32');
}

/**
 * Per-row crossentropy of integer labels against logits over the last axis, fused with the
 * softmax: −log softmax(logits)[label]. Labels must be int32 in range (the loss checks them).
 */
export function sparseSoftmaxCrossEntropy(logits: Tensor, labels: Tensor): Tensor {
  if (labels.dtype !== 'int32') throw new DTypeError(`sparseSoftmaxCrossEntropy: labels must be int32, found ${labels.dtype}`);
  if (!shapesEqual(labels.shape, logits.shape.slice(0, -1))) {
    throw new ShapeError(`sparseSoftmaxCrossEntropy: labels ${formatShape(labels.shape)} must have logits' shape ${formatShape(logits.shape)} without its last axis`);
  }
  if (logits.dtype !== 'float32') logits = cast(logits, 'float32');
  const handle = backend().sparseSoftmaxCrossEntropy(onCurrent(logits), onCurrent(labels));
  return emit('sparseSoftmaxCrossEntropy', [logits, labels], undefined, handle, labels.shape, 'float32');
}

/** The gradient kernel of sparseSoftmaxCrossEntropy (used by its rule; not differentiable itself). */
export function sparseSoftmaxCrossEntropyGrad(logits: Tensor, labels: Tensor, dy: Tensor): Tensor {
  return fromHandle(backend().sparseSoftmaxCrossEntropyGrad(onCurrent(logits), onCurrent(labels), onCurrent(dy)), logits.shape, 'float32');
}

// ---- convolution and pooling (channels last; geometry from conv_geometry.ts) ----------------

const infoShape = (info: Conv2DInfo, what: 'input' | 'output' | 'filter'): number[] =>
  what === 'input' ? [info.batch, info.inH, info.inW, info.inC]
    : what === 'output' ? [info.batch, info.outH, info.outW, info.outC]
      : [info.kH, info.kW, info.inC / info.groups, info.outC];

function float(x: Tensor): Tensor {
  return x.dtype === 'float32' ? x : cast(x, 'float32');
}

function checkShape(t: Tensor, expected: readonly number[], what: string): void {
  if (!shapesEqual(t.shape, expected)) throw new ShapeError(`${what}: expected shape ${formatShape(expected)}, found ${formatShape(t.shape)}`);
}

/** conv2d(x [N, H, W, C], filter [kH, kW, C/groups, O]) → [N, outH, outW, O] for the geometry `info`. */
export function conv2d(x: Tensor, filter: Tensor, info: Conv2DInfo): Tensor {
  checkShape(x, infoShape(info, 'input'), 'conv2d input');
  checkShape(filter, infoShape(info, 'filter'), 'conv2d filter');
  x = float(x);
  filter = float(filter);
  const outShape = infoShape(info, 'output');
  return emit('conv2d', [x, filter], { info }, backend().conv2d(onCurrent(x), onCurrent(filter), info), outShape, 'float32');
}

/**
 * The input gradient of conv2d — also the forward pass of a transposed convolution, which is why
 * it is a differentiable primitive of its own: dy [N, outH, outW, O] → [N, H, W, C].
 */
export function conv2dBackpropInput(dy: Tensor, filter: Tensor, info: Conv2DInfo): Tensor {
  checkShape(dy, infoShape(info, 'output'), 'conv2dBackpropInput dy');
  checkShape(filter, infoShape(info, 'filter'), 'conv2dBackpropInput filter');
  dy = float(dy);
  filter = float(filter);
  const handle = backend().conv2dBackpropInput(onCurrent(dy), onCurrent(filter), info);
  return emit('conv2dBackpropInput', [dy, filter], { info }, handle, infoShape(info, 'input'), 'float32');
}

/** The filter gradient of conv2d: x [N, H, W, C] and dy [N, outH, outW, O] → [kH, kW, C/groups, O]. */
export function conv2dBackpropFilter(x: Tensor, dy: Tensor, info: Conv2DInfo): Tensor {
  checkShape(x, infoShape(info, 'input'), 'conv2dBackpropFilter input');
  checkShape(dy, infoShape(info, 'output'), 'conv2dBackpropFilter dy');
  x = float(x);
  dy = float(dy);
  const handle = backend().conv2dBackpropFilter(onCurrent(x), onCurrent(dy), info);
  return emit('conv2dBackpropFilter', [x, dy], { info }, handle, infoShape(info, 'filter'), 'float32');
}

const poolIn = (info: Pool2DInfo): number[] => [info.batch, info.inH, info.inW, info.channels];
const poolOut = (info: Pool2DInfo): number[] => [info.batch, info.outH, info.outW, info.channels];

/** Max pooling of x [N, H, W, C] → [N, outH, outW, C]. */
export function maxPool2d(x: Tensor, info: Pool2DInfo): Tensor {
  checkShape(x, poolIn(info), 'maxPool2d input');
  x = float(x);
  return emit('maxPool2d', [x], { info }, backend().maxPool2d(onCurrent(x), info), poolOut(info), 'float32');
}

/** Average pooling of x [N, H, W, C] → [N, outH, outW, C] (padding excluded from each average). */
export function avgPool2d(x: Tensor, info: Pool2DInfo): Tensor {
  checkShape(x, poolIn(info), 'avgPool2d input');
  x = float(x);
  return emit('avgPool2d', [x], { info }, backend().avgPool2d(onCurrent(x), info), poolOut(info), 'float32');
}

/**
 * The pooling gradient kernels, used by the pooling rules. Like sparseSoftmaxCrossEntropyGrad they
 * record no history: a second derivative of pooling is not needed by any layer.
 */
export function maxPool2dGrad(x: Tensor, dy: Tensor, info: Pool2DInfo): Tensor {
  checkShape(dy, poolOut(info), 'maxPool2dGrad dy');
  return fromHandle(backend().maxPool2dGrad(onCurrent(x), onCurrent(float(dy)), info), poolIn(info), 'float32');
}

export function avgPool2dGrad(dy: Tensor, info: Pool2DInfo): Tensor {
  checkShape(dy, poolOut(info), 'avgPool2dGrad dy');
  return fromHandle(backend().avgPool2dGrad(onCurrent(float(dy)), info), poolIn(info), 'float32');
}
