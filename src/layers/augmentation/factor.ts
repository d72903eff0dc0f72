import { ValueError } from '../../errors.js';
import type { Layer } from '../layer.js';
import { layerLabel, show } from '../validation.js';

/** A factor as Keras writes it: one number f (the range [-f, f]) or an explicit `[lower, upper]`. */
export type Factor = number | readonly [number, number];

/**
 * Keras 3's factor rule for the augmentation layers: a number f >= 0 means the range [-f, f]; a
 * pair means [lower, upper] (lower <= upper). `bound` limits every value to [-bound, bound]
 * (zoom and translation factors are fractions of the image size).
 */
export function factorRange(layer: Layer, name: string, given: unknown, bound = Infinity): [number, number] {
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  let range: [number, number] | null = null;
  if (finite(given) && given >= 0) range = [-given, given];
  else if (Array.isArray(given) && given.length === 2 && given.every(finite) && given[0] <= given[1]) range = [given[0], given[1]];
  const within = bound === Infinity ? '' : ` within [-${bound}, ${bound}]`;
  if (!range) {
    throw new ValueError(`${layerLabel(layer)}: ${name} must be a number >= 0 (meaning [-f, f]) or a pair [lower, upper] with lower <= upper${within}, found ${show(given)}`);
  }
  if (Math.abs(range[0]) > bound || Math.abs(range[1]) > bound) {
    throw new ValueError(`${layerLabel(layer)}: ${name} values must lie${within}, found ${show(given)}`);
  }
  return range;
}

/** The factor as given, for the config (a pair is copied so the config is plain JSON). */
export function factorConfig(given: Factor): number | number[] {
  return typeof given === 'number' ? given : [given[0], given[1]];
}
