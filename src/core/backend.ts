import type { DType, TypedArray } from './dtype.js';
import type { Shape } from './shape.js';

/**
 * Where a backend keeps a tensor's elements. Opaque to everything above the backend: the reference
 * backend holds a typed array, the WebAssembly backend an offset into linear memory. Tensors that
 * share elements (a reshape, say) share the handle, so a backend that must free memory can tie the
 * release to the handle's lifetime (FinalizationRegistry) and users never free anything by hand.
 */
export interface DataHandle {
  readonly size: number;
  readonly dtype: DType;
}

/** A kernel's view of one input: its elements and how to read them. */
export interface TensorInfo {
  readonly handle: DataHandle;
  readonly shape: Shape;
  readonly dtype: DType;
}

export type UnaryOp =
  | 'neg' | 'abs' | 'sign' | 'exp' | 'expm1' | 'log' | 'log1p' | 'sqrt' | 'rsqrt' | 'square' | 'reciprocal'
  | 'tanh' | 'sigmoid' | 'erf' | 'relu' | 'step' | 'floor' | 'ceil' | 'round' | 'sin' | 'cos'
  | 'isnan' | 'isfinite' | 'logicalNot';

export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'mod'
  | 'equal' | 'notEqual' | 'greater' | 'greaterEqual' | 'less' | 'lessEqual';

export type ReduceOp = 'sum' | 'max' | 'min' | 'prod';

/**
 * The backend contract: the primitive kernels every backend implements. Everything else in kiln
 * is composed from these (see `core/primitives.ts` for their gradient-bearing wrappers), so a new
 * backend — WebAssembly today, native or WebGPU later — implements only this list.
 *
 * Kernels never mutate their inputs; each returns a fresh handle, except `writeInto`, which exists
 * so optimizers can update variables in place once a backend supports it.
 */
export interface Backend {
  readonly name: string;

  /** Copies `values` into backend memory. */
  upload(values: TypedArray, dtype: DType): DataHandle;
  /** Copies the elements out (always a fresh array the caller may keep). */
  read(x: TensorInfo): TypedArray;
  /**
   * The elements without a copy, for a caller that only looks (input checks, metric updates): valid
   * until the next backend call, and must not be written. Optional; callers fall back to `read`.
   */
  peek?(x: TensorInfo): TypedArray;
  /** Overwrites `target`'s elements with `source`'s (same size and dtype). */
  writeInto(target: DataHandle, source: DataHandle): void;

  fill(size: number, value: number, dtype: DType): DataHandle;
  cast(x: TensorInfo, dtype: DType): DataHandle;

