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

  add(names: string | string[], value: T): this {
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
