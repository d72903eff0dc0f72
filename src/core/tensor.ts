import type { Backend, DataHandle, TensorInfo } from './backend.js';
import type { DType, TypedArray } from './dtype.js';
import type { Shape } from './shape.js';
import { formatShape, sizeOf } from './shape.js';
import { ShapeError } from '../errors.js';

/** Nested arrays as returned by `array()`: a number for a scalar, arrays of arrays otherwise. */
export type NestedArray = number | NestedArray[];

/** The ranks `array(rank)` types (tfjs's `ArrayMap`); higher ranks use `array()`'s NestedArray. */
export type Rank = 0 | 1 | 2 | 3 | 4 | 5 | 6;
/** The nested-array type of each rank: 0 → number, 1 → number[], 2 → number[][], … */
export interface ArrayOfRank {
  0: number;
  1: number[];
  2: number[][];
  3: number[][][];
  4: number[][][][];
  5: number[][][][][];
  6: number[][][][][][];
}

/** How a tensor was computed, kept only while gradients are being recorded. */
export interface GradNode {
  readonly primitive: string;
  readonly inputs: readonly Tensor[];
  readonly attrs: unknown;
}

let nextId = 0;

/**
 * An immutable n-dimensional array of float32 or int32 elements, living in a backend's memory.
 * Memory is released by the garbage collector: there is no `dispose()` to call.
 *
 * ```ts
 * const t = kiln.tensor([[1, 2], [3, 4]]);
 * t.shape;          // [2, 2]
 * await t.array();  // [[1, 2], [3, 4]]
 * ```
 */
export class Tensor implements TensorInfo {
  readonly id = nextId++;
  /** Set while this tensor takes part in a gradient computation. */
  requiresGrad = false;
  /** The primitive that produced this tensor, when gradients were being recorded. */
  node: GradNode | null = null;

  constructor(
    protected _handle: DataHandle,
    readonly shape: Shape,
    readonly dtype: DType,
    protected _backend: Backend,
  ) {}

  get handle(): DataHandle {
    return this._handle;
  }
  get backend(): Backend {
    return this._backend;
  }
  get rank(): number {
    return this.shape.length;
  }
  get size(): number {
    return sizeOf(this.shape);
  }

  /** The elements as a fresh typed array (row-major). */
  dataSync(): TypedArray {
    return this._backend.read(this);
  }
  /** The elements without a copy where the backend allows it: read-only, valid until the next op (kiln-internal). */
  peekSync(): TypedArray {
    return this._backend.peek?.(this) ?? this._backend.read(this);
  }
  /** The elements as a fresh typed array; async like tfjs so code ports unchanged. */
  async data(): Promise<TypedArray> {
    return this.dataSync();
  }
  /**
   * The elements as nested arrays matching the shape (a number for a scalar). Pass the rank you
   * expect to get a typed result: it is checked, so the type cannot lie (a ShapeError otherwise).
   *
   * ```ts
   * const rows: number[][] = kiln.zeros([2, 3]).arraySync(2);
   * kiln.zeros([2, 3]).arraySync(1); // ShapeError: arraySync(1): expected a rank-1 tensor, found shape [2, 3]
   * ```
   */
  arraySync(): NestedArray;
  arraySync<R extends Rank>(rank: R): ArrayOfRank[R];
  arraySync(rank?: Rank): NestedArray {
    if (rank !== undefined && rank !== this.rank) {
      throw new ShapeError(`arraySync(${rank}): expected a rank-${rank} tensor, found shape ${formatShape(this.shape)}`);
    }
    return toNested(Array.from(this.dataSync()), this.shape);
  }
  /** `arraySync` as a promise, as in tfjs: `const rows = await t.array(2); // number[][]`. */
  async array(): Promise<NestedArray>;
  async array<R extends Rank>(rank: R): Promise<ArrayOfRank[R]>;
  async array(rank?: Rank): Promise<NestedArray> {
    return rank === undefined ? this.arraySync() : this.arraySync(rank);
  }
  /** The single element of a one-element tensor, as a number. */
  item(): number {
    if (this.size !== 1) throw new RangeError(`item(): tensor of shape ${formatShape(this.shape)} has ${this.size} elements, expected 1`);
    return this.dataSync()[0]!;
  }

  toString(): string {
    const values = this.size <= 20 ? JSON.stringify(this.arraySync()) : `[${Array.from(this.dataSync().slice(0, 10)).join(', ')}, …]`;
    return `Tensor(shape=${formatShape(this.shape)}, dtype=${this.dtype}, values=${values})`;
  }
}

/**
 * A tensor whose value can change: layer weights, optimizer slots, metric state. Trainable
 * variables are what `fit` differentiates with respect to.
 *
 * ```ts
 * const w = kiln.variable(kiln.zeros([3]), { name: 'w' });
 * w.assign(kiln.ones([3]));
 * ```
 */
export class Variable extends Tensor {
  constructor(
    value: Tensor,
    public name: string,
    public trainable = true,
  ) {
    // A variable owns its storage: a private copy, taken out of any step scope, that `assign`
    // overwrites in place (so backends can keep it at a fixed address).
    const b = value.backend;
    const own = b.fill(value.size, 0, value.dtype);
    b.writeInto(own, value.handle);
    b.retain?.(own);
    super(own, value.shape, value.dtype, b);
    this.requiresGrad = trainable;
  }

  /** Replaces the value. The shape and dtype must stay the same. */
  assign(value: Tensor): void {
    if (value.size !== this.size || value.dtype !== this.dtype) {
      throw new RangeError(
        `Variable '${this.name}': assign expected shape ${formatShape(this.shape)} ${this.dtype}, found ${formatShape(value.shape)} ${value.dtype}`,
      );
    }
    if (value.backend === this._backend) {
      this._backend.writeInto(this._handle, value.handle);
    } else {
      const upload = this._backend.upload(value.dataSync(), value.dtype);
      this._backend.writeInto(this._handle, upload);
    }
  }

  /** Moves the value to another backend (used when the user switches backends between runs). */
  moveTo(backend: Backend): void {
    if (backend === this._backend) return;
    const values = this._backend.read(this);
    this._backend = backend;
    this._handle = backend.upload(values, this.dtype);
    backend.retain?.(this._handle);
  }

  setTrainable(trainable: boolean): void {
    this.trainable = trainable;
    this.requiresGrad = trainable;
  }
}

function toNested(flat: number[], shape: Shape): NestedArray {
  if (shape.length === 0) return flat[0]!;
  const build = (offset: number, dim: number): NestedArray[] => {
    const n = shape[dim]!;
    const stride = sizeOf(shape.slice(dim + 1));
    const out: NestedArray[] = [];
    for (let i = 0; i < n; i++) {
      out.push(dim === shape.length - 1 ? flat[offset + i]! : build(offset + i * stride, dim + 1));
    }
    return out;
  };
  return build(0, 0);
}
