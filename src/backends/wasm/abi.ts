/**
 * The contract between the TypeScript WebAssembly backend (`wasm_backend.ts`) and the
 * AssemblyScript kernels (`kernels/*.ts`, built to `dist/wasm/kernels*.wasm` at install time).
 *
 * Memory: the kernels import one `WebAssembly.Memory` (`env.memory`, shared so worker threads can
 * use it) and never allocate: every pointer is a byte offset chosen by the TypeScript allocator,
 * 16-byte aligned, and scratch space (GEMM packing) is passed in. float32 data unless a name says i32.
 *
 * Op codes are indexes into the lists below, which mirror `UnaryOp` / `BinaryOp` / `ReduceOp` in
 * `core/backend.ts`; keep the orders in sync (a test checks the kernel module's op counts).
 */
export const UNARY_CODES = [
  'neg', 'abs', 'sign', 'exp', 'expm1', 'log', 'log1p', 'sqrt', 'rsqrt', 'square', 'reciprocal',
  'tanh', 'sigmoid', 'erf', 'relu', 'step', 'floor', 'ceil', 'round', 'sin', 'cos',
  'isnan', 'isfinite', 'logicalNot',
] as const;

export const BINARY_CODES = [
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'mod',
  'equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual',
] as const;

export const REDUCE_CODES = ['sum', 'max', 'min', 'prod'] as const;

/**
 * How the two operands of `binary` line up (the broadcast patterns that cover dense layers, losses
 * and optimizers; anything else is handled by the backend in TypeScript):
 * - SAME: out[i] = a[i] ∘ b[i]
 * - B_SCALAR / A_SCALAR: one operand is a single element
 * - B_ROW / A_ROW: that operand repeats every `inner` elements: out[i] = a[i] ∘ b[i % inner]
 * - B_COL / A_COL: that operand holds one value per row of `inner`: out[i] = a[i] ∘ b[floor(i / inner)]
 */
export const enum BroadcastMode {
  SAME = 0, B_SCALAR = 1, A_SCALAR = 2, B_ROW = 3, A_ROW = 4, B_COL = 5, A_COL = 6,
}

/** The kernel module's exports. */
export interface KernelExports {
  readonly memory?: WebAssembly.Memory;
  /**
   * First byte offset the JS allocator may hand out: below it lie the module's constant tables
   * (the float64 libm's log/pow/sin lookup data). Constant for a build; the same on every thread.
   */
  heapBase(): number;
  /** 1 when this instance is the relaxed-SIMD build (FMA in the GEMM micro-kernel), else 0. */
  relaxedSimd(): number;
  /** Number of unary / binary / reduce op codes the module implements (a sync check with the lists above). */
  unaryOpCount(): number;
  binaryOpCount(): number;
  reduceOpCount(): number;

  /** out[i] = f(x[i]) for i < n (float32). `out` may equal `x`. */
  unary(op: number, x: number, out: number, n: number): void;
  /** float32 elementwise with a broadcast mode (see BroadcastMode); comparisons write 1 or 0. n = output length. */
  binary(op: number, a: number, b: number, out: number, n: number, mode: BroadcastMode, inner: number): void;
  /** out[i] = cond[i] != 0 ? a[i] : b[i], all of length n (float32). */
  select(cond: number, a: number, b: number, out: number, n: number): void;

  /** out[o*inner + i] = reduce over k < mid of x[(o*mid + k)*inner + i] (float32; sum/max/min/prod). */
  reduce(op: number, x: number, out: number, outer: number, mid: number, inner: number): void;
  /** out[o*inner + i] = argmax over k < mid of x[(o*mid + k)*inner + i], first on ties, NaN wins (i32 out). */
  argMax(x: number, out: number, outer: number, mid: number, inner: number): void;

  /**
   * C[m×n] = op(A) · op(B) (+ C when accumulate = 1), row-major; op(A) is m×k (A stored k×m when
   * transA = 1), op(B) is k×n (B stored n×k when transB = 1). `scratch` holds at least
   * gemmScratchBytes(m, n, k) bytes for packed panels. C must not overlap A, B or scratch. Results
   * differ between the plain and relaxed-SIMD builds in the last bits (FMA rounds once).
   */
  gemm(a: number, b: number, c: number, m: number, n: number, k: number, transA: number, transB: number, accumulate: number, scratch: number): void;
  gemmScratchBytes(m: number, n: number, k: number): number;
  /**
   * `gemm` with leading dimensions (elements between consecutive rows of A, B and C as stored), so
   * one call can compute a block of a larger product — e.g. a worker's share of C's columns:
   * gemmStrided(a, lda, b + 4*j0, ldb, c + 4*j0, ldc, m, nPart, k, 0, 0, acc, scratch).
   * `gemm(...)` is gemmStrided with lda = transA ? m : k, ldb = transB ? k : n, ldc = n. Scratch is
   * gemmScratchBytes(m, nPart, k) of the block, one scratch area per concurrent call.
   */
  gemmStrided(a: number, lda: number, b: number, ldb: number, c: number, ldc: number, m: number, n: number, k: number, transA: number, transB: number, accumulate: number, scratch: number): void;

