// Tests import modules directly, not the package entry, so register the backends here.
import '../../src/backends/index.js';
import type * as TF from '@tensorflow/tfjs';
import { setSeed } from '../../src/core/random.js';
import type { Tensor } from '../../src/core/tensor.js';
import { randomNormal, tensor } from '../../src/ops/index.js';

/** Test helpers shared by the layer tests. */

let tfModule: typeof TF | null = null;
/**
 * TensorFlow.js on its CPU backend (the oracle for layer outputs). Loaded on first use: importing
 * tfjs takes about a second, which files without oracle tests should not pay.
 */
export async function tfjs(): Promise<typeof TF> {
  if (!tfModule) {
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    tfModule = tf;
  }
  return tfModule;
}

/** A seeded random normal tensor and its values (to hand the same numbers to tfjs). */
export function randomInput(shape: number[], seed: number, scale = 1, shift = 0): { x: Tensor; values: Float32Array } {
  setSeed(seed);
  const values = Float32Array.from(randomNormal(shape).dataSync(), (v) => v * scale + shift);
  return { x: tensor(values, shape), values };
}

/** A kiln tensor as a tfjs tensor (same shape and values); call after `await tfjs()`. */
export function toTf(t: Tensor): TF.Tensor {
  if (!tfModule) throw new Error('toTf: await tfjs() first');
  return tfModule.tensor(Float32Array.from(t.dataSync()), [...t.shape]);
}

/**
 * Runs `fn` with some of the layer's weights replaced by other tensors, so a gradient check can
 * differentiate the layer with respect to its weights as ordinary inputs; restores them after.
 */
export function withWeights<T>(layer: object, weights: Record<string, Tensor>, fn: () => T): T {
  const target = layer as Record<string, unknown>;
  const saved = Object.fromEntries(Object.keys(weights).map((k) => [k, target[k]]));
  Object.assign(target, weights);
  try {
    return fn();
  } finally {
    Object.assign(target, saved);
  }
}

/** Per-feature mean and biased variance (float64) of a row-major array whose last axis has `c` entries. */
export function moments64(values: ArrayLike<number>, c: number): { mean: number[]; variance: number[] } {
  const n = values.length / c;
  const mean = new Array<number>(c).fill(0);
  const variance = new Array<number>(c).fill(0);
  for (let i = 0; i < values.length; i++) mean[i % c]! += values[i]! / n;
  for (let i = 0; i < values.length; i++) variance[i % c]! += (values[i]! - mean[i % c]!) ** 2 / n;
  return { mean, variance };
}
