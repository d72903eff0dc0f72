import type { Activation } from '../../activations/index.js';
import { getActivation } from '../../activations/index.js';
import * as F from '../../activations/functions.js';
import { SELU_ALPHA, SELU_SCALE } from '../../activations/functions.js';
import type { GraphBuilder } from './graph.js';
import { int } from './graph.js';

/** Writes the nodes of one activation applied to value `x` (named under `scope`); returns the result. */
type Lowering = (g: GraphBuilder, x: string, scope: string) => string;

const unary = (op: string, attrs: Parameters<GraphBuilder['node']>[3] = {}): Lowering => (g, x, scope) => g.node(op, [x], `${scope}/${op}`, attrs);

/** x · f(x), the shape of silu, hard_silu and mish. */
const gated = (inner: Lowering): Lowering => (g, x, scope) => g.node('Mul', [x, inner(g, x, scope)], `${scope}/Mul`);

/** Exact GELU, ½x(1 + erf(x/√2)): opset 13 has no Gelu op (it arrived in opset 20). */
const gelu: Lowering = (g, x, scope) => {
  const scaled = g.node('Mul', [x, g.scalar(`${scope}/sqrt1_2`, Math.SQRT1_2)], `${scope}/Mul`);
  const erf = g.node('Erf', [scaled], `${scope}/Erf`);
  const onePlus = g.node('Add', [erf, g.scalar(`${scope}/one`, 1)], `${scope}/Add`);
  const half = g.node('Mul', [x, g.scalar(`${scope}/half`, 0.5)], `${scope}/Mul`);
  return g.node('Mul', [half, onePlus], `${scope}/Mul`);
};

/** tanh-approximated GELU (tfjs's 'gelu_new'): ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
const geluTanh: Lowering = (g, x, scope) => {
  const cube = g.node('Pow', [x, g.scalar(`${scope}/three`, 3)], `${scope}/Pow`);
  const inner = g.node('Add', [x, g.node('Mul', [cube, g.scalar(`${scope}/c`, 0.044715)], `${scope}/Mul`)], `${scope}/Add`);
  const t = g.node('Tanh', [g.node('Mul', [inner, g.scalar(`${scope}/sqrt_2_pi`, Math.sqrt(2 / Math.PI))], `${scope}/Mul`)], `${scope}/Tanh`);
  const onePlus = g.node('Add', [t, g.scalar(`${scope}/one`, 1)], `${scope}/Add`);
  const half = g.node('Mul', [x, g.scalar(`${scope}/half`, 0.5)], `${scope}/Mul`);
  return g.node('Mul', [half, onePlus], `${scope}/Mul`);
};

/** Keras 3's hard sigmoid is clip(x/6 + ½, 0, 1), ONNX HardSigmoid with alpha 1/6, beta ½ (not Keras 2's 0.2). */
const hardSigmoid = unary('HardSigmoid', { alpha: 1 / 6, beta: 0.5 });

/** ONNX lowerings by Keras activation name (the name Keras 3 writes to configs). */
const LOWERINGS: Record<string, Lowering | null> = {
  linear: null,
  relu: unary('Relu'),
  // Clip-13 takes its bounds as inputs, not attributes.
  relu6: (g, x, scope) => g.node('Clip', [x, g.scalar(`${scope}/min`, 0), g.scalar(`${scope}/max`, 6)], `${scope}/Clip`),
  leaky_relu: unary('LeakyRelu', { alpha: 0.2 }), // Keras 3's activation default negative_slope
  elu: unary('Elu', { alpha: 1 }),
  selu: unary('Selu', { alpha: SELU_ALPHA, gamma: SELU_SCALE }),
  sigmoid: unary('Sigmoid'),
  hard_sigmoid: hardSigmoid,
  tanh: unary('Tanh'),
  // Softmax-13 normalizes along `axis` alone (before 13 it flattened every axis from `axis` on).
  softmax: unary('Softmax', { axis: int(-1) }),
  log_softmax: unary('LogSoftmax', { axis: int(-1) }),
  softplus: unary('Softplus'),
  softsign: unary('Softsign'),
  silu: gated(unary('Sigmoid')),
  hard_silu: gated(hardSigmoid),
  gelu,
  gelu_new: geluTanh,
  exponential: unary('Exp'),
  mish: gated((g, x, scope) => g.node('Tanh', [g.node('Softplus', [x], `${scope}/Softplus`)], `${scope}/Tanh`)),
};

/** The kiln function each built-in name stands for, to tell a built-in from a custom function of the same name. */
const FUNCTIONS: Record<string, unknown> = {
  linear: F.linear, relu: F.relu, relu6: F.relu6, leaky_relu: F.leakyRelu, elu: F.elu, selu: F.selu, sigmoid: F.sigmoid,
  hard_sigmoid: F.hardSigmoid, tanh: F.tanh, softmax: F.softmax, log_softmax: F.logSoftmax, softplus: F.softplus,
  softsign: F.softsign, silu: F.silu, hard_silu: F.hardSilu, gelu: F.gelu, exponential: F.exponential, mish: F.mish,
};

function isBuiltin(a: Activation): boolean {
  if (!(a.name in LOWERINGS)) return false;
  if (FUNCTIONS[a.name] === a.fn) return true;
  try {
    return getActivation(a.name).fn === a.fn;
  } catch {
    return false;
  }
}

/**
 * The ONNX lowering of a kiln activation, `null` for linear (no node), or `undefined` when the
 * activation has none (a custom function, or one registered under a built-in's name).
 *
 * ```ts
 * const lower = activationLowering(getActivation('gelu'));
 * const y = lower ? lower(graph, 'dense/MatMul', 'dense/gelu') : 'dense/MatMul';
 * ```
 */
export function activationLowering(a: Activation): Lowering | null | undefined {
  return isBuiltin(a) ? LOWERINGS[a.name] : undefined;
}

/** The Keras names of every activation `exportOnnx` can lower. */
export function onnxActivationNames(): string[] {
  return Object.keys(LOWERINGS);
}
