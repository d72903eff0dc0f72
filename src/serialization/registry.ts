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

const classes = new Map<string, SerializableClass>();

/**
 * Makes a class known to kiln's loaders (the one registry of serializable classes). Built-in
 * layers, optimizers, losses, metrics, initializers and regularizers register themselves; user
 * classes must be registered before a model that uses them is loaded — a model file never runs code.
 *
 * ```ts
 * class Scale extends kiln.layers.Layer {
 *   static override className = 'Scale';
 *   ...
 * }
 * kiln.registerClass(Scale);
 * ```
 */
export function registerClass<T extends Serializable>(cls: SerializableClass<T>, options: { name?: string } = {}): void {
  const name = options.name ?? cls.className;
  if (!name || typeof name !== 'string') throw new ValueError('registerClass: the class needs a static `className` string');
  classes.set(name, cls as SerializableClass);
}

export function getRegisteredClass(name: string): SerializableClass | undefined {
  return classes.get(name);
}

export function serialize(obj: Serializable & { constructor: unknown }): SerializedObject {
  const cls = obj.constructor as Partial<SerializableClass>;
  if (!cls.className) throw new ValueError('serialize: the object\'s class has no static className');
  return { class_name: cls.className, config: obj.getConfig() };
}

/** Rebuilds an object from `{ class_name, config }`, refusing classes nobody registered. */
export function deserialize<T extends Serializable = Serializable>(spec: SerializedObject, where = 'deserialize'): T {
  if (!spec || typeof spec !== 'object' || typeof spec.class_name !== 'string') {
    throw new ValueError(`${where}: expected {class_name, config}, found ${JSON.stringify(spec)?.slice(0, 200)}`);
  }
  const cls = classes.get(spec.registered_name ?? spec.class_name) ?? classes.get(spec.class_name);
  if (!cls) {
    throw new UnknownNameError(
      `${where}: unknown class '${spec.class_name}'. Register custom classes with kiln.registerClass() before loading; a model file never runs code.`,
    );
  }
  return cls.fromConfig(spec.config ?? {}) as T;
}
