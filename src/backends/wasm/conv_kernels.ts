import type { Conv2DInfo, Pool2DInfo, TensorInfo } from '../../core/backend.js';
import type { KernelExports } from './abi.js';
import type { GemmDispatch } from './gemm_dispatch.js';
import type { ScopedMemory, WasmHandle } from './scopes.js';

/**
 * Convolution on the WebAssembly backend as matrix products: im2col gathers each output
 * position's patch into a row, so conv2d = cols · W ([M, K] · [K, O] with M = N·outH·outW and
 * K = kH·kW·C/groups), the filter gradient = colsᵀ · dy and the input gradient = col2im(dy · Wᵀ).
 * The products run on the packed GEMM (threaded for large ones, like dense layers); a grouped
 * convolution is one strided product per group on column blocks of W, dy and the output.
 * The patch matrix is built in chunks of output rows so its memory stays bounded on large images.
 */

/** Largest patch-matrix chunk, in floats (64 MiB): large images are processed in row blocks. */
const MAX_COLS_FLOATS = 16 * 1024 * 1024;

export class ConvKernels {
  constructor(private readonly k: KernelExports, private readonly memory: ScopedMemory, private readonly products: GemmDispatch) {}

  /** Runs `fn(m0, m1, cols)` over row chunks of the patch matrix (K floats per row), with a temporary buffer. */
  private chunks(p: Conv2DInfo, rowFloats: number, fn: (m0: number, m1: number, cols: number) => void): void {
    const M = p.batch * p.outH * p.outW;
    const rows = Math.max(1, Math.min(M, Math.floor(MAX_COLS_FLOATS / Math.max(rowFloats, 1))));
    const bytes = Math.max(rows * rowFloats, 1) * 4;
    const cols = this.memory.mem.alloc(bytes);
    try {
      for (let m0 = 0; m0 < M; m0 += rows) fn(m0, Math.min(M, m0 + rows), cols);
    } finally {
      this.memory.mem.free(cols, bytes);
    }
  }

  /** Patch rows [m0, m1) of group channels starting at c0, from x into cols. */
  private im2col(x: number, cols: number, p: Conv2DInfo, c0: number, m0: number, m1: number): void {
    this.k.im2col(x, cols, p.inH, p.inW, p.inC, p.kH, p.kW, p.outH, p.outW, p.strideH, p.strideW, p.dilationH, p.dilationW, p.padTop, p.padLeft, c0, p.inC / p.groups, m0, m1);
  }

  /** The adjoint of im2col: adds patch rows [m0, m1) from cols back onto dx. */
  private col2im(cols: number, dx: number, p: Conv2DInfo, c0: number, m0: number, m1: number): void {
    this.k.col2im(cols, dx, p.inH, p.inW, p.inC, p.kH, p.kW, p.outH, p.outW, p.strideH, p.strideW, p.dilationH, p.dilationW, p.padTop, p.padLeft, c0, p.inC / p.groups, m0, m1);
  }

  private strided(a: number, lda: number, b: number, ldb: number, c: number, ldc: number, m: number, n: number, k: number, tA: boolean, tB: boolean, acc: boolean): void {
    const scratch = this.memory.scratch(this.k.gemmScratchBytes(m, n, k));
    this.k.gemmStrided(a, lda, b, ldb, c, ldc, m, n, k, tA ? 1 : 0, tB ? 1 : 0, acc ? 1 : 0, scratch);
  }

  conv2d(x: TensorInfo, w: TensorInfo, p: Conv2DInfo, out: WasmHandle): void {
    const O = p.outC;
    const G = p.groups;
    const og = O / G;
    const kg = p.kH * p.kW * (p.inC / G);
    if (out.size === 0) return;
    if (kg === 0) return void this.memory.view(out).fill(0);
    const px = this.memory.ptr(x);
    const pw = this.memory.ptr(w);
    this.chunks(p, kg, (m0, m1, cols) => {
      for (let g = 0; g < G; g++) {
        this.im2col(px, cols, p, g * (p.inC / G), m0, m1);
        const c = out.ptr + 4 * (m0 * O + g * og);
        if (G === 1) this.products.gemm(cols, pw, c, m1 - m0, O, kg, false, false);
        else this.strided(cols, kg, pw + 4 * g * og, O, c, O, m1 - m0, og, kg, false, false, false);
      }
    });
  }

