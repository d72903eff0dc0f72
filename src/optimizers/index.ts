/**
 * Optimizers and learning-rate schedules, following Keras 3 (`keras/src/optimizers/`).
 *
 * ```ts
 * model.compile({ optimizer: kiln.optimizers.adam({ learningRate: 1e-3 }), loss: 'mse' });
 * model.compile({ optimizer: 'rmsprop', loss: 'mse' });
 * const lr = kiln.optimizers.schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 1000 });
 * kiln.optimizers.sgd({ learningRate: lr, momentum: 0.9 });
 * ```
 */
import type { AdagradArgs } from './adagrad.js';
import { Adagrad } from './adagrad.js';
import type { AdamArgs } from './adam.js';
import { Adam, AdamW } from './adam.js';
import type { AdamaxArgs } from './adamax.js';
import { Adamax } from './adamax.js';
import type { NadamArgs } from './nadam.js';
import { Nadam } from './nadam.js';
import type { RMSpropArgs } from './rmsprop.js';
import { RMSprop } from './rmsprop.js';
import type { SGDArgs } from './sgd.js';
import { SGD } from './sgd.js';

export { Optimizer } from './optimizer.js';
export type { OptimizerArgs, GradientPair } from './optimizer.js';
export { SGD, Adam, AdamW, RMSprop, Adagrad, Adamax, Nadam };
export type { SGDArgs, AdamArgs, RMSpropArgs, AdagradArgs, AdamaxArgs, NadamArgs };
export { getOptimizer, serializeOptimizer, isOptimizerName } from './get.js';
export type { BuiltinOptimizerName, OptimizerIdentifier, OptimizerName } from './get.js';
export { clipByNorm, clipByGlobalNorm, globalNorm } from './clipping.js';
export {
  LearningRateSchedule,
  ExponentialDecay,
  InverseTimeDecay,
  PiecewiseConstantDecay,
  CosineDecay,
  getSchedule,
  serializeSchedule,
} from './schedules.js';
export * as schedules from './schedules.js';

/** Gradient descent: `kiln.optimizers.sgd({ learningRate: 0.01, momentum: 0.9, nesterov: true })`. */
export const sgd = (args: SGDArgs = {}) => new SGD(args);
/** Adam: `kiln.optimizers.adam({ learningRate: 1e-3 })`. */
export const adam = (args: AdamArgs = {}) => new Adam(args);
/** AdamW: `kiln.optimizers.adamw({ learningRate: 1e-3, weightDecay: 0.004 })`. */
export const adamw = (args: AdamArgs = {}) => new AdamW(args);
/** RMSprop: `kiln.optimizers.rmsprop({ learningRate: 1e-3, rho: 0.9 })`. */
export const rmsprop = (args: RMSpropArgs = {}) => new RMSprop(args);
/** Adagrad: `kiln.optimizers.adagrad({ learningRate: 0.01 })`. */
export const adagrad = (args: AdagradArgs = {}) => new Adagrad(args);
/** Adamax: `kiln.optimizers.adamax({ learningRate: 2e-3 })`. */
export const adamax = (args: AdamaxArgs = {}) => new Adamax(args);
/** Nadam: `kiln.optimizers.nadam({ learningRate: 2e-3 })`. */
export const nadam = (args: NadamArgs = {}) => new Nadam(args);
