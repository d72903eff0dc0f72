/** Every tensor operation users can call: creation, math, reductions, shapes, and nn helpers. */
export * from './creation.js';
export * from './math.js';
export * from './reduce.js';
export * from './shape.js';
export { softmax, logSoftmax } from '../core/primitives.js';
export * from './conv.js';
