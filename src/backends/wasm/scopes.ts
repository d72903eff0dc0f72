import type { DataHandle, TensorInfo } from '../../core/backend.js';
import type { DType, TypedArray } from '../../core/dtype.js';
import { KilnError } from '../../errors.js';
import { LinearMemory } from './memory.js';

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

/**
 * The lifetimes of tensors in linear memory: step scopes, staging of host data for kernels,
 * retained (variable) storage, and one reusable scratch area. Kernels see only addresses; this
 * decides when each block is released, so a training step's memory is reused by the next step.
 */
export class ScopedMemory {
  readonly mem: LinearMemory;
  private readonly scopes: Scope[] = [];
  // Only retained (variable) storage is left to the garbage collector.
  private readonly collector = new FinalizationRegistry<{ ptr: number; bytes: number }>((block) => this.mem.free(block.ptr, block.bytes));
  private scratchPtr = 0;
  private scratchBytes = 0;

  constructor(memory: WebAssembly.Memory, heapBase: number) {
    this.mem = new LinearMemory(memory, heapBase);
  }

  /** True while a step scope is open (so results stay in linear memory). */
  get inStep(): boolean {
    return this.scopes.length > 0;
  }

  /** True when the innermost scope is the implicit one around a single eager op. */
  get implicit(): boolean {
    return this.currentScope().implicit;
  }

  /** A new linear-memory handle in the current scope (every kernel runs inside one; see `run`). */
  alloc(size: number, dtype: DType): WasmHandle {
    const h = new WasmHandle(size, dtype);
    h.ptr = this.mem.alloc(h.bytes);
    this.currentScope().made.add(h);
    return h;
  }

  /** A handle whose elements stay on the JavaScript heap (results made outside any step). */
  host(values: TypedArray, dtype: DType): WasmHandle {
    const h = new WasmHandle(values.length, dtype);
    h.host = values;
    return h;
  }

  private currentScope(): Scope {
    const scope = this.scopes.at(-1);
    if (!scope) throw new KilnError('wasm backend: internal error: a kernel ran outside any scope');
    return scope;
  }

  /**
   * Runs one backend operation (a kernel that returns a handle, or an in-place update). Outside any
   * step it opens an implicit scope, so temporaries are released at once and the result moves to the host.
   */
  run<T extends DataHandle | void>(fn: () => T): T {
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
  ptr(x: TensorInfo | DataHandle): number {
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

  /** A scratch area of at least `bytes` (GEMM packing), reused across calls and grown geometrically. */
  scratch(bytes: number): number {
    if (bytes > this.scratchBytes) {
      if (this.scratchBytes) this.mem.free(this.scratchPtr, this.scratchBytes);
      this.scratchBytes = Math.max(bytes, this.scratchBytes * 2);
      this.scratchPtr = this.mem.alloc(this.scratchBytes);
    }
    return this.scratchPtr;
  }
}
