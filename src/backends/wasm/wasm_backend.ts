import type { DType, TypedArray } from '../../core/dtype.js';
import type { Shape } from '../../core/shape.js';
import { shapesEqual, sizeOf } from '../../core/shape.js';
import { KilnError } from '../../errors.js';
import type { AdamParams, Backend, BinaryOp, DataHandle, DenseActivation, ReduceOp, SgdParams, TensorInfo, UnaryOp } from '../backend.js';
import { ArrayHandle, ReferenceBackend } from '../reference/index.js';
import type { KernelExports } from './abi.js';
import { BINARY_CODES, BroadcastMode, REDUCE_CODES, UNARY_CODES } from './abi.js';
import { LinearMemory } from './memory.js';
import { GemmThreadPool, checkThreads, defaultThreads } from './thread_pool.js';

/**
 * A tensor's storage. While a step runs it lives in linear memory (`ptr`); a tensor that outlives
 * every step scope (a user's data, a `predict` result) is moved to a JavaScript typed array
 * (`host`), which the garbage collector frees — so user code can make tensors in a loop without
 * growing linear memory. Variables are `retained`: they stay in linear memory at a fixed address.
 */
export class WasmHandle implements DataHandle {
  ptr = -1;
  host: TypedArray | null = null;
  retained = false;
  freed = false;
  constructor(readonly size: number, readonly dtype: DType) {}
  get bytes(): number {
    return Math.max(this.size, 1) * 4;
  }
}

interface Scope {
  /** Linear-memory handles made in this scope, released at its end unless kept. */
  readonly made: Set<WasmHandle>;
  /** Host handles copied into linear memory for kernels during this scope (copied once per scope). */
  readonly staged: Map<WasmHandle, number>;
  /** An implicit scope wraps one eager op made outside any step: its result goes to the host. */
  readonly implicit: boolean;
}

const UNARY_INDEX = new Map<string, number>(UNARY_CODES.map((n, i) => [n, i]));
const BINARY_INDEX = new Map<string, number>(BINARY_CODES.map((n, i) => [n, i]));
const REDUCE_INDEX = new Map<string, number>(REDUCE_CODES.map((n, i) => [n, i]));

/**
 * The WebAssembly SIMD backend. Inside a step (each fit/evaluate/predict batch runs in a step
 * scope) tensors live in one shared linear memory and kernels run on it with no copies in or out;
 * the step's intermediates are released at its end and their blocks reused by the next step.
 * Operations without a kernel yet run the reference backend's loops directly on views of that
 * memory, so every op works here and the reference stays the one definition of each op.
 */
export class WasmBackend implements Backend {
  readonly name = 'wasm';
  readonly mem: LinearMemory;
  private readonly ref = new ReferenceBackend();
  private readonly scopes: Scope[] = [];
  // Only retained (variable) storage is left to the garbage collector.
  private readonly collector = new FinalizationRegistry<{ ptr: number; bytes: number }>((block) => this.mem.free(block.ptr, block.bytes));
  private scratchPtr = 0;
  private scratchBytes = 0;

  private pool: GemmThreadPool | null = null;
  private numThreads = defaultThreads();

  constructor(readonly k: KernelExports, memory: WebAssembly.Memory, heapBase: number, private readonly module: WebAssembly.Module | null = null) {
    this.mem = new LinearMemory(memory, heapBase);
  }

  /** Threads that share large matrix products (1 = this thread only). Workers start on first use. */
  setNumThreads(n: number): void {
    this.numThreads = checkThreads(n);
    this.pool?.resize(this.numThreads);
  }

  getNumThreads(): number {
    return this.module ? this.numThreads : 1;
  }

