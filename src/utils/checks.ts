import { ValueError } from '../errors.js';

/**
 * A non-negative integer option (patience, cooldown, epochs, steps…), or a ValueError that names the
 * owner and the option: `EarlyStopping: patience must be a non-negative integer, found -1`.
 */
export function nonNegativeInt(value: unknown, name: string, owner: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ValueError(`${owner}: ${name} must be a non-negative integer, found ${JSON.stringify(value)}`);
  }
  return value;
}
