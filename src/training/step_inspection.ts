import * as P from '../core/primitives.js';
import type { Tensor, Variable } from '../core/tensor.js';
import type { LayerStepStats } from '../callbacks/step_record.js';
import type { Layer } from '../layers/layer.js';

/** What the fit loop asks of one training step: whether to inspect it, and what the step found. */
export interface StepObservation {
  /** Compute per-layer statistics for this step. */
  inspect: boolean;
  /** Also copy the gradients out (TensorBoard's gradient histograms). */
  gradients: boolean;
  /** Filled by the step: the batch loss, and the layers' statistics when inspected (or the loss was not finite). */
  loss?: number;
  layers?: LayerStepStats[];
}

/** The layers a step reports on, with the indices of their trainable weights in the model's list. */
interface LayerPlan {
  layer: Layer;
  activation: string | null;
  varIndices: number[];
}

const plans = new WeakMap<readonly Variable[], LayerPlan[]>();

/**
 * Groups the model's trainable weights by layer, once per weight list (the model hands out the same
 * array until its layers change), so an inspected step costs only the reductions themselves.
 */
function planFor(layers: readonly Layer[], vars: readonly Variable[]): LayerPlan[] {
  let plan = plans.get(vars);
  if (plan) return plan;
  const index = new Map<Variable, number>(vars.map((v, i) => [v, i]));
  plan = layers.map((layer) => ({
    layer,
    activation: activationOf(layer),
    varIndices: layer.trainableWeights.map((v) => index.get(v)).filter((i): i is number => i !== undefined),
  }));
  plans.set(vars, plan);
  return plan;
}

/** A layer's activation by name: Dense-style `activation` config, or a ReLU / Activation layer. */
function activationOf(layer: Layer): string | null {
  const className = (layer.constructor as typeof Layer).className;
  if (className === 'ReLU') return 'relu';
  const config = layer.getConfig() as { activation?: unknown };
  return typeof config.activation === 'string' ? config.activation : null;
}

function sumOfSquares(t: Tensor): number {
  return P.reduce('sum', P.unary('square', t)).dataSync()[0]!;
}

/**
 * Per-layer statistics of one step, from the tensors the step already made: the gradients, the
 * layers' outputs tapped during the forward pass, and the weights before the update. Runs inside
 * the step's scope (everything it makes is freed with the step) and under noGrad.
 *
 * A norm that overflows float32 (above ~1.8e19) reads as non-finite, which is a blow-up either way.
 */
export function layerStepStats(
  layers: readonly Layer[], vars: readonly Variable[], grads: readonly Tensor[], outputs: ReadonlyMap<Layer, Tensor>,
  withGradients: boolean,
): LayerStepStats[] {
  return planFor(layers, vars).map(({ layer, activation, varIndices }) => {
    let gradSq = 0;
    let weightSq = 0;
    for (const i of varIndices) {
      gradSq += sumOfSquares(grads[i]!);
      weightSq += sumOfSquares(vars[i]!);
    }
    const has = varIndices.length > 0;
    const stats: LayerStepStats = {
      name: layer.name,
      className: (layer.constructor as typeof Layer).className,
      activation,
      gradNorm: has ? Math.sqrt(gradSq) : null,
      weightNorm: has ? Math.sqrt(weightSq) : null,
      weightsFinite: Number.isFinite(weightSq),
      outputFinite: true,
    };
    const out = outputs.get(layer);
    if (out) {
      stats.outputFinite = P.reduce('min', P.cast(P.unary('isfinite', out), 'float32')).dataSync()[0] === 1;
      if (activation === 'relu' && out.rank >= 2) {
        const axes = Array.from({ length: out.rank - 1 }, (_, a) => a);
        const max = P.reduce('max', out, axes).dataSync();
        stats.activeUnits = Uint8Array.from(max, (m) => (m > 0 ? 1 : 0));
      }
    }
    if (withGradients && has) {
      stats.gradients = varIndices.map((i) => ({ name: vars[i]!.name, values: Float32Array.from(grads[i]!.dataSync()) }));
    }
    return stats;
  });
}