  /** C = op(A)·op(B) into `c`, on several threads when the product is large enough to gain. */
  private gemm(a: number, b: number, c: number, m: number, n: number, k: number, transA: boolean, transB: boolean): void {
    if (this.module && this.numThreads > 1) {
      this.pool ??= new GemmThreadPool(this.k, this.module, this.mem.memory, (bytes) => this.mem.alloc(bytes), (p, bytes) => this.mem.free(p, bytes));
      if (this.pool.threads !== this.numThreads) this.pool.resize(this.numThreads);
      if (this.pool.gemm(a, b, c, m, n, k, transA, transB, (bytes) => this.scratch(bytes))) return;
    }
    this.k.gemm(a, b, c, m, n, k, transA ? 1 : 0, transB ? 1 : 0, 0, this.scratch(this.k.gemmScratchBytes(m, n, k)));
  }

  // ---- storage and scopes -------------------------------------------------------------------

  /** A new linear-memory handle in the current scope (every kernel runs inside one; see `op`). */
  private allocHandle(size: number, dtype: DType): WasmHandle {
    const h = new WasmHandle(size, dtype);
    h.ptr = this.mem.alloc(h.bytes);
    this.currentScope().made.add(h);
    return h;
  }

  private currentScope(): Scope {
    const scope = this.scopes.at(-1);
    if (!scope) throw new KilnError('wasm backend: internal error: a kernel ran outside any scope');
    return scope;
  }

  /**
   * Runs one backend operation (a kernel that returns a handle, or an in-place update). Outside any
   * step it opens an implicit scope, so temporaries are
   * released at once and the result moves to the host.
   */
  private op<T extends DataHandle | void>(fn: () => T): T {
    if (this.scopes.length > 0) return fn();
    this.scopes.push({ made: new Set(), staged: new Map(), implicit: true });
    let result: T | undefined;
    try {
      result = fn();
      return result;
    } finally {
      this.closeScope(result ? [result as DataHandle] : []);
    }
  }

  /** The linear-memory address of a handle's elements, staging host data in for this scope. */
  private ptr(x: TensorInfo | DataHandle): number {
    const h = ('handle' in x ? x.handle : x) as WasmHandle;
    if (h.freed) {
      throw new KilnError('wasm backend: a tensor was used after the step that made it ended (its memory was released); this is a bug in kiln — please report it');
    }
    if (h.ptr >= 0) return h.ptr;
    const scope = this.currentScope();
    let p = scope.staged.get(h);
    if (p === undefined) {
      p = this.mem.alloc(h.bytes);
      this.viewAt(p, h.size, h.dtype).set(h.host!);
      scope.staged.set(h, p);
    }
    return p;
  }

  private viewAt(ptr: number, size: number, dtype: DType): TypedArray {
    return dtype === 'int32' ? this.mem.i32(ptr, size) : this.mem.f32(ptr, size);
  }

  /** The elements, wherever they live (a view of linear memory is valid until memory grows). */
  view(x: TensorInfo | DataHandle): TypedArray {
    const h = ('handle' in x ? x.handle : x) as WasmHandle;
    if (h.freed) this.ptr(h); // throws the use-after-release error
    return h.ptr >= 0 ? this.viewAt(h.ptr, h.size, h.dtype) : h.host!;
  }

  beginScope(): void {
    this.scopes.push({ made: new Set(), staged: new Map(), implicit: false });
  }

  endScope(keep: readonly DataHandle[]): void {
    if (this.scopes.length === 0) throw new KilnError('wasm backend: endScope without beginScope');
    this.closeScope(keep);
  }

  private closeScope(keep: readonly DataHandle[]): void {
    const scope = this.scopes.pop()!;
    const kept = new Set(keep as readonly WasmHandle[]);
    const parent = this.scopes.at(-1);
    for (const [h, p] of scope.staged) this.mem.free(p, h.bytes);
    scope.staged.clear();
    for (const h of scope.made) {
      if (h.retained) continue;
      if (kept.has(h)) {
        if (parent) parent.made.add(h);
        else this.moveToHost(h);
      } else {
        this.mem.free(h.ptr, h.bytes);
        h.ptr = -1;
        h.freed = true;
      }
    }
  }

  private moveToHost(h: WasmHandle): void {
    h.host = this.viewAt(h.ptr, h.size, h.dtype).slice();
    this.mem.free(h.ptr, h.bytes);
    h.ptr = -1;
  }

