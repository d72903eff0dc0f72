/**
 * Float64 reference implementations of Keras 3's update rules, written from the Keras sources
 * (keras/src/optimizers/{sgd,adam,rmsprop,adagrad,adamax,nadam}.py, and base_optimizer.py for
 * weight decay) with plain loops, independent of kiln's tensor code.
 */
import type { Problem } from './helpers.js';

/** One optimizer's update for all variables at 1-based step `t`. */
export type RefStep = (t: number, grads: Float64Array[], weights: Float64Array[], lr: number) => void;
/** Makes a fresh reference optimizer for variables of the given sizes. */
export type RefFactory = (sizes: number[]) => RefStep;

const zeros = (sizes: number[], value = 0) => sizes.map((n) => new Float64Array(n).fill(value));

/** keras/src/optimizers/sgd.py */
export const refSGD =
  (momentum = 0, nesterov = false): RefFactory =>
  (sizes) => {
    const m = zeros(sizes);
    return (_t, grads, weights, lr) =>
      grads.forEach((g, k) => {
        const w = weights[k]!;
        for (let i = 0; i < g.length; i++) {
          if (momentum === 0) {
            w[i]! -= lr * g[i]!;
            continue;
          }
          m[k]![i] = momentum * m[k]![i]! - lr * g[i]!;
          w[i]! += nesterov ? momentum * m[k]![i]! - lr * g[i]! : m[k]![i]!;
        }
      });
  };

/** keras/src/optimizers/adam.py (epsilon is added to the uncorrected sqrt(v)). */
export const refAdam =
  ({ beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7, amsgrad = false } = {}): RefFactory =>
  (sizes) => {
    const m = zeros(sizes);
    const v = zeros(sizes);
    const vHat = zeros(sizes);
    return (t, grads, weights, lr) => {
      const alpha = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
      grads.forEach((g, k) => {
        for (let i = 0; i < g.length; i++) {
          m[k]![i]! += (g[i]! - m[k]![i]!) * (1 - beta1);
          v[k]![i]! += (g[i]! * g[i]! - v[k]![i]!) * (1 - beta2);
          let vi = v[k]![i]!;
          if (amsgrad) vi = vHat[k]![i] = Math.max(vHat[k]![i]!, vi);
          weights[k]![i]! -= (m[k]![i]! * alpha) / (Math.sqrt(vi) + epsilon);
        }
      });
    };
  };

/** keras/src/optimizers/rmsprop.py (epsilon inside the square root). */
export const refRMSprop =
  ({ rho = 0.9, momentum = 0, epsilon = 1e-7, centered = false } = {}): RefFactory =>
  (sizes) => {
    const ms = zeros(sizes);
    const mg = zeros(sizes);
    const mom = zeros(sizes);
    return (_t, grads, weights, lr) =>
      grads.forEach((g, k) => {
        for (let i = 0; i < g.length; i++) {
          ms[k]![i] = rho * ms[k]![i]! + (1 - rho) * g[i]! * g[i]!;
          let denom = ms[k]![i]! + epsilon;
          if (centered) {
            mg[k]![i] = rho * mg[k]![i]! + (1 - rho) * g[i]!;
            denom = ms[k]![i]! - mg[k]![i]! ** 2 + epsilon;
          }
          const inc = (lr * g[i]!) / Math.sqrt(denom);
          if (momentum > 0) {
            mom[k]![i] = momentum * mom[k]![i]! + inc;
            weights[k]![i]! -= mom[k]![i]!;
          } else {
            weights[k]![i]! -= inc;
          }
        }
      });
  };

/** keras/src/optimizers/adagrad.py */
export const refAdagrad =
  ({ initialAccumulatorValue = 0.1, epsilon = 1e-7 } = {}): RefFactory =>
  (sizes) => {
    const acc = zeros(sizes, initialAccumulatorValue);
    return (_t, grads, weights, lr) =>
      grads.forEach((g, k) => {
        for (let i = 0; i < g.length; i++) {
          acc[k]![i]! += g[i]! * g[i]!;
          weights[k]![i]! -= (lr * g[i]!) / Math.sqrt(acc[k]![i]! + epsilon);
        }
      });
  };

/** keras/src/optimizers/adamax.py */
export const refAdamax =
  ({ beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7 } = {}): RefFactory =>
  (sizes) => {
    const m = zeros(sizes);
    const u = zeros(sizes);
    return (t, grads, weights, lr) =>
      grads.forEach((g, k) => {
        for (let i = 0; i < g.length; i++) {
          m[k]![i]! += (g[i]! - m[k]![i]!) * (1 - beta1);
          u[k]![i] = Math.max(beta2 * u[k]![i]!, Math.abs(g[i]!));
          weights[k]![i]! -= (lr * m[k]![i]!) / ((1 - beta1 ** t) * (u[k]![i]! + epsilon));
        }
      });
  };

/** keras/src/optimizers/nadam.py, with the u_product momentum cache updated once per step. */
export const refNadam =
  ({ beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7 } = {}): RefFactory =>
  (sizes) => {
    const m = zeros(sizes);
    const v = zeros(sizes);
    const mu = (s: number) => beta1 * (1 - 0.5 * 0.96 ** s);
    let uProduct = 1;
    return (t, grads, weights, lr) => {
      uProduct *= mu(t);
      const uProduct1 = uProduct * mu(t + 1);
      grads.forEach((g, k) => {
        for (let i = 0; i < g.length; i++) {
          m[k]![i]! += (g[i]! - m[k]![i]!) * (1 - beta1);
          v[k]![i]! += (g[i]! * g[i]! - v[k]![i]!) * (1 - beta2);
          const mHat = (mu(t + 1) * m[k]![i]!) / (1 - uProduct1) + ((1 - mu(t)) * g[i]!) / (1 - uProduct);
          const vHat = v[k]![i]! / (1 - beta2 ** t);
          weights[k]![i]! -= (lr * mHat) / (Math.sqrt(vHat) + epsilon);
        }
      });
    };
  };

/**
 * Runs the reference for all of `p`'s steps. `lrAt(iteration)` gives the rate for the 0-based
 * iteration; weight decay follows base_optimizer.py (`w -= w * wd * lr`, before the update).
 */
export function runReference(factory: RefFactory, p: Problem, lrAt: (iteration: number) => number, weightDecay: number | null = null): Float64Array[] {
  const weights = p.init.map((w) => Float64Array.from(w));
  const step = factory(weights.map((w) => w.length));
  p.grads.forEach((grads, it) => {
    const lr = lrAt(it);
    if (weightDecay !== null) for (const w of weights) for (let i = 0; i < w.length; i++) w[i]! -= w[i]! * weightDecay * lr;
    step(it + 1, grads, weights, lr);
  });
  return weights;
}
