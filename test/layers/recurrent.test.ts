import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setSeed } from '../../src/core/random.js';
import type { Tensor } from '../../src/core/tensor.js';
import { ShapeError, ValueError } from '../../src/errors.js';
import { Bidirectional, Dense, GRU, LSTM, SimpleRNN, TimeDistributed, bidirectional, gru, lstm, simpleRNN, timeDistributed } from '../../src/layers/index.js';
import type { Recurrent } from '../../src/layers/index.js';
import { concat, gather, mul, ones, pad, reshape, slice, tensor } from '../../src/ops/index.js';
import { assertClose, checkGradients } from '../helpers/gradcheck.js';
import { randomInput, withWeights } from './helpers.js';
import { checkLayerRoundTrip, LAYER_BASE_KEYS } from './roundtrip.js';

const RNN_KEYS = [...LAYER_BASE_KEYS, 'return_sequences', 'return_state', 'go_backwards', 'stateful', 'unroll', 'zero_output_for_mask', 'units',
  'activation', 'use_bias', 'kernel_initializer', 'recurrent_initializer', 'bias_initializer', 'kernel_regularizer', 'recurrent_regularizer',
  'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'recurrent_constraint', 'bias_constraint', 'dropout', 'recurrent_dropout', 'seed'];

const makers: [string, (extra?: object) => Recurrent][] = [
  ['SimpleRNN', (e = {}) => simpleRNN({ units: 3, ...e })],
  ['LSTM', (e = {}) => lstm({ units: 3, ...e })],
  ['GRU reset_after', (e = {}) => gru({ units: 3, ...e })],
  ['GRU reset_before', (e = {}) => gru({ units: 3, resetAfter: false, ...e })],
];

test('Keras 3 weight layout: names, shapes, LSTM unit_forget_bias, GRU reset_after bias rows', () => {
  const { x } = randomInput([2, 4, 5], 1);
  const l = lstm({ units: 3, name: 'lstm' });
  l.apply(x);
  assert.deepEqual(l.weights.map((w) => [w.name, [...w.shape]]), [
    ['lstm/lstm_cell/kernel', [5, 12]], ['lstm/lstm_cell/recurrent_kernel', [3, 12]], ['lstm/lstm_cell/bias', [12]],
  ]);
  assert.deepEqual(Array.from(l.bias!.dataSync()), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  const g = gru({ units: 3, name: 'gru' });
  g.apply(x);
  assert.deepEqual(g.weights.map((w) => [w.name, [...w.shape]]), [['gru/gru_cell/kernel', [5, 9]], ['gru/gru_cell/recurrent_kernel', [3, 9]], ['gru/gru_cell/bias', [2, 9]]]);
  const g2 = gru({ units: 3, resetAfter: false });
  g2.apply(x);
  assert.deepEqual([...g2.bias!.shape], [9]);
  const s = simpleRNN({ units: 3, name: 'rnn', useBias: false });
  s.apply(x);
  assert.deepEqual(s.weights.map((w) => w.name), ['rnn/simple_rnn_cell/kernel', 'rnn/simple_rnn_cell/recurrent_kernel']);
});

for (const [label, make] of makers) {
  test(`${label}: finite-difference gradients (input, kernel, recurrent_kernel, bias), with a mask`, () => {
    const layer = make({ returnSequences: true });
    const { x } = randomInput([2, 3, 2], 7);
    layer.apply(x);
    const [k, rk, b] = layer.weights.map((w, i) => randomInput([...w.shape], 30 + i, 0.6).x);
    const mask = tensor([[1, 1, 0], [0, 1, 1]]);
    const fn = (xi: Tensor, ki: Tensor, rki: Tensor, bi: Tensor) =>
      withWeights(layer, { kernel: ki, recurrentKernel: rki, bias: bi }, () => layer.apply(xi, { mask }));
    checkGradients(fn, [x, k!, rk!, b!], { eps: 1e-2, label });
  });
}

test('Bidirectional and TimeDistributed: finite-difference gradients', () => {
  const bi = bidirectional({ layer: gru({ units: 2, returnSequences: true }), mergeMode: 'concat' });
  const { x } = randomInput([2, 3, 2], 8);
  bi.apply(x);
  const ws = bi.weights.map((w, i) => randomInput([...w.shape], 50 + i, 0.6).x);
  const fnBi = (xi: Tensor, fk: Tensor, bk: Tensor) =>
    withWeights(bi.forwardLayer, { kernel: fk }, () => withWeights(bi.backwardLayer, { kernel: bk }, () => bi.apply(xi)));
  checkGradients(fnBi, [x, ws[0]!, ws[3]!], { eps: 1e-2, label: 'Bidirectional' });
  const td = timeDistributed({ layer: new Dense({ units: 2, activation: 'tanh' }) });
  td.apply(x);
  const kernel = randomInput([2, 2], 60).x;
  const fnTd = (xi: Tensor, ki: Tensor) => withWeights(td.layer, { kernel: ki }, () => td.apply(xi));
  checkGradients(fnTd, [x, kernel], { eps: 1e-2, label: 'TimeDistributed' });
});

test('masking: a zero-padded sequence with its mask ends in the same state as the unpadded one', () => {
  for (const [label, make] of makers) {
    const layer = make();
    const { x } = randomInput([2, 4, 3], 9);
    const short = layer.applyWithStates(x);
    // Pad two timesteps after (post-padding) and two before (pre-padding); mask them out.
    const post = pad(x, [[0, 0], [0, 2], [0, 0]]);
    const pre = pad(x, [[0, 0], [2, 0], [0, 0]]);
    const postMask = tensor([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 0, 0]]);
    const preMask = tensor([[0, 0, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1]]);
    for (const [padded, mask, where] of [[post, postMask, 'post'], [pre, preMask, 'pre']] as [Tensor, Tensor, string][]) {
      const long = layer.applyWithStates(padded, { mask });
      short.forEach((t, i) => assertClose(long[i]!.dataSync(), t.dataSync(), 1e-6, 1e-6, `${label} ${where}-padding result ${i}`));
    }
  }
});

test('masking through a model: Masking → LSTM and Embedding(maskZero) → GRU ignore padding', async () => {
  const { sequential } = await import('../../src/models/sequential.js');
  const { masking, embedding } = await import('../../src/layers/index.js');
  const { x } = randomInput([2, 3, 4], 10);
  const m = sequential([masking({ maskValue: 0, inputShape: [null, 4] }), lstm({ units: 3 }), new Dense({ units: 2 })]);
  const unpadded = m.predict(x).dataSync();
  const padded = m.predict(pad(x, [[0, 0], [0, 3], [0, 0]])).dataSync();
  assertClose(padded, unpadded, 1e-6, 1e-6, 'Masking → LSTM → Dense');
  const e = sequential([embedding({ inputDim: 10, outputDim: 4, maskZero: true, inputShape: [null] }), gru({ units: 3, returnSequences: true }), gru({ units: 2 })]);
  const ids = tensor([[3, 5, 9], [1, 2, 8]]);
  const idsPadded = tensor([[3, 5, 9, 0, 0], [1, 2, 8, 0, 0]]);
  assertClose(e.predict(idsPadded).dataSync(), e.predict(ids).dataSync(), 1e-6, 1e-6, 'Embedding(maskZero) → GRU(seq) → GRU');
  // Dense, Dropout and Activation pass the mask on (Keras's supports_masking), so the LSTM still skips the padding.
  const through = sequential([embedding({ inputDim: 10, outputDim: 4, maskZero: true, inputShape: [null] }), new Dense({ units: 3 }),
    (await import('../../src/layers/index.js')).dropout({ rate: 0.5 }), (await import('../../src/layers/index.js')).activation({ activation: 'relu' }), lstm({ units: 2 })]);
  assertClose(through.predict(idsPadded).dataSync(), through.predict(ids).dataSync(), 1e-6, 1e-6, 'Embedding → Dense → Dropout → Activation → LSTM');
  // Without the mask the padding changes the result: the test would notice masks being dropped.
  const plain = sequential([embedding({ inputDim: 10, outputDim: 4, inputShape: [null] }), gru({ units: 2 })]);
  assert.notDeepEqual(Array.from(plain.predict(idsPadded).dataSync()), Array.from(plain.predict(ids).dataSync()));
});

test('zeroOutputForMask: masked timesteps of a sequence output 0; returnState gives [output, h, c]', () => {
  const layer = lstm({ units: 2, returnSequences: true, zeroOutputForMask: true });
  const { x } = randomInput([1, 3, 2], 11);
  const [out, h, c] = layer.applyWithStates(x, { mask: tensor([[1, 0, 1]]) });
  const v = Array.from(out!.dataSync());
  assert.deepEqual(v.slice(2, 4), [0, 0]);
  assertClose(h!.dataSync(), v.slice(4), 1e-7, 0, 'h is the last output');
  assert.deepEqual([...c!.shape], [1, 2]);
  // initialState starts from given states.
  const fresh = lstm({ units: 2 });
  const a = fresh.applyWithStates(x);
  const b = fresh.applyWithStates(slice(x, [0, 1, 0], [1, 2, 2]), { initialState: fresh.applyWithStates(slice(x, [0, 0, 0], [1, 1, 2])).slice(1) });
  assertClose(b[0]!.dataSync(), a[0]!.dataSync(), 1e-6, 1e-6, 'two halves with carried state = whole sequence');
});

test('stateful: states carry across calls until resetStates(); a different batch size is refused', () => {
  const layer = gru({ units: 3, stateful: true });
  const whole = gru({ units: 3 });
  const { x } = randomInput([2, 6, 2], 12);
  layer.apply(x);
  whole.apply(x);
  whole.setWeights(layer.getWeights());
  layer.resetStates();
  layer.apply(slice(x, [0, 0, 0], [2, 3, 2]));
  const second = layer.apply(slice(x, [0, 3, 0], [2, 3, 2]));
  assertClose(second.dataSync(), whole.apply(x).dataSync(), 1e-6, 1e-6, 'stateful halves = whole');
  assert.throws(() => layer.apply(slice(x, [0, 0, 0], [1, 3, 2])), (e: Error) => e instanceof ShapeError && /batch size 2/.test(e.message));
  layer.resetStates();
  assertClose(layer.apply(slice(x, [0, 0, 0], [2, 3, 2])).dataSync(), whole.apply(slice(x, [0, 0, 0], [2, 3, 2])).dataSync(), 1e-6, 1e-6, 'after reset');
  assert.throws(() => whole.resetStates(), ValueError);
});

test('dropout and recurrentDropout: only while training, reproducible with setSeed', () => {
  const layer = lstm({ units: 4, dropout: 0.5, recurrentDropout: 0.3 });
  const { x } = randomInput([3, 5, 4], 13);
  const inference = layer.apply(x).dataSync();
  assert.deepEqual(Array.from(layer.apply(x).dataSync()), Array.from(inference));
  setSeed(5);
  const t1 = Array.from(layer.apply(x, { training: true }).dataSync());
  setSeed(5);
  const t2 = Array.from(layer.apply(x, { training: true }).dataSync());
  assert.deepEqual(t1, t2);
  assert.notDeepEqual(t1, Array.from(inference));
});

test('bad input: typed errors naming the layer with expected vs found', () => {
  const l = lstm({ units: 2, name: 'my_lstm' });
  assert.throws(() => l.apply(ones([4, 6])), (e: Error) => e instanceof ShapeError && /LSTM 'my_lstm'.*3-D.*\[4, 6\]/.test(e.message));
  l.apply(ones([2, 3, 4]));
  assert.throws(() => l.apply(ones([2, 3, 5])), (e: Error) => e instanceof ShapeError && /LSTM 'my_lstm'.*\[2, 3, 5\]/.test(e.message));
  assert.throws(() => l.apply(ones([2, 3, 4]), { mask: ones([2, 4]) }), (e: Error) => e instanceof ShapeError && /mask must have shape \[2, 3\]/.test(e.message));
  assert.throws(() => lstm({ units: 0 }), (e: Error) => e instanceof ValueError && /units must be a positive integer/.test(e.message));
  assert.throws(() => gru({ units: 2, dropout: 2 }), (e: Error) => e instanceof ValueError && /dropout/.test(e.message));
  assert.throws(() => lstm({ units: 2, kernelConstraint: 'max_norm' } as never), /kernel_constraint/);
  assert.throws(() => bidirectional({ layer: new Dense({ units: 2 }) as never }), ValueError);
  assert.throws(() => bidirectional({ layer: lstm({ units: 2 }), mergeMode: 'max' as never }), /merge_mode/);
  assert.throws(() => timeDistributed({ layer: new Dense({ units: 2 }) }).apply(ones([2, 3])), (e: Error) => e instanceof ShapeError && /rank >= 3/.test(e.message));
});

test('Bidirectional: forward_/backward_ copies, merge modes, mergeMode null via applyBoth, return states', () => {
  const { x } = randomInput([2, 4, 3], 14);
  const inner = lstm({ units: 2, returnSequences: true, name: 'enc' });
  const bi = new Bidirectional({ layer: inner });
  bi.apply(x);
  assert.deepEqual(bi.weights.map((w) => w.name), [
    'forward_enc/lstm_cell/kernel', 'forward_enc/lstm_cell/recurrent_kernel', 'forward_enc/lstm_cell/bias',
    'backward_enc/lstm_cell/kernel', 'backward_enc/lstm_cell/recurrent_kernel', 'backward_enc/lstm_cell/bias',
  ]);
  assert.equal(bi.backwardLayer.goBackwards, true);
  // Keras 3.16's rules: both directions output 0 at masked steps of a sequence, and the wrapper
  // consumes a mask without passing it on (as TimeDistributed).
  assert.deepEqual([bi.forwardLayer.zeroOutputForMask, bi.backwardLayer.zeroOutputForMask], [true, true]);
  assert.equal(bi.computeMask(x, ones([2, 4])), null);
  assert.equal(new TimeDistributed({ layer: new Dense({ units: 2 }) }).computeMask(x, ones([2, 4])), null);
  const fwd = lstm({ units: 2, returnSequences: true });
  const bwd = lstm({ units: 2, returnSequences: true, goBackwards: true });
  fwd.apply(x);
  bwd.apply(x);
  const ws = bi.getWeights();
  fwd.setWeights(ws.slice(0, 3));
  bwd.setWeights(ws.slice(3));
  const f = fwd.apply(x);
  const b = gather(bwd.apply(x), tensor([3, 2, 1, 0], undefined, 'int32'), 1);
  assertClose(bi.apply(x).dataSync(), concat([f, b], -1).dataSync(), 1e-6, 1e-6, 'concat');
  assert.deepEqual(bi.computeOutputShape([null, 4, 3]), [null, 4, 4]);
  for (const [mode, expected] of [['sum', f.dataSync().map((v, i) => v + b.dataSync()[i]!)], ['mul', mul(f, b).dataSync()], ['ave', f.dataSync().map((v, i) => (v + b.dataSync()[i]!) / 2)]] as const) {
    const other = new Bidirectional({ layer: inner, mergeMode: mode });
    other.apply(x);
    other.setWeights(ws);
    assertClose(other.apply(x).dataSync(), expected, 1e-6, 1e-6, String(mode));
  }
  const none = new Bidirectional({ layer: inner, mergeMode: null });
  none.ensureBuilt([null, 4, 3]);
  none.setWeights(ws);
  const [nf, nb] = none.applyBoth(x);
  assertClose(nf!.dataSync(), f.dataSync(), 1e-6, 1e-6, 'null forward');
  assertClose(nb!.dataSync(), b.dataSync(), 1e-6, 1e-6, 'null backward');
  const withState = new Bidirectional({ layer: lstm({ units: 2, returnState: true }) });
  assert.equal(withState.applyWithStates(x).length, 5); // output, forward h, c, backward h, c
});

test('TimeDistributed(Dense) equals the Dense applied to each timestep', () => {
  const { x } = randomInput([2, 3, 4], 15);
  const td = new TimeDistributed({ layer: new Dense({ units: 5, name: 'inner' }) });
  const y = td.apply(x);
  assert.deepEqual([...y.shape], [2, 3, 5]);
  const perStep = (td.layer as Dense).apply(reshape(slice(x, [0, 1, 0], [2, 1, 4]), [2, 4]));
  assertClose(slice(y, [0, 1, 0], [2, 1, 5]).dataSync(), perStep.dataSync(), 1e-6, 1e-6, 'step 1');
  assert.deepEqual(td.weights.map((w) => w.name), ['inner/kernel', 'inner/bias']);
  assert.deepEqual(td.computeOutputShape([null, 3, 4]), [null, 3, 5]);
});

test('config round trips with Keras 3 keys (snake_case options accepted)', () => {
  const { x } = randomInput([2, 3, 4], 16);
  checkLayerRoundTrip(new SimpleRNN({ units: 3, returnSequences: true, activation: 'relu' }), { input: x, expectedKeys: RNN_KEYS });
  checkLayerRoundTrip(new LSTM({ units: 3, goBackwards: true, unitForgetBias: false, recurrentDropout: 0.1, seed: 3 }), {
    input: x, expectedKeys: [...RNN_KEYS, 'recurrent_activation', 'unit_forget_bias'],
  });
  checkLayerRoundTrip(new GRU({ units: 3, reset_after: false, return_state: true } as never), { input: x, expectedKeys: [...RNN_KEYS, 'recurrent_activation', 'reset_after'] });
  checkLayerRoundTrip(new GRU({ units: 3, stateful: true }), { expectedKeys: [...RNN_KEYS, 'recurrent_activation', 'reset_after'] });
  checkLayerRoundTrip(new Bidirectional({ layer: lstm({ units: 2, returnSequences: true }), mergeMode: 'sum' }), {
    input: x, expectedKeys: [...LAYER_BASE_KEYS, 'merge_mode', 'layer', 'backward_layer'],
  });
  checkLayerRoundTrip(new TimeDistributed({ layer: new Dense({ units: 2 }) }), { input: x, expectedKeys: [...LAYER_BASE_KEYS, 'layer'] });
  const snake = new LSTM({ units: 2, return_sequences: true, recurrent_activation: 'hard_sigmoid', unit_forget_bias: false } as never);
  assert.equal(snake.returnSequences, true);
  assert.equal(snake.recurrentActivation.name, 'hard_sigmoid');
  assert.throws(() => new LSTM({ units: 2, returnSequence: true } as never), /did you mean 'returnSequences'/);
});
