import { UnknownNameError, ValueError } from '../errors.js';
import type { CustomNames, CustomOptimizers, NamesOf } from '../serialization/names.js';
import { NameTable } from '../serialization/names.js';
import type { SerializedObject } from '../serialization/registry.js';
import { getRegisteredClass } from '../serialization/registry.js';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import { Adamax } from './adamax.js';
import { Nadam } from './nadam.js';
import { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

type OptimizerClass = { readonly className: string; fromConfig(config: Record<string, unknown>): Optimizer };

/** Keras's built-in names; lookup ignores case and underscores, so 'RMSprop' == 'rmsprop' == 'rms_prop'. */
const BUILTIN_OPTIMIZERS = [
  [['SGD'], SGD],
  [['Adam'], Adam],
  [['AdamW'], AdamW],
  [['RMSprop'], RMSprop],
  [['Adagrad'], Adagrad],
  [['Adamax'], Adamax],
  [['Nadam'], Nadam],
] as const satisfies readonly (readonly [readonly [string], OptimizerClass])[];
const table = new NameTable<OptimizerClass>('optimizer');
for (const [names, cls] of BUILTIN_OPTIMIZERS) table.add(names, cls);

/** The built-in optimizers' Keras class names. */
export type BuiltinOptimizerName = NamesOf<typeof BUILTIN_OPTIMIZERS>;
/** An optimizer name: a built-in class name or its lower case ('adam', 'RMSprop', 'rmsprop'), or one declared in `CustomOptimizers`. */
export type OptimizerName = BuiltinOptimizerName | Lowercase<BuiltinOptimizerName> | CustomNames<CustomOptimizers>;

/** What `compile({ optimizer })` accepts (`getOptimizer` also takes any string). */
export type OptimizerIdentifier = OptimizerName | Optimizer | SerializedObject;

/**
 * Resolves an optimizer: a name (Keras class name, snake or camel case: 'adam', 'Adam', 'sgd',
 * 'rmsprop', 'RMSprop', 'adamw', …) gives a new one with Keras's defaults; an instance passes
 * through; `{ class_name, config }` is rebuilt from its config (custom optimizers must be
 * registered with `registerClass`).
 *
 * ```ts
 * kiln.optimizers.getOptimizer('adam');
 * kiln.optimizers.getOptimizer({ class_name: 'SGD', config: { learning_rate: 0.1, momentum: 0.9 } });
 * ```
 */
export function getOptimizer(identifier: OptimizerIdentifier | string): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  if (typeof identifier === 'string') return table.get(identifier, 'getOptimizer').fromConfig({});
  if (identifier !== null && typeof identifier === 'object' && typeof identifier.class_name === 'string') {
    const name = identifier.registered_name ?? identifier.class_name;
    const cls = table.has(name)
      ? table.get(name)
      : ((getRegisteredClass(name, 'keras.optimizers') ?? getRegisteredClass(identifier.class_name, 'keras.optimizers')) as OptimizerClass | undefined);
    if (!cls) {
      throw new UnknownNameError(
        `getOptimizer: unknown optimizer class '${identifier.class_name}'. Known: ${table.names().join(', ')}; register custom ones with kiln.registerClass()`,
      );
    }
    const obj = cls.fromConfig({ ...(identifier.config ?? {}) });
    if (!(obj instanceof Optimizer)) throw new ValueError(`getOptimizer: '${identifier.class_name}' is not an Optimizer`);
    return obj;
  }
  throw new ValueError(`getOptimizer: expected a name, an Optimizer or {class_name, config}, found ${JSON.stringify(identifier)}`);
}

/** True when `name` is a built-in optimizer name: `isOptimizerName('RMSprop') // true`. */
export function isOptimizerName(name: string): boolean {
  return table.has(name);
}

/**
 * Keras's serialized form: `{ module: 'keras.optimizers', class_name, config, registered_name: null }`.
 *
 * ```ts
 * const spec = kiln.optimizers.serializeOptimizer(kiln.optimizers.adam());
 * const copy = kiln.optimizers.getOptimizer(spec); // same config, fresh state
 * ```
 */
export function serializeOptimizer(optimizer: Optimizer): SerializedObject {
  const cls = optimizer.constructor as typeof Optimizer;
  return { module: 'keras.optimizers', class_name: cls.className, config: optimizer.getConfig(), registered_name: null };
}
