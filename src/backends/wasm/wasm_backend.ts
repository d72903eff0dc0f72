import type { DType, TypedArray } from '../../core/dtype.js';
import type { Shape } from '../../core/shape.js';
import { shapesEqual, sizeOf } from '../../core/shape.js';
import { KilnError } from '../../errors.js';
import type { Backend, BinaryOp, DataHandle, ReduceOp, TensorInfo, UnaryOp } from '../backend.js';
import { ArrayHandle, ReferenceBackend } from '../reference/index.js';
import type { KernelExports } from './abi.js';
import { BINARY_CODES, BroadcastMode, REDUCE_CODES, UNARY_CODES } from './abi.js';
import { LinearMemory } from './memory.js';

/** A tensor's storage in linear memory: `size` elements of `dtype` at byte offset `ptr`. */
export class WasmHandle implements DataHandle {
  freed = false;
  constructor(readonly ptr: number, readonly size: number, readonly dtype: DType, readonly bytes: number) {}
}

const UNARY_INDEX = new Map<string, number>(UNARY_CODES.map((n, i) => [n, i]));
const BINARY_INDEX = new Map<string, number>(BINARY_CODES.map((n, i) => [n, i]));
const REDUCE_INDEX = new Map<string, number>(REDUCE_CODES.map((n, i) => [n, i]));

/**
 * The WebAssembly SIMD backend. Tensors live in one shared linear memory; hot kernels (GEMM,
 * elementwise, reductions, softmax) run in WebAssembly on that memory with no copies in or out.
 * Operations without a kernel yet run the reference backend's loops directly on views of linear
 * memory, so every op works on this backend and the reference stays the one definition of each op.
 *
 * Memory: handles made inside a step scope (each fit/evaluate/predict batch) are released at its
 * end; others are released when their tensor is garbage-collected (FinalizationRegistry).
 */
export class WasmBackend implements Backend {
  readonly name = 'wasm';
  readonly mem: LinearMemory;
  private readonly ref = new ReferenceBackend();
  private readonly scopes: Set<WasmHandle>[] = [];
  private readonly collector = new FinalizationRegistry<{ ptr: number; bytes: number }>((block) => this.mem.free(block.ptr, block.bytes));
  private scratchPtr = 0;
  private scratchBytes = 0;

  constructor(readonly k: KernelExports, memory: WebAssembly.Memory, heapBase: number) {
    this.mem = new LinearMemory(memory, heapBase);
  }

  // ---- storage ------------------------------------------------------------------------------

  private allocHandle(size: number, dtype: DType): WasmHandle {
    const bytes = Math.max(size, 1) * 4;
    const h = new WasmHandle(this.mem.alloc(bytes), size, dtype, bytes);
    this.collector.register(h, { ptr: h.ptr, bytes }, h);
    this.scopes.at(-1)?.add(h);
    return h;
  }

  private release(h: WasmHandle): void {
    if (h.freed) return;
    h.freed = true;
    this.collector.unregister(h);
    this.mem.free(h.ptr, h.bytes);
  }

  private ptr(x: TensorInfo | DataHandle): number {
    const h = ('handle' in x ? x.handle : x) as WasmHandle;
    if (h.freed) {
      throw new KilnError('wasm backend: a tensor was used after the training step that made it ended (its memory was released); this is a bug in kiln — please report it');
    }
    return h.ptr;
  }

  /** A typed-array view of a handle's elements in linear memory (valid until memory grows). */
  view(x: TensorInfo | DataHandle): TypedArray {
    const h = ('handle' in x ? x.handle : x) as WasmHandle;
    const p = this.ptr(h);
    return h.dtype === 'int32' ? this.mem.i32(p, h.size) : this.mem.f32(p, h.size);
  }

  beginScope(): void {
    this.scopes.push(new Set());
  }

  endScope(keep: readonly DataHandle[]): void {
    const scope = this.scopes.pop();
    if (!scope) throw new KilnError('wasm backend: endScope without beginScope');
    const kept = new Set(keep as readonly WasmHandle[]);
    const parent = this.scopes.at(-1);
    for (const h of scope) {
      if (kept.has(h)) parent?.add(h);
      else this.release(h);
    }
  }

  retain(handle: DataHandle): void {
    for (const scope of this.scopes) scope.delete(handle as WasmHandle);
  }

  upload(values: TypedArray, dtype: DType): DataHandle {
    const h = this.allocHandle(values.length, dtype);
    this.view(h).set(values);
    return h;
  }

  read(x: TensorInfo): TypedArray {
    return this.view(x).slice();
  }

  writeInto(target: DataHandle, source: DataHandle): void {
    this.view(target).set(this.view(source));
  }

  fill(size: number, value: number, dtype: DType): DataHandle {
    const h = this.allocHandle(size, dtype);
    this.view(h).fill(value);
    return h;
  }

  // ---- fallback: the reference loops, run on views of linear memory --------------------------

  private asRef(x: TensorInfo): TensorInfo {
    return { handle: new ArrayHandle(this.view(x), x.dtype), shape: x.shape, dtype: x.dtype };
  }

  /** Copies a reference-backend result into linear memory. */
  private fromRef(h: DataHandle): DataHandle {
    const values = (h as ArrayHandle).values;
    return this.upload(values, h.dtype);
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
    return this.fromRef(this.ref.cast(this.asRef(x), dtype));
  }

