import type { KernelExports } from './abi.js';
import type { ScopedMemory } from './scopes.js';
import { GemmThreadPool, checkThreads, defaultThreads } from './thread_pool.js';

/**
 * Where a matrix product runs: on this thread, or split across the worker pool when the backend
 * was built with a compiled module (workers need it) and the product is large enough to gain.
 */
export class GemmDispatch {
  private pool: GemmThreadPool | null = null;
  private numThreads = defaultThreads();

  constructor(private readonly k: KernelExports, private readonly memory: ScopedMemory, private readonly module: WebAssembly.Module | null) {}

  /** Threads that share large matrix products (1 = this thread only). Workers start on first use. */
  setNumThreads(n: number): void {
    this.numThreads = checkThreads(n);
    this.pool?.resize(this.numThreads);
  }

  getNumThreads(): number {
    return this.module ? this.numThreads : 1;
  }

  /** C = op(A)·op(B) into `c` (addresses in linear memory). */
  gemm(a: number, b: number, c: number, m: number, n: number, k: number, transA: boolean, transB: boolean): void {
    const mem = this.memory.mem;
    if (this.module && this.numThreads > 1) {
      this.pool ??= new GemmThreadPool(this.k, this.module, mem.memory, (bytes) => mem.alloc(bytes), (p, bytes) => mem.free(p, bytes));
      if (this.pool.threads !== this.numThreads) this.pool.resize(this.numThreads);
      if (this.pool.gemm(a, b, c, m, n, k, transA, transB, (bytes) => this.memory.scratch(bytes))) return;
    }
    this.k.gemm(a, b, c, m, n, k, transA ? 1 : 0, transB ? 1 : 0, 0, this.memory.scratch(this.k.gemmScratchBytes(m, n, k)));
  }
}
