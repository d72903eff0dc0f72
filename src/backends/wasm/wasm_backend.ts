import type { AdamParams, Backend, BinaryOp, Conv2DInfo, DataHandle, DenseActivation, Pool2DInfo, ReduceOp, SgdParams, TensorInfo, UnaryOp } from '../../core/backend.js';
import { ConvKernels } from './conv_kernels.js';
import type { DType, TypedArray } from '../../core/dtype.js';
import type { Shape } from '../../core/shape.js';
import { shapesEqual, sizeOf } from '../../core/shape.js';
import type { KernelExports } from './abi.js';
import { BINARY_CODES, BroadcastMode, REDUCE_CODES, UNARY_CODES } from './abi.js';
import { ReferenceFallback } from './fallback.js';
import { GemmDispatch } from './gemm_dispatch.js';
import { broadcastMode, contiguousBlock } from './layout.js';
import { ScopedMemory } from './scopes.js';

const UNARY_INDEX = new Map<string, number>(UNARY_CODES.map((n, i) => [n, i]));
const BINARY_INDEX = new Map<string, number>(BINARY_CODES.map((n, i) => [n, i]));
const REDUCE_INDEX = new Map<string, number>(REDUCE_CODES.map((n, i) => [n, i]));

/**
 * The WebAssembly SIMD backend: which kernel each op runs, on what addresses. Inside a step (each
 * fit/evaluate/predict batch runs in a step scope) tensors live in one shared linear memory and
 * kernels run on it with no copies in or out (`scopes.ts` decides lifetimes); shapes a kernel
 * cannot address (`layout.ts`) and ops without a kernel run the reference loops (`fallback.ts`).
 */
export class WasmBackend implements Backend {
  readonly name = 'wasm';
  private readonly memory: ScopedMemory;
  private readonly fallback: ReferenceFallback;
  private readonly products: GemmDispatch;
  private readonly convs: ConvKernels;

  constructor(readonly k: KernelExports, memory: WebAssembly.Memory, heapBase: number, module: WebAssembly.Module | null = null) {
    this.memory = new ScopedMemory(memory, heapBase);
    this.fallback = new ReferenceFallback(this.memory);
    this.products = new GemmDispatch(k, this.memory, module);
    this.convs = new ConvKernels(k, this.memory, this.products);
  }

  setNumThreads(n: number): void {
    this.products.setNumThreads(n);
  }

  getNumThreads(): number {
    return this.products.getNumThreads();
  }

  // ---- storage and scopes (see scopes.ts) ---------------------------------------------------

  beginScope(): void {
    this.memory.beginScope();
  }

  endScope(keep: readonly DataHandle[]): void {
    this.memory.endScope(keep);
  }

  retain(handle: DataHandle): void {
    this.memory.retain(handle);
  }

  upload(values: TypedArray, dtype: DType): DataHandle {
    if (!this.memory.inStep) return this.memory.host(values.slice(), dtype);
    const h = this.memory.alloc(values.length, dtype);
    this.memory.view(h).set(values);
    return h;
  }

  read(x: TensorInfo): TypedArray {
    return this.memory.view(x).slice();
  }

  peek(x: TensorInfo): TypedArray {
    return this.memory.view(x);
  }

  writeInto(target: DataHandle, source: DataHandle): void {
    this.memory.view(target).set(this.memory.view(source));
  }

  fill(size: number, value: number, dtype: DType): DataHandle {
    if (!this.memory.inStep) {
      const host = dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
      if (value !== 0) host.fill(value);
      return this.memory.host(host, dtype);
    }
    const h = this.memory.alloc(size, dtype);
    this.memory.view(h).fill(value);
    return h;
  }

  // ---- kernels ------------------------------------------------------------------------------

  cast(x: TensorInfo, dtype: DType): DataHandle {
    return this.memory.run(() => {
      return this.fallback.output(this.fallback.ref.cast(this.fallback.input(x), dtype));
    });
  }