  unary(op: UnaryOp, x: TensorInfo): DataHandle {
    if (x.dtype !== 'float32') return this.fromRef(this.ref.unary(op, this.asRef(x)));
    const out = this.allocHandle(x.handle.size, 'float32');
    this.k.unary(UNARY_INDEX.get(op)!, this.ptr(x), out.ptr, x.handle.size);
    return out;
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape, dtype: DType): DataHandle {
    const mode = a.dtype === 'float32' && b.dtype === 'float32' && dtype === 'float32' ? broadcastMode(a.shape, b.shape, outShape) : null;
    if (!mode) return this.fromRef(this.ref.binary(op, this.asRef(a), this.asRef(b), outShape, dtype));
    const n = sizeOf(outShape);
    const out = this.allocHandle(n, 'float32');
    this.k.binary(BINARY_INDEX.get(op)!, this.ptr(a), this.ptr(b), out.ptr, n, mode[0], mode[1]);
    return out;
  }

  select(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): DataHandle {
    const n = sizeOf(outShape);
    const same = cond.handle.size === n && a.handle.size === n && b.handle.size === n;
    if (!same || cond.dtype !== 'float32' || a.dtype !== 'float32') {
      return this.fromRef(this.ref.select(this.asRef(cond), this.asRef(a), this.asRef(b), outShape));
    }
    const out = this.allocHandle(n, 'float32');
    this.k.select(this.ptr(cond), this.ptr(a), this.ptr(b), out.ptr, n);
    return out;
  }

  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): DataHandle {
    const block = contiguousBlock(x.shape, axes);
    if (!block || x.dtype !== 'float32') return this.fromRef(this.ref.reduce(op, this.asRef(x), axes));
    const [outer, mid, inner] = block;
    const out = this.allocHandle(outer * inner, 'float32');
    this.k.reduce(REDUCE_INDEX.get(op)!, this.ptr(x), out.ptr, outer, mid, inner);
    return out;
  }

  argMax(x: TensorInfo, axis: number): DataHandle {
    if (x.dtype !== 'float32') return this.fromRef(this.ref.argMax(this.asRef(x), axis));
    const outer = sizeOf(x.shape.slice(0, axis));
    const inner = sizeOf(x.shape.slice(axis + 1));
    const out = this.allocHandle(outer * inner, 'int32');
    this.k.argMax(this.ptr(x), out.ptr, outer, x.shape[axis]!, inner);
    return out;
  }

  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, outShape: Shape): DataHandle {
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
    const scratch = this.scratch(this.k.gemmScratchBytes(m, n, k));
    const pa = this.ptr(a);
    const pb = this.ptr(b);
    for (let i = 0; i < batches; i++) {
      this.k.gemm(pa + 4 * i * aStride, pb + 4 * i * bStride, out.ptr + 4 * i * m * n, m, n, k, transposeA ? 1 : 0, transposeB ? 1 : 0, 0, scratch);
    }
    return out;
  }

  transpose(x: TensorInfo, perm: readonly number[]): DataHandle {
    const r = perm.length;
    const swapsLastTwo = r >= 2 && perm[r - 1] === r - 2 && perm[r - 2] === r - 1 && perm.slice(0, -2).every((p, i) => p === i);
    if (!swapsLastTwo || x.dtype !== 'float32') return this.fromRef(this.ref.transpose(this.asRef(x), perm));
    const rows = x.shape[r - 2]!;
    const cols = x.shape[r - 1]!;
    const out = this.allocHandle(x.handle.size, 'float32');
    this.k.transpose2d(this.ptr(x), out.ptr, sizeOf(x.shape.slice(0, -2)), rows, cols);
    return out;
  }

  slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): DataHandle {
    // A slice of whole leading rows is one contiguous copy (batches in fit/predict).
    if (begin.slice(1).every((b) => b === 0) && size.slice(1).every((s, i) => s === x.shape[i + 1])) {
      const row = sizeOf(x.shape.slice(1));
      const out = this.allocHandle(sizeOf(size), x.dtype);
      this.view(out).set(this.view(x).subarray(begin[0]! * row, (begin[0]! + size[0]!) * row));
      return out;
    }
    return this.fromRef(this.ref.slice(this.asRef(x), begin, size));
  }

  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], value: number): DataHandle {
    return this.fromRef(this.ref.pad(this.asRef(x), paddings, value));
  }

  concat(xs: readonly TensorInfo[], axis: number, outShape: Shape): DataHandle {
    return this.fromRef(this.ref.concat(xs.map((x) => this.asRef(x)), axis, outShape));
  }

  gather(x: TensorInfo, indices: TensorInfo, axis: number, outShape: Shape): DataHandle {
    return this.fromRef(this.ref.gather(this.asRef(x), this.asRef(indices), axis, outShape));
  }

  scatterAdd(updates: TensorInfo, indices: TensorInfo, axis: number, outShape: Shape): DataHandle {
    return this.fromRef(this.ref.scatterAdd(this.asRef(updates), this.asRef(indices), axis, outShape));
  }

  broadcastTo(x: TensorInfo, outShape: Shape): DataHandle {
    return this.fromRef(this.ref.broadcastTo(this.asRef(x), outShape));
  }

  oneHot(indices: TensorInfo, depth: number, onValue: number, offValue: number): DataHandle {
    return this.fromRef(this.ref.oneHot(this.asRef(indices), depth, onValue, offValue));
  }

  softmax(x: TensorInfo): DataHandle {
    return this.softmaxRows(x, 0);
  }

  logSoftmax(x: TensorInfo): DataHandle {
    return this.softmaxRows(x, 1);
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
