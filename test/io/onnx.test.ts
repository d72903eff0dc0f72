import { test } from 'node:test';
import * as kiln from '../../src/index.js';
import { onnxActivationNames } from '../../src/io/onnx/index.js';
import { checkAgainstOrt, randomizeWeights } from './onnx_helpers.js';

// Every exported graph runs in onnxruntime-node and must match kiln's predict within 1e-5 relative
// (+1e-6 absolute), for batch sizes 1 and 7 (the batch dimension is the symbol 'N').

test('every activation kiln has lowers to ONNX, in Dense and in an Activation layer', async () => {
  kiln.setSeed(11);
  const names = (kiln.activations.activationNames() as kiln.activations.ActivationName[]).filter((n) => onnxActivationNames().includes(n));
  // The lowering table covers every built-in: a new activation without a lowering fails here.
  for (const n of ['relu', 'relu6', 'leaky_relu', 'elu', 'selu', 'sigmoid', 'hard_sigmoid', 'tanh', 'softmax', 'log_softmax',
    'softplus', 'softsign', 'silu', 'hard_silu', 'gelu', 'gelu_new', 'exponential', 'mish', 'linear'] as const) {
    if (!names.includes(n)) throw new Error(`activation '${n}' is missing from the ONNX lowerings`);
  }
  for (const name of names) {
    const model = kiln.sequential([
      kiln.layers.dense({ units: 6, activation: name, inputShape: [5] }),
      kiln.layers.dense({ units: 4 }),
      kiln.layers.activation({ activation: name }),
    ]);
    // Scale 3 reaches the clipped ranges of relu6 / hard_sigmoid and the negative side of elu/selu.
    await checkAgainstOrt(model, [5], `activation '${name}'`, name === 'exponential' ? 1 : 3);
  }
  // 'swish' is an alias of silu; passing the kiln function itself works too.
  await checkAgainstOrt(kiln.sequential([kiln.layers.dense({ units: 3, activation: 'swish', inputShape: [4] })]), [4], 'swish');
  await checkAgainstOrt(kiln.sequential([kiln.layers.dense({ units: 3, activation: kiln.activations.get(kiln.activations.silu), inputShape: [4] })]), [4], 'silu fn');
});

test('a stack of every layer kind (rank-3 Dense, Flatten, BN, LN, LeakyReLU, Activation, Dropout) matches onnxruntime', async () => {
  kiln.setSeed(3);
  const model = kiln.sequential([
    kiln.layers.input({ shape: [2, 3] }),
    kiln.layers.dense({ units: 4, activation: 'tanh' }), // rank 3: MatMul + Add
    kiln.layers.flatten(),
    kiln.layers.batchNormalization({ epsilon: 0.01 }), // rank 2: the ONNX op directly
    kiln.layers.layerNormalization(),
    kiln.layers.leakyReLU({ negativeSlope: 0.1 }),
    kiln.layers.activation({ activation: 'elu' }),
    kiln.layers.dropout({ rate: 0.25 }),
    kiln.layers.dense({ units: 5, activation: 'relu' }), // rank 2: Gemm
    kiln.layers.dense({ units: 3, activation: 'softmax' }),
  ]);
  for (const layer of model.layers) randomizeWeights(layer);
  await checkAgainstOrt(model, [2, 3], 'every layer');
});

test('batch normalization on a non-leading axis, layer normalization over several axes and rms scaling', async () => {
  kiln.setSeed(5);
  const model = kiln.sequential([
    kiln.layers.input({ shape: [3, 4] }),
    kiln.layers.batchNormalization(), // axis -1 of rank 3: transposed to axis 1 and back
    kiln.layers.batchNormalization({ axis: 1, center: false, scale: false }),
    kiln.layers.layerNormalization({ axis: [1, 2], epsilon: 1e-5 }),
    kiln.layers.layerNormalization({ axis: 1, center: false }),
    kiln.layers.layerNormalization({ rmsScaling: true }),
    kiln.layers.dense({ units: 2, useBias: false }), // MatMul without Add
    kiln.layers.flatten({ dataFormat: 'channels_first' }),
    kiln.sequential([kiln.layers.dense({ units: 3, activation: 'sigmoid', inputShape: [6] })]), // nested model
  ]);
  for (const layer of model.layers) randomizeWeights(layer);
  await checkAgainstOrt(model, [3, 4], 'normalizations');
});

test('a model of only identity layers still exports (an Identity node feeds the output)', async () => {
  const model = kiln.sequential([kiln.layers.dropout({ rate: 0.5, inputShape: [3] }), kiln.layers.activation({ activation: 'linear' })]);
  await checkAgainstOrt(model, [3], 'identity');
});
