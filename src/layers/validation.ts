import { KilnError, NotImplementedError, ValueError } from '../errors.js';
import { option } from '../utils/args.js';
import type { Layer } from './layer.js';
import { toSnakeCase } from '../utils/naming.js';

/**
 * Small argument checks shared by the built-in layers, so every bad option produces the same
 * kind of message: `<Class> '<name>': <argument> must be …, found …`.
 */

/** `Dropout 'dropout_1'` — how errors name a layer. */
export function layerLabel(layer: Layer): string {
  return `${(layer.constructor as typeof Layer).className} '${layer.name}'`;
}

/** Shows a bad value readably (JSON where possible, so strings keep their quotes). */
export function show(value: unknown): string {
  if (typeof value === 'number') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Reads a finite number option, with optional bounds; throws a ValueError naming the layer. */
export function numberOption(
  layer: Layer,
  args: object,
  camel: string,
  fallback: number,
  bounds: { min?: number; max?: number; minExclusive?: boolean } = {},
): number {
  const raw = option<unknown>(args, camel);
  if (raw === undefined || raw === null) return fallback;
  const { min, max, minExclusive = false } = bounds;
  const tooSmall = min !== undefined && (minExclusive ? (raw as number) <= min : (raw as number) < min);
  const tooLarge = max !== undefined && (raw as number) > max;
  if (typeof raw !== 'number' || !Number.isFinite(raw) || tooSmall || tooLarge) {
    const range = [min !== undefined ? `${minExclusive ? '>' : '>='} ${min}` : '', max !== undefined ? `<= ${max}` : '']
      .filter(Boolean)
      .join(' and ');
    throw new ValueError(`${layerLabel(layer)}: ${toSnakeCase(camel)} must be a finite number${range ? ` ${range}` : ''}, found ${show(raw)}`);
  }
  return raw;
}

/** Reads a boolean option; throws a ValueError naming the layer for anything else. */
export function boolOption(layer: Layer, args: object, camel: string, fallback: boolean): boolean {
  const raw = option<unknown>(args, camel);
  if (raw === undefined || raw === null) return fallback;
  if (typeof raw !== 'boolean') throw new ValueError(`${layerLabel(layer)}: ${toSnakeCase(camel)} must be true or false, found ${show(raw)}`);
  return raw;
}

/**
 * kiln has no weight constraints yet; a config that names one (e.g. from a Keras file) is refused
 * rather than silently trained without it.
 */
export function rejectConstraints(layer: Layer, args: object, names: readonly string[]): void {
  for (const camel of names) {
    const value = option<unknown>(args, camel);
    if (value !== undefined && value !== null) {
      throw new NotImplementedError(`${layerLabel(layer)}: ${toSnakeCase(camel)} is not supported yet (weight constraints), found ${show(value)}`);
    }
  }
}

/**
 * The shape that makes a per-feature weight broadcast against an input of `rank`: the weight's
 * dims at `axes` (sorted), 1 elsewhere. `[C]` on axis 1 of a rank-4 input becomes `[1, C, 1, 1]`.
 */
export function broadcastShapeFor(rank: number, axes: readonly number[], dims: readonly number[]): number[] {
  const shape = new Array<number>(rank).fill(1);
  axes.forEach((a, i) => (shape[a] = dims[i]!));
  return shape;
}

/**
 * Runs a name lookup (initializer, regularizer, …) at construction time and re-throws its error with
 * the layer and argument named, so a typo surfaces where the layer is made, not at its first call.
 */
export function resolveNamed<T>(layer: Layer, camel: string, lookup: () => T): T {
  try {
    return lookup();
  } catch (e) {
    if (e instanceof KilnError) {
      const Ctor = e.constructor as new (message: string) => KilnError;
      const arg = toSnakeCase(camel);
      throw new Ctor(`${layerLabel(layer)}: ${e.message.startsWith(`${arg}: `) ? '' : `${arg}: `}${e.message}`);
    }
    throw e;
  }
}
