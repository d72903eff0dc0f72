/**
 * kiln — Keras-style deep learning for TypeScript on Node.js.
 *
 * ```ts
 * import * as kiln from 'kiln';
 * kiln.setSeed(42);
 * const model = kiln.sequential([kiln.layers.dense({ units: 1, inputShape: [3] })]);
 * ```
 */
export { setBackend, getBackend, listBackends } from './backends/index.js';
export * from './ops/index.js';
export { Tensor, Variable } from './core/tensor.js';
export type { NestedArray } from './core/tensor.js';
export type { DType, TypedArray } from './core/dtype.js';
export type { Shape } from './core/shape.js';
export { valueAndGrads, grad } from './core/autograd.js';
export { noGrad } from './core/engine.js';
export { setSeed, getSeed, getRandomState, setRandomState } from './core/random.js';
export * as errors from './errors.js';