  /** Keeps a handle in linear memory at a fixed address until its tensor is collected (variables). */
  retain(handle: DataHandle): void {
    const h = handle as WasmHandle;
    if (h.retained) return;
    if (h.ptr < 0) {
      h.ptr = this.mem.alloc(h.bytes);
      this.viewAt(h.ptr, h.size, h.dtype).set(h.host!);
      h.host = null;
    }
    for (const scope of this.scopes) scope.made.delete(h);
    h.retained = true;
    this.collector.register(h, { ptr: h.ptr, bytes: h.bytes });
  }

  upload(values: TypedArray, dtype: DType): DataHandle {
    if (this.scopes.length === 0) return this.hostHandle(values.slice(), dtype);
    const h = this.allocHandle(values.length, dtype);
    this.view(h).set(values);
    return h;
  }

  private hostHandle(values: TypedArray, dtype: DType): WasmHandle {
    const h = new WasmHandle(values.length, dtype);
    h.host = values;
    return h;
  }

  read(x: TensorInfo): TypedArray {
    return this.view(x).slice();
  }

  peek(x: TensorInfo): TypedArray {
    return this.view(x);
  }

  writeInto(target: DataHandle, source: DataHandle): void {
    this.view(target).set(this.view(source));
  }

  fill(size: number, value: number, dtype: DType): DataHandle {
    if (this.scopes.length === 0) {
      const host = dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
      if (value !== 0) host.fill(value);
      return this.hostHandle(host, dtype);
    }
    const h = this.allocHandle(size, dtype);
    this.view(h).fill(value);
    return h;
  }

  // ---- fallback: the reference loops, run on views of linear memory --------------------------

  private asRef(x: TensorInfo): TensorInfo {
    return { handle: new ArrayHandle(this.view(x), x.dtype), shape: x.shape, dtype: x.dtype };
  }

  /** A reference-backend result as this backend's handle: in linear memory inside a step, else on the host. */
  private fromRef(h: DataHandle): DataHandle {
    const values = (h as ArrayHandle).values;
    if (this.currentScope().implicit) return this.hostHandle(values, h.dtype);
    const out = this.allocHandle(values.length, h.dtype);
    this.view(out).set(values);
    return out;
  }

  private scratch(bytes: number): number {
    if (bytes > this.scratchBytes) {
      if (this.scratchBytes) this.mem.free(this.scratchPtr, this.scratchBytes);
      this.scratchBytes = Math.max(bytes, this.scratchBytes * 2);
      this.scratchPtr = this.mem.alloc(this.scratchBytes);
    }
    return this.scratchPtr;
  }

  // ---- kernels ------------------------------------------------------------------------------

  cast(x: TensorInfo, dtype: DType): DataHandle {
    return this.op(() => {
      return this.fromRef(this.ref.cast(this.asRef(x), dtype));
    });
  }

  unary(op: UnaryOp, x: TensorInfo): DataHandle {
    return this.op(() => {
      if (x.dtype !== 'float32') return this.fromRef(this.ref.unary(op, this.asRef(x)));
      const out = this.allocHandle(x.handle.size, 'float32');
      this.k.unary(UNARY_INDEX.get(op)!, this.ptr(x), out.ptr, x.handle.size);
      return out;
    });
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape, dtype: DType): DataHandle {
    return this.op(() => {
      const mode = a.dtype === 'float32' && b.dtype === 'float32' && dtype === 'float32' ? broadcastMode(a.shape, b.shape, outShape) : null;
      if (!mode) return this.fromRef(this.ref.binary(op, this.asRef(a), this.asRef(b), outShape, dtype));
      const n = sizeOf(outShape);
      const out = this.allocHandle(n, 'float32');
      this.k.binary(BINARY_INDEX.get(op)!, this.ptr(a), this.ptr(b), out.ptr, n, mode[0], mode[1]);
      return out;
    });
  }

