/**
 * Optimizer state: variables in Keras 3's order and names, getState/setState round trips that
 * continue identically, the settable learning rate, and the iteration counter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Variable } from '../../src/core/tensor.js';
import * as ops from '../../src/ops/index.js';
import * as O from '../../src/optimizers/index.js';
import type { Optimizer } from '../../src/optimizers/index.js';
import { makeProblem, makeVariables, runKiln } from './helpers.js';

const dense = () => [new Variable(ops.zeros([2, 3]), 'dense/kernel'), new Variable(ops.zeros([3]), 'dense/bias')];
const names = (opt: Optimizer) => opt.variables().map((v) => v.name.slice(opt.name.length + 1));

test("variables(): Keras 3's order and paths for every optimizer", () => {
  const built = (opt: Optimizer) => (opt.build(dense()), names(opt));
  const head = ['iteration', 'learning_rate'];
  assert.deepEqual(built(O.sgd()), head, 'plain SGD has no slots');
  assert.deepEqual(built(O.sgd({ momentum: 0.9 })), [...head, 'dense_kernel_momentum', 'dense_bias_momentum']);
  // Adam interleaves per variable (add_optimizer_variables with two names), then velocity_hat.
  assert.deepEqual(built(O.adam({ amsgrad: true })), [
    ...head,
    'dense_kernel_momentum',
    'dense_kernel_velocity',
    'dense_bias_momentum',
    'dense_bias_velocity',
    'dense_kernel_velocity_hat',
    'dense_bias_velocity_hat',
  ]);
  assert.deepEqual(built(O.adamw()), [...head, 'dense_kernel_momentum', 'dense_kernel_velocity', 'dense_bias_momentum', 'dense_bias_velocity']);
  // RMSprop adds each kind for all variables before the next kind.
  assert.deepEqual(built(O.rmsprop({ momentum: 0.5, centered: true })), [
    ...head,
    'dense_kernel_velocity',
    'dense_bias_velocity',
    'dense_kernel_momentum',
    'dense_bias_momentum',
    'dense_kernel_average_gradient',
    'dense_bias_average_gradient',
  ]);
  assert.deepEqual(built(O.adagrad()), [...head, 'dense_kernel_accumulator', 'dense_bias_accumulator']);
  assert.deepEqual(built(O.adamax()), [...head, 'dense_kernel_momentum', 'dense_kernel_norm', 'dense_bias_momentum', 'dense_bias_norm']);
  assert.deepEqual(built(O.nadam()), [...head, 'dense_kernel_momentum', 'dense_kernel_velocity', 'dense_bias_momentum', 'dense_bias_velocity', 'u_product']);
  // Base-class variables come first: EMA averages, then gradient accumulators.
  assert.deepEqual(built(O.sgd({ momentum: 0.5, useEma: true, gradientAccumulationSteps: 2 })), [
    ...head,
    'dense_kernel_average',
    'dense_bias_average',
    'dense_kernel_gradient_accumulator',
    'dense_bias_gradient_accumulator',
    'dense_kernel_momentum',
    'dense_bias_momentum',
  ]);
  // A schedule has no learning_rate variable.
  const scheduled = O.adagrad({ learningRate: O.schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10 }) });
  assert.deepEqual(built(scheduled), ['iteration', 'dense_kernel_accumulator', 'dense_bias_accumulator']);

  const opt = O.adam({ name: 'opt' });
  opt.build(dense());
  assert.equal(opt.variables()[0]!.name, 'opt/iteration');
  assert.equal(opt.variables()[0]!.dtype, 'int32');
  assert.equal(opt.variables()[2]!.name, 'opt/dense_kernel_momentum');
  assert.deepEqual(opt.variables()[2]!.shape, [2, 3]);
  assert.ok(opt.variables().every((v) => !v.trainable));
  const adagrad = O.adagrad({ initialAccumulatorValue: 0.25 });
  adagrad.build(dense());
  assert.ok(Array.from(adagrad.variables()[2]!.dataSync()).every((x) => x === 0.25), 'accumulators start at initialAccumulatorValue');
});

const roundTripCases: [string, () => Optimizer][] = [
  ['sgd nesterov', () => O.sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true })],
  ['adam amsgrad', () => O.adam({ learningRate: 0.01, amsgrad: true })],
  ['adamw', () => O.adamw({ learningRate: 0.01, weightDecay: 0.05 })],
  ['rmsprop centered momentum', () => O.rmsprop({ learningRate: 0.01, momentum: 0.5, centered: true })],
  ['adagrad', () => O.adagrad({ learningRate: 0.1 })],
  ['adamax', () => O.adamax({ learningRate: 0.01 })],
  ['nadam', () => O.nadam({ learningRate: 0.01 })],
  ['adam with schedule', () => O.adam({ learningRate: O.schedules.exponentialDecay({ initialLearningRate: 0.02, decaySteps: 3, decayRate: 0.7 }) })],
  ['sgd with ema and accumulation', () => O.sgd({ learningRate: 0.1, momentum: 0.5, useEma: true, emaOverwriteFrequency: 4, gradientAccumulationSteps: 3 })],
];

for (const [label, make] of roundTripCases) {
  test(`getState/setState: ${label} continues identically after a restore`, () => {
    const p = makeProblem(77, 20);
    const first = { ...p, grads: p.grads.slice(0, 10) };
    const rest = { ...p, grads: p.grads.slice(10) };
    // Uninterrupted: 20 steps.
    const whole = runKiln(make(), p).weights;
    // Interrupted: 10 steps, save weights and state, restore both into fresh objects, 10 more.
    const a = make();
    const { vars } = runKiln(a, first);
    const state = a.getState();
    const saved = vars.map((v) => ops.fromValues(v.dataSync(), v.shape));
    const b = make();
    const fresh = makeVariables(p);
    fresh.forEach((v, i) => v.assign(saved[i]!));
    b.build(fresh);
    b.setState(state);
    assert.equal(b.iterations, a.iterations);
    assert.equal(b.learningRate, a.learningRate);
    const resumed = runKiln(b, rest, rest.grads.length, fresh).weights;
    resumed.forEach((w, i) => assert.deepEqual(Array.from(w), Array.from(whole[i]!), `${label} variable ${i}`));
  });
}

test('getState returns copies; setState validates count, shape and build', () => {
  const opt = O.adam();
  const vars = dense();
  opt.build(vars);
  const state = opt.getState();
  assert.equal(state.length, 6);
  opt.applyGradients(vars.map((v) => [ops.onesLike(v), v] as const));
  assert.equal(state[0]!.item(), 0, 'a snapshot does not follow later steps');
  assert.equal(opt.iterations, 1);
  opt.setState(state);
  assert.equal(opt.iterations, 0);
  assert.throws(() => opt.setState(state.slice(1)), (e: Error) => e.name === 'ValueError' && /expected 6 values/.test(e.message));
  const bad = [...state];
  bad[2] = ops.zeros([3, 2]);
  assert.throws(() => opt.setState(bad), (e: Error) => e.name === 'ShapeError' && /dense_kernel_momentum' has shape \[2, 3\], found \[3, 2\]/.test(e.message));
  const unbuilt = O.adam();
  assert.throws(() => unbuilt.setState(state), /not built yet: call build/);
  // A float iteration value (as from a file) is cast to the int32 counter.
  const fromFile = [ops.scalar(7), ...state.slice(1)];
  opt.setState(fromFile);
  assert.equal(opt.iterations, 7);
  assert.equal(opt.iterationsVariable.dtype, 'int32');
});

test('learningRate: settable number; a schedule replaces it and drops the variable', () => {
  const opt = O.sgd({ learningRate: 0.5 });
  const v = new Variable(ops.tensor([1]), 'v');
  opt.applyGradients([[ops.tensor([1]), v]]);
  assert.equal(v.item(), 0.5);
  opt.learningRate = 0.25; // what ReduceLROnPlateau does
  assert.equal(opt.learningRate, 0.25);
  assert.equal(opt.getConfig()['learning_rate'], 0.25);
  opt.applyGradients([[ops.tensor([1]), v]]);
  assert.equal(v.item(), 0.25);
  assert.equal(opt.variables().length, 2);
  assert.throws(() => (opt.learningRate = -1), /'learningRate' \(learning_rate\) must be a finite number >= 0/);
  opt.learningRate = O.schedules.piecewiseConstantDecay({ boundaries: [2], values: [1, 0.125] });
  assert.equal(opt.variables().length, 1, 'the learning_rate variable is untracked, as in Keras');
  assert.equal(opt.learningRate, 1, 'evaluated at iteration 2 <= boundary');
  opt.applyGradients([[ops.tensor([1]), v]]);
  assert.equal(v.item(), -0.75);
  assert.equal(opt.learningRate, 0.125);
  // Keras 3 refuses a number once a schedule is in place (TypeError there).
  assert.throws(() => (opt.learningRate = 0.1), (e: Error) => e.name === 'ValueError' && /cannot be set to a number/.test(e.message));
});

test('iterations counts applyGradients calls; the stored rate is float32 like Keras', () => {
  const opt = O.adam({ learningRate: 0.001 });
  const v = new Variable(ops.tensor([1, 2]), 'v');
  assert.equal(opt.iterations, 0);
  for (let i = 1; i <= 3; i++) {
    opt.applyGradients([[ops.tensor([1, 1]), v]]);
    assert.equal(opt.iterations, i);
    assert.equal(opt.iterationsVariable.item(), i);
  }
  assert.equal(opt.learningRate, Math.fround(0.001));
  assert.equal(opt.getConfig()['learning_rate'], Math.fround(0.001));
});
