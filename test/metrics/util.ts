import assert from 'node:assert/strict';
import '../../src/backends/index.js'; // registers the reference backend for tensor()
import type { Metric, MetricResult } from '../../src/metrics/index.js';
import { mulberry32 as rng } from '../helpers/random.js';

/** Asserts a metric result (number, array or matrix) equals `expected` within tolerance. */
export function close(actual: MetricResult, expected: MetricResult, tol = 1e-6, label = 'result'): void {
  const flat = (x: MetricResult): number[] => (typeof x === 'number' ? [x] : (x as (number | number[])[]).flat());
  const a = flat(actual);
  const e = flat(expected);
  assert.equal(typeof actual === 'number', typeof expected === 'number', `${label}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`);
  assert.equal(a.length, e.length, `${label}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`);
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(e[i])) assert.ok(Number.isNaN(a[i]), `${label}[${i}]: expected NaN, found ${a[i]}`);
    else assert.ok(Math.abs(a[i]! - e[i]!) <= tol * Math.max(1, Math.abs(e[i]!)), `${label}[${i}]: ${a[i]} vs expected ${e[i]} (${JSON.stringify(actual)})`);
  }
}

/** Updates a fresh metric with each batch and returns its result. */
export function run(make: () => Metric, batches: [unknown, unknown, unknown?][]): MetricResult {
  const m = make();
  for (const [t, p, w] of batches) m.updateState(t as never, p as never, (w ?? null) as never);
  return m.result();
}

/** Streaming check: two batches must give what one batch of their union gives. */
export function assertStreams(make: () => Metric, a: [unknown, unknown, unknown?], b: [unknown, unknown, unknown?], union: [unknown, unknown, unknown?], tol = 1e-9): void {
  close(run(make, [a, b]), run(make, [union]), tol, 'two batches vs their union');
}

export { rng };
