import * as P from '../../core/primitives.js';
import { registerClass } from '../../serialization/registry.js';
import type { Spelled } from '../../utils/options.js';
import { optionNames } from '../../utils/options.js';
import type { RecurrentArgs, StepFn } from './rnn.js';
import { RECURRENT_OPTIONS, Recurrent } from './rnn.js';

export type SimpleRNNArgs = RecurrentArgs;

/**
 * A fully connected recurrent layer: h_t = activation(x_t·kernel + h_{t-1}·recurrent_kernel + bias),
 * and the output is h_t. Weights as Keras 3 (`simple_rnn_cell/kernel` [in, units] …).
 *
 * ```ts
 * kiln.layers.simpleRNN({ units: 16, returnSequences: true, inputShape: [10, 3] });
 * ```
 */
export class SimpleRNN extends Recurrent {
  static override readonly className = 'SimpleRNN';
  static override readonly optionNames = optionNames<SimpleRNNArgs>(RECURRENT_OPTIONS);
  protected readonly cellName = 'simple_rnn_cell';
  protected readonly gates = 1;
  protected readonly stateCount = 1;

  constructor(args: Spelled<SimpleRNNArgs>) {
    super(args);
  }

  protected makeStep(): StepFn {
    const recurrentKernel = this.recurrentKernel!;
    return (xp, _states, h) => {
      const out = this.activation.fn(P.binary('add', xp, P.matmul(h, recurrentKernel)));
      return { output: out, states: [out] };
    };
  }
}
registerClass(SimpleRNN, { module: 'keras.layers' });
