/**
 * SimpleRNN, LSTM and GRU (reset_after true and false) against the float64 reference in
 * rnn_reference.ts, with and without masks, forwards and backwards. GRU reset_after: true — Keras
 * 3's default — and masks are what tfjs cannot check (see recurrent_oracle.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GRU, LSTM, SimpleRNN } from '../../src/layers/index.js';
import type { Recurrent } from '../../src/layers/index.js';
import { tensor } from '../../src/ops/index.js';
import { assertClose } from '../helpers/gradcheck.js';
import { randomInput } from './helpers.js';
import type { CellKind } from './rnn_reference.js';
import { rnnReference } from './rnn_reference.js';

function make(kind: CellKind, units: number, extra: object): Recurrent {
  if (kind === 'simple') return new SimpleRNN({ units, ...extra });
  if (kind === 'lstm') return new LSTM({ units, ...extra });
  return new GRU({ units, resetAfter: kind === 'gru', ...extra });
}

function nested(values: Float32Array, [b, t, f]: number[]): number[][][] {
  return Array.from({ length: b! }, (_, i) => Array.from({ length: t! }, (_, j) => Array.from(values.slice((i * t! + j) * f!, (i * t! + j + 1) * f!))));
}

for (const kind of ['simple', 'lstm', 'gru', 'gru_before'] as CellKind[]) {
  test(`${kind} vs float64 reference: masks (leading, trailing, inner gaps), return sequences, go backwards`, () => {
    const shape = [3, 6, 4];
    const units = 5;
    const { x, values } = randomInput(shape, 101);
    const mask = [[1, 1, 1, 1, 0, 0], [0, 0, 1, 1, 1, 1], [1, 0, 1, 1, 0, 1]];
    for (const [returnSequences, goBackwards, masked] of [[false, false, false], [true, false, true], [false, true, true], [true, true, false], [false, false, true]] as boolean[][]) {
      const layer = make(kind, units, { returnSequences, goBackwards });
      layer.apply(x);
      const weights = layer.weights.map((w, i) => randomInput([...w.shape], 200 + i, 0.5).values);
      layer.setWeights(weights.map((w, i) => tensor(w, [...layer.weights[i]!.shape])));
      const options = { units, kernel: weights[0]!, recurrentKernel: weights[1]!, bias: weights[2]!, returnSequences, goBackwards, ...(masked ? { mask } : {}) };
      const expected = rnnReference(kind, nested(values, shape), options);
      const got = layer.applyWithStates(x, masked ? { mask: tensor(mask) } : {});
      const label = `${kind} seq=${returnSequences} back=${goBackwards} mask=${masked}`;
      assertClose(got[0]!.dataSync(), expected.output.flat(2) as number[], 1e-5, 1e-5, `${label} output`);
      assert.equal(got.length, 1 + expected.states.length);
      expected.states.forEach((s, k) => assertClose(got[k + 1]!.dataSync(), s.flat(), 1e-5, 1e-5, `${label} state ${k}`));
    }
  });
}
