import { ValueError } from '../errors.js';
import { uniqueName } from '../utils/naming.js';
import type { Config, Serializable } from '../serialization/registry.js';
import { constructFromConfig } from '../serialization/registry.js';
import { option } from '../utils/args.js';
import type { MetricInput } from './input.js';
import { sizeOfShape } from './input.js';

/** A metric value: a number for scalar metrics, per-class arrays, or a matrix (confusion matrix). */
export type MetricResult = number | number[] | number[][];

/** One named piece of a metric's state, like a Keras metric variable ('true_positives', …). */
export interface StateSlot {
  name: string;
  shape: number[];
}

/** Options every metric accepts (camelCase or Keras snake_case). */
export interface MetricArgs {
  name?: string;
  /** Kept for Keras configs; kiln accumulates in float64 whatever it says. */
  dtype?: string;
}

const DTYPES = new Set(['float16', 'bfloat16', 'float32', 'float64']);

/**
 * The base of every metric, with Keras 3's contract: `updateState` accumulates a batch,
 * `result()` reads the value so far, `resetState()` starts again (each epoch). State lives in one
 * float64 array, so streaming sums stay exact and checkpoints can save and restore it with
 * `getState()` / `setState()`; `stateLayout()` names its parts in Keras's variable order.
 *
 * ```ts
 * const m = new kiln.metrics.BinaryAccuracy();
 * m.updateState([[1], [0]], [[0.9], [0.8]]);
 * m.updateState([[1]], [[0.7]]);
 * m.result(); // 2/3
 * ```
 */
export abstract class Metric implements Serializable {
  static readonly className: string = 'Metric';

  /** Rebuilds a metric from `getConfig()` output: `new this(config)`, as Keras's default `from_config`. */
  static fromConfig(config: Config): Metric {
    return constructFromConfig<Metric>(this, config);
  }

  /** The key shown in logs and history ('accuracy', 'val_loss' is built from it). */
  name: string;
  readonly dtype: string;
  /** Whether larger is better ('up') or smaller ('down'), as Keras's `_direction`; null if neither. */
  readonly direction: 'up' | 'down' | null = null;

  protected state = new Float64Array(0);
  private layout: StateSlot[] = [];

  constructor(args: MetricArgs = {}, defaultName?: string) {
    const ctor = this.constructor as typeof Metric;
    this.name = option<string>(args, 'name') ?? defaultName ?? uniqueName(ctor.className);
    const dtype = option<string>(args, 'dtype') ?? 'float32';
    if (!DTYPES.has(dtype)) throw new ValueError(`${ctor.className} '${this.name}': dtype must be one of ${[...DTYPES].join(', ')}, found ${JSON.stringify(dtype)}`);
    this.dtype = dtype;
  }

  /** Accumulates one batch. `sampleWeight` weighs samples (0 masks them out). */
  abstract updateState(yTrue: MetricInput, yPred?: MetricInput, sampleWeight?: MetricInput | null): void;

  /** The metric value over everything accumulated since the last reset. */
  abstract result(): MetricResult;

  /** Zeroes the state (Keras resets metrics at the start of every epoch and evaluation). */
  resetState(): void {
    this.state.fill(0);
  }

  /** True once the state has its size (some metrics learn it from the first batch). */
  get built(): boolean {
    return this.layout.length > 0;
  }

  /** The parts of the state, in the order `getState()` concatenates them. */
  stateLayout(): StateSlot[] {
    return this.layout.map((s) => ({ name: s.name, shape: [...s.shape] }));
  }

  /** A copy of the accumulated state (row-major, slots concatenated per `stateLayout()`). */
  getState(): Float64Array {
    return Float64Array.from(this.state);
  }

  /**
   * Restores state saved by `getState()`; updates then continue exactly where they stopped. A metric
   * that sizes itself on the first batch (F1, R², multi-label AUC) is built from the length.
   */
  setState(values: ArrayLike<number>): void {
    if (!this.built) this.buildFromStateLength(values.length);
    if (values.length !== this.state.length) {
      throw new ValueError(`${(this.constructor as typeof Metric).className} '${this.name}': setState expected ${this.state.length} values, found ${values.length}`);
    }
    this.state.set(values);
  }

  /** Keras's metric config: `{name, dtype}` plus each metric's own keys. */
  getConfig(): Config {
    return { name: this.name, dtype: this.dtype };
  }

  toString(): string {
    return `<${(this.constructor as typeof Metric).className} name=${this.name}>`;
  }

  /** Allocates the state: one float64 buffer, returned as one view per slot. */
  protected defineState(slots: StateSlot[]): Float64Array[] {
    const total = slots.reduce((n, s) => n + sizeOfShape(s.shape), 0);
    this.state = new Float64Array(total);
    this.layout = slots.map((s) => ({ name: s.name, shape: [...s.shape] }));
    const views: Float64Array[] = [];
    let off = 0;
    for (const s of slots) {
      const n = sizeOfShape(s.shape);
      views.push(this.state.subarray(off, off + n));
      off += n;
    }
    return views;
  }

  /** Builds a lazily-sized metric from a saved state's length; the default cannot. */
  protected buildFromStateLength(length: number): void {
    throw new ValueError(
      `${(this.constructor as typeof Metric).className} '${this.name}': setState before the first update needs a built metric (found ${length} values)`,
    );
  }
}

/** Divides, returning 0 where the denominator is 0 (Keras `ops.divide_no_nan`). */
export function divideNoNan(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/** Keras `backend.epsilon()`. */
export const EPSILON = 1e-7;
