/**
 * Oracle: kiln's SimpleRNN, LSTM and GRU against TensorFlow.js (tf.layers) with the same weights,
 * forward outputs and gradients (input, kernel, recurrent_kernel, bias) to 1e-5. tfjs's defaults
 * differ from Keras 3 (recurrent_activation 'hardSigmoid'), so every option is set explicitly.
 * tfjs's GRU refuses reset_after: true (Keras 3's default), so the GRU oracle runs with
 * resetAfter: false here; reset_after: true is checked against the float64 reference in
 * recurrent_reference.test.ts.
 */
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import type { Tensor } from '../../src/core/tensor.js';
import { valueAndGrads } from '../../src/core/autograd.js';
import { GRU, LSTM, SimpleRNN } from '../../src/layers/index.js';
import type { Recurrent } from '../../src/layers/index.js';
import { mul, sum } from '../../src/ops/index.js';
import { assertClose } from '../helpers/gradcheck.js';
import { randomInput, tfjs, toTf } from './helpers.js';

type Kind = 'simple' | 'lstm' | 'gru';

interface Case {
  kind: Kind;
  returnSequences: boolean;
  goBackwards: boolean;
}

function makeKiln(kind: Kind, units: number, c: Case): Recurrent {
  const common = { units, returnSequences: c.returnSequences, goBackwards: c.goBackwards };
  if (kind === 'simple') return new SimpleRNN(common);
  if (kind === 'lstm') return new LSTM({ ...common, recurrentActivation: 'sigmoid' });
  return new GRU({ ...common, recurrentActivation: 'sigmoid', resetAfter: false });
}

function makeTf(tf: typeof TF, kind: Kind, units: number, c: Case): TF.layers.Layer {
  const common = { units, returnSequences: c.returnSequences, goBackwards: c.goBackwards, activation: 'tanh' as const };
  if (kind === 'simple') return tf.layers.simpleRNN(common);
  if (kind === 'lstm') return tf.layers.lstm({ ...common, recurrentActivation: 'sigmoid' });
  return tf.layers.gru({ ...common, recurrentActivation: 'sigmoid' });
}

const cases: Case[] = [];
for (const kind of ['simple', 'lstm', 'gru'] as Kind[]) {
  for (const [returnSequences, goBackwards] of [[false, false], [true, false], [true, true], [false, true]] as [boolean, boolean][]) {
    cases.push({ kind, returnSequences, goBackwards });
  }
}

for (const c of cases) {
  test(`${c.kind} vs tfjs: returnSequences ${c.returnSequences}, goBackwards ${c.goBackwards}: output and gradients to 1e-5`, async () => {
    const tf = await tfjs();
    const [batch, steps, features, units] = [3, 5, 4, 6];
    const layer = makeKiln(c.kind, units, c);
    const ref = makeTf(tf, c.kind, units, c);
    const { x } = randomInput([batch, steps, features], 11);
    layer.apply(x);
    ref.apply(toTf(x));
    // Random non-trivial weights (not the initializers'), the same on both sides.
    const weights = layer.weights.map((w, i) => randomInput([...w.shape], 20 + i, 0.4).x);
    layer.setWeights(weights);
    ref.setWeights(weights.map(toTf));

    const outShape = layer.computeOutputShape([batch, steps, features]) as number[];
    const probe = randomInput(outShape, 40, 1, 0.5).x;
    const inputs: Tensor[] = [x, ...layer.weights];
    const { value, grads } = valueAndGrads(() => sum(mul(layer.apply(x), probe)), inputs);
    const ours = layer.apply(x).dataSync();

    const tfX = tf.variable(toTf(x) as TF.Tensor3D);
    const tfVars = ref.trainableWeights.map((w) => w.read() as TF.Variable);
    const tfProbe = toTf(probe);
    const theirs = (ref.apply(tfX) as TF.Tensor).dataSync();
    const { value: tfValue, grads: tfGrads } = tf.variableGrads(() => tf.sum(tf.mul(ref.apply(tfX) as TF.Tensor, tfProbe)) as TF.Scalar, [tfX, ...tfVars]);

    const label = `${c.kind} seq=${c.returnSequences} back=${c.goBackwards}`;
    assertClose(ours, theirs, 1e-5, 1e-5, `${label} output`);
    assertClose([value.item()], [tfValue.dataSync()[0]!], 1e-5, 1e-5, `${label} loss`);
    const names = ['input', ...ref.trainableWeights.map((w) => w.name)];
    [tfX, ...tfVars].forEach((v, i) => {
      assertClose(grads[i]!.dataSync(), tfGrads[v.name]!.dataSync(), 1e-5, 1e-5, `${label} gradient of ${names[i]}`);
    });
    tfX.dispose();
  });
}

test('Embedding vs tfjs: lookups and the gradient of the table (repeated indices accumulate)', async () => {
  const tf = await tfjs();
  const { Embedding } = await import('../../src/layers/index.js');
  const { tensor } = await import('../../src/ops/index.js');
  const emb = new Embedding({ inputDim: 7, outputDim: 3 });
  const ref = tf.layers.embedding({ inputDim: 7, outputDim: 3 });
  const idx = [[1, 6, 0, 1], [3, 3, 3, 2]];
  const x = tensor(idx, undefined, 'int32');
  emb.apply(x);
  ref.apply(tf.tensor2d(idx, undefined, 'int32'));
  const table = randomInput([7, 3], 5).x;
  emb.setWeights([table]);
  ref.setWeights([toTf(table)]);
  const probe = randomInput([2, 4, 3], 6).x;
  const { grads } = valueAndGrads(() => sum(mul(emb.apply(x), probe)), [emb.embeddings!]);
  const tfVar = ref.trainableWeights[0]!.read() as TF.Variable;
  const tfIdx = tf.tensor2d(idx, undefined, 'int32');
  const { grads: tfGrads } = tf.variableGrads(() => tf.sum(tf.mul(ref.apply(tfIdx) as TF.Tensor, toTf(probe))) as TF.Scalar, [tfVar]);
  assertClose(emb.apply(x).dataSync(), (ref.apply(tfIdx) as TF.Tensor).dataSync(), 1e-6, 1e-6, 'embedding output');
  assertClose(grads[0]!.dataSync(), tfGrads[tfVar.name]!.dataSync(), 1e-6, 1e-6, 'embedding gradient');
});
