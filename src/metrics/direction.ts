import type { MetricIdentifier } from './resolve.js';
import { getMetric, probeMetric } from './resolve.js';
import { Metric } from './metric.js';

/** Whether a larger value is better ('up'), a smaller one ('down'), or neither is known (null). */
export type MetricDirection = 'up' | 'down' | null;

// compile's shape-dependent names: whichever class they become, the direction is the same.
const UP_BY_SHAPE = new Set(['accuracy', 'acc']);
const DOWN_BY_SHAPE = new Set(['crossentropy', 'ce']);

/**
 * The direction of what a `compile` metric entry becomes, read from the metric class itself (each
 * declares `direction`, as Keras 3's `_direction`), without resolving it against data shapes: the
 * one source for "higher is better" that monitoring callbacks use. A plain function metric has no
 * direction (null), as in Keras; so does a name no metric has.
 *
 * ```ts
 * kiln.metrics.metricDirection('auc');                 // 'up'
 * kiln.metrics.metricDirection(new kiln.metrics.MeanSquaredError()); // 'down'
 * ```
 */
export function metricDirection(identifier: MetricIdentifier | string): MetricDirection {
  if (identifier instanceof Metric) return identifier.direction;
  if (typeof identifier === 'function') return null;
  try {
    if (typeof identifier === 'string') {
      const key = identifier.toLowerCase();
      if (UP_BY_SHAPE.has(key)) return 'up';
      if (DOWN_BY_SHAPE.has(key)) return 'down';
      return probeMetric(identifier, null).direction;
    }
    // A config names its metric (or gets a placeholder name), so no auto-name counter moves.
    const config = { name: 'direction_probe', ...(identifier.config ?? {}) };
    return getMetric({ ...identifier, config }).direction;
  } catch {
    return null; // not a built-in name or a loadable config: nothing to read a direction from
  }
}
