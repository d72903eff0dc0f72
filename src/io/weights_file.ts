import { ValueError } from '../errors.js';
import type { Model } from '../models/model.js';
import { atomicWrite } from './atomic.js';
import { ModelFileError, inFile } from './errors.js';
import { H5Reader, H5Writer } from './h5/h5file.js';
import { readLegacyOptimizer, readLegacyWeights } from './keras/legacy_h5.js';
import { readWeightStore, writeWeightStore } from './keras/weight_store.js';

/**
 * Saves the model's weights, and the optimizer's state when compiled, in Keras 3's weights-only
 * layout (`model.save_weights('x.weights.h5')`): the same HDF5 file a `.keras` archive holds.
 *
 * ```ts
 * await saveWeights(model, 'ckpt.weights.h5');   // same as model.saveWeights('ckpt.weights.h5')
 * ```
 */
export async function saveWeights(model: Model, path: string): Promise<void> {
  if (!/\.weights\.h5$/i.test(path)) {
    throw new ValueError(`saveWeights('${path}'): the file name must end in '.weights.h5' (as in Keras 3)`);
  }
  await inFile(
    path,
    () =>
      atomicWrite(path, async (tmp) => {
        const w = await H5Writer.create(tmp);
        try {
          writeWeightStore(w, model, true);
        } finally {
          w.close();
        }
      }, { makeParents: true }),
    'written',
  );
}

/**
 * Loads weights into a built model from a Keras 3 `.weights.h5` file (restoring the optimizer state
 * into a compiled model), a legacy Keras 2 weights-only `.h5` (`save_weights('x.h5')`), or the
 * `model_weights` of a legacy full-model `.h5`. Layer counts and shapes must match exactly.
 *
 * ```ts
 * const model = kiln.modelFromJson(json);
 * await loadWeights(model, 'model.weights.h5');
 * ```
 */
export async function loadWeights(model: Model, path: string): Promise<void> {
  await inFile(path, async () => {
    const r = await H5Reader.open(path);
    try {
      if (r.isGroup('layers') || r.isGroup('vars')) return readWeightStore(r, model, { optimizer: true });
      if (r.attr('', 'layer_names') !== undefined || r.attr('', 'layer_names0') !== undefined) return readLegacyWeights(r, model, '');
      if (r.isGroup('model_weights')) {
        readLegacyWeights(r, model, 'model_weights');
        readLegacyOptimizer(r, model);
        return;
      }
      throw new ModelFileError('holds no Keras weights (no layers group, layer_names attribute or model_weights group)');
    } finally {
      r.close();
    }
  });
}
