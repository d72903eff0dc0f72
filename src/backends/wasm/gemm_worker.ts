import { parentPort, workerData } from 'node:worker_threads';
import type { KernelExports } from './abi.js';
import { CTRL, SPIN_ITERATIONS } from './thread_pool.js';

/**
 * A GEMM worker: instantiates the kernels on the shared linear memory and waits for tasks in its
 * control slots. It spins for a while after each task (a training step issues several products in
 * quick succession; waking a sleeping thread costs ~50 µs, as much as a small GEMM) and then
 * sleeps on Atomics.wait until the next one.
 */
const { module, memory, control } = workerData as { module: WebAssembly.Module; memory: WebAssembly.Memory; control: SharedArrayBuffer };
const k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
const ctrl = new Int32Array(control);
const args = new Float64Array(control, CTRL.ARGS_BYTE_OFFSET);

// Start from the block's initial sequence number, not the current one: the first task may have
// been posted before this thread finished starting.
let seen = 0;
for (;;) {
  let spins = 0;
  while (Atomics.load(ctrl, CTRL.SEQ) === seen) {
    if (++spins > SPIN_ITERATIONS) {
      Atomics.wait(ctrl, CTRL.SEQ, seen);
      spins = 0;
    }
  }
  seen = Atomics.load(ctrl, CTRL.SEQ);
  if (Atomics.load(ctrl, CTRL.STOP) === 1) break;
  const a = args;
  k.gemmStrided(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, a[11]!, a[12]!);
  Atomics.store(ctrl, CTRL.DONE, seen);
  Atomics.notify(ctrl, CTRL.DONE);
}
parentPort?.close();