  select(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): DataHandle {
    return this.op(() => {
      const n = sizeOf(outShape);
      const same = cond.handle.size === n && a.handle.size === n && b.handle.size === n;
      if (!same || cond.dtype !== 'float32' || a.dtype !== 'float32') {
        return this.fromRef(this.ref.select(this.asRef(cond), this.asRef(a), this.asRef(b), outShape));
      }
      const out = this.allocHandle(n, 'float32');
      this.k.select(this.ptr(cond), this.ptr(a), this.ptr(b), out.ptr, n);
      return out;
    });
  }

  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): DataHandle {
    return this.op(() => {
      const block = contiguousBlock(x.shape, axes);
      if (!block || x.dtype !== 'float32') return this.fromRef(this.ref.reduce(op, this.asRef(x), axes));
      const [outer, mid, inner] = block;
      const out = this.allocHandle(outer * inner, 'float32');
      this.k.reduce(REDUCE_INDEX.get(op)!, this.ptr(x), out.ptr, outer, mid, inner);
      return out;
    });
  }

  argMax(x: TensorInfo, axis: number): DataHandle {
    return this.op(() => {
      if (x.dtype !== 'float32') return this.fromRef(this.ref.argMax(this.asRef(x), axis));
      const outer = sizeOf(x.shape.slice(0, axis));
      const inner = sizeOf(x.shape.slice(axis + 1));
      const out = this.allocHandle(outer * inner, 'int32');
      this.k.argMax(this.ptr(x), out.ptr, outer, x.shape[axis]!, inner);
      return out;
    });
  }

  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, outShape: Shape): DataHandle {
    return this.op(() => {
      const ra = a.shape.length;
      const rb = b.shape.length;
      const m = outShape[outShape.length - 2]!;
      const n = outShape[outShape.length - 1]!;
      const k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
      const batchShape = outShape.slice(0, -2);
      const batches = sizeOf(batchShape);
      const aBatch = a.shape.slice(0, -2);
      const bBatch = b.shape.slice(0, -2);
      // Batch dims must be equal or absent on one side (the common cases); other broadcasts use the reference loop.
      const aStride = sizeOf(aBatch) === 1 ? 0 : m * k;
      const bStride = sizeOf(bBatch) === 1 ? 0 : k * n;
      const simple = (aStride === 0 || shapesEqual(aBatch, batchShape)) && (bStride === 0 || shapesEqual(bBatch, batchShape));
      if (!simple) return this.fromRef(this.ref.matmul(this.asRef(a), this.asRef(b), transposeA, transposeB, outShape));
      const out = this.allocHandle(batches * m * n, 'float32');
      if (m * n === 0) return out;
      if (k === 0) {
        this.view(out).fill(0);
        return out;
      }
      const pa = this.ptr(a);
      const pb = this.ptr(b);
      for (let i = 0; i < batches; i++) {
        this.gemm(pa + 4 * i * aStride, pb + 4 * i * bStride, out.ptr + 4 * i * m * n, m, n, k, transposeA, transposeB);
      }
      return out;
    });
  }

  transpose(x: TensorInfo, perm: readonly number[]): DataHandle {
    return this.op(() => {
      const r = perm.length;
      const swapsLastTwo = r >= 2 && perm[r - 1] === r - 2 && perm[r - 2] === r - 1 && perm.slice(0, -2).every((p, i) => p === i);
      if (!swapsLastTwo || x.dtype !== 'float32') return this.fromRef(this.ref.transpose(this.asRef(x), perm));
      const rows = x.shape[r - 2]!;
      const cols = x.shape[r - 1]!;
      const out = this.allocHandle(x.handle.size, 'float32');
      this.k.transpose2d(this.ptr(x), out.ptr, sizeOf(x.shape.slice(0, -2)), rows, cols);
      return out;
    });
  }

  slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): DataHandle {
    return this.op(() => {
      // A slice of whole leading rows is one contiguous copy (batches in fit/predict).
      if (begin.slice(1).every((b) => b === 0) && size.slice(1).every((s, i) => s === x.shape[i + 1])) {
        const row = sizeOf(x.shape.slice(1));
        const out = this.allocHandle(sizeOf(size), x.dtype);
        this.view(out).set(this.view(x).subarray(begin[0]! * row, (begin[0]! + size[0]!) * row));
        return out;
      }
      return this.fromRef(this.ref.slice(this.asRef(x), begin, size));
    });
  }

  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], value: number): DataHandle {
    return this.op(() => {
      return this.fromRef(this.ref.pad(this.asRef(x), paddings, value));
    });
  }

  concat(xs: readonly TensorInfo[], axis: number, outShape: Shape): DataHandle {
    return this.op(() => {
      return this.fromRef(this.ref.concat(xs.map((x) => this.asRef(x)), axis, outShape));
    });
  }

  gather(x: TensorInfo, indices: TensorInfo, axis: number, outShape: Shape): DataHandle {
    return this.op(() => {
      if (axis === 0) {
        // Whole rows (shuffled batches): one contiguous copy per index, straight into the output.
        const row = sizeOf(x.shape.slice(1));
        const out = this.allocHandle(sizeOf(outShape), x.dtype);
        const dst = this.view(out);
        const src = this.view(x);
        const idx = this.view(indices);
        for (let i = 0; i < idx.length; i++) dst.set(src.subarray(idx[i]! * row, (idx[i]! + 1) * row), i * row);
        return out;
      }
      return this.fromRef(this.ref.gather(this.asRef(x), this.asRef(indices), axis, outShape));
    });
  }

  scatterAdd(updates: TensorInfo, indices: TensorInfo, axis: number, outShape: Shape): DataHandle {
    return this.op(() => {
      return this.fromRef(this.ref.scatterAdd(this.asRef(updates), this.asRef(indices), axis, outShape));
    });
  }

  broadcastTo(x: TensorInfo, outShape: Shape): DataHandle {
    return this.op(() => {
      // Scalar, row and column broadcasts (the gradients of sums and means) are plain fills and copies.
      const mode = broadcastMode(outShape, x.shape, outShape);
      if (mode && mode[0] !== BroadcastMode.SAME) {
        const n = sizeOf(outShape);
        const out = this.allocHandle(n, x.dtype);
        const dst = this.view(out);
        const src = this.view(x);
        if (mode[0] === BroadcastMode.B_SCALAR) dst.fill(src[0]!);
        else if (mode[0] === BroadcastMode.B_ROW) for (let i = 0; i < n; i += mode[1]) dst.set(src, i);
        else for (let r = 0, inner = mode[1]; r * inner < n; r++) dst.fill(src[r]!, r * inner, (r + 1) * inner);
        return out;
      }
      return this.fromRef(this.ref.broadcastTo(this.asRef(x), outShape));
    });
  }

  oneHot(indices: TensorInfo, depth: number, onValue: number, offValue: number): DataHandle {
    return this.op(() => {
      return this.fromRef(this.ref.oneHot(this.asRef(indices), depth, onValue, offValue));
    });
  }

  dense(x: TensorInfo, w: TensorInfo, bias: TensorInfo | null, activation: DenseActivation, outShape: Shape): DataHandle {
    return this.op(() => {
      const [m, k] = x.shape as [number, number];
      const n = outShape[1]!;
      const out = this.allocHandle(m * n, 'float32');
      if (m * n === 0) return out;
      if (k === 0) this.view(out).fill(0);
      else this.gemm(this.ptr(x), this.ptr(w), out.ptr, m, n, k, false, false);
      // Bias and activation in place on the product: no temporaries.
      if (bias) this.k.binary(BINARY_INDEX.get('add')!, out.ptr, this.ptr(bias), out.ptr, m * n, BroadcastMode.B_ROW, n);
      if (activation !== 'linear') this.k.unary(UNARY_INDEX.get(activation)!, out.ptr, out.ptr, m * n);
      return out;
    });
  }

  sparseSoftmaxCrossEntropy(logits: TensorInfo, labels: TensorInfo): DataHandle {
    return this.op(() => this.fromRef(this.ref.sparseSoftmaxCrossEntropy(this.asRef(logits), this.asRef(labels))));
  }

  sparseSoftmaxCrossEntropyGrad(logits: TensorInfo, labels: TensorInfo, dy: TensorInfo): DataHandle {
    return this.op(() => this.fromRef(this.ref.sparseSoftmaxCrossEntropyGrad(this.asRef(logits), this.asRef(labels), this.asRef(dy))));
  }

  adamUpdate(variable: DataHandle, m: DataHandle, v: DataHandle, grad: TensorInfo, p: AdamParams): void {
    this.op(() =>
      this.k.adamUpdate(this.ptr(variable), this.ptr(m), this.ptr(v), this.ptr(grad), variable.size, p.lr, p.beta1, p.beta2, p.epsilon, p.beta1Power, p.beta2Power),
    );
  }

  sgdUpdate(variable: DataHandle, velocity: DataHandle | null, grad: TensorInfo, p: SgdParams): void {
    this.op(() =>
      this.k.sgdUpdate(this.ptr(variable), velocity ? this.ptr(velocity) : 0, this.ptr(grad), variable.size, p.lr, velocity ? p.momentum : 0, p.nesterov ? 1 : 0),
    );
  }

  softmax(x: TensorInfo): DataHandle {
    return this.op(() => {
      return this.softmaxRows(x, 0);
    });
  }

  logSoftmax(x: TensorInfo): DataHandle {
    return this.op(() => {
      return this.softmaxRows(x, 1);
    });
  }

  private softmaxRows(x: TensorInfo, log: number): DataHandle {
    const n = x.shape[x.shape.length - 1] ?? 1;
    const out = this.allocHandle(x.handle.size, 'float32');
    if (n > 0) this.k.softmax(this.ptr(x), out.ptr, x.handle.size / n, n, log);
    return out;
  }
}

