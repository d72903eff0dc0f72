import { ValueError } from '../errors.js';
import type { CustomNames, CustomRegularizers, NamesOf, Spellings } from '../serialization/names.js';
import { NameTable } from '../serialization/names.js';
import type { Config, SerializedObject } from '../serialization/registry.js';
import { deserialize, serialize } from '../serialization/registry.js';
import { construct } from '../serialization/construct.js';
import { L1, L1L2, L2, Regularizer } from './regularizers.js';

export { L1, L1L2, L2, Regularizer } from './regularizers.js';

interface RegularizerClass {
  readonly className: string;
  fromConfig(config: Config): Regularizer;
}

/**
 * Built-in regularizers by Keras class name or function name ('L2' == 'l2', 'L1L2' == 'l1_l2' ==
 * 'l1l2'). Looked up before the global registry, as Keras looks in its module's objects first.
 */
const classes = new NameTable<RegularizerClass>('regularizer');
classes.add(['l1'], L1);
classes.add(['l2'], L2);
classes.add(['l1_l2'], L1L2);

/**
 * What a bare name means. 'l1' and 'l2' are `L1()` and `L2()` (0.01). For 'l1_l2' the Keras 3
 * documentation promises l1 = l2 = 0.01 (as Keras 2's `l1_l2()` and tfjs's `l1l2()` gave) while
 * its code builds `L1L2()` with zero factors; kiln keeps the documented, useful meaning.
 */
const BUILTIN_REGULARIZERS = [
  [['l1'], () => new L1()],
  [['l2'], () => new L2()],
  [['l1_l2'], () => new L1L2({ l1: 0.01, l2: 0.01 })],
] as const;
const byName = new NameTable<() => Regularizer>('regularizer');
for (const [names, make] of BUILTIN_REGULARIZERS) byName.add(names, make);

/** The built-in regularizer names. */
export type BuiltinRegularizerName = NamesOf<typeof BUILTIN_REGULARIZERS>;
/** A regularizer name: a built-in one ('l1_l2', 'l1L2', 'L1L2') or one declared in `CustomRegularizers`. */
export type RegularizerName = Spellings<BuiltinRegularizerName> | CustomNames<CustomRegularizers>;

/** A regularizer as options take it: a name, an instance, or a `{class_name, config}` object (`getRegularizer` also takes any string). */
export type RegularizerIdentifier = RegularizerName | Regularizer | SerializedObject;

/**
 * Resolves a regularizer: a Keras or tfjs name, an instance, a `{class_name, config}` object (or
 * tfjs's `{className, config}`), or null/undefined for none.
 *
 * ```ts
 * kiln.regularizers.get('l2');                                        // L2 with l2 = 0.01
 * kiln.regularizers.get({ class_name: 'L1L2', config: { l1: 0, l2: 1e-4 } });
 * ```
 */
export function getRegularizer(identifier: RegularizerIdentifier | string | null | undefined): Regularizer | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Regularizer) return identifier;
  if (typeof identifier === 'string') return byName.get(identifier, 'regularizer')();
  if (typeof identifier === 'object') {
    const spec = identifier as Partial<SerializedObject> & { className?: string };
    const className = spec.class_name ?? spec.className;
    if (typeof className === 'string') {
      const config = (spec.config ?? {}) as Config;
      if (classes.has(className)) return classes.get(className).fromConfig(config);
      const obj = deserialize({ ...spec, class_name: className, config }, 'regularizer', 'keras.regularizers');
      if (obj instanceof Regularizer) return obj;
      throw new ValueError(`regularizer: class '${className}' is registered but is not a Regularizer`);
    }
  }
  throw new ValueError(
    `regularizer: expected a name, a Regularizer, {class_name, config} or null, found ${JSON.stringify(identifier)?.slice(0, 200)}`,
  );
}

/** The config form: null, or `{ class_name, config }` like Keras. */
export function serializeRegularizer(identifier: RegularizerIdentifier | string | null | undefined): SerializedObject | null {
  const r = getRegularizer(identifier);
  return r ? serialize(r) : null;
}

/**
 * Factories in tfjs's style.
 *
 * ```ts
 * kiln.layers.dense({ units: 8, kernelRegularizer: kiln.regularizers.l2({ l2: 1e-4 }) });
 * ```
 */
export const l1 = (args: { l1?: number } = {}): Regularizer => construct(L1, args);
export const l2 = (args: { l2?: number } = {}): Regularizer => construct(L2, args);
/** Both penalties; each factor defaults to 0.01 here (tfjs's `l1l2`, Keras 2's `l1_l2`). */
export const l1l2 = (args: { l1?: number; l2?: number } = {}): Regularizer =>
  construct(L1L2, { ...args, l1: args.l1 ?? 0.01, l2: args.l2 ?? 0.01 });

// Keras-style short names inside the namespace: `kiln.regularizers.get('l2')`.
export { getRegularizer as get, serializeRegularizer as serialize };
