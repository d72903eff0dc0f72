import { UnknownNameError } from '../errors.js';

/**
 * Name lookup that accepts Keras snake_case and tfjs camelCase alike: 'sparse_categorical_crossentropy',
 * 'sparseCategoricalCrossentropy' and 'SparseCategoricalCrossentropy' all normalise to the same key.
 */
export function normalizeName(name: string): string {
  return name.replace(/[_\s-]/g, '').toLowerCase();
}

/** A table of named things with snake/camel-insensitive lookup and a helpful error. */
export class NameTable<T> {
  private readonly entries = new Map<string, T>();
  private readonly display: string[] = [];

  constructor(private readonly kind: string) {}

  add(names: string | readonly string[], value: T): this {
    const list = typeof names === 'string' ? [names] : names;
    this.display.push(list[0]!);
    for (const n of list) this.entries.set(normalizeName(n), value);
    return this;
  }

  has(name: string): boolean {
    return this.entries.has(normalizeName(name));
  }

  get(name: string, where = this.kind): T {
    const v = this.entries.get(normalizeName(name));
    if (v === undefined) {
      throw new UnknownNameError(`${where}: unknown ${this.kind} '${name}'. Known: ${this.display.join(', ')}`);
    }
    return v;
  }

  names(): string[] {
    return [...this.display];
  }
}

/** The names of an `as const` table of `[names, value]` entries (the built-ins of one kind). */
export type NamesOf<Entries extends readonly (readonly [readonly string[], unknown])[]> = Entries[number][0][number];

/** 'log_softmax' → 'logSoftmax' (tfjs's spelling of a Keras snake_case name). */
export type SnakeToCamel<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<SnakeToCamel<Tail>>}` : S;

/**
 * The spellings of a built-in name that the types list: Keras snake_case ('log_softmax'), tfjs
 * camelCase ('logSoftmax') and the class-style PascalCase ('LogSoftmax'). Lookups at run time also
 * ignore case and underscores; the types keep to these so editors can offer them and a typo fails.
 */
export type Spellings<S extends string> = S | SnakeToCamel<S> | Capitalize<SnakeToCamel<S>>;

/**
 * Names of custom activations, losses, metrics, optimizers, initializers and regularizers that a
 * program registers, declared for the types by augmenting these interfaces (their keys are the
 * names; the value type is unused). A name that is neither built in nor declared here fails to
 * compile where a name is expected.
 *
 * ```ts
 * kiln.activations.register('square_plus', (x) => kiln.add(x, kiln.square(x)));
 * declare module 'kiln' {
 *   interface CustomActivations { square_plus: true }
 * }
 * kiln.layers.dense({ units: 4, activation: 'square_plus' }); // type-checks
 * ```
 */
export interface CustomActivations {}
/** Names of registered custom losses (see `CustomActivations`). */
export interface CustomLosses {}
/** Names of registered custom metrics (see `CustomActivations`). */
export interface CustomMetrics {}
/** Names of registered custom optimizers (see `CustomActivations`). */
export interface CustomOptimizers {}
/** Names of registered custom initializers (see `CustomActivations`). */
export interface CustomInitializers {}
/** Names of registered custom regularizers (see `CustomActivations`). */
export interface CustomRegularizers {}

/** The declared custom names of one kind. */
export type CustomNames<Registry> = keyof Registry & string;
