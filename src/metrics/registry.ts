import type { SerializableClass } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import type { Metric } from './metric.js';

// Keras resolves metric configs against the metrics module only (`module_objects`), because
// several metric and loss classes share a class name: MeanSquaredError, BinaryCrossentropy, …
// The global registry is scoped by module for the same reason; this table is the metrics' own
// fast path for built-ins.

const metricClasses = new Map<string, SerializableClass<Metric>>();

/** Registers a built-in metric class under its Keras class name. */
export function registerMetric(cls: SerializableClass<Metric>): void {
  metricClasses.set(cls.className, cls);
  registerClass(cls, { module: 'keras.metrics' });
}

/** The built-in metric class with this Keras class name, if any. */
export function getMetricClass(name: string): SerializableClass<Metric> | undefined {
  return metricClasses.get(name);
}
