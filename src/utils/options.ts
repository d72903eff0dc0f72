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
 * ```ts
 * checkOptions('fit', { epoch: 3 }, ['epochs', 'batchSize']);
 * // ValueError: fit: unknown option 'epoch'; did you mean 'epochs'? Known options: epochs, batchSize
 * ```
 */
export function checkOptions(owner: string, options: object | undefined | null, known: readonly string[]): void {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(`${owner}: options must be an object, found ${Array.isArray(options) ? 'an array' : typeof options}`);
  }
  const accepted = acceptedSpellings(known);
  for (const key of Object.keys(options)) {
    if (accepted.has(key)) continue;
    const guess = closest(key, known);
    const hint = guess === undefined ? '' : `; did you mean '${key.includes('_') ? toSnakeCase(guess) : guess}'?`;
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
