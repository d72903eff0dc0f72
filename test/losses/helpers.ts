// Test helpers for the losses area. They import the modules they need directly (not the package
// entry point) so this area's tests run on their own; the finite-difference check follows
// test/helpers/gradcheck.ts (projection onto fixed random weights, central differences).
import assert from 'node:assert/strict';
import '../../src/backends/index.js';
import { valueAndGrads } from '../../src/core/autograd.js';
import type { Tensor } from '../../src/core/tensor.js';
import * as ops from '../../src/ops/index.js';
export { assertClose } from '../helpers/assert_close.js';

export { ops, valueAndGrads };

/** Gradient of `sum(fn(x))` with respect to `x`. */
export function gradOf(fn: (x: Tensor) => Tensor, x: Tensor): { value: Tensor; grad: Tensor } {
  const { value, grads } = valueAndGrads(() => ops.sum(fn(x)), [x]);
  return { value, grad: grads[0]! };
}

/** Central finite differences of a (projected) function of `x` against its analytic gradient. */
export function checkGradient(
  fn: (x: Tensor) => Tensor,
  x: Tensor,
  { eps = 1e-3, rtol = 2e-2, atol = 2e-3, label = 'gradient' }: { eps?: number; rtol?: number; atol?: number; label?: string } = {},
): void {
  const probe = fn(x);
  const weights = ops.randomUniform(probe.shape, 0.5, 1.5);
  const scalarFn = (t: Tensor) => ops.sum(ops.mul(fn(t), weights));
  const analytic = valueAndGrads(() => scalarFn(x), [x]).grads[0]!.dataSync();
  const base = Float64Array.from(x.dataSync());
  for (let i = 0; i < base.length; i++) {
    const at = (delta: number) => {
      const v = Float32Array.from(base);
      v[i] = base[i]! + delta;
      return scalarFn(ops.tensor(v, x.shape)).item();
    };
    const numeric = (at(eps) - at(-eps)) / (2 * eps);
    const err = Math.abs(numeric - analytic[i]!);
    assert.ok(err <= atol + rtol * Math.abs(numeric), `${label}: element ${i}: analytic ${analytic[i]} vs numeric ${numeric}`);
  }
}

export function assertAllFinite(values: ArrayLike<number>, label: string): void {
  for (let i = 0; i < values.length; i++) assert.ok(Number.isFinite(values[i]!), `${label}[${i}] is ${values[i]}`);
}

/** Asserts `fn` throws an instance of `cls` whose message contains every one of `parts`. */
export function assertThrowsNaming(fn: () => unknown, cls: new (...a: any[]) => Error, parts: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    for (const p of parts) assert.ok((e as Error).message.includes(p), `message "${(e as Error).message}" should mention "${p}"`);
    return true;
  });
}

/** Random rows that sum to 1 with every entry ≥ ~0.02 (softmax of moderate logits). */
export function randomProbabilities(n: number, c: number): Tensor {
  return ops.softmax(ops.randomUniform([n, c], -2, 2));
}

/** Random integer labels in [0, c) as int32. */
export function randomLabels(shape: number[], c: number): Tensor {
  return ops.randomInt(shape, 0, c);
}
