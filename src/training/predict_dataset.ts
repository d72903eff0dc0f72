import { noGrad } from '../core/engine.js';
import { stepScope } from '../core/scope.js';
import type { Tensor } from '../core/tensor.js';
import type { Callback } from '../callbacks/callback.js';
import { ProgbarLogger } from '../callbacks/progbar_logger.js';
import type { Dataset } from '../data/dataset.js';
import { ValueError } from '../errors.js';
import { concat } from '../ops/shape.js';
import { datasetBatch } from './dataset_feed.js';
import { structureOutputs } from './structure.js';
import type { TrainableModel } from './trainer.js';

/**
 * predict over a Dataset's first pass, batch by batch, in the Dataset's order (a shuffling Dataset
 * gives shuffled rows, as in Keras; make it with shuffle false to match its file order). Labels
 * are ignored; batches whose every sample was skipped add no rows.
 */
export function predictDataset(model: TrainableModel, ds: Dataset, verbose: number, callbacks: readonly Callback[]): Tensor | Tensor[] | Record<string, Tensor> {
  const cbs: Callback[] = [...callbacks];
  if (verbose > 0) cbs.unshift(new ProgbarLogger());
  for (const cb of cbs) {
    cb.setModel(model);
    cb.setParams({ epochs: 1, steps: ds.batchCount, verbose, metrics: [] });
  }
  return noGrad(() => {
    for (const cb of cbs) void cb.onPredictBegin({});
    const outs: Tensor[][] = [];
    for (let step = 0; step < ds.batchCount; step++) {
      for (const cb of cbs) void cb.onPredictBatchBegin(step, {});
      const out = stepScope(() => {
        const { x } = datasetBatch(model, ds, step, 0, 'predict', false);
        return x[0]!.shape[0] === 0 ? null : model.forward(x, false);
      }, (o) => o ?? []);
      if (out) outs.push(out);
      for (const cb of cbs) void cb.onPredictBatchEnd(step, {});
    }
    for (const cb of cbs) void cb.onPredictEnd({});
    if (outs.length === 0) throw new ValueError('predict: the Dataset yielded no samples (every image was skipped as unreadable?)');
    return structureOutputs(outs[0]!.map((_, k) => (outs.length === 1 ? outs[0]![k]! : concat(outs.map((o) => o[k]!), 0))), model.outputStructure);
  });
}
