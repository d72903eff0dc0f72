import { rememberLogits } from '../core/logits.js';
import * as P from '../core/primitives.js';
import { normalizeAxis } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { ValueError } from '../errors.js';
import * as ops from '../ops/index.js';

/**
 * The activation functions of Keras 3 (`keras/src/activations/activations.py`), composed from
 * primitives so every one has a gradient. Each is written so that neither its value nor its
 * gradient becomes NaN or Inf for saturated inputs (±1e4): branches that would overflow are fed
 * clamped inputs, because `where` masks a branch's value but 0 · Inf in its gradient is still NaN.
 *
 * ```ts
 * kiln.activations.gelu(kiln.tensor([-1, 0, 1]));        // exact (erf) form, Keras 3's default
 * kiln.activations.gelu(kiln.tensor([-1, 0, 1]), true);  // tanh approximation
 * ```
 */

/** Keras 3's SELU constants (Klambauer et al., 2017), as in `keras/src/backend/numpy/nn.py`. */
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;

/** The identity. */
export const linear = (x: Tensor): Tensor => x;

/**
 * max(x, 0). The gradient at exactly 0 is 0 (TensorFlow's convention).
 *
 * ```ts
 * kiln.activations.relu(kiln.tensor([-2, 3])); // [0, 3]
 * ```
 */
export const relu = (x: Tensor): Tensor => ops.relu(x);

/** min(max(x, 0), 6). */
export const relu6 = (x: Tensor): Tensor => ops.minimum(ops.relu(x), 6);

/**
 * x for x > 0, else `negativeSlope · x`. Keras 3's default slope is 0.2 (tfjs's `leakyRelu` too).
 * At exactly 0 the gradient is the slope, as in TensorFlow's `leaky_relu`.
 *
 * ```ts
 * kiln.activations.leakyRelu(kiln.tensor([-10, 1])); // [-2, 1]
 * ```
 */
export function leakyRelu(x: Tensor, negativeSlope = 0.2): Tensor {
  return ops.where(ops.greater(x, 0), x, ops.mul(x, negativeSlope));
}

/** 1 / (1 + exp(−x)), computed stably by the primitive. */
export const sigmoid = (x: Tensor): Tensor => rememberLogits(ops.sigmoid(x), x, 'sigmoid');

export const tanh = (x: Tensor): Tensor => ops.tanh(x);

/** Runs a last-axis primitive along any axis by moving that axis last and back. */
function alongAxis(x: Tensor, axis: number, fn: (t: Tensor) => Tensor, where: string): Tensor {
  if (x.rank === 0) throw new ValueError(`${where}: needs a tensor of rank >= 1, found a scalar`);
  const a = normalizeAxis(axis, x.rank, where);
  if (a === x.rank - 1) return fn(x);
  const perm = x.shape.map((_, i) => i);
  perm[a] = x.rank - 1;
  perm[x.rank - 1] = a;
  return P.transpose(fn(P.transpose(x, perm)), perm);
}

/**
 * exp(x) / Σ exp(x) along `axis` (default the last), using the fused, overflow-free primitive.
 *
 * ```ts
 * kiln.activations.softmax(kiln.tensor([[1, 2, 3]])); // rows sum to 1
 * ```
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  const out = alongAxis(x, axis, P.softmax, 'softmax');
  // Over the last axis the output remembers its logits, for the crossentropy losses (Keras 3's _keras_logits).
  return axis === -1 || axis === x.rank - 1 ? rememberLogits(out, x, 'softmax') : out;
}

/** log(softmax(x)) along `axis`, computed without forming softmax (stable for large logits). */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return alongAxis(x, axis, P.logSoftmax, 'log_softmax');
}

/**
 * x for x > 0, else `alpha · (exp(x) − 1)`.
 *
 * ```ts
 * kiln.activations.elu(kiln.tensor([-1, 2]));  // [-0.632, 2]
 * ```
 */
