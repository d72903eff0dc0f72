import type { Activation, ActivationIdentifier } from '../../activations/index.js';
import { serializeActivation } from '../../activations/index.js';
import * as P from '../../core/primitives.js';
import type { Tensor } from '../../core/tensor.js';
import type { Config } from '../../serialization/registry.js';
import { registerClass } from '../../serialization/registry.js';
import type { Spelled } from '../../utils/options.js';
import { optionNames } from '../../utils/options.js';
import { boolOption } from '../validation.js';
import type { RecurrentArgs, StepFn } from './rnn.js';
import { gate, RECURRENT_OPTIONS, Recurrent, recurrentActivationOption } from './rnn.js';

export interface GRUArgs extends RecurrentArgs {
  /** The gates' activation (default sigmoid). */
  recurrentActivation?: ActivationIdentifier;
  /**
   * Apply the reset gate after the recurrent product (default true, Keras 3 and cuDNN's form; the
   * bias then has two rows, input and recurrent). false: the original form, reset before the product.
   */
  resetAfter?: boolean;
}

/**
 * Gated recurrent unit (Cho et al., 2014) in Keras 3's layout: kernel [in, 3·units],
 * recurrent_kernel [units, 3·units], gate blocks z (update), r (reset), h (candidate). With
 * resetAfter (the default) the bias is [2, 3·units] — row 0 for the input projection, row 1 for
 * the recurrent one — and
 *
 *   hh = activation(x_h + r ⊙ (h_{t-1}·U_h + b_rh)),   h_t = z ⊙ h_{t-1} + (1 − z) ⊙ hh.
 *
 * Without it the bias is [3·units] and hh = activation(x_h + (r ⊙ h_{t-1})·U_h).
 *
 * ```ts
 * kiln.layers.gru({ units: 32, returnSequences: true });
 * ```
 */
export class GRU extends Recurrent {
  static override readonly className = 'GRU';
  static override readonly optionNames = optionNames<GRUArgs>({ ...RECURRENT_OPTIONS, recurrentActivation: true, resetAfter: true });
  protected readonly cellName = 'gru_cell';
  protected readonly gates = 3;
  protected readonly stateCount = 1;
  readonly recurrentActivation: Activation;
  readonly resetAfter: boolean;

  constructor(args: Spelled<GRUArgs>) {
    super(args);
    this.recurrentActivation = recurrentActivationOption(this, args);
    this.resetAfter = boolOption(this, args, 'resetAfter', true);
  }

  protected override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  /** Row 0 of a reset_after bias (the input bias); all of it otherwise. */
  protected override inputBias(): Tensor | null {
    if (!this.bias || !this.resetAfter) return this.bias;
    return P.reshape(P.slice(this.bias, [0, 0], [1, 3 * this.units]), [3 * this.units]);
  }

  protected makeStep(): StepFn {
    const u = this.units;
    const act = this.activation.fn;
    const gateAct = this.recurrentActivation.fn;
    const add = (a: Tensor, b: Tensor) => P.binary('add', a, b);
    const mul = (a: Tensor, b: Tensor) => P.binary('mul', a, b);
    // h_t = z ⊙ h + (1 − z) ⊙ hh, written as hh + z ⊙ (h − hh): one product fewer.
    const mix = (z: Tensor, h: Tensor, hh: Tensor) => add(hh, mul(z, P.binary('sub', h, hh)));
    if (this.resetAfter) {
      const recurrentKernel = this.recurrentKernel!;
      const recurrentBias = this.bias ? P.reshape(P.slice(this.bias, [1, 0], [1, 3 * u]), [3 * u]) : null;
      return (xp, [h], hIn) => {
        let hp = P.matmul(hIn, recurrentKernel);
        if (recurrentBias) hp = add(hp, recurrentBias);
        const z = gateAct(add(gate(xp, 0, u), gate(hp, 0, u)));
        const r = gateAct(add(gate(xp, 1, u), gate(hp, 1, u)));
        const hh = act(add(gate(xp, 2, u), mul(r, gate(hp, 2, u))));
        const next = mix(z, h!, hh);
        return { output: next, states: [next] };
      };
    }
    // Reset before the product: the z/r block and the candidate block need separate products.
    const kernelZR = P.slice(this.recurrentKernel!, [0, 0], [u, 2 * u]);
    const kernelH = P.slice(this.recurrentKernel!, [0, 2 * u], [u, u]);
    return (xp, [h], hIn) => {
      const zr = add(P.slice(xp, [0, 0], [xp.shape[0]!, 2 * u]), P.matmul(hIn, kernelZR));
      const z = gateAct(gate(zr, 0, u));
      const r = gateAct(gate(zr, 1, u));
      const hh = act(add(gate(xp, 2, u), P.matmul(mul(r, hIn), kernelH)));
      const next = mix(z, h!, hh);
      return { output: next, states: [next] };
    };
  }

  override getConfig(): Config {
    const config = super.getConfig();
    const out: Config = {};
    for (const [k, v] of Object.entries(config)) {
      out[k] = v;
      if (k === 'activation') out.recurrent_activation = serializeActivation(this.recurrentActivation);
    }
    out.reset_after = this.resetAfter;
    return out;
  }
}
registerClass(GRU, { module: 'keras.layers' });