  unary(op: UnaryOp, x: TensorInfo): DataHandle;
  /** Elementwise with NumPy broadcasting; `outShape` is the broadcast shape, `dtype` the result's. */
  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape, dtype: DType): DataHandle;
  /** `where(cond != 0, a, b)` with broadcasting of all three. */
  select(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): DataHandle;
  /** Reduces over sorted, unique `axes`; the result has those dimensions removed. */
  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): DataHandle;
  /** Index of the largest element along `axis` (int32, axis removed). Ties give the first. */
  argMax(x: TensorInfo, axis: number): DataHandle;

  /** Batched matrix product over the last two dims, with optional transposes; batch dims broadcast. */
  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, outShape: Shape): DataHandle;

  transpose(x: TensorInfo, perm: readonly number[]): DataHandle;
  /** Copies `x[begin : begin+size]` per dimension. */
  slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): DataHandle;
  /** Zero-pads `x` (or the inverse of slice): `paddings[i] = [before, after]`. */
  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], value: number): DataHandle;
  concat(xs: readonly TensorInfo[], axis: number, outShape: Shape): DataHandle;
  /** Picks rows of `x` along `axis` by `indices` (int32); out-of-range indices are the caller's check. */
  gather(x: TensorInfo, indices: TensorInfo, axis: number, outShape: Shape): DataHandle;
  /** Adds `updates` into a zero tensor of `outShape` at `indices` along `axis` (the gradient of gather). */
  scatterAdd(updates: TensorInfo, indices: TensorInfo, axis: number, outShape: Shape): DataHandle;
  /** Repeats `x` to `outShape` (broadcast materialised). */
  broadcastTo(x: TensorInfo, outShape: Shape): DataHandle;
  oneHot(indices: TensorInfo, depth: number, onValue: number, offValue: number): DataHandle;

  /**
   * 2-D convolution, channels last: x [batch, inH, inW, inC] with filter [kH, kW, inC/groups, outC]
   * gives [batch, outH, outW, outC] (a cross-correlation, as in TensorFlow). `info` holds the whole
   * geometry (strides, dilation, the top/left padding, groups), worked out once in `core/conv_geometry.ts`.
   */
  conv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataHandle;
  /** The gradient of conv2d with respect to its input: dy [batch, outH, outW, outC] → [batch, inH, inW, inC]. */
  conv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataHandle;
  /** The gradient of conv2d with respect to its filter: → [kH, kW, inC/groups, outC]. */
  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataHandle;
  /**
   * Max / average pooling over windows of x [batch, inH, inW, channels] → [batch, outH, outW, channels].
   * Padded positions never take part: max ignores them, the average divides by the valid count (TensorFlow's rule).
   */
  maxPool2d(x: TensorInfo, info: Pool2DInfo): DataHandle;
  avgPool2d(x: TensorInfo, info: Pool2DInfo): DataHandle;
  /** Routes each window's gradient to the window's largest input (the first one on ties): → x's shape. */
  maxPool2dGrad(x: TensorInfo, dy: TensorInfo, info: Pool2DInfo): DataHandle;
  /** Spreads each window's gradient evenly over its valid inputs: → [batch, inH, inW, channels]. */
  avgPool2dGrad(dy: TensorInfo, info: Pool2DInfo): DataHandle;

  /** Fused, numerically stable softmax / log-softmax over the last axis. */
  softmax(x: TensorInfo): DataHandle;
  logSoftmax(x: TensorInfo): DataHandle;

  /**
   * Fused dense layer forward: act(x·w + b) for 2-D x; `bias` may be null. The hot path of MLPs:
   * one call instead of three, with the bias and activation applied in place.
   */
  dense(x: TensorInfo, w: TensorInfo, bias: TensorInfo | null, activation: DenseActivation, outShape: Shape): DataHandle;
  /** Per-row −log softmax(logits)[label] for logits [rows, classes] and int32 labels [rows]. */
  sparseSoftmaxCrossEntropy(logits: TensorInfo, labels: TensorInfo): DataHandle;
  /** Its gradient: (softmax(logits) − onehot(labels)) · dy[row]. */
  sparseSoftmaxCrossEntropyGrad(logits: TensorInfo, labels: TensorInfo, dy: TensorInfo): DataHandle;

  /**
   * Fused in-place optimizer updates (Keras 3 formulas, float32 step by step so they equal the
   * composed default in `core/updates.ts` bit for bit). Optional: implement them only where fusing
   * wins; without them `core/updates.ts` composes the update from the primitives above.
   */
  adamUpdate?(variable: DataHandle, m: DataHandle, v: DataHandle, grad: TensorInfo, p: AdamParams): void;
  sgdUpdate?(variable: DataHandle, velocity: DataHandle | null, grad: TensorInfo, p: SgdParams): void;

  /** Threads used for large products, where the backend has threads (WebAssembly). */
  setNumThreads?(n: number): void;
  getNumThreads?(): number;

  /**
   * Step scopes, for backends whose memory the garbage collector does not see (WebAssembly linear
   * memory). Every handle made between `beginScope` and `endScope` is released at `endScope`,
   * except those in `keep` (which move to the enclosing scope) and those `retain`ed (variables).
   * The training loop wraps each step in a scope, so a step's intermediates are reused by the next
   * step and memory stays flat with no user action. Backends with GC-managed memory omit these.
   */
  beginScope?(): void;
  endScope?(keep: readonly DataHandle[]): void;
  /** Takes a handle out of scope tracking: it lives until garbage-collected (variables' storage). */
  retain?(handle: DataHandle): void;
}

/**
 * The geometry of one 2-D convolution (NHWC), every number a kernel needs. Output position (oh, ow)
 * reads input rows oh·strideH − padTop + i·dilationH for filter row i (and likewise columns);
 * positions outside the input read zero. Output channel o belongs to group ⌊o / (outC/groups)⌋,
 * which sees input channels [g·inC/groups, (g+1)·inC/groups).
 */
export interface Conv2DInfo {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly inC: number;
  readonly kH: number;
  readonly kW: number;
  readonly outC: number;
  readonly outH: number;
  readonly outW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly padTop: number;
  readonly padLeft: number;
  readonly groups: number;
}

/** The geometry of one 2-D pooling (NHWC): window (oh, ow) covers rows oh·strideH − padTop + [0, poolH). */
export interface Pool2DInfo {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly channels: number;
  readonly poolH: number;
  readonly poolW: number;
  readonly outH: number;
  readonly outW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padTop: number;
  readonly padLeft: number;
}

/** Activations the fused dense kernel applies (others run as separate ops). */
export type DenseActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh';

/** Adam's scalars for one step; `beta1Power` = β1^t and `beta2Power` = β2^t with t = step + 1. */
export interface AdamParams {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  beta1Power: number;
  beta2Power: number;
}

export interface SgdParams {
  lr: number;
  momentum: number;
  nesterov: boolean;
}
