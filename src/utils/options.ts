import { ValueError } from '../errors.js';
import { toSnakeCase } from './naming.js';

/**
 * kiln's one rule for unknown option keys: every options object (compile, fit, evaluate, predict,
 * layer, callback, loss, metric, optimizer, initializer and regularizer factories) is checked
 * against the names its owner knows, in either spelling (tfjs camelCase or Keras snake_case).
 * An unknown key is a typo more often than not — `fit(x, y, { epoch: 3 })` silently ran one epoch —
 * so it is refused with a ValueError naming it and suggesting the closest known name, in the
 * spelling the caller used.
 *
 * `alsoAccepted` lists spellings that the snake_case rule does not derive (Keras's `beta_1` beside
 * tfjs's `beta1`); they are accepted but not suggested.
 *
 * ```ts
 * checkOptions('fit', { epoch: 3 }, ['epochs', 'batchSize']);
 * // ValueError: fit: unknown option 'epoch'; did you mean 'epochs'? Known options: epochs, batchSize
 * ```
 */
export function checkOptions(owner: string, options: object | undefined | null, known: readonly string[], alsoAccepted: readonly string[] = []): void {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(`${owner}: options must be an object, found ${Array.isArray(options) ? 'an array' : typeof options}`);
  }
  const accepted = acceptedSpellings(known);
  for (const key of Object.keys(options)) {
    if (accepted.has(key) || alsoAccepted.includes(key)) continue;
    const guess = closest(key, known);
    const hint = guess === undefined ? '.' : `; did you mean '${key.includes('_') ? toSnakeCase(guess) : guess}'?`;
    throw new ValueError(`${owner}: unknown option '${key}'${hint} Known options: ${known.join(', ')}`);
  }
}

// Built once per list: option checks run on every predict call, and most lists are module constants.
const spellingCache = new WeakMap<readonly string[], Set<string>>();

function acceptedSpellings(known: readonly string[]): Set<string> {
  let set = spellingCache.get(known);
  if (set === undefined) {
    set = new Set<string>();
    for (const name of known) {
      set.add(name);
      set.add(toSnakeCase(name));
    }
    spellingCache.set(known, set);
  }
  return set;
}

/** The known name nearest to `key` (compared in snake_case, case-insensitively), if it is near enough to be a typo. */
function closest(key: string, known: readonly string[]): string | undefined {
  const k = toSnakeCase(key);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    const d = editDistance(k, toSnakeCase(name));
    if (d < bestDistance) {
      bestDistance = d;
      best = name;
    }
  }
  // More than a third of the word changed is a different word, not a typo.
  return bestDistance <= Math.max(2, Math.floor(k.length / 3)) ? best : undefined;
}

/** Levenshtein distance (insert, delete, substitute), two-row dynamic programme. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The one place an options object's names are listed: a record with every key of `T` (the compiler
 * refuses a missing or an extra one), turned into the list `checkOptions` takes. Types and runtime
 * check cannot drift apart.
 *
 * ```ts
 * const FIT_OPTIONS = optionNames<FitArgs>({ epochs: true, batchSize: true, ... });
 * ```
 */
export type OptionNameRecord<T> = { readonly [K in keyof Required<T>]: true };

export function optionNames<T>(names: OptionNameRecord<T>): readonly (keyof T & string)[] {
  return Object.freeze(Object.keys(names)) as readonly (keyof T & string)[];
}

/**
 * A camelCase name in Keras's snake_case, at the type level (`'batchSize'` → `'batch_size'`), as
 * `toSnakeCase` spells option names (names of one lower-case word each, no acronyms).
 */
export type SnakeCase<S extends string> = S extends `${infer C}${infer Rest}`
  ? `${C extends Lowercase<C> ? C : `_${Lowercase<C>}`}${SnakeCase<Rest>}`
  : S;

/** Keys of `T` whose snake spelling differs from the camel one. */
type RenamedKeys<T> = { [K in keyof T]-?: K extends string ? (SnakeCase<K> extends K ? never : K) : never }[keyof T];
/** Required keys of `T` whose snake spelling differs: either spelling may carry them, so both are optional in the type (the runtime requires one). */
type RequiredRenamedKeys<T> = { [K in RenamedKeys<T>]-?: {} extends Pick<T, K> ? never : K }[RenamedKeys<T>];

/** The snake_case twins of `T`'s camelCase keys, all optional. */
export type SnakeCased<T> = { [K in RenamedKeys<T> as SnakeCase<K & string>]?: T[K] };

/**
 * An options object in either spelling, as the runtime reads it (`option(args, 'batchSize')` takes
 * `batchSize` or `batch_size`): `Spelled<FitArgs>` accepts `{ batch_size: 32 }` and
 * `{ batchSize: 32 }` and refuses `{ epoch: 3 }`.
 */
export type Spelled<T> = Omit<T, RequiredRenamedKeys<T>> & Partial<Pick<T, RequiredRenamedKeys<T>>> & SnakeCased<T>;
