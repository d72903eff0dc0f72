import type { Model } from '../../models/model.js';
import type { H5Reader, H5Writer } from '../h5/h5file.js';
import { ModelFileError } from '../errors.js';
import type { PendingAssign } from './weights.js';
import { assignAll, checkCount, checkShape, kerasLayerPaths, optimizerVariablesToSave, restoreOptimizer, variableData } from './weights.js';
import { weightGroupsOf } from '../../layers/weight_groups.js';

/**
 * Keras 3's weight file (`model.weights.h5` inside a `.keras` archive, or a `.weights.h5` file):
 * `/layers/<path>/vars/<i>` per layer, `/optimizer/vars/<i>` in `optimizer.variables` order
 * (0 = iteration as int64, then learning_rate, then the slots), `/vars` for the model's own
 * variables; each `vars` group carries a `name` attribute (Keras ≥ 3.6).
 */
export function writeWeightStore(w: H5Writer, model: Model, includeOptimizer = true): void {
  for (const { layer, path } of kerasLayerPaths(model)) {
    // Layers made of sublayers (an LSTM's cell, a Bidirectional's two directions) keep their
    // variables in sub-groups, as Keras's saving_lib writes them (see layers/weight_groups.ts).
    for (const group of weightGroupsOf(layer)) {
      const vars = `${group.path ? `${path}/${group.path}` : path}/vars`;
      w.group(vars);
      w.attr(vars, 'name', layer.name);
      group.variables.forEach((v, i) => w.dataset(`${vars}/${i}`, variableData(v), v.shape));
    }
  }
  const optimizer = model.compiled?.optimizer;
  if (includeOptimizer && optimizer) {
    w.group('optimizer/vars');
    w.attr('optimizer/vars', 'name', optimizer.name);
    const iteration = optimizer.iterationsVariable;
    optimizerVariablesToSave(optimizer, model).forEach((v, i) => w.dataset(`optimizer/vars/${i}`, variableData(v, v === iteration), v.shape));
  }
  w.group('vars');
  w.attr('vars', 'name', model.name);
}

/** Numbered members `0, 1, …` of a `vars` group, checked to be exactly that sequence. */
function numbered(r: H5Reader, group: string): string[] {
  const keys = r.keys(group);
  const sorted = keys.map(Number).sort((a, b) => a - b);
  if (keys.some((k) => !/^\d+$/.test(k)) || sorted.some((n, i) => n !== i)) {
    throw new ModelFileError(`'${group}' should hold datasets named 0, 1, 2, …; found ${keys.join(', ')}`);
  }
  return sorted.map(String);
}

/**
 * Loads layer weights (and, with `optimizer`, the optimizer state) from a Keras 3 weight file.
 * Everything is checked — missing or extra layers and weights, every shape — before any variable
 * changes. Messages name the layer; the caller adds the file.
 */
export function readWeightStore(r: H5Reader, model: Model, options: { optimizer?: boolean; file?: string } = {}): void {
  const pending: PendingAssign[] = [];
  const paths = kerasLayerPaths(model);
  const known = new Set(paths.map((p) => p.path.slice('layers/'.length)));
  const extra = r.keys('layers').filter((k) => !known.has(k));
  for (const { layer, path } of paths) {
    for (const { path: sub, variables: vars } of weightGroupsOf(layer)) {
      const group = `${sub ? `${path}/${sub}` : path}/vars`;
      const where = `layer '${layer.name}' ('${group}')`;
      if (!r.isGroup(group)) {
        if (vars.length === 0) continue;
        throw new ModelFileError(`missing weights for ${where}: the file has no group '${group}'`);
      }
      const keys = numbered(r, group);
      checkCount(where, vars, keys.length, keys.map((k) => `${group}/${k}`));
      vars.forEach((v, i) => {
        checkShape(`layer '${layer.name}'`, v, r.shape(`${group}/${i}`), `${group}/${i}`);
        pending.push({ variable: v, value: r.read(`${group}/${i}`) });
      });
    }
  }
  const extraWithWeights = extra.filter((k) => r.keys(`layers/${k}/vars`).length > 0);
  if (extraWithWeights.length > 0) {
    throw new ModelFileError(
      `extra weights: the file has weights for ${extraWithWeights.map((k) => `'layers/${k}'`).join(', ')}, which the model (layers: ${paths.map((p) => p.path).join(', ')}) does not have`,
    );
  }
  assignAll(pending);
  const optimizer = model.compiled?.optimizer;
  if (options.optimizer && optimizer && r.isGroup('optimizer/vars')) {
    const values = numbered(r, 'optimizer/vars').map((k) => r.read(`optimizer/vars/${k}`));
    // `file` names the user's file when `r` is a temporary copy (the weights member of a .keras archive).
    restoreOptimizer(optimizer, model, values, options.file ?? r.path);
  }
}

/** True when the weight file holds optimizer variables. */
export function storeHasOptimizer(r: H5Reader): boolean {
  return r.keys('optimizer/vars').length > 0;
}