  /** Row-wise softmax (log = 0) or log-softmax (log = 1) over rows of length n, stable (max-shifted). */
  softmax(x: number, out: number, rows: number, n: number, log: number): void;
  /**
   * out[r] = −log softmax(x[r])[labels[r]] over rows of n > 0 logits (labels i32, in range), stable
   * (max-shifted), with the Σ of exponentials in float64 so saturated rows keep their tiny losses.
   */
  sparseSoftmaxCrossEntropy(x: number, labels: number, out: number, rows: number, n: number): void;
  /** out[r, k] = (softmax(x[r])[k] − [k = labels[r]]) · dy[r] (out must not overlap x). */
  sparseSoftmaxCrossEntropyGrad(x: number, labels: number, dy: number, out: number, rows: number, n: number): void;
  /** out[i] = x[indices[i]] for `count` rows of `row` 4-byte elements (indices i32, in range). */
  gatherRows(x: number, indices: number, out: number, count: number, row: number): void;
  /** out[i, k] = k === indices[i] ? on : off (float32 out, `count` × `depth`); out-of-range rows are all `off`. */
  oneHot(indices: number, out: number, count: number, depth: number, on: number, off: number): void;
  /** out = transpose of a rows×cols matrix, for each of `batch` matrices. */
  transpose2d(x: number, out: number, batch: number, rows: number, cols: number): void;

  /**
   * Convolution patches (NHWC): for output positions m0 ≤ m < m1, writes rows of kH·kW·cg floats
   * (filter order i, j, c) holding input channels [c0, c0 + cg) under each tap, 0 in the padding.
   * col2im adds such rows back onto dx (the caller zeroes dx). See kernels/im2col.ts.
   */
  im2col(x: number, cols: number, inH: number, inW: number, inC: number, kH: number, kW: number, outH: number, outW: number, strideH: number, strideW: number, dilationH: number, dilationW: number, padTop: number, padLeft: number, c0: number, cg: number, m0: number, m1: number): void;
  col2im(cols: number, dx: number, inH: number, inW: number, inC: number, kH: number, kW: number, outH: number, outW: number, strideH: number, strideW: number, dilationH: number, dilationW: number, padTop: number, padLeft: number, c0: number, cg: number, m0: number, m1: number): void;
  /** 2-D pooling (NHWC) over windows clipped to the input; the gradients zero dx themselves. See kernels/pool.ts. */
  maxPool2d(x: number, y: number, batch: number, inH: number, inW: number, C: number, poolH: number, poolW: number, outH: number, outW: number, strideH: number, strideW: number, padTop: number, padLeft: number): void;
  avgPool2d(x: number, y: number, batch: number, inH: number, inW: number, C: number, poolH: number, poolW: number, outH: number, outW: number, strideH: number, strideW: number, padTop: number, padLeft: number): void;
  maxPool2dGrad(x: number, dy: number, dx: number, batch: number, inH: number, inW: number, C: number, poolH: number, poolW: number, outH: number, outW: number, strideH: number, strideW: number, padTop: number, padLeft: number): void;
  avgPool2dGrad(dy: number, dx: number, batch: number, inH: number, inW: number, C: number, poolH: number, poolW: number, outH: number, outW: number, strideH: number, strideW: number, padTop: number, padLeft: number): void;

  /**
   * In-place Adam/AdamW-style update (Keras 3 formula) for n elements; see the kernel for argument meaning.
   * beta1Power = beta1^t and beta2Power = beta2^t with t = iterations + 1; the scalars are passed as
   * float64 and alpha = lr·√(1-β2^t)/(1-β1^t) is formed in float64, then rounded once.
   */
  adamUpdate(variable: number, m: number, v: number, grad: number, n: number, lr: number, beta1: number, beta2: number, epsilon: number, beta1Power: number, beta2Power: number): void;
  /** In-place SGD with momentum (Keras 3): v = momentum*v - lr*g; w += v (nesterov: w += momentum*v - lr*g). */
  sgdUpdate(variable: number, velocity: number, grad: number, n: number, lr: number, momentum: number, nesterov: number): void;
}
