import { toSnakeCase } from './naming.js';

/**
 * Options arrive in tfjs camelCase (`useBias`) or Keras snake_case (`use_bias`); both are accepted.
 * `option(args, 'useBias')` reads whichever is present.
 */
export function option<T = unknown>(args: object | undefined, camel: string): T | undefined {
  if (!args) return undefined;
  const a = args as Record<string, unknown>;
  if (a[camel] !== undefined) return a[camel] as T;
  return a[snakeOf(camel)] as T | undefined;
}

// Options are read on hot paths (predict of one row), so each snake spelling is derived once.
const snakeNames = new Map<string, string>();
function snakeOf(camel: string): string {
  let snake = snakeNames.get(camel);
  if (snake === undefined) {
    snake = toSnakeCase(camel);
    snakeNames.set(camel, snake);
  }
  return snake;
}
