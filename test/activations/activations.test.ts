import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/backends/index.js';
import * as tf from '@tensorflow/tfjs';
import * as A from '../../src/activations/index.js';
import { valueAndGrads } from '../../src/core/autograd.js';
import { setSeed } from '../../src/core/random.js';
import type { Tensor } from '../../src/core/tensor.js';
import { UnknownNameError, ValueError } from '../../src/errors.js';
import * as ops from '../../src/ops/index.js';
import { assertClose, checkGradients } from '../helpers/gradcheck.js';
import { ELEMENTWISE, softmaxRows } from './reference.js';

await tf.setBackend('cpu');
setSeed(11);

/** Sample points away from every kink (0, ±3 for hard_sigmoid, 6 for relu6). */
const SMOOTH = [-4.2, -2.7, -1.3, -0.45, -0.15, 0.2, 0.6, 1.1, 2.3, 2.9, 4.4, 7.5];
const smoothInput = () => ops.tensor(SMOOTH, [3, 4]);

/** A weighted sum of the activation, and its gradient. */
function valueAndGrad(fn: (x: Tensor) => Tensor, x: Tensor, w: Tensor) {
  const { grads } = valueAndGrads(() => ops.sum(ops.mul(fn(x), w)), [x]);
  return { y: fn(x).dataSync(), g: grads[0]!.dataSync() };
}

test('every activation passes a finite-difference gradient check', () => {
  const names = A.activationNames();
  const keras = ['linear', 'relu', 'relu6', 'leaky_relu', 'elu', 'selu', 'sigmoid', 'hard_sigmoid', 'tanh', 'softmax', 'log_softmax',
    'softplus', 'softsign', 'silu', 'hard_silu', 'gelu', 'exponential', 'mish'];
  for (const k of keras) assert.ok(names.includes(k), `missing Keras activation '${k}' in ${names.join(', ')}`);
  for (const name of names) {
    // exp(7.5) would swamp the float32 sum the checker differentiates; use a narrower range there.
    const input = name === 'exponential' ? ops.tensor(SMOOTH.map((v) => v / 3), [3, 4]) : smoothInput();
    checkGradients((x) => A.getActivation(name).fn(x), [input], { label: name });
  }
  // Non-default hyperparameters and axes.
  checkGradients((x) => A.gelu(x, true), [smoothInput()], { label: 'gelu approximate' });
  checkGradients((x) => A.leakyRelu(x, 0.05), [smoothInput()], { label: 'leakyRelu 0.05' });
  checkGradients((x) => A.elu(x, 0.5), [smoothInput()], { label: 'elu 0.5' });
  checkGradients((x) => A.softmax(x, 0), [smoothInput()], { label: 'softmax axis 0' });
  checkGradients((x) => A.logSoftmax(x, 0), [smoothInput()], { label: 'logSoftmax axis 0' });
});

test('values and gradients match TensorFlow.js where it has the same definition', () => {
  // Keras name -> the tfjs function with the same definition. tfjs's hardSigmoid is Keras 2's
  // (0.2x + 0.5), not Keras 3's (x/6 + 0.5), so hard_sigmoid and hard_silu are checked against
  // the float64 reference in the next test instead.
  const tfAct = (name: string) => (x: tf.Tensor) => tf.layers.activation({ activation: name as never }).apply(x) as tf.Tensor;
  const oracles: Record<string, (x: tf.Tensor) => tf.Tensor> = {
    linear: tfAct('linear'),
    relu: tfAct('relu'),
    relu6: tfAct('relu6'),
    sigmoid: tfAct('sigmoid'),
    tanh: tfAct('tanh'),
    softmax: tfAct('softmax'),
    log_softmax: tfAct('logSoftmax'),
    elu: tfAct('elu'),
    selu: tfAct('selu'),
    softplus: tfAct('softplus'),
    softsign: tfAct('softsign'),
    silu: tfAct('swish'),
    gelu: tfAct('gelu'), // tfjs 'gelu' is the exact erf form, Keras 3's default
    gelu_new: tfAct('gelu_new'),
    mish: tfAct('mish'),
    leaky_relu: (x) => tf.leakyRelu(x, 0.2), // same default slope as Keras 3
    exponential: (x) => tf.exp(x),
  };
  const x = ops.randomNormal([4, 7], 0, 2);
  const w = ops.randomUniform([4, 7], 0.5, 1.5);
  const xt = tf.tensor(x.dataSync(), [4, 7]);
  const wt = tf.tensor(w.dataSync(), [4, 7]);
  for (const [name, oracle] of Object.entries(oracles)) {
    const ours = valueAndGrad(A.getActivation(name).fn, x, w);
    const want = oracle(xt).dataSync();
    const wantGrad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(oracle(t), wt)))(xt).dataSync();
    assertClose(ours.y, want, 1e-5, 1e-6, `${name} value`);
    assertClose(ours.g, wantGrad, 1e-4, 1e-5, `${name} gradient`);
  }
});

