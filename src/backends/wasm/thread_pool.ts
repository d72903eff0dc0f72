import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { KilnError, ValueError } from '../../errors.js';
import type { KernelExports } from './abi.js';

/** Layout of a worker's control block (Int32 slots, then float64 task arguments). */
export const CTRL = { SEQ: 0, DONE: 1, STOP: 2, ARGS_BYTE_OFFSET: 16 } as const;
/** How long a worker spins (loop iterations, ~100 µs) before sleeping on Atomics.wait. */
export const SPIN_ITERATIONS = 20_000;
/**
 * Products below this many floating-point operations run on one thread. Measured on the 2-core
 * machine: handing W1's 3.2-MFLOP products to a worker made training 2× slower (the worker is often
 * asleep or descheduled when the product arrives); W2's 100–400 MFLOP products gain.
 */
export const PARALLEL_MIN_FLOPS = 16_000_000;

interface WorkerSlot {
  worker: Worker;
  ctrl: Int32Array;
  args: Float64Array;
  seq: number;
  scratch: number;
  scratchBytes: number;
}

/**
 * Splits large matrix products across threads that share the backend's linear memory.
 * The calling thread computes the first share itself; each worker computes a block of C's
 * columns (whole 8-column panels) with `gemmStrided`, into its own scratch area.
 */
export class GemmThreadPool {
  private readonly workers: WorkerSlot[] = [];
  /** A worker's startup or runtime error, reported on the next wait instead of a silent hang. */
  private failure: Error | null = null;

  constructor(
    private readonly k: KernelExports,
    private readonly module: WebAssembly.Module,
    private readonly memory: WebAssembly.Memory,
    private readonly alloc: (bytes: number) => number,
    private readonly free: (ptr: number, bytes: number) => void,
  ) {}

  get threads(): number {
    return this.workers.length + 1;
  }

  /** Starts or stops workers so `n` threads (the caller included) share large products. */
  resize(n: number): void {
    while (this.workers.length > n - 1) this.stopWorker(this.workers.pop()!);
    while (this.workers.length < n - 1) this.workers.push(this.startWorker());
  }

  private startWorker(): WorkerSlot {
    const control = new SharedArrayBuffer(CTRL.ARGS_BYTE_OFFSET + 16 * 8);
    const worker = new Worker(new URL('./gemm_worker.js', import.meta.url), {
      workerData: { module: this.module, memory: this.memory, control },
    });
    // Idle workers never keep the process alive.
    worker.unref();
    worker.on('error', (e) => (this.failure = e));
    return { worker, ctrl: new Int32Array(control), args: new Float64Array(control, CTRL.ARGS_BYTE_OFFSET), seq: 0, scratch: 0, scratchBytes: 0 };
  }

  private stopWorker(slot: WorkerSlot): void {
    Atomics.store(slot.ctrl, CTRL.STOP, 1);
    Atomics.add(slot.ctrl, CTRL.SEQ, 1);
    Atomics.notify(slot.ctrl, CTRL.SEQ);
    if (slot.scratchBytes) this.free(slot.scratch, slot.scratchBytes);
  }

  /**
   * C[m×n] = op(A)·op(B), split by columns when worth it. Returns false when the product is too
   * small to share (the caller then runs it on one thread).
   */
  gemm(a: number, b: number, c: number, m: number, n: number, k: number, transA: boolean, transB: boolean, scratch: (bytes: number) => number): boolean {
    const parts = this.workers.length + 1;
    if (parts === 1 || 2 * m * n * k < PARALLEL_MIN_FLOPS || n < 16 * parts) return false;
    // Whole 8-column panels per part, the caller taking the remainder-free first share.
    const panel = 8;
    const perPart = Math.ceil(n / panel / parts) * panel;
    const lda = transA ? m : k;
    const ldb = transB ? k : n;
    const started: WorkerSlot[] = [];
    for (let p = 1; p < parts; p++) {
      const j0 = p * perPart;
      if (j0 >= n) break;
      const cols = Math.min(n, j0 + perPart) - j0;
      const slot = this.workers[p - 1]!;
      const need = this.k.gemmScratchBytes(m, cols, k);
      if (need > slot.scratchBytes) {
        if (slot.scratchBytes) this.free(slot.scratch, slot.scratchBytes);
        slot.scratchBytes = Math.max(need, slot.scratchBytes * 2);
        slot.scratch = this.alloc(slot.scratchBytes);
      }
      const bOffset = transB ? j0 * ldb : j0;
      slot.args.set([a, lda, b + 4 * bOffset, ldb, c + 4 * j0, n, m, cols, k, transA ? 1 : 0, transB ? 1 : 0, 0, slot.scratch]);
      slot.seq = Atomics.add(slot.ctrl, CTRL.SEQ, 1) + 1;
      Atomics.notify(slot.ctrl, CTRL.SEQ);
      started.push(slot);
    }
    const cols0 = Math.min(n, perPart);
    this.k.gemmStrided(a, lda, b, ldb, c, n, m, cols0, k, transA ? 1 : 0, transB ? 1 : 0, 0, scratch(this.k.gemmScratchBytes(m, cols0, k)));
    for (const slot of started) this.waitFor(slot);
    return true;
  }

  private waitFor(slot: WorkerSlot): void {
    let spins = 0;
    while (Atomics.load(slot.ctrl, CTRL.DONE) !== slot.seq) {
      if (this.failure) throw new KilnError(`wasm backend: a GEMM worker thread failed: ${this.failure.message}`);
      if (++spins > SPIN_ITERATIONS) {
        // The worker may be waking from sleep; block (the main thread may wait in Node) but not forever.
        if (Atomics.wait(slot.ctrl, CTRL.DONE, Atomics.load(slot.ctrl, CTRL.DONE), 10_000) === 'timed-out' && Atomics.load(slot.ctrl, CTRL.DONE) !== slot.seq) {
          throw new KilnError('wasm backend: a GEMM worker thread did not answer within 10 s');
        }
        spins = 0;
      }
    }
  }
}

/** The default thread count: the cores Node may use. */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

export function checkThreads(n: unknown): number {
  if (!Number.isInteger(n) || (n as number) < 1) throw new ValueError(`setNumThreads: expected a positive integer, found ${JSON.stringify(n)}`);
  return n as number;
}