export function elu(x: Tensor, alpha = 1): Tensor {
  // expm1 sees min(x, 0) so the unused branch cannot overflow for large positive x.
  const negative = ops.mul(ops.expm1(ops.minimum(x, 0)), alpha);
  // x >= 0 picks the linear branch at 0, as Keras does, so the gradient there is 1.
  return ops.where(ops.greaterEqual(x, 0), x, negative);
}

/** `scale · elu(x, alpha)` with Keras's fixed constants; pair with the `lecun_normal` initializer. */
export function selu(x: Tensor): Tensor {
  return ops.mul(elu(x, SELU_ALPHA), SELU_SCALE);
}

/**
 * log(1 + exp(x)), stable for any x: ½x + ½|x| + log1p(exp(−|x|)).
 * Written with ½x + ½|x| rather than relu(x) so the gradient at exactly 0 is the true 0.5
 * (relu's and abs's conventions would give 0 there).
 */
export function softplus(x: Tensor): Tensor {
  const a = ops.abs(x);
  return ops.add(ops.add(ops.mul(x, 0.5), ops.mul(a, 0.5)), ops.log1p(ops.exp(ops.neg(a))));
}

/** x / (1 + |x|). */
export function softsign(x: Tensor): Tensor {
  return ops.div(x, ops.add(ops.abs(x), 1));
}

/**
 * x · sigmoid(x), also called swish. Keras 3 names it 'silu' in configs ('swish' is an alias).
 *
 * ```ts
 * kiln.activations.silu(kiln.tensor([1])); // [0.731]
 * ```
 */
export function silu(x: Tensor): Tensor {
  return ops.mul(x, ops.sigmoid(x));
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * Gaussian error linear unit. Keras 3's default (`approximate = false`) is the exact
 * ½x(1 + erf(x/√2)); `approximate = true` gives ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
 *
 * ```ts
 * kiln.activations.gelu(kiln.tensor([1]));        // [0.8413]
 * kiln.activations.gelu(kiln.tensor([1]), true);  // [0.8412]
 * ```
 */
export function gelu(x: Tensor, approximate = false): Tensor {
  if (approximate) {
    const inner = ops.mul(ops.add(x, ops.mul(ops.mul(x, ops.square(x)), 0.044715)), SQRT_2_OVER_PI);
    return ops.mul(ops.mul(x, 0.5), ops.add(ops.tanh(inner), 1));
  }
  return ops.mul(ops.mul(x, 0.5), ops.add(ops.erf(ops.mul(x, Math.SQRT1_2)), 1));
}

/**
 * Keras 3's hard sigmoid: clip(x/6 + 1/2, 0, 1) — 0 below −3, 1 above 3.
 * (Keras 2 and tfjs used clip(0.2x + 0.5, 0, 1), which reaches 0 and 1 at ±2.5.)
 *
 * ```ts
 * kiln.activations.hardSigmoid(kiln.tensor([-4, 0, 1.5])); // [0, 0.5, 0.75]
 * ```
 */
export function hardSigmoid(x: Tensor): Tensor {
  return ops.clipByValue(ops.add(ops.div(x, 6), 0.5), 0, 1);
}

/**
 * Keras 2's and TensorFlow.js's hard sigmoid: clip(0.2·x + 0.5, 0, 1). Files from those libraries
 * that say 'hard_sigmoid' mean this one, and load as 'hard_sigmoid_keras2'.
 *
 * ```ts
 * kiln.activations.get('hard_sigmoid_keras2').fn(kiln.tensor([1])); // [0.7]
 * ```
 */
export const hardSigmoidKeras2 = (x: Tensor): Tensor => ops.clipByValue(ops.add(ops.mul(x, 0.2), 0.5), 0, 1);

/** x · hard_sigmoid(x) (also called hard swish). */
export function hardSilu(x: Tensor): Tensor {
  return ops.mul(x, hardSigmoid(x));
}

/** exp(x). */
export const exponential = (x: Tensor): Tensor => ops.exp(x);

/** x · tanh(softplus(x)) (Misra, 2019). */
export function mish(x: Tensor): Tensor {
  return ops.mul(x, ops.tanh(softplus(x)));
}
