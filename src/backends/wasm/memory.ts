import { KilnError } from '../../errors.js';

const PAGE = 65536;
const ALIGN = 16;

/**
 * The WebAssembly backend's allocator over one shared `WebAssembly.Memory`.
 *
 * Blocks are rounded up to size classes (16-byte steps up to 1 KiB, then four classes per power of
 * two) and freed blocks go to a free list per class, so a training step that frees its
 * intermediates at the end gets exactly the same blocks back on the next step: after the first
 * step, memory does not grow and allocation is a pop from a list.
 */
export class LinearMemory {
  private top: number;
  private readonly freeLists = new Map<number, number[]>();
  private f32View: Float32Array;
  private i32View: Int32Array;
  private u8View: Uint8Array;
  /** Bytes handed out and not yet freed (for tests and the memory-flatness check). */
  liveBytes = 0;

  constructor(readonly memory: WebAssembly.Memory, heapBase: number) {
    this.top = roundUp(Math.max(heapBase, ALIGN), ALIGN);
    this.f32View = new Float32Array(memory.buffer);
    this.i32View = new Int32Array(memory.buffer);
    this.u8View = new Uint8Array(memory.buffer);
  }

  /** Returns a 16-byte-aligned block of at least `bytes` bytes (its class size is `sizeClass(bytes)`). */
  alloc(bytes: number): number {
    const size = sizeClass(bytes);
    const list = this.freeLists.get(size);
    this.liveBytes += size;
    if (list && list.length > 0) return list.pop()!;
    const ptr = this.top;
    // Grow first and move the top only on success: a refused request leaves the heap usable.
    try {
      this.ensureCapacity(ptr + size);
    } catch (e) {
      this.liveBytes -= size;
      throw e;
    }
    this.top = ptr + size;
    return ptr;
  }

  free(ptr: number, bytes: number): void {
    const size = sizeClass(bytes);
    this.liveBytes -= size;
    let list = this.freeLists.get(size);
    if (!list) this.freeLists.set(size, (list = []));
    list.push(ptr);
  }

  /** Total bytes of linear memory in use by the heap (high-water mark). */
  get highWater(): number {
    return this.top;
  }

  private ensureCapacity(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    // Grow geometrically so a growing model does not pay for a grow per allocation.
    const wantPages = Math.ceil(Math.max(end, have * 1.5) / PAGE) - have / PAGE;
    try {
      this.memory.grow(wantPages);
    } catch {
      try {
        this.memory.grow(Math.ceil((end - have) / PAGE));
      } catch {
        throw new KilnError(`wasm backend: out of WebAssembly memory (needed ${end} bytes, have ${have}); the maximum is 4 GiB`);
      }
    }
    this.refreshViews();
  }

  private refreshViews(): void {
    this.f32View = new Float32Array(this.memory.buffer);
    this.i32View = new Int32Array(this.memory.buffer);
    this.u8View = new Uint8Array(this.memory.buffer);
  }

  /** A float32 view of `n` elements at `ptr` (valid until the next allocation that grows memory). */
  f32(ptr: number, n: number): Float32Array {
    if (this.f32View.buffer.byteLength !== this.memory.buffer.byteLength) this.refreshViews();
    return this.f32View.subarray(ptr >> 2, (ptr >> 2) + n);
  }

  i32(ptr: number, n: number): Int32Array {
    if (this.i32View.buffer.byteLength !== this.memory.buffer.byteLength) this.refreshViews();
    return this.i32View.subarray(ptr >> 2, (ptr >> 2) + n);
  }

  bytes(ptr: number, n: number): Uint8Array {
    if (this.u8View.buffer.byteLength !== this.memory.buffer.byteLength) this.refreshViews();
    return this.u8View.subarray(ptr, ptr + n);
  }
}

function roundUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}

/** Size classes: 16-byte steps to 1 KiB, then 4 per power of two (at most 25% waste). */
export function sizeClass(bytes: number): number {
  const b = Math.max(bytes, ALIGN);
  if (b <= 1024) return roundUp(b, ALIGN);
  const pow = 2 ** Math.floor(Math.log2(b));
  const step = pow / 4;
  return roundUp(b, step);
}
