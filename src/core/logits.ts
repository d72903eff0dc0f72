import type { Tensor } from './tensor.js';

/**
 * Probabilities remember the logits they came from, as in Keras 3's TensorFlow backend
 * (`output._keras_logits`): a softmax or sigmoid output carries its input, and the crossentropy
 * losses use it instead of taking the log of clipped probabilities. That is both more accurate
 * (no 1e-7 clipping, no NaN or Inf for saturated outputs) and faster (one fused kernel).
 * Kept beside the tensor, not on it: only activations write here and only losses read.
 */
const logitsOf = new WeakMap<Tensor, { logits: Tensor; kind: 'softmax' | 'sigmoid' }>();

export function rememberLogits(probabilities: Tensor, logits: Tensor, kind: 'softmax' | 'sigmoid'): Tensor {
  logitsOf.set(probabilities, { logits, kind });
  return probabilities;
}

/** The logits behind `probabilities` when it is the output of that kind of activation. */
export function recallLogits(probabilities: Tensor, kind: 'softmax' | 'sigmoid'): Tensor | null {
  const entry = logitsOf.get(probabilities);
  return entry && entry.kind === kind ? entry.logits : null;
}