/**
 * The kernel broadcast mode for `a ∘ b → outShape`, or null when the pattern needs the general
 * loop: same shape, a scalar, or one operand repeating along leading (ROW) or trailing (COL) dims.
 */
export function broadcastMode(aShape: Shape, bShape: Shape, outShape: Shape): [BroadcastMode, number] | null {
  const n = sizeOf(outShape);
  const na = sizeOf(aShape);
  const nb = sizeOf(bShape);
  if (na === n && nb === n) return [BroadcastMode.SAME, 0];
  if (na === n && nb === 1) return [BroadcastMode.B_SCALAR, 0];
  if (nb === n && na === 1) return [BroadcastMode.A_SCALAR, 0];
  const small = na === n ? bShape : nb === n ? aShape : null;
  if (!small) return null;
  const bIsSmall = na === n;
  const aligned = [...new Array<number>(outShape.length - small.length).fill(1), ...small];
  // ROW: the small operand is the trailing dims of the output (after leading 1s).
  let k = 0;
  while (k < aligned.length && aligned[k] === 1) k++;
  if (aligned.slice(k).every((d, i) => d === outShape[k + i])) {
    const inner = sizeOf(outShape.slice(k));
    return [bIsSmall ? BroadcastMode.B_ROW : BroadcastMode.A_ROW, inner];
  }
  // COL: the small operand is the leading dims of the output, followed only by 1s.
  let j = aligned.length;
  while (j > 0 && aligned[j - 1] === 1) j--;
  if (aligned.slice(0, j).every((d, i) => d === outShape[i])) {
    const inner = sizeOf(outShape.slice(j));
    return [bIsSmall ? BroadcastMode.B_COL : BroadcastMode.A_COL, inner];
  }
  return null;
}

/** [outer, mid, inner] when `axes` are consecutive dims (so the reduction is one strided pass). */
export function contiguousBlock(shape: Shape, axes: readonly number[]): [number, number, number] | null {
  if (axes.length === 0) return [sizeOf(shape), 1, 1];
  for (let i = 1; i < axes.length; i++) if (axes[i] !== axes[i - 1]! + 1) return null;
  const first = axes[0]!;
  const last = axes[axes.length - 1]!;
  return [sizeOf(shape.slice(0, first)), sizeOf(shape.slice(first, last + 1)), sizeOf(shape.slice(last + 1))];
}