  conv2dBackpropInput(dy: TensorInfo, w: TensorInfo, p: Conv2DInfo, dx: WasmHandle): void {
    const O = p.outC;
    const G = p.groups;
    const og = O / G;
    const kg = p.kH * p.kW * (p.inC / G);
    this.memory.view(dx).fill(0);
    if (dx.size === 0 || kg === 0 || og === 0) return;
    const pdy = this.memory.ptr(dy);
    const pw = this.memory.ptr(w);
    this.chunks(p, kg, (m0, m1, cols) => {
      for (let g = 0; g < G; g++) {
        const a = pdy + 4 * (m0 * O + g * og);
        // Patch gradients: dcols[m, K] = dy[m, group's O] · W[K, group's O]ᵀ, then added back onto dx.
        if (G === 1) this.products.gemm(a, pw, cols, m1 - m0, kg, O, false, true);
        else this.strided(a, O, pw + 4 * g * og, O, cols, kg, m1 - m0, kg, og, false, true, false);
        this.col2im(cols, dx.ptr, p, g * (p.inC / G), m0, m1);
      }
    });
  }

  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, p: Conv2DInfo, dw: WasmHandle): void {
    const O = p.outC;
    const G = p.groups;
    const og = O / G;
    const kg = p.kH * p.kW * (p.inC / G);
    const M = p.batch * p.outH * p.outW;
    if (dw.size === 0) return;
    if (M === 0) return void this.memory.view(dw).fill(0);
    const px = this.memory.ptr(x);
    const pdy = this.memory.ptr(dy);
    this.chunks(p, kg, (m0, m1, cols) => {
      for (let g = 0; g < G; g++) {
        this.im2col(px, cols, p, g * (p.inC / G), m0, m1);
        const b = pdy + 4 * (m0 * O + g * og);
        const c = dw.ptr + 4 * g * og;
        // dW[K, O] (+)= colsᵀ · dy; later chunks accumulate onto the first.
        if (G === 1 && m0 === 0) this.products.gemm(cols, b, c, kg, O, m1 - m0, true, false);
        else this.strided(cols, kg, b, O, c, O, kg, og, m1 - m0, true, false, m0 > 0);
      }
    });
  }

  maxPool2d(x: TensorInfo, p: Pool2DInfo, out: WasmHandle): void {
    if (out.size) this.k.maxPool2d(this.memory.ptr(x), out.ptr, ...poolArgs(p));
  }

  avgPool2d(x: TensorInfo, p: Pool2DInfo, out: WasmHandle): void {
    if (out.size) this.k.avgPool2d(this.memory.ptr(x), out.ptr, ...poolArgs(p));
  }

  maxPool2dGrad(x: TensorInfo, dy: TensorInfo, p: Pool2DInfo, dx: WasmHandle): void {
    if (dx.size) this.k.maxPool2dGrad(this.memory.ptr(x), this.memory.ptr(dy), dx.ptr, ...poolArgs(p));
  }

  avgPool2dGrad(dy: TensorInfo, p: Pool2DInfo, dx: WasmHandle): void {
    if (dx.size) this.k.avgPool2dGrad(this.memory.ptr(dy), dx.ptr, ...poolArgs(p));
  }
}

function poolArgs(p: Pool2DInfo): [number, number, number, number, number, number, number, number, number, number, number, number] {
  return [p.batch, p.inH, p.inW, p.channels, p.poolH, p.poolW, p.outH, p.outW, p.strideH, p.strideW, p.padTop, p.padLeft];
}