  unary(op: UnaryOp, x: TensorInfo): DataHandle {
    return this.memory.run(() => {
      if (x.dtype !== 'float32') return this.fallback.output(this.fallback.ref.unary(op, this.fallback.input(x)));
      const out = this.memory.alloc(x.handle.size, 'float32');
      this.k.unary(UNARY_INDEX.get(op)!, this.memory.ptr(x), out.ptr, x.handle.size);
      return out;
    });
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape, dtype: DType): DataHandle {
    return this.memory.run(() => {
      const mode = a.dtype === 'float32' && b.dtype === 'float32' && dtype === 'float32' ? broadcastMode(a.shape, b.shape, outShape) : null;
      if (!mode) return this.fallback.output(this.fallback.ref.binary(op, this.fallback.input(a), this.fallback.input(b), outShape, dtype));
      const n = sizeOf(outShape);
      const out = this.memory.alloc(n, 'float32');
      this.k.binary(BINARY_INDEX.get(op)!, this.memory.ptr(a), this.memory.ptr(b), out.ptr, n, mode[0], mode[1]);
      return out;
    });
  }

  select(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): DataHandle {
    return this.memory.run(() => {
      const n = sizeOf(outShape);
      const same = cond.handle.size === n && a.handle.size === n && b.handle.size === n;
      if (!same || cond.dtype !== 'float32' || a.dtype !== 'float32') {
        return this.fallback.output(this.fallback.ref.select(this.fallback.input(cond), this.fallback.input(a), this.fallback.input(b), outShape));
      }
      const out = this.memory.alloc(n, 'float32');
      this.k.select(this.memory.ptr(cond), this.memory.ptr(a), this.memory.ptr(b), out.ptr, n);
      return out;
    });
  }

  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): DataHandle {
    return this.memory.run(() => {
      const block = contiguousBlock(x.shape, axes);
      if (!block || x.dtype !== 'float32') return this.fallback.output(this.fallback.ref.reduce(op, this.fallback.input(x), axes));
      const [outer, mid, inner] = block;
      const out = this.memory.alloc(outer * inner, 'float32');
      this.k.reduce(REDUCE_INDEX.get(op)!, this.memory.ptr(x), out.ptr, outer, mid, inner);
      return out;
    });
  }

  argMax(x: TensorInfo, axis: number): DataHandle {
    return this.memory.run(() => {
      if (x.dtype !== 'float32') return this.fallback.output(this.fallback.ref.argMax(this.fallback.input(x), axis));
      const outer = sizeOf(x.shape.slice(0, axis));
      const inner = sizeOf(x.shape.slice(axis + 1));
      const out = this.memory.alloc(outer * inner, 'int32');
      this.k.argMax(this.memory.ptr(x), out.ptr, outer, x.shape[axis]!, inner);
      return out;
    });
  }

  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, outShape: Shape): DataHandle {
    return this.memory.run(() => {
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
      if (!simple) return this.fallback.output(this.fallback.ref.matmul(this.fallback.input(a), this.fallback.input(b), transposeA, transposeB, outShape));
      const out = this.memory.alloc(batches * m * n, 'float32');
      if (m * n === 0) return out;
      if (k === 0) {
        this.memory.view(out).fill(0);
        return out;
      }
      const pa = this.memory.ptr(a);
      const pb = this.memory.ptr(b);
      for (let i = 0; i < batches; i++) {
        this.products.gemm(pa + 4 * i * aStride, pb + 4 * i * bStride, out.ptr + 4 * i * m * n, m, n, k, transposeA, transposeB);
      }
      return out;
    });
  }

  transpose(x: TensorInfo, perm: readonly number[]): DataHandle {
    return this.memory.run(() => {
      const r = perm.length;
      const swapsLastTwo = r >= 2 && perm[r - 1] === r - 2 && perm[r - 2] === r - 1 && perm.slice(0, -2).every((p, i) => p === i);
      if (!swapsLastTwo || x.dtype !== 'float32') return this.fallback.output(this.fallback.ref.transpose(this.fallback.input(x), perm));
      const rows = x.shape[r - 2]!;
      const cols = x.shape[r - 1]!;
      const out = this.memory.alloc(x.handle.size, 'float32');
      this.k.transpose2d(this.memory.ptr(x), out.ptr, sizeOf(x.shape.slice(0, -2)), rows, cols);
      return out;
    });
  }

  slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): DataHandle {
    return this.memory.run(() => {
      // A slice of whole leading rows is one contiguous copy (batches in fit/predict).
      if (begin.slice(1).every((b) => b === 0) && size.slice(1).every((s, i) => s === x.shape[i + 1])) {
        const row = sizeOf(x.shape.slice(1));
        const out = this.memory.alloc(sizeOf(size), x.dtype);
        this.memory.view(out).set(this.memory.view(x).subarray(begin[0]! * row, (begin[0]! + size[0]!) * row));
        return out;
      }
      return this.fallback.output(this.fallback.ref.slice(this.fallback.input(x), begin, size));
    });
  }

  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], value: number): DataHandle {
    return this.memory.run(() => {
      return this.fallback.output(this.fallback.ref.pad(this.fallback.input(x), paddings, value));
    });
  }

  concat(xs: readonly TensorInfo[], axis: number, outShape: Shape): DataHandle {
    return this.memory.run(() => {
      return this.fallback.output(this.fallback.ref.concat(xs.map((x) => this.fallback.input(x)), axis, outShape));
    });
  }

  gather(x: TensorInfo, indices: TensorInfo, axis: number, outShape: Shape): DataHandle {
    return this.memory.run(() => {
      if (axis !== 0) return this.fallback.output(this.fallback.ref.gather(this.fallback.input(x), this.fallback.input(indices), axis, outShape));
      // Whole rows (shuffled batches): one memory.copy per index, straight into the output.
      const out = this.memory.alloc(sizeOf(outShape), x.dtype);
      this.k.gatherRows(this.memory.ptr(x), this.memory.ptr(indices), out.ptr, indices.handle.size, sizeOf(x.shape.slice(1)));
      return out;
    });
  }

  scatterAdd(updates: TensorInfo, indices: TensorInfo, axis: number, outShape: Shape): DataHandle {
    return this.memory.run(() => {
      return this.fallback.output(this.fallback.ref.scatterAdd(this.fallback.input(updates), this.fallback.input(indices), axis, outShape));
    });
  }

  broadcastTo(x: TensorInfo, outShape: Shape): DataHandle {
    return this.memory.run(() => {
      // Scalar, row and column broadcasts (the gradients of sums and means) are plain fills and copies.
      const mode = broadcastMode(outShape, x.shape, outShape);
      if (mode && mode[0] !== BroadcastMode.SAME) {
        const n = sizeOf(outShape);
        const out = this.memory.alloc(n, x.dtype);
        const dst = this.memory.view(out);
        const src = this.memory.view(x);
        if (mode[0] === BroadcastMode.B_SCALAR) dst.fill(src[0]!);
        else if (mode[0] === BroadcastMode.B_ROW) for (let i = 0; i < n; i += mode[1]) dst.set(src, i);
        else for (let r = 0, inner = mode[1]; r * inner < n; r++) dst.fill(src[r]!, r * inner, (r + 1) * inner);
        return out;
      }
      return this.fallback.output(this.fallback.ref.broadcastTo(this.fallback.input(x), outShape));
    });
  }

  oneHot(indices: TensorInfo, depth: number, onValue: number, offValue: number): DataHandle {
    return this.memory.run(() => {
      const out = this.memory.alloc(indices.handle.size * depth, 'float32');
      this.k.oneHot(this.memory.ptr(indices), out.ptr, indices.handle.size, depth, onValue, offValue);
      return out;
    });
  }

  dense(x: TensorInfo, w: TensorInfo, bias: TensorInfo | null, activation: DenseActivation, outShape: Shape): DataHandle {
    return this.memory.run(() => {
      const [m, k] = x.shape as [number, number];
      const n = outShape[1]!;
      const out = this.memory.alloc(m * n, 'float32');
      if (m * n === 0) return out;
      if (k === 0) this.memory.view(out).fill(0);
      else this.products.gemm(this.memory.ptr(x), this.memory.ptr(w), out.ptr, m, n, k, false, false);
      // Bias and activation in place on the product: no temporaries.
      if (bias) this.k.binary(BINARY_INDEX.get('add')!, out.ptr, this.memory.ptr(bias), out.ptr, m * n, BroadcastMode.B_ROW, n);
      if (activation !== 'linear') this.k.unary(UNARY_INDEX.get(activation)!, out.ptr, out.ptr, m * n);
      return out;
    });
  }

  sparseSoftmaxCrossEntropy(logits: TensorInfo, labels: TensorInfo): DataHandle {
    return this.memory.run(() => {
      const n = logits.shape[logits.shape.length - 1]!;
      const rows = labels.handle.size;
      if (n === 0) return this.fallback.output(this.fallback.ref.sparseSoftmaxCrossEntropy(this.fallback.input(logits), this.fallback.input(labels)));
      const out = this.memory.alloc(rows, 'float32');
      this.k.sparseSoftmaxCrossEntropy(this.memory.ptr(logits), this.memory.ptr(labels), out.ptr, rows, n);
      return out;
    });
  }

  sparseSoftmaxCrossEntropyGrad(logits: TensorInfo, labels: TensorInfo, dy: TensorInfo): DataHandle {
    return this.memory.run(() => {
      const n = logits.shape[logits.shape.length - 1]!;
      const rows = labels.handle.size;
      if (n === 0 || dy.handle.size !== rows) {
        return this.fallback.output(this.fallback.ref.sparseSoftmaxCrossEntropyGrad(this.fallback.input(logits), this.fallback.input(labels), this.fallback.input(dy)));
      }
      const out = this.memory.alloc(rows * n, 'float32');
      this.k.sparseSoftmaxCrossEntropyGrad(this.memory.ptr(logits), this.memory.ptr(labels), this.memory.ptr(dy), out.ptr, rows, n);
      return out;
    });
  }

  // ---- convolution and pooling (conv_kernels.ts: im2col + GEMM, SIMD pooling kernels) ---------

  conv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataHandle {
    return this.memory.run(() => {
      const out = this.memory.alloc(info.batch * info.outH * info.outW * info.outC, 'float32');
      this.convs.conv2d(x, filter, info, out);
      return out;
    });
  }

  conv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataHandle {
    return this.memory.run(() => {
      const dx = this.memory.alloc(info.batch * info.inH * info.inW * info.inC, 'float32');
      this.convs.conv2dBackpropInput(dy, filter, info, dx);
      return dx;
    });
  }

  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataHandle {
    return this.memory.run(() => {
      const dw = this.memory.alloc(info.kH * info.kW * (info.inC / info.groups) * info.outC, 'float32');
      this.convs.conv2dBackpropFilter(x, dy, info, dw);
      return dw;
    });
  }

  maxPool2d(x: TensorInfo, info: Pool2DInfo): DataHandle {
    return this.memory.run(() => {
      const out = this.memory.alloc(info.batch * info.outH * info.outW * info.channels, 'float32');
      this.convs.maxPool2d(x, info, out);
      return out;
    });
  }

  avgPool2d(x: TensorInfo, info: Pool2DInfo): DataHandle {
    return this.memory.run(() => {
      const out = this.memory.alloc(info.batch * info.outH * info.outW * info.channels, 'float32');
      this.convs.avgPool2d(x, info, out);
      return out;
    });
  }

  maxPool2dGrad(x: TensorInfo, dy: TensorInfo, info: Pool2DInfo): DataHandle {
    return this.memory.run(() => {
      const dx = this.memory.alloc(info.batch * info.inH * info.inW * info.channels, 'float32');
      this.convs.maxPool2dGrad(x, dy, info, dx);
      return dx;
    });
  }

  avgPool2dGrad(dy: TensorInfo, info: Pool2DInfo): DataHandle {
    return this.memory.run(() => {
      const dx = this.memory.alloc(info.batch * info.inH * info.inW * info.channels, 'float32');
      this.convs.avgPool2dGrad(dy, info, dx);
      return dx;
    });
  }

  adamUpdate(variable: DataHandle, m: DataHandle, v: DataHandle, grad: TensorInfo, p: AdamParams): void {
    this.memory.run(() =>
      this.k.adamUpdate(this.memory.ptr(variable), this.memory.ptr(m), this.memory.ptr(v), this.memory.ptr(grad), variable.size, p.lr, p.beta1, p.beta2, p.epsilon, p.beta1Power, p.beta2Power),
    );
  }

  sgdUpdate(variable: DataHandle, velocity: DataHandle | null, grad: TensorInfo, p: SgdParams): void {
    this.memory.run(() =>
      this.k.sgdUpdate(this.memory.ptr(variable), velocity ? this.memory.ptr(velocity) : 0, this.memory.ptr(grad), variable.size, p.lr, velocity ? p.momentum : 0, p.nesterov ? 1 : 0),
    );
  }

  softmax(x: TensorInfo): DataHandle {
    return this.memory.run(() => {
      return this.softmaxRows(x, 0);
    });
  }

  logSoftmax(x: TensorInfo): DataHandle {
    return this.memory.run(() => {
      return this.softmaxRows(x, 1);
    });
  }

  private softmaxRows(x: TensorInfo, log: number): DataHandle {
    const n = x.shape[x.shape.length - 1] ?? 1;
    const out = this.memory.alloc(x.handle.size, 'float32');
    if (n > 0) this.k.softmax(this.memory.ptr(x), out.ptr, x.handle.size / n, n, log);
    return out;
  }
}
