import { ValueError } from '../errors.js';
import type { Model } from '../models/model.js';
import { atomicWrite } from './atomic.js';
import { inFile } from './errors.js';
import { writeKerasArchive } from './keras/keras_zip.js';
import { writeLegacyH5 } from './keras/legacy_h5.js';
import { writeTfjsModel } from './tfjs/save.js';

/** Options of `model.save`. */
export interface SaveOptions {
  /** Save the optimizer's state (step counter, moments) with a compiled model (default true). */
  includeOptimizer?: boolean;
}

/**
 * Saves a model in the format its extension names: `.keras` (Keras 3 archive), `.h5`/`.hdf5`
 * (legacy Keras HDF5) or `.json` (TensorFlow.js layers format: `model.json` + weight shards). Missing directories are created (as tfjs does). The file is written to a temporary name beside the target and renamed into
 * place, so a failed save never leaves a partial file.
 *
 * ```ts
 * await saveModel(model, 'model.keras');   // same as model.save('model.keras')
 * await saveModel(model, 'web/model.json'); // for tf.loadLayersModel
 * ```
 */
export async function saveModel(model: Model, path: string, options: SaveOptions = {}): Promise<void> {
  if (typeof path !== 'string' || path.length === 0) throw new ValueError(`save: path must be a non-empty string, found ${JSON.stringify(path)}`);
  const includeOptimizer = options.includeOptimizer ?? true;
  if (/\.json$/i.test(path)) {
    // Several files (model.json + shards), each written atomically by the tfjs writer.
    await inFile(path, () => writeTfjsModel(model, path), 'written');
    return;
  }
  if (/\.weights\.h5$/i.test(path)) {
    throw new ValueError(`save('${path}'): a '.weights.h5' name is for weights only; use model.saveWeights('${path}'), or name the file '.keras' or '.h5'`);
  }
  let write: (tmp: string) => Promise<void>;
  if (/\.keras$/i.test(path)) write = (tmp) => writeKerasArchive(model, tmp, includeOptimizer);
  else if (/\.(h5|hdf5)$/i.test(path)) write = (tmp) => writeLegacyH5(model, tmp, includeOptimizer);
  else throw new ValueError(`save('${path}'): unsupported extension; use '.keras' (Keras 3 archive) '.h5' / '.hdf5' (legacy Keras HDF5) or '.json' (TensorFlow.js)`);
  await inFile(path, () => atomicWrite(path, write, { makeParents: true }), 'written');
}
