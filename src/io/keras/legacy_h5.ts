import type { Model } from '../../models/model.js';
import { ModelFileError } from '../errors.js';
import { toKerasJson } from '../keras_json.js';
import type { H5Array, H5Reader } from '../h5/h5file.js';
import { H5Writer } from '../h5/h5file.js';
import { KERAS_VERSION, legacyModelConfig, legacyTrainingConfig } from './config.js';
import type { PendingAssign } from './weights.js';
import { assignAll, checkCount, checkShape, kerasWeightOrder, optimizerVariablesToSave, restoreOptimizer, variableData } from './weights.js';

/**
 * Legacy Keras HDF5 (keras 2.15 keras/saving/legacy/hdf5_format.py; keras 3
 * keras/src/legacy/saving/legacy_h5_format.py). Root attributes `keras_version`, `backend`,
 * `model_config`, `training_config`; `/model_weights` with `layer_names`, one group per layer with
 * `weight_names` and a dataset at each weight name; `/optimizer_weights` with `weight_names`.
 * Weights are matched to layers by order (layers that have weights, in model order), as Keras does.
 */

/**
 * `backend` records the weight-layout convention, and kiln's is TensorFlow's (kernels [in, out],
 * channels last); Keras 2 only consults it to convert Theano-era convolution kernels.
 */
const BACKEND = 'tensorflow';

/** Writes a full legacy model file (config, training config, weights, optimizer weights) to `path`. */
export async function writeLegacyH5(model: Model, path: string, includeOptimizer = true): Promise<void> {
  const modelConfig = toKerasJson(legacyModelConfig(model));
  const trainingConfig = legacyTrainingConfig(model);
  const w = await H5Writer.create(path);
  try {
    w.attr('', 'backend', BACKEND);
    w.attr('', 'keras_version', KERAS_VERSION);
    w.attr('', 'model_config', modelConfig);
    if (trainingConfig) w.attr('', 'training_config', toKerasJson(trainingConfig));
    writeLegacyWeights(w, model, 'model_weights');
    const optimizer = model.compiled?.optimizer;
    if (includeOptimizer && optimizer) {
      const vars = optimizerVariablesToSave(optimizer, model);
      const names = vars.map((v) => v.name);
      w.group('optimizer_weights');
      w.attr('optimizer_weights', 'weight_names', names);
      vars.forEach((v, i) => w.dataset(`optimizer_weights/${names[i]}`, variableData(v, v === optimizer.iterationsVariable), v.shape));
    }
  } finally {
    w.close();
  }
}

/**
 * The weights of every layer under `root`: `layer_names` lists all layers; each layer's group
 * (created in name order, as Keras does) lists its `weight_names` — Keras 3 style
 * `<model>/<layer>/<weight>` — and holds a dataset at each.
 */
export function writeLegacyWeights(w: H5Writer, model: Model, root: string): void {
  const layers = model.layers;
  w.group(root);
  w.attr(root, 'layer_names', layers.map((l) => l.name));
  w.attr(root, 'backend', BACKEND);
  w.attr(root, 'keras_version', KERAS_VERSION);
  for (const layer of [...layers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const vars = kerasWeightOrder(layer);
    // Keras 3 names a weight by its path under the model: `seq/dense/kernel`, and for layers with
    // sublayers `seq/lstm/lstm_cell/kernel` or `seq/bidirectional/forward_lstm/lstm_cell/kernel`
    // (unique within the layer, which the last path segment alone is not for a Bidirectional).
    const names = vars.map((v) => `${model.name}/${layer.name}/${v.name.startsWith(`${layer.name}/`) ? v.name.slice(layer.name.length + 1) : v.name}`);
    const group = `${root}/${layer.name}`;
    w.group(group);
    w.attr(group, 'weight_names', names);
    vars.forEach((v, i) => w.dataset(`${group}/${names[i]}`, variableData(v), v.shape));
  }
  w.group(`${root}/top_level_model_weights`);
  w.attr(`${root}/top_level_model_weights`, 'weight_names', []);
}

/**
 * Loads layer weights from a legacy group (`model_weights`, or the root of a Keras 2 weights-only
 * file). All counts and shapes are checked before any variable changes.
 */
export function readLegacyWeights(r: H5Reader, model: Model, root: string): void {
  const prefix = root ? `${root}/` : '';
  const saved = r.stringListAttr(root, 'layer_names').filter((name) => r.stringListAttr(`${prefix}${name}`, 'weight_names').length > 0);
  const layers = model.layers.filter((l) => l.weights.length > 0);
  if (saved.length !== layers.length) {
    const what = saved.length < layers.length ? 'missing weights' : 'extra weights';
    throw new ModelFileError(
      `${what}: the model has ${layers.length} layers with weights (${layers.map((l) => l.name).join(', ') || 'none'}), ` +
        `the file has weights for ${saved.length} (${saved.join(', ') || 'none'})`,
    );
  }
  const pending: PendingAssign[] = [];
  saved.forEach((name, k) => {
    const layer = layers[k]!;
    const vars = kerasWeightOrder(layer);
    const names = r.stringListAttr(`${prefix}${name}`, 'weight_names');
    const where = `layer '${layer.name}' (saved as '${name}')`;
    checkCount(where, vars, names.length, names);
    names.forEach((wn, i) => {
      const path = `${prefix}${name}/${wn}`;
      checkShape(where, vars[i]!, r.shape(path), path);
      pending.push({ variable: vars[i]!, value: r.read(path) });
    });
  });
  assignAll(pending);
}

/** The optimizer values of a legacy file, in `weight_names` order (empty when absent). */
export function readLegacyOptimizerValues(r: H5Reader): H5Array[] {
  if (!r.isGroup('optimizer_weights')) return [];
  return r.stringListAttr('optimizer_weights', 'weight_names').map((n) => r.read(`optimizer_weights/${n}`));
}

/** Restores the optimizer state of a legacy file into a compiled model (warns and skips on a layout it cannot map). */
export function readLegacyOptimizer(r: H5Reader, model: Model): void {
  const optimizer = model.compiled?.optimizer;
  if (!optimizer) return;
  const values = readLegacyOptimizerValues(r);
  if (values.length > 0) restoreOptimizer(optimizer, model, values, r.path);
}
