import { createHash } from 'node:crypto';
import type { Tensor } from '../core/tensor.js';
import type { Dataset } from '../data/dataset.js';
import { isDataset } from '../data/dataset.js';
import { noGrad } from '../core/engine.js';
import * as P from '../core/primitives.js';
import { formatShape } from '../core/shape.js';
import { classWeightToSampleWeight } from '../losses/index.js';
import { ShapeError, ValueError } from '../errors.js';
import { option } from '../utils/args.js';
import { numBatches, toTensor, assertSameLength } from './data_adapter.js';
import type { Batch, TrainableModel } from './trainer.js';
import { flattenData } from './structure.js';

/** What a loop runs on: prepared arrays, or a Dataset asked for one batch at a time. */
export type LoopData = Batch | Dataset;

export { isDataset };

/** Samples in one pass. */
export function sampleCount(data: LoopData): number {
  return isDataset(data) ? data.sampleCount : data.x[0]!.shape[0]!;
}

/** Batches in one pass (arrays are cut into `batchSize` rows; a Dataset batches itself). */
export function batchCount(data: LoopData, batchSize: number): number {
  return isDataset(data) ? data.batchCount : numBatches(sampleCount(data), batchSize);
}

/**
 * Batch `index` of pass `pass` of a Dataset as the loop's Batch: one tensor per model input and
 * output, numeric and finite, with the model built for (and checked against) the batch's shape.
 * `labels` false (predict) ignores any labels the batch carries. Called inside the step's scope, so
 * the decoded batch is released when the step ends.
 */
export function datasetBatch(model: TrainableModel, ds: Dataset, index: number, pass: number, where: string, labels: boolean): Batch {
  const b = ds.batch(index, pass);
  const at = `${where} batch ${index}`;
  if (!b || typeof b !== 'object' || b.x === undefined) throw new ValueError(`${at}: the Dataset returned ${JSON.stringify(b)}; expected { x, y?, sampleWeight? }`);
  const x = flattenData(b.x, model.inputNames, `${at} x`, 'inputs');
  model.prepareInputs(x, `${at} x`);
  if (!labels) return { x, y: [], sw: null };
  if (b.y === undefined) throw new ValueError(`${at}: the Dataset yields no labels y; ${where} needs them (an imageFolder with labelMode null is for predict)`);
  const y = flattenData(b.y, model.outputNames, `${at} y`, 'outputs');
  assertSameLength(x[0]!, y[0]!, `${at} x`, `${at} y`);
  let sw: Tensor | null = null;
  if (b.sampleWeight !== undefined) {
    sw = toTensor(b.sampleWeight, `${at} sampleWeight`, 'float32');
    assertSameLength(x[0]!, sw, `${at} x`, `${at} sampleWeight`);
    if (sw.rank !== 1 && !(sw.rank === 2 && sw.shape[1] === 1)) {
      throw new ShapeError(`${at} sampleWeight: expected one weight per sample, shape [${x[0]!.shape[0]}], found ${formatShape(sw.shape)}`);
    }
  }
  return { x, y, sw };
}

/**
 * fit's classWeight on a Dataset batch, as Keras 3 maps it over a dataset: each sample weighs its
 * label's class weight (times the batch's own sample weight). The model's output shape, which
 * says how labels read (sparse or one-hot), is found once, on the first batch, and kept in `cache`.
 */
export function applyClassWeight(
  model: TrainableModel, b: Batch, classWeight: Record<number, number>, cache: { outputShape: readonly number[] | null },
): Batch {
  if (b.y.length !== 1) throw new ValueError(`fit: classWeight is for a model with one output; this one has ${b.y.length} (${model.outputNames.join(', ')}); yield sampleWeight from the Dataset instead`);
  if (b.x[0]!.shape[0] === 0) return b;
  cache.outputShape ??= noGrad(() => model.forward(b.x.map((t) => P.slice(t, [0], [1])), false)[0]!.shape);
  const cw = classWeightToSampleWeight(b.y[0]!, classWeight, cache.outputShape);
  return { ...b, sw: b.sw ? P.binary('mul', P.reshape(b.sw, [-1]), cw) : cw };
}

/**
 * Refuses the options that mean nothing for a Dataset, as Keras does: it batches itself (no
 * batchSize), carries its own labels and weights (no y, sampleWeight), and has no rows to split off
 * (validationSplit). `names` are the options to refuse for this call.
 */
export function refuseWithDataset(where: string, y: unknown, args: object | undefined, names: readonly string[]): void {
  if (y !== undefined && y !== null) throw new ValueError(`${where}: y must not be given when x is a Dataset (the Dataset yields the labels); pass undefined`);
  for (const name of names) {
    if (option(args, name) === undefined || option(args, name) === null) continue;
    const why = name === 'validationSplit'
      ? 'a Dataset cannot be split by fit; split it when making it (imageFolder\'s validationSplit and subset) and pass the validation part as validationData'
      : name === 'batchSize' || name === 'validationBatchSize'
        ? 'a Dataset makes its own batches; set the batch size when making it'
        : 'a Dataset yields its own labels and sample weights';
    throw new ValueError(`${where}: ${name} is not supported when x is a Dataset: ${why}`);
  }
}

/** A Dataset's part of the data fingerprint (its own fingerprint, tagged so it never equals an array hash). */
export function datasetFingerprint(parts: (Dataset | string | null)[]): string {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(p === null ? 'none;' : typeof p === 'string' ? `arrays:${p};` : `dataset:${p.fingerprint()};`);
  return hash.digest('hex');
}
