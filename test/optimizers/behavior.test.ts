/**
 * Base-class behaviour from keras/src/optimizers/base_optimizer.py: EMA, gradient accumulation,
 * loss scaling, constraints, missing gradients, weight-decay exclusion and input checks. The
 * expected numbers are worked out by hand in the comments.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRecording, withRecording } from '../../src/core/engine.js';
import { Variable } from '../../src/core/tensor.js';
import * as ops from '../../src/ops/index.js';
import * as O from '../../src/optimizers/index.js';
import { assertClose } from './helpers.js';

const mat = (rows: number[][]) => ops.tensor(rows);
const flat = (v: Variable) => Array.from(v.dataSync());
const ones22 = () => mat([[1, 1], [1, 1]]);

test('EMA: average starts at the weights, follows with emaMomentum, overwrites every emaOverwriteFrequency', () => {
  const v = new Variable(mat([[3, 4], [5, 6]]), 'v');
  const opt = O.sgd({ learningRate: 1, useEma: true, emaMomentum: 0.9, emaOverwriteFrequency: 3 });
  const average = () => Array.from(opt.variables()[2]!.dataSync());
  opt.applyGradients([[ones22(), v]]);
  assertClose(flat(v), [2, 3, 4, 5]);
  assertClose(average(), [2, 3, 4, 5]); // step 0: momentum 0, a copy
  opt.applyGradients([[ones22(), v]]);
  assertClose(flat(v), [1, 2, 3, 4]);
  assertClose(average(), [1.9, 2.9, 3.9, 4.9]); // 0.9·2 + 0.1·1
  opt.applyGradients([[ones22(), v]]);
  // weights 0,1,2,3 → average 0.9·1.9 + 0.1·0 = 1.71; third step overwrites the weights with it
  assertClose(flat(v), [1.71, 2.71, 3.71, 4.71]);
  assertClose(average(), [1.71, 2.71, 3.71, 4.71]);
});

test('EMA without overwrite frequency: finalizeVariableValues swaps in the average', () => {
  const v = new Variable(ops.tensor([1]), 'v');
  const opt = O.sgd({ learningRate: 0.1, useEma: true, emaMomentum: 0.5 });
  opt.applyGradients([[ops.tensor([1]), v]]); // w 0.9, avg 0.9
  opt.applyGradients([[ops.tensor([1]), v]]); // w 0.8, avg 0.85
  assertClose(flat(v), [0.8]);
  opt.finalizeVariableValues([v]);
  assertClose(flat(v), [0.85]);
  assert.throws(() => opt.finalizeVariableValues([]), /0 variables given, the optimizer averages 1/);
});

test('gradient accumulation: averages over N calls, updates every Nth, iterations counts updates', () => {
  const v = new Variable(mat([[1, 2], [3, 4]]), 'v');
  const opt = O.sgd({ learningRate: 1, gradientAccumulationSteps: 3 });
  const acc = () => Array.from(opt.variables()[2]!.dataSync());
  opt.applyGradients([[ones22(), v]]);
  assertClose(flat(v), [1, 2, 3, 4]);
  assertClose(acc(), [1, 1, 1, 1]);
  assert.equal(opt.iterations, 0);
  assert.equal(opt.iterationsVariable.item(), 1);
  opt.applyGradients([[mat([[2, 2], [2, 2]]), v]]);
  assertClose(acc(), [3, 3, 3, 3]);
  opt.applyGradients([[mat([[3, 3], [3, 3]]), v]]);
  assertClose(flat(v), [-1, 0, 1, 2]); // mean gradient (1+2+3)/3 = 2
  assertClose(acc(), [0, 0, 0, 0]);
  assert.equal(opt.iterations, 1);
  opt.applyGradients([[ones22(), v]]);
  assertClose(flat(v), [-1, 0, 1, 2]);
  assert.equal(opt.iterations, 1);
  assert.equal(opt.iterationsVariable.item(), 4);
});

test('gradient accumulation with Adam: bias correction uses the update count', () => {
  // Three calls of g then one update with mean g must equal one plain Adam step with g.
  const a = new Variable(ops.tensor([1, -1]), 'a');
  const b = new Variable(ops.tensor([1, -1]), 'b');
  const plain = O.adam({ learningRate: 0.1 });
  const accum = O.adam({ learningRate: 0.1, gradientAccumulationSteps: 3 });
  const g = ops.tensor([0.5, -0.25]);
  plain.applyGradients([[g, a]]);
  for (let i = 0; i < 3; i++) accum.applyGradients([[g, b]]);
  assertClose(flat(b), flat(a), 1e-6);
});

test('loss scaling: scaleLoss multiplies, gradients are divided before use', () => {
  const v = new Variable(mat([[1, 2], [3, 4]]), 'v');
  const opt = O.sgd({ learningRate: 1, lossScaleFactor: 1024 });
  assert.equal(opt.scaleLoss(ops.scalar(1)).item(), 1024);
  opt.applyGradients([[ops.mul(mat([[1, 2], [3, 4]]), 1024), v]]);
  assertClose(flat(v), [0, 0, 0, 0]);
  assert.equal(O.sgd().scaleLoss(ops.scalar(3)).item(), 3);
});

test('a constraint attached to a variable is applied after the update', () => {
  const v = new Variable(ops.tensor([-0.5, 0.5]), 'v') as Variable & { constraint: unknown };
  v.constraint = (w: Variable) => ops.maximum(w, 0); // NonNeg
  O.sgd({ learningRate: 1 }).applyGradients([[ops.tensor([0, 1]), v]]);
  assert.deepEqual(flat(v), [0, 0]);
});

test('null gradients are skipped with a warning; none at all is an error', () => {
  const a = new Variable(ops.tensor([3, 4]), 'a');
  const b = new Variable(ops.tensor([3, 4]), 'b');
  const opt = O.sgd({ learningRate: 1 });
  const warn = console.warn;
  const warnings: string[] = [];
  console.warn = (msg: string) => warnings.push(msg);
  try {
    opt.applyGradients([[null, a], [ops.tensor([1, 1]), b]]);
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(flat(a), [3, 4]);
  assert.deepEqual(flat(b), [2, 3]);
  assert.match(warnings.join('\n'), /gradients do not exist for variables a/);
  assert.throws(() => opt.applyGradients([[null, a]]), (e: Error) => e.name === 'ValueError' && /no gradients provided for any variable/.test(e.message));
});

test('input checks: gradient shape, unknown variables, apply without variables', () => {
  const v = new Variable(ops.zeros([2, 3]), 'dense/kernel');
  const opt = O.adam();
  assert.throws(
    () => opt.applyGradients([[ops.zeros([3, 2]), v]]),
    (e: Error) => e.name === 'ShapeError' && /gradient for 'dense\/kernel' has shape \[3, 2\], expected \[2, 3\]/.test(e.message),
  );
  opt.applyGradients([[ops.ones([2, 3]), v]]);
  const other = new Variable(ops.zeros([2]), 'other');
  assert.throws(() => opt.applyGradients([[ops.ones([2]), other]]), (e: Error) => e.name === 'ValueError' && /unknown variable 'other'/.test(e.message));
  opt.apply([ops.ones([2, 3])]); // built: the variables may be left out
  assert.equal(opt.iterations, 2);
  assert.throws(() => O.sgd().apply([ops.ones([2])]), /must be built first/);
  assert.throws(() => opt.apply([ops.ones([2, 3]), ops.ones([2])]), /expected 1 gradients/);
  assert.throws(() => O.sgd().build([v, v]), /appears twice/);
  opt.applyGradients([]); // Keras: an empty list is a no-op
  assert.equal(opt.iterations, 2);
});

test('weight decay: decoupled, scaled by lr, before the update; exclusions by instance and name', () => {
  const kernel = new Variable(ops.tensor([2]), 'dense/kernel');
  const bias = new Variable(ops.tensor([2]), 'dense/bias');
  const other = new Variable(ops.tensor([2]), 'other/w');
  const opt = O.sgd({ learningRate: 0.5, weightDecay: 0.1 });
  opt.excludeFromWeightDecay({ varList: [other], varNames: ['bias'] });
  const zero = ops.tensor([0]);
  opt.applyGradients([[zero, kernel], [zero, bias], [zero, other]]);
  assertClose(flat(kernel), [2 - 2 * 0.1 * 0.5]);
  assert.deepEqual(flat(bias), [2]);
  assert.deepEqual(flat(other), [2]);
  assert.throws(() => opt.excludeFromWeightDecay({ varNames: ['x'] }), /before the optimizer is built/);
  // AdamW: w ← w − w·wd·lr, then the Adam step (first step moves by lr·sign(g)·(1 − ~1e-7)).
  const w = new Variable(ops.tensor([1]), 'w');
  O.adamw({ learningRate: 0.1, weightDecay: 0.5 }).applyGradients([[ops.tensor([3]), w]]);
  assertClose(flat(w), [1 - 1 * 0.5 * 0.1 - 0.1], 1e-5);
});

test('updates run under noGrad even when called while gradients are being recorded', () => {
  const v = new Variable(ops.tensor([1, 2]), 'v') as Variable & { constraint: unknown };
  const seen: (object | null)[] = [];
  // The constraint runs inside apply: anything computed there must carry no gradient node.
  v.constraint = (w: Variable) => {
    const probe = ops.mul(w, 2);
    seen.push(probe.node, isRecording() ? {} : null);
    return w;
  };
  withRecording(() => O.adam().applyGradients([[ops.tensor([1, 1]), v]]));
  assert.deepEqual(seen, [null, null]);
  assert.equal(v.node, null);
  assert.ok(v.requiresGrad, 'a trainable variable stays trainable');
});