test('values match a float64 reference of the Keras 3 formulas', () => {
  const x = ops.randomNormal([5, 8], 0, 3);
  const xs = x.dataSync();
  for (const [name, ref] of Object.entries(ELEMENTWISE)) {
    const rtol = name === 'exponential' ? 1e-5 : 2e-6;
    assertClose(A.getActivation(name).fn(x).dataSync(), Array.from(xs, ref), rtol, 2e-6, name);
  }
  assertClose(A.softmax(x).dataSync(), softmaxRows(xs, 8, false), 1e-5, 1e-7, 'softmax');
  assertClose(A.logSoftmax(x).dataSync(), softmaxRows(xs, 8, true), 1e-5, 1e-6, 'log_softmax');
});

test('hard_sigmoid is Keras 3\'s clip(x/6 + 1/2, 0, 1), not Keras 2\'s 0.2x + 0.5', () => {
  const y = A.getActivation('hardSigmoid').fn(ops.tensor([-4, -3, -1.5, 0, 1.5, 2.5, 3, 4]));
  assertClose(y.dataSync(), [0, 0, 0.25, 0.5, 0.75, 2.5 / 6 + 0.5, 1, 1], 1e-6, 1e-7, 'hard_sigmoid');
  assertClose(A.hardSilu(ops.tensor([-4, 1.5, 4])).dataSync(), [-0, 1.125, 4], 1e-6, 1e-7, 'hard_silu');
});

test('saturated inputs give finite values and gradients', () => {
  const big = [-1e4, -100, -30, 100, 1e4, 30];
  const x = ops.tensor(big, [2, 3]);
  const w = ops.ones([2, 3]);
  const names = ['sigmoid', 'softmax', 'log_softmax', 'softplus', 'tanh', 'elu', 'selu', 'gelu', 'gelu_new', 'silu', 'mish', 'softsign', 'hard_sigmoid', 'leaky_relu'];
  for (const name of names) {
    const { y, g } = valueAndGrad(A.getActivation(name).fn, x, w);
    for (let i = 0; i < y.length; i++) {
      assert.ok(Number.isFinite(y[i]), `${name}(${big[i]}) = ${y[i]}`);
      assert.ok(Number.isFinite(g[i]), `${name}'(${big[i]}) = ${g[i]}`);
    }
  }
  // The limits are right, not just finite.
  assertClose(A.softplus(x).dataSync(), [0, 0, 9.357623e-14, 100, 1e4, 30], 1e-6, 1e-7, 'softplus limits');
  assertClose(A.sigmoid(x).dataSync(), [0, 0, 9.357623e-14, 1, 1, 1], 1e-6, 1e-7, 'sigmoid limits');
  assertClose(A.gelu(x).dataSync(), [0, 0, 0, 100, 1e4, 30], 1e-6, 1e-7, 'gelu limits');
  assertClose(valueAndGrad(A.elu, x, w).g, [0, 0, Math.exp(-30), 1, 1, 1], 1e-6, 1e-7, 'elu gradient limits');
  const rows = A.softmax(ops.tensor([[1e4, -1e4, 0], [100, 100, -100]])).dataSync();
  assertClose(rows, [1, 0, 0, 0.5, 0.5, 0], 1e-6, 1e-7, 'softmax of huge logits');
});

