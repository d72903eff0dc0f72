import type { Variable } from '../core/tensor.js';
import type { Layer } from './layer.js';
import { toSnakeCase } from '../utils/naming.js';

/**
 * Where a layer's variables live in a Keras 3 weight file, relative to the layer's own path.
 * Most layers keep theirs in their own `vars` group (path ''); layers made of sublayers keep them
 * under the attribute that holds the sublayer, as Keras's saving_lib walks attributes: an LSTM's
 * under `cell`, a Bidirectional's under `forward_layer/cell` and `backward_layer/cell`, a
 * TimeDistributed's under `layer`.
 */
export interface WeightGroup {
  path: string;
  variables: Variable[];
}

/** A layer whose variables are stored in sub-groups (see WeightGroup). */
export interface HasWeightGroups {
  kerasWeightGroups(): WeightGroup[];
}

/** Keras's variable order within one group: trainable first, then the rest (creation order in each). */
export function trainableFirst(variables: readonly Variable[]): Variable[] {
  return [...variables.filter((w) => w.trainable), ...variables.filter((w) => !w.trainable)];
}

/** The weight groups of any layer: its own declaration, else all its variables at its own path. */
export function weightGroupsOf(layer: Layer): WeightGroup[] {
  const custom = (layer as Partial<HasWeightGroups>).kerasWeightGroups;
  if (typeof custom === 'function') return custom.call(layer);
  return [{ path: '', variables: trainableFirst(layer.weights) }];
}

/**
 * The weight-store path of each layer of a container (a model's `layers`): `layers/<snake_case
 * class name>` with `_1`, `_2`… for repeats (keras/src/saving/saving_lib.py
 * `_save_container_state`) — keyed by class, not by layer name, so two instances of one
 * architecture share paths.
 */
export function containerPaths(layers: readonly Layer[]): { layer: Layer; path: string }[] {
  const used = new Map<string, number>();
  return layers.map((layer) => {
    const base = toSnakeCase((layer.constructor as typeof Layer).className);
    const n = used.get(base);
    used.set(base, n === undefined ? 0 : n + 1);
    return { layer, path: `layers/${n === undefined ? base : `${base}_${n + 1}`}` };
  });
}

/**
 * A model used as a layer keeps its own (empty) `vars` group and its layers' groups under
 * `layers/<path>`, as Keras writes a nested model.
 */
export function nestedWeightGroups(layers: readonly Layer[]): WeightGroup[] {
  const groups: WeightGroup[] = [{ path: '', variables: [] }];
  for (const { layer, path } of containerPaths(layers)) {
    for (const g of weightGroupsOf(layer)) groups.push({ path: g.path ? `${path}/${g.path}` : path, variables: g.variables });
  }
  return groups;
}
