import { formatShape } from '../../core/shape.js';
import type { Tensor, Variable } from '../../core/tensor.js';
import { ShapeError } from '../../errors.js';
import type { Layer } from '../../layers/layer.js';
import type { Model } from '../../models/model.js';
import { fromValues } from '../../ops/creation.js';
import type { Optimizer } from '../../optimizers/index.js';
import { ModelFileError } from '../errors.js';
import type { H5Array } from '../h5/h5file.js';
import { toSnakeCase } from '../../utils/naming.js';
import { containerPaths } from '../../layers/weight_groups.js';

/**
 * Weight order and validation shared by both Keras formats. Keras saves a layer's variables as
 * `_trainable_variables + _non_trainable_variables` (.keras) or `trainable_weights +
 * non_trainable_weights` (legacy h5) — for every kiln layer both are the creation order with the
 * trainable ones first (BatchNormalization: gamma, beta, moving_mean, moving_variance).
 */
export function kerasWeightOrder(layer: Layer): Variable[] {
  const all = layer.weights;
  return [...all.filter((w) => w.trainable), ...all.filter((w) => !w.trainable)];
}

/** The `.keras` weight-store path of each of the model's layers (see `containerPaths`). */
export function kerasLayerPaths(model: Model): { layer: Layer; path: string }[] {
  return containerPaths(model.layers);
}

/** Values read from a file for a list of variables, checked before anything is assigned. */
export interface PendingAssign {
  variable: Variable;
  value: H5Array;
}

/**
 * Checks values against the variables they are for: count (missing / extra weights) and shapes.
 * `where` names the layer or optimizer in the message; shapes are compared before any value is read
 * in full by the caller's ordering (read shape, check, then read data).
 */
export function checkCount(where: string, expected: readonly Variable[], found: number, names?: readonly string[]): void {
  if (found === expected.length) return;
  const list = expected.map((v) => `${v.name} ${formatShape(v.shape)}`).join(', ') || 'none';
  if (found < expected.length) {
    throw new ModelFileError(`missing weights for ${where}: the model expects ${expected.length} (${list}), the file has ${found}`);
  }
  throw new ModelFileError(
    `extra weights for ${where}: the model expects ${expected.length} (${list}), the file has ${found}` +
      (names ? ` (${names.join(', ')})` : ''),
  );
}

/** Throws a ShapeError when the stored shape differs from the variable's. */
export function checkShape(where: string, variable: Variable, shape: readonly number[], source: string): void {
  const same = shape.length === variable.shape.length && shape.every((d, i) => d === variable.shape[i]);
  if (!same) {
    throw new ShapeError(
      `weight '${variable.name}' of ${where} has shape ${formatShape(variable.shape)}, the file's '${source}' has shape ${formatShape(shape)}`,
    );
  }
}

/** Assigns every checked value (after all checks passed, so a bad file changes nothing). */
export function assignAll(pending: readonly PendingAssign[]): void {
  for (const { variable, value } of pending) variable.assign(toTensor(value, variable.dtype));
}

function toTensor(a: H5Array, dtype: Variable['dtype']): Tensor {
  const values = dtype === a.dtype ? a.values : dtype === 'int32' ? Int32Array.from(a.values) : Float32Array.from(a.values);
  return fromValues(values, a.shape, dtype);
}

/** A variable's current value as the array that goes to disk (Keras's iteration counter is int64). */
export function variableData(v: Variable, int64 = false): Float32Array | Int32Array | BigInt64Array {
  const data = v.dataSync();
  if (v.dtype === 'int32') return int64 ? BigInt64Array.from(data as Int32Array, (x) => BigInt(x)) : Int32Array.from(data as Int32Array);
  return Float32Array.from(data as Float32Array);
}

/**
 * The optimizer variables to write for a compiled model, in Keras 3 order. An optimizer that has not
 * run a step yet is built on the model's trainable weights first — the variables its first step
 * would build, in the same order — so the file holds the full layout (iteration, learning rate,
 * every slot, zero-initialised) and loading restores a consistent optimizer rather than warning
 * that 2 saved variables do not fit the built optimizer's N.
 */
export function optimizerVariablesToSave(optimizer: Optimizer, model: Model): Variable[] {
  if (!optimizer.built) optimizer.build(model.trainableWeights);
  return optimizer.variables();
}

/**
 * Restores an optimizer's variables from stored values in Keras 3 order. The optimizer is built on
 * the model's trainable weights first (as Keras's loader does). A count or shape mismatch — e.g. a
 * Keras 2 optimizer layout — leaves a fresh optimizer and warns, as Keras does.
 */
export function restoreOptimizer(optimizer: Optimizer, model: Model, values: H5Array[], file: string): void {
  optimizer.build(model.trainableWeights);
  const vars = optimizer.variables();
  const fits = values.length === vars.length && values.every((a, i) => a.shape.length === vars[i]!.shape.length && a.shape.every((d, k) => d === vars[i]!.shape[k]));
  if (!fits) {
    console.warn(
      `'${file}': the saved optimizer state (${values.length} variables) does not fit optimizer '${optimizer.name}' ` +
        `(${vars.length} variables); training continues with a fresh optimizer state`,
    );
    return;
  }
  optimizer.setState(values.map((a, i) => toTensor(a, vars[i]!.dtype)));
}
