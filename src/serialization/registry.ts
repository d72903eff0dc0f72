import { UnknownNameError, ValueError } from '../errors.js';

/** A JSON-compatible config, in Keras's on-disk (snake_case) spelling. */
export type Config = Record<string, unknown>;

/** `{ class_name, config }`, the way Keras writes any serializable object. */
export interface SerializedObject {
  class_name: string;
  config: Config;
  module?: string | null;
  registered_name?: string | null;
}

/** An object that can describe itself as a config. */
export interface Serializable {
  getConfig(): Config;
}

/**
 * A class kiln can rebuild from a config. `className` is the Keras class name and must be a static
 * field — never `constructor.name`, which minifiers rename.
 */
export interface SerializableClass<T extends Serializable = Serializable> {
  readonly className: string;
  fromConfig(config: Config): T;
}

/**
 * Classes are scoped by Keras module ('keras.layers', 'keras.losses', 'keras.metrics', …), because
 * Keras reuses class names across modules: MeanSquaredError is both a loss and a metric.
 * User classes registered without a module live in the 'custom' scope, which every lookup also sees.
 */
export type ClassModule =
  | 'keras.layers' | 'keras.models' | 'keras.losses' | 'keras.metrics' | 'keras.optimizers'
  | 'keras.optimizers.schedules' | 'keras.initializers' | 'keras.regularizers' | 'keras.src.models.functional' | 'custom';

/** Models are layers too: a model nested in another is looked up among the layers, then here. */
const MODEL_SCOPES = ['keras.models', 'keras.src.models.functional'];

/**
 * Keras's default `from_config` (`cls(**config)`): the class's constructor called with the config.
 * The base classes' static `fromConfig` use it, so a class whose constructor reads its own config
 * (camelCase or snake_case options) needs no `fromConfig` of its own; override only to do more.
 */
export function constructFromConfig<T>(cls: unknown, config: Config): T {
  return new (cls as new (config: Config) => T)(config);
}

const scopes = new Map<string, Map<string, SerializableClass>>();
const moduleOf = new Map<SerializableClass, string>();

/**
 * Makes a class known to kiln's loaders (the one registry of serializable classes). Built-in
 * layers, losses, metrics, initializers and regularizers register themselves under their Keras
 * module; user classes must be registered before a model that uses them is loaded — a model file
 * never runs code.
 *
 * ```ts
 * class Scale extends kiln.layers.Layer {
 *   static override className = 'Scale';
 *   ...
 * }
 * kiln.registerClass(Scale);
 * ```
 */
export function registerClass<T extends Serializable>(
  cls: SerializableClass<T>,
  options: { name?: string; module?: ClassModule } = {},
): void {
  const name = options.name ?? cls.className;
  if (!name || typeof name !== 'string') throw new ValueError('registerClass: the class needs a static `className` string');
  const module = options.module ?? 'custom';
  let scope = scopes.get(module);
  if (!scope) scopes.set(module, (scope = new Map()));
  scope.set(name, cls as SerializableClass);
  moduleOf.set(cls as SerializableClass, module);
}

/** The class registered under `name`, looked up in `module` (then 'custom'); without a module, in any scope. */
export function getRegisteredClass(name: string, module?: string | null): SerializableClass | undefined {
  if (module) {
    const found = scopes.get(module)?.get(name) ?? scopes.get('custom')?.get(name);
    if (found || (module !== 'keras.layers' && !MODEL_SCOPES.includes(module))) return found;
    for (const m of ['keras.layers', ...MODEL_SCOPES]) {
      const cls = scopes.get(m)?.get(name);
      if (cls) return cls;
    }
    return undefined;
  }
  const custom = scopes.get('custom')?.get(name);
  if (custom) return custom;
  for (const scope of scopes.values()) {
    const cls = scope.get(name);
    if (cls) return cls;
  }
  return undefined;
}

/** `{ module, class_name, config, registered_name }` as Keras 3 writes it. */
export function serialize(obj: Serializable & { constructor: unknown }): SerializedObject {
  const cls = obj.constructor as SerializableClass;
  if (!cls.className) throw new ValueError("serialize: the object's class has no static className");
  const module = moduleOf.get(cls) ?? 'custom';
  return {
    module: module === 'custom' ? null : module,
    class_name: cls.className,
    config: obj.getConfig(),
    registered_name: module === 'custom' ? cls.className : null,
  };
}

/**
 * Rebuilds an object from `{ class_name, config }`, refusing classes nobody registered.
 * `module` scopes the lookup (a loss config is looked up among losses); it defaults to the spec's own.
 */
export function deserialize<T extends Serializable = Serializable>(spec: SerializedObject, where = 'deserialize', module?: ClassModule): T {
  if (!spec || typeof spec !== 'object' || typeof spec.class_name !== 'string') {
    throw new ValueError(`${where}: expected {class_name, config}, found ${JSON.stringify(spec)?.slice(0, 200)}`);
  }
  const scope = module ?? spec.module ?? undefined;
  const cls =
    (spec.registered_name ? getRegisteredClass(spec.registered_name, scope) : undefined) ?? getRegisteredClass(spec.class_name, scope);
  if (!cls) {
    throw new UnknownNameError(
      `${where}: unknown class '${spec.class_name}'. Register custom classes with kiln.registerClass() before loading; a model file never runs code.`,
    );
  }
  return cls.fromConfig(spec.config ?? {}) as T;
}
