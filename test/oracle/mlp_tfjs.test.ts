import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as kiln from '../../src/index.js';

// Evidence 2 of the core issue: the same MLP in kiln and TensorFlow.js, tfjs's weights set to
// kiln's initial weights, trained on the same batches (no shuffling) for 20 steps with each
// optimizer. Per-step losses and final weights must agree to 1e-4 relative.
//
// Hyperparameters are set explicitly on both sides where the libraries' defaults differ.
// Adam: Keras adds epsilon to sqrt(v) before the bias correction and tfjs after, so Keras's
// epsilon acts like ε/sqrt(1-β2ᵗ) in tfjs terms; epsilon 1e-12 on both sides makes the step-by-step
// comparison meaningful (kiln's exact Keras formula is pinned by test/optimizers). RMSprop: Keras 3
// and tfjs both add epsilon inside the square root.

const STEPS = 20;
const BATCH = 16;

interface Case {
  name: string;
  kilnOptimizer: () => unknown;
  tfOptimizer: () => tf.Optimizer;
}

const cases: Case[] = [
  {
    name: 'sgd with momentum',
    kilnOptimizer: () => kiln.optimizers.sgd({ learningRate: 0.05, momentum: 0.9 }),
    tfOptimizer: () => tf.train.momentum(0.05, 0.9),
  },
  {
    name: 'adam',
    kilnOptimizer: () => kiln.optimizers.adam({ learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-12 }),
    tfOptimizer: () => tf.train.adam(0.01, 0.9, 0.999, 1e-12),
  },
  {
    name: 'rmsprop',
    kilnOptimizer: () => kiln.optimizers.rmsprop({ learningRate: 0.005, rho: 0.9, epsilon: 1e-10 }),
    tfOptimizer: () => tf.train.rmsprop(0.005, 0.9, 0, 1e-10),
  },
  {
    name: 'adagrad',
    kilnOptimizer: () => kiln.optimizers.adagrad({ learningRate: 0.05, initialAccumulatorValue: 0.1, epsilon: 1e-7 }),
    tfOptimizer: () => tf.train.adagrad(0.05, 0.1),
  },
];

function relClose(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    const diff = Math.abs(a[i]! - b[i]!);
    assert.ok(diff <= 1e-4 * Math.abs(b[i]!) + 1e-6, `${what}[${i}]: kiln ${a[i]} vs tfjs ${b[i]}`);
  }
}

test('MLP training matches TensorFlow.js step for step', async (t) => {
  await tf.setBackend('cpu');
  kiln.setSeed(2024);
  const x = kiln.randomNormal([STEPS * BATCH, 8]);
  const y = kiln.randomInt([STEPS * BATCH], 0, 4);
  const xs = tf.tensor2d(Array.from(x.dataSync()), [STEPS * BATCH, 8]);
  const ys = tf.tensor1d(Array.from(y.dataSync()), 'float32');

  for (const c of cases) {
    await t.test(c.name, async () => {
      const model = kiln.sequential([
        kiln.layers.dense({ units: 16, activation: 'relu', inputShape: [8] }),
        kiln.layers.dense({ units: 4, activation: 'softmax' }),
      ]);
      model.compile({ optimizer: c.kilnOptimizer() as never, loss: 'sparse_categorical_crossentropy' });
      const tfModel = tf.sequential({
        layers: [
          tf.layers.dense({ units: 16, activation: 'relu', inputShape: [8] }),
          tf.layers.dense({ units: 4, activation: 'softmax' }),
        ],
      });
      tfModel.setWeights(model.getWeights().map((w) => tf.tensor(Array.from(w.dataSync()), [...w.shape])));
      tfModel.compile({ optimizer: c.tfOptimizer(), loss: 'sparseCategoricalCrossentropy' });

      for (let step = 0; step < STEPS; step++) {
        const xb = kiln.slice(x, [step * BATCH], [BATCH]);
        const yb = kiln.slice(y, [step * BATCH], [BATCH]);
        const kilnLoss = model.trainOnBatch(xb, yb) as number;
        const tfLoss = (await tfModel.trainOnBatch(xs.slice(step * BATCH, BATCH), ys.slice(step * BATCH, BATCH))) as number;
        relClose([kilnLoss], [tfLoss], `${c.name} loss at step ${step}`);
      }
      const kw = model.getWeights();
      const tw = tfModel.getWeights();
      kw.forEach((w, i) => relClose(w.dataSync(), tw[i]!.dataSync(), `${c.name} weight ${i} after ${STEPS} steps`));
    });
  }
});
