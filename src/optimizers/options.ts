import { checkOptions } from '../utils/options.js';
import { ValueError } from '../errors.js';

/**
 * Reading and validating optimizer options. Options arrive in tfjs camelCase (`beta1`,
 * `learningRate`) or Keras snake_case (`beta_1`, `learning_rate`, as in a saved config); the
 * generic `option()` helper cannot map `beta1` to `beta_1`, so every option here names both
 * spellings explicitly.
 */

/** An option's two spellings: `[camelCase, snake_case]`. */
export type OptionKey = readonly [camel: string, snake: string];

export type Options = Record<string, unknown>;

/** The value under either spelling (camelCase wins), or undefined when neither is present. */
export function pick(args: Options, key: OptionKey): unknown {
  return args[key[0]] !== undefined ? args[key[0]] : args[key[1]];
}

const show = (key: OptionKey) => (key[0] === key[1] ? `'${key[0]}'` : `'${key[0]}' (${key[1]})`);

export interface Range {
  min?: number;
  max?: number;
  /** Excludes `max` itself (for betas, where 1 would divide by zero in the bias correction). */
  maxExclusive?: boolean;
  /** Excludes `min` itself. */
  minExclusive?: boolean;
  integer?: boolean;
}

function describe(range: Range): string {
  const parts: string[] = [];
  if (range.integer) parts.push('an integer');
  else parts.push('a finite number');
  if (range.min !== undefined && range.max !== undefined) {
    parts.push(`in ${range.minExclusive ? '(' : '['}${range.min}, ${range.max}${range.maxExclusive ? ')' : ']'}`);
  } else if (range.min !== undefined) {
    parts.push(range.minExclusive ? `> ${range.min}` : `>= ${range.min}`);
  }
  return parts.join(' ');
}

/** Throws a ValueError naming the option unless `value` is a number inside `range`. */
export function checkNumber(value: unknown, key: OptionKey, where: string, range: Range = {}): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!range.integer || Number.isInteger(value)) &&
    (range.min === undefined || (range.minExclusive ? value > range.min : value >= range.min)) &&
    (range.max === undefined || (range.maxExclusive ? value < range.max : value <= range.max));
  if (!ok) {
    throw new ValueError(`${where}: option ${show(key)} must be ${describe(range)}, found ${typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value))}`);
  }
  return value as number;
}

/** A number option with a default. */
export function numberOption(args: Options, key: OptionKey, def: number, where: string, range: Range = {}): number {
  const v = pick(args, key);
  return v === undefined ? def : checkNumber(v, key, where, range);
}

/** A number option where null (or absence) means "off", as Keras's `None`. */
export function nullableNumber(args: Options, key: OptionKey, def: number | null, where: string, range: Range = {}): number | null {
  const v = pick(args, key);
  if (v === undefined) return def;
  if (v === null) return null;
  return checkNumber(v, key, where, range);
}

export function booleanOption(args: Options, key: OptionKey, def: boolean, where: string): boolean {
  const v = pick(args, key);
  if (v === undefined) return def;
  if (typeof v !== 'boolean') throw new ValueError(`${where}: option ${show(key)} must be true or false, found ${JSON.stringify(v)}`);
  return v;
}

/**
 * Refuses options nobody reads, like Keras's "Argument(s) not recognized" — a misspelt `lr` or
 * `momentun` would otherwise be silently ignored. `ignored` keys are accepted and dropped.
 */
export function checkKnown(args: Options, keys: readonly OptionKey[], where: string, ignored: readonly string[] = []): void {
  // The one unknown-option rule (utils/options.ts), with the pairs' irregular snake spellings
  // (`beta_1` beside `beta1`) and the ignored legacy keys accepted; undefined values are no option.
  const given = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
  checkOptions(where, given, keys.map((k) => k[0]), [...keys.map((k) => k[1]), ...ignored]);
}
