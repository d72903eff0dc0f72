import { ValueError } from '../../errors.js';
import { toSnakeCase } from '../../utils/naming.js';
import type { DataFormat } from '../flatten.js';
import type { Layer } from '../layer.js';
import { layerLabel, show } from '../validation.js';

/**
 * Option parsing shared by the spatial reshaping layers (padding, cropping, up-sampling) and the
 * image augmentation layers: data formats and the Keras "int, pair, or pair of pairs" arguments.
 */

/** Reads `data_format` ('channels_last' by default, as Keras's image_data_format); tfjs's camelCase spellings are accepted. */
export function dataFormatOption(layer: Layer, given: unknown): DataFormat {
  if (given === undefined || given === null) return 'channels_last';
  const normalized = typeof given === 'string' ? toSnakeCase(given) : given;
  if (normalized !== 'channels_last' && normalized !== 'channels_first') {
    throw new ValueError(`${layerLabel(layer)}: data_format must be 'channels_last' or 'channels_first', found ${show(given)}`);
  }
  return normalized;
}

/** The axes of the spatial dimensions of a rank-`rank` batch in `format` (`[1, 2]` for NHWC). */
export function spatialAxes(format: DataFormat, rank: number): number[] {
  const first = format === 'channels_last' ? 1 : 2;
  return Array.from({ length: rank - 2 }, (_, i) => first + i);
}

const isCount = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min;

/**
 * An int `n` → `[n, n]`; a pair `[a, b]` → `[a, b]`. `min` is the least allowed value. Errors name
 * the layer, the argument, and the forms accepted.
 */
export function intPair(layer: Layer, name: string, given: unknown, min: number): [number, number] {
  if (isCount(given, min)) return [given, given];
  if (Array.isArray(given) && given.length === 2 && given.every((v) => isCount(v, min))) return [given[0], given[1]];
  throw new ValueError(`${layerLabel(layer)}: ${name} must be an integer >= ${min} or a pair of them, found ${show(given)}`);
}

/**
 * The 2D padding/cropping forms Keras takes: an int (all four sides), `[h, w]` (symmetric per
 * axis), or `[[top, bottom], [left, right]]`. Returns the pair-of-pairs form.
 */
export function pairOfPairs(layer: Layer, name: string, given: unknown): [[number, number], [number, number]] {
  if (isCount(given, 0)) return [[given, given], [given, given]];
  if (Array.isArray(given) && given.length === 2) {
    if (given.every((v) => isCount(v, 0))) return [[given[0], given[0]], [given[1], given[1]]];
    if (given.every((p) => Array.isArray(p) && p.length === 2 && p.every((v: unknown) => isCount(v, 0)))) {
      return [[given[0][0], given[0][1]], [given[1][0], given[1][1]]];
    }
  }
  throw new ValueError(
    `${layerLabel(layer)}: ${name} must be an integer >= 0, a pair [height, width], or [[top, bottom], [left, right]], found ${show(given)}`,
  );
}
