import type { Activation } from '../../activations/index.js';
import { serializeActivation } from '../../activations/index.js';
import * as P from '../../core/primitives.js';
import type { DType } from '../../core/dtype.js';
import type { Tensor } from '../../core/tensor.js';
import type { ActivationIdentifier } from '../../activations/index.js';
import { Initializer } from '../../initializers/index.js';
import type { Config } from '../../serialization/registry.js';
import { registerClass } from '../../serialization/registry.js';
import type { Spelled } from '../../utils/options.js';
import { optionNames } from '../../utils/options.js';
import { boolOption } from '../validation.js';
import type { RecurrentArgs, StepFn } from './rnn.js';
import { gate, RECURRENT_OPTIONS, Recurrent, recurrentActivationOption } from './rnn.js';

export interface LSTMArgs extends RecurrentArgs {
  /** The gates' activation (default sigmoid). */
  recurrentActivation?: ActivationIdentifier;
  /** Start the forget gate's bias at 1 (Jozefowicz et al., 2015), the rest from biasInitializer (default true). */
  unitForgetBias?: boolean;
}

/**
 * The bias initializer with unit_forget_bias: [init(units), ones(units), init(2·units)] for the
 * gate blocks i, f, c, o. Not registered: it is never written to a config (Keras writes the wrapped
 * initializer and the flag).
 */
class ForgetBiasInitializer extends Initializer {
  static override readonly className = 'ForgetBiasInitializer';
  constructor(private readonly inner: Initializer, private readonly units: number) {
    super();
  }
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const u = this.units;
    return P.concat([this.inner.call([u], dtype), P.fill([u], 1, dtype), this.inner.call([2 * u], dtype)], 0);
  }
}

/**
 * Long short-term memory (Hochreiter & Schmidhuber, 1997) in Keras 3's layout: kernel
 * [in, 4·units], recurrent_kernel [units, 4·units] and bias [4·units], gate blocks in the order
 * i (input), f (forget), c (candidate), o (output):
 *
 *   z = x_t·kernel + bias + h_{t-1}·recurrent_kernel
 *   c_t = f ⊙ c_{t-1} + i ⊙ activation(z_c),   h_t = o ⊙ activation(c_t)
 *
 * with i, f, o = recurrentActivation(z_i, z_f, z_o). States are [h, c].
 *
 * ```ts
 * kiln.sequential([
 *   kiln.layers.embedding({ inputDim: 20, outputDim: 6, inputShape: [7] }),
 *   kiln.layers.lstm({ units: 5 }),
 *   kiln.layers.dense({ units: 1, activation: 'sigmoid' }),
 * ]);
 * ```
 */
export class LSTM extends Recurrent {
  static override readonly className = 'LSTM';
  static override readonly optionNames = optionNames<LSTMArgs>({ ...RECURRENT_OPTIONS, recurrentActivation: true, unitForgetBias: true });
  protected readonly cellName = 'lstm_cell';
  protected readonly gates = 4;
  protected readonly stateCount = 2;
  readonly recurrentActivation: Activation;
  readonly unitForgetBias: boolean;

  constructor(args: Spelled<LSTMArgs>) {
    super(args);
    this.recurrentActivation = recurrentActivationOption(this, args);
    this.unitForgetBias = boolOption(this, args, 'unitForgetBias', true);
  }

  protected override biasInitialValue(): Initializer {
    return this.unitForgetBias ? new ForgetBiasInitializer(this.biasInitializer, this.units) : this.biasInitializer;
  }

  protected makeStep(): StepFn {
    const u = this.units;
    const recurrentKernel = this.recurrentKernel!;
    const act = this.activation.fn;
    const gateAct = this.recurrentActivation.fn;
    return (xp, [, c], h) => {
      const z = P.binary('add', xp, P.matmul(h, recurrentKernel));
      const i = gateAct(gate(z, 0, u));
      const f = gateAct(gate(z, 1, u));
      const candidate = act(gate(z, 2, u));
      const o = gateAct(gate(z, 3, u));
      const cNext = P.binary('add', P.binary('mul', f, c!), P.binary('mul', i, candidate));
      const hNext = P.binary('mul', o, act(cNext));
      return { output: hNext, states: [hNext, cNext] };
    };
  }

  override getConfig(): Config {
    const config = super.getConfig();
    // Keras 3's key order: recurrent_activation after activation, unit_forget_bias after bias_initializer.
    const out: Config = {};
    for (const [k, v] of Object.entries(config)) {
      out[k] = v;
      if (k === 'activation') out.recurrent_activation = serializeActivation(this.recurrentActivation);
      if (k === 'bias_initializer') out.unit_forget_bias = this.unitForgetBias;
    }
    return out;
  }
}
registerClass(LSTM, { module: 'keras.layers' });
