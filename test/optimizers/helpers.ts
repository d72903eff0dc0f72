import assert from 'node:assert/strict';
import '../../src/backends/index.js';
import { Variable } from '../../src/core/tensor.js';
import * as ops from '../../src/ops/index.js';
import type { Optimizer } from '../../src/optimizers/index.js';
import { mulberry32 as rng } from '../helpers/random.js';
export { assertClose } from '../helpers/assert_close.js';

export { rng };

/** Float32-representable values in [lo, hi), as a Float64Array (so the float64 reference sees the same numbers). */
export function uniform(r: () => number, n: number, lo = -1, hi = 1): Float64Array {
  return Float64Array.from({ length: n }, () => Math.fround(lo + (hi - lo) * r()));
}

/** Two variables of different shapes and 20 steps of gradients for them. */
export interface Problem {
  shapes: number[][];
  init: Float64Array[];
  /** grads[step][variable] */
  grads: Float64Array[][];
}

export const SHAPES = [[3, 4], [5]];

/** `scale(step)` sizes the gradients, e.g. shrinking ones so AMSGrad's running max matters. */
export function makeProblem(seed = 1234, steps = 20, shapes = SHAPES, scale = (_step: number) => 1): Problem {
  const r = rng(seed);
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const init = shapes.map((s) => uniform(r, size(s)));
  const grads = Array.from({ length: steps }, (_, t) => shapes.map((s) => uniform(r, size(s), -scale(t), scale(t))));
  return { shapes, init, grads };
}

export function makeVariables(p: Problem, prefix = 'dense'): Variable[] {
  return p.shapes.map((s, i) => new Variable(ops.tensor(Float32Array.from(p.init[i]!), s), `${prefix}/w${i}`));
}

/** Runs `steps` steps of `opt` on fresh variables; returns the final weights (and the variables). */
export function runKiln(opt: Optimizer, p: Problem, steps = p.grads.length, vars = makeVariables(p)): { weights: Float64Array[]; vars: Variable[] } {
  for (let t = 0; t < steps; t++) {
    opt.applyGradients(vars.map((v, i) => [ops.tensor(Float32Array.from(p.grads[t]![i]!), p.shapes[i]!), v] as const));
  }
  return { weights: vars.map((v) => Float64Array.from(v.dataSync())), vars };
}

