import type { Variable } from '../core/tensor.js';
import type { Layer } from './layer.js';

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
