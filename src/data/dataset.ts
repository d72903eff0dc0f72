import type { Tensor } from '../core/tensor.js';
import { RandomStream } from '../core/random.js';

/** The tensors of one batch for a model's inputs (or outputs): one, a list in order, or a record by name. */
export type BatchTensors = Tensor | Tensor[] | Record<string, Tensor>;

/** One batch a Dataset yields: inputs, and for training and evaluation labels (and sample weights). */
export interface DatasetBatch {
  x: BatchTensors;
  y?: BatchTensors;
  /** One weight per sample, shape `[batch]`. */
  sampleWeight?: Tensor;
}

/**
 * A source of batches that `fit`, `evaluate` and `predict` take in place of arrays (Keras's
 * `fit(dataset)`). The loop asks for batch `index` of pass `pass` (a pass is one sweep over the
 * data; without `stepsPerEpoch` a pass is an epoch) and trains on it; nothing else is held, so a
 * source can decode from disk one batch at a time and data larger than memory trains.
 *
 * The contract that makes exact resume work: `batch(index, pass)` must be a pure function of
 * `(index, pass)` and the dataset's own settings (its seed), never of how many batches were asked
 * for before. Then a backup only needs the loop's position (epoch, pass, batch) to continue with
 * the very batches the interrupted run would have seen; `fingerprint()` lets a resumed run refuse a
 * dataset that is not the same one.
 *
 * `batch` is synchronous on purpose: the training step itself is synchronous JavaScript, so an
 * asynchronous read would not overlap with it, and a synchronous source also serves `predict`,
 * which is synchronous as in tfjs.
 *
 * ```ts
 * class Squares extends kiln.data.Dataset {
 *   readonly batchCount = 4; readonly batchSize = 8; readonly sampleCount = 32;
 *   readonly shuffle = false; readonly labeled = true;
 *   batch(i: number) {
 *     const x = kiln.reshape(kiln.range(i * 8, i * 8 + 8), [8, 1]);
 *     return { x, y: kiln.mul(x, x) };
 *   }
 *   fingerprint() { return 'squares-v1'; }
 * }
 * await model.fit(new Squares(), undefined, { epochs: 5 });
 * ```
 */
export abstract class Dataset {
  /** Batches in one pass (tf.data's cardinality of a batched dataset). */
  abstract readonly batchCount: number;
  /** The most samples in one batch (recorded in backups with the other batching settings). */
  abstract readonly batchSize: number;
  /** Samples in one pass (before any unreadable ones are skipped). */
  abstract readonly sampleCount: number;
  /** Whether the order changes from pass to pass (recorded in backups; it must match on resume). */
  abstract readonly shuffle: boolean;
  /** Whether batches carry labels `y` (needed by fit and evaluate; predict ignores them). */
  abstract readonly labeled: boolean;
  /** Batch `index` (0 ≤ index < batchCount) of pass `pass`; a pure function of both. */
  abstract batch(index: number, pass: number): DatasetBatch;
  /** A string that changes when the data or the batching would (checked when a backup is resumed). */
  abstract fingerprint(): string;

  /** The batches of one pass, in order: `for (const { x, y } of ds.batches()) …`. */
  *batches(pass = 0): Generator<DatasetBatch> {
    for (let i = 0; i < this.batchCount; i++) yield this.batch(i, pass);
  }
}

export function isDataset(x: unknown): x is Dataset {
  return x instanceof Dataset;
}

/**
 * The sample order of pass `pass` for `n` samples: a permutation drawn from its own generator
 * seeded by `(seed, pass)`, so any pass's order can be made again without replaying the earlier
 * ones (what resuming by position needs). kiln's global random streams are not touched.
 */
export function passOrder(seed: number, pass: number, n: number): Int32Array {
  return new RandomStream(seed, `kiln.data.pass/${pass}`).permutation(n);
}
