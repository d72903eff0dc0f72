import { checkOptions } from '../utils/options.js';
import type { Serializable } from './registry.js';

/**
 * `new cls(config)`, refusing an option the object does not know, for the lower-camel factories of
 * losses, metrics, initializers and regularizers (`kiln.metrics.auc({ curev: 'PR' })` is a
 * ValueError suggesting 'curve'). The known options are the keys of the object's own `getConfig()`:
 * Keras's contract is that a class's constructor takes exactly its config's keys, so the list
 * cannot drift from what the class reads. Keys are accepted in tfjs camelCase or in the config's
 * Keras snake_case (`beta_1`, `from_logits`).
 *
 * ```ts
 * construct(BinaryCrossentropy, { fromLogits: true });   // a BinaryCrossentropy
 * construct(BinaryCrossentropy, { fromLogit: true });    // ValueError: … did you mean 'fromLogits'?
 * ```
 */
export function construct<C extends (new (config: never) => Serializable) & { className: string }>(
  cls: C,
  config: ConstructorParameters<C>[0],
): InstanceType<C> {
  const obj = new cls(config) as InstanceType<C>;
  if (config !== undefined && config !== null) {
    const snake = Object.keys(obj.getConfig());
    checkOptions(cls.className, config as object, snake.map(camelOf), snake);
  }
  return obj;
}

/** `from_logits` → `fromLogits`, `beta_1` → `beta1` (tfjs's spelling of Keras's config keys). */
function camelOf(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}