test('gradients at the kinks follow Keras/TensorFlow conventions', () => {
  const at0 = (fn: (x: Tensor) => Tensor) => valueAndGrad(fn, ops.tensor([0]), ops.ones([1])).g[0];
  assert.equal(at0(A.relu), 0);
  assert.equal(at0(A.softplus), 0.5); // the true derivative, which relu/abs conventions would lose
  assert.equal(at0(A.softsign), 1);
  assert.equal(at0((x) => A.elu(x)), 1);
  assertClose([at0(A.selu)!], [1.0507009873554805], 1e-6, 0, 'selu\'(0)');
  assertClose([at0(A.silu)!], [0.5], 1e-6, 0, 'silu\'(0)');
  assertClose([at0((x) => A.gelu(x))!], [0.5], 1e-6, 0, 'gelu\'(0)');
  assertClose([at0(A.leakyRelu)!], [0.2], 1e-6, 0, 'leaky_relu\'(0)');
});

test('defaults: leaky_relu slope 0.2, elu alpha 1, selu constants, gelu exact', () => {
  assertClose(A.getActivation('leaky_relu').fn(ops.tensor([-10, 3])).dataSync(), [-2, 3], 1e-6, 0, 'leaky_relu');
  assertClose(A.getActivation('elu').fn(ops.tensor([-1])).dataSync(), [Math.expm1(-1)], 1e-6, 0, 'elu');
  assertClose(A.getActivation('selu').fn(ops.tensor([-1, 1])).dataSync(), [1.0507009873554805 * 1.6732632423543772 * Math.expm1(-1), 1.0507009873554805], 1e-6, 0, 'selu');
  // Exact: 1 · Φ(1) = 0.841345; the tanh approximation gives 0.841192.
  assertClose(A.getActivation('gelu').fn(ops.tensor([1])).dataSync(), [0.8413447], 2e-7, 0, 'gelu exact');
  assertClose(A.gelu(ops.tensor([1]), true).dataSync(), [0.8411920], 2e-7, 0, 'gelu approximate');
});

test('names: Keras snake_case and tfjs camelCase resolve to the Keras config name', () => {
  const cases: [string, string][] = [
    ['logSoftmax', 'log_softmax'],
    ['log_softmax', 'log_softmax'],
    ['hardSigmoid', 'hard_sigmoid'],
    ['leakyRelu', 'leaky_relu'],
    ['swish', 'silu'], // Keras 3 writes 'silu' to configs
    ['silu', 'silu'],
    ['hard_swish', 'hard_silu'],
    ['hardSilu', 'hard_silu'],
    ['relu6', 'relu6'],
    ['ReLU', 'relu'],
    ['identity', 'linear'],
  ];
  for (const [given, written] of cases) assert.equal(A.serializeActivation(A.getActivation(given)), written, given);
  assert.equal(A.getActivation(null).name, 'linear');
  assert.equal(A.getActivation(undefined).name, 'linear');
  assert.equal(A.get({ class_name: 'function', config: 'relu' }).name, 'relu');
  assert.throws(() => A.getActivation('relu7'), (e: unknown) => e instanceof UnknownNameError && /relu7/.test(e.message));
  assert.throws(() => A.getActivation(42 as never), ValueError);
});

test('custom activations: functions pass through, registered names load', () => {
  const cube = (x: Tensor) => ops.mul(x, ops.square(x));
  assert.equal(A.getActivation(cube).name, 'cube');
  const registered = A.registerActivation('cube_plus', (x) => ops.add(cube(x), 1));
  assert.equal(A.getActivation('cube_plus'), registered);
  assert.deepEqual(A.getActivation('cubePlus').fn(ops.tensor([2])).arraySync(), [9]);
  assert.ok(A.activationNames().includes('cube_plus'));
  assert.throws(() => A.registerActivation('', cube), ValueError);
});

test('softmax along a non-last axis matches the float64 reference', () => {
  const x = ops.randomNormal([3, 4]);
  const xs = x.dataSync();
  const transposed = Array.from({ length: 12 }, (_, k) => xs[(k % 3) * 4 + Math.floor(k / 3)]!);
  const refT = softmaxRows(transposed, 3, false);
  const ref = Array.from({ length: 12 }, (_, k) => refT[(k % 4) * 3 + Math.floor(k / 4)]!);
  assertClose(A.softmax(x, 0).dataSync(), ref, 1e-5, 1e-7, 'softmax axis 0');
  assert.throws(() => A.softmax(x, 2), ValueError);
  assert.throws(() => A.softmax(ops.scalar(1)), ValueError);
});
