import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import * as P from '../../src/core/primitives.js';
import { GRADIENTS } from '../../src/core/gradients.js';
import { conv2dInfo, pool2dInfo } from '../../src/core/conv_geometry.js';
import type { Tensor } from '../../src/index.js';
import { assertClose, checkGradients } from '../helpers/gradcheck.js';

// Evidence 1 of the core issue: a finite-difference check of every primitive's gradient rule.
// Each differentiable primitive in the gradient table has an entry here; the last test fails
// if a primitive is added to the table without one.

kiln.setSeed(11);
const rn = (shape: number[]) => kiln.randomNormal(shape);
// Inputs kept away from kinks and singularities (|x| ≥ 0.2, or positive where a log or root needs it).
const awayFromZero = (shape: number[]) => {
  const v = rn(shape).dataSync().map((x) => (x >= 0 ? x + 0.2 : x - 0.2));
  return kiln.tensor(v, shape);
};
const positive = (shape: number[]) => kiln.add(kiln.abs(rn(shape)), 0.5);

const checked = new Set<string>();
function check(name: string, fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[], opts = {}) {
  checked.add(name);
  checkGradients(fn, inputs, { label: name, ...opts });
}

const UNARY_CASES: [P.PrimitiveName & string, () => Tensor][] = [
  ['neg', () => rn([2, 3])], ['abs', () => awayFromZero([2, 3])], ['exp', () => rn([2, 3])],
  ['expm1', () => rn([2, 3])], ['log', () => positive([2, 3])], ['log1p', () => positive([2, 3])],
  ['sqrt', () => positive([2, 3])], ['rsqrt', () => positive([2, 3])], ['square', () => rn([2, 3])],
  ['reciprocal', () => positive([2, 3])], ['tanh', () => rn([2, 3])], ['sigmoid', () => rn([2, 3])],
  ['erf', () => rn([2, 3])], ['relu', () => awayFromZero([2, 3])], ['sin', () => rn([2, 3])], ['cos', () => rn([2, 3])],
];

test('unary primitives: gradients match finite differences', () => {
  for (const [op, make] of UNARY_CASES) check(op, (x) => P.unary(op as never, x), [make()]);
});

test('binary primitives with broadcasting: gradients match finite differences', () => {
  const a = rn([3, 4]);
  const b = rn([4]);
  check('add', (x, y) => P.binary('add', x, y), [a, b]);
  check('sub', (x, y) => P.binary('sub', x, y), [rn([3, 1]), rn([1, 4])]);
  check('mul', (x, y) => P.binary('mul', x, y), [a, b]);
  check('div', (x, y) => P.binary('div', x, y), [a, positive([3, 1])]);
  check('pow', (x, y) => P.binary('pow', x, y), [positive([2, 3]), rn([3])]);
  // Values kept apart so no element sits at a tie.
  const lo = rn([2, 3]);
  const hi = kiln.add(lo, kiln.sub(kiln.mul(kiln.floor(kiln.randomUniform([2, 3], 0, 2)), 2), 1));
  check('maximum', (x, y) => P.binary('maximum', x, y), [lo, hi]);
  check('minimum', (x, y) => P.binary('minimum', x, y), [lo, hi]);
  check('mod', (x, y) => P.binary('mod', x, y), [kiln.tensor([2.3, 5.7, -1.3]), kiln.tensor([2.0, 2.5, 1.7])]);
  const cond = kiln.tensor([[1, 0, 1], [0, 1, 0]]);
  check('select', (x, y) => P.select(cond, x, y), [rn([2, 3]), rn([3])]);
});

test('reductions: gradients match finite differences (max/min without ties)', () => {
  check('sum', (x) => P.reduce('sum', x, [1]), [rn([2, 3, 4])]);
  check('prod', (x) => P.reduce('prod', x, [0, 2]), [positive([2, 3, 2])]);
  check('max', (x) => P.reduce('max', x, [1]), [rn([3, 5])]);
  check('min', (x) => P.reduce('min', x, [0]), [rn([4, 3])]);
});

test('max gradient splits ties equally (TensorFlow rule)', () => {
  const x = kiln.tensor([[1, 3, 3]]);
  const { grads } = kiln.valueAndGrads(() => kiln.max(x), [x]);
  assert.deepEqual(grads[0]!.arraySync(), [[0, 0.5, 0.5]]);
});

test('matmul with every transpose combination and batch broadcasting', () => {
  check('matmul', (a, b) => P.matmul(a, b), [rn([3, 4]), rn([4, 2])]);
  check('matmul', (a, b) => P.matmul(a, b, true, false), [rn([4, 3]), rn([4, 2])]);
  check('matmul', (a, b) => P.matmul(a, b, false, true), [rn([3, 4]), rn([2, 4])]);
  check('matmul', (a, b) => P.matmul(a, b, true, true), [rn([4, 3]), rn([2, 4])]);
  check('matmul', (a, b) => P.matmul(a, b), [rn([2, 3, 4]), rn([4, 2])]);
});

test('movement primitives: gradients match finite differences', () => {
  check('transpose', (x) => P.transpose(x, [2, 0, 1]), [rn([2, 3, 4])]);
  check('reshape', (x) => P.reshape(P.unary('square', x), [6, 2]), [rn([3, 4])]);
  check('slice', (x) => P.slice(x, [1, 0], [2, 2]), [rn([4, 3])]);
  check('pad', (x) => P.pad(x, [[1, 0], [0, 2]]), [rn([2, 3])]);
  check('concat', (x, y) => P.concat([x, y], 1), [rn([2, 3]), rn([2, 1])]);
  const idx = kiln.tensor([2, 0, 2], [3], 'int32');
  check('gather', (x) => P.gather(x, idx, 0), [rn([3, 2])]);
  check('scatterAdd', (u) => P.scatterAdd(u, idx, 0, [3, 2]), [rn([3, 2])]);
  check('broadcastTo', (x) => P.broadcastTo(x, [3, 2, 4]), [rn([2, 1])]);
  check('cast', (x) => P.cast(x, 'float32'), [rn([3])]);
});

test('fused softmax and log-softmax: gradients match finite differences', () => {
  check('softmax', (x) => P.softmax(x), [rn([3, 5])]);
  check('logSoftmax', (x) => P.logSoftmax(x), [rn([3, 5])]);
});

test('fused dense and sparse softmax crossentropy: gradients match finite differences', () => {
  for (const act of ['linear', 'relu', 'sigmoid', 'tanh'] as const) {
    // relu kinks: keep pre-activations away from 0 by using inputs whose products are not tiny.
    check('dense', (x, w, b) => P.dense(x!, w!, b!, act), [awayFromZero([3, 4]), rn([4, 2]), rn([2])], act === 'relu' ? { eps: 1e-4 } : {});
    check('dense', (x, w) => P.dense(x!, w!, null, act), [rn([2, 3]), rn([3, 5])], act === 'relu' ? { eps: 1e-4 } : {});
  }
  const labels = kiln.tensor([2, 0, 1, 2], [4], 'int32');
  check('sparseSoftmaxCrossEntropy', (l) => P.sparseSoftmaxCrossEntropy(l!, labels), [rn([4, 3])]);
});

test('fused dense equals matmul + bias + activation exactly', () => {
  const x = rn([5, 7]);
  const w = rn([7, 3]);
  const b = rn([3]);
  const fused = P.dense(x, w, b, 'tanh').dataSync();
  const composed = P.unary('tanh', P.binary('add', P.matmul(x, w), b)).dataSync();
  assert.deepEqual(Array.from(fused), Array.from(composed));
});

test('convolution and pooling primitives: gradients match finite differences', () => {
  // Strides, dilation, groups and 'same' padding at once; the backprops are checked as functions of their own inputs.
  const info = conv2dInfo([2, 5, 6, 4], [3, 2, 2, 4], { strides: [2, 1], padding: 'same', dilations: [1, 2], groups: 2 });
  check('conv2d', (x, w) => P.conv2d(x!, w!, info), [rn([2, 5, 6, 4]), rn([3, 2, 2, 4])]);
  const dyShape = [info.batch, info.outH, info.outW, info.outC];
  check('conv2dBackpropInput', (dy, w) => P.conv2dBackpropInput(dy!, w!, info), [rn(dyShape), rn([3, 2, 2, 4])]);
  check('conv2dBackpropFilter', (x, dy) => P.conv2dBackpropFilter(x!, dy!, info), [rn([2, 5, 6, 4]), rn(dyShape)]);
  const pool = pool2dInfo([2, 5, 5, 3], { poolSize: [3, 2], strides: [2, 2], padding: 'same' });
  check('maxPool2d', (x) => P.maxPool2d(x!, pool), [rn([2, 5, 5, 3])]);
  check('avgPool2d', (x) => P.avgPool2d(x!, pool), [rn([2, 5, 5, 3])]);
});

test('every differentiable primitive in the gradient table has a check above', () => {
  const nonDifferentiable = new Set(['sign', 'step', 'floor', 'ceil', 'round', 'isnan', 'isfinite', 'logicalNot',
    'equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual', 'argMax', 'oneHot']);
  const missing = Object.keys(GRADIENTS).filter((p) => !nonDifferentiable.has(p) && !checked.has(p));
  assert.deepEqual(missing, []);
});

test('forward values of primitives on known inputs', () => {
  assert.deepEqual(P.reduce('sum', kiln.tensor([[1, 2], [3, 4]]), [0]).arraySync(), [4, 6]);
  assert.deepEqual(P.transpose(kiln.tensor([[1, 2, 3], [4, 5, 6]])).arraySync(), [[1, 4], [2, 5], [3, 6]]);
  assert.deepEqual(P.matmul(kiln.tensor([[1, 2], [3, 4]]), kiln.tensor([[5], [6]])).arraySync(), [[17], [39]]);
  assert.deepEqual(P.slice(kiln.tensor([[1, 2, 3], [4, 5, 6]]), [0, 1], [2, 2]).arraySync(), [[2, 3], [5, 6]]);
  assert.deepEqual(P.pad(kiln.tensor([[1]]), [[1, 0], [0, 1]]).arraySync(), [[0, 0], [1, 0]]);
  assert.deepEqual(P.gather(kiln.tensor([[1, 2], [3, 4]]), kiln.tensor([1, 1, 0], [3], 'int32')).arraySync(), [[3, 4], [3, 4], [1, 2]]);
  assert.deepEqual(P.oneHot(kiln.tensor([2, 0], [2], 'int32'), 3).arraySync(), [[0, 0, 1], [1, 0, 0]]);
  assert.deepEqual(P.argMax(kiln.tensor([[1, 5, 5], [7, 0, 1]])).arraySync(), [1, 0]);
  assert.deepEqual(P.binary('mod', kiln.tensor([-3, 3]), kiln.tensor([2, -2])).arraySync(), [1, -1]);
  assert.deepEqual(P.unary('round', kiln.tensor([0.5, 1.5, 2.5, -0.5])).arraySync(), [0, 2, 2, -0]);
  assertClose(P.softmax(kiln.tensor([[1000, 1000]])).dataSync(), [0.5, 0.5]);
  assertClose(P.logSoftmax(kiln.tensor([[0, -1e4]])).dataSync(), [0, -1e4]);
  assert.deepEqual(P.binary('add', kiln.tensor([1, 2], [2], 'int32'), kiln.tensor([3, 4], [2], 'int32')).dtype, 'int32');
  assert.equal(P.binary('div', kiln.tensor([1], [1], 'int32'), kiln.tensor([2], [1], 'int32')).dataSync()[0], 0.5);
});

test('shape errors name the operation and both shapes', () => {
  assert.throws(() => kiln.add(kiln.zeros([2, 3]), kiln.zeros([4])), /add: shapes \[2, 3\] and \[4\]/);
  assert.throws(() => kiln.matMul(kiln.zeros([2, 3]), kiln.zeros([4, 2])), /matmul: inner dimensions differ/);
  assert.throws(() => kiln.reshape(kiln.zeros([2, 3]), [4, 2]), /reshape: cannot reshape \[2, 3\]/);
  assert.throws(() => kiln.tensor([[1, 2], [3]]), /not rectangular/);
  assert.throws(() => kiln.gather(kiln.zeros([2, 2]), [5]), /index 5 .* out of range/);
});

test('tensor creation and reading back', async () => {
  const t = kiln.tensor([[1, 2], [3, 4]]);
  assert.deepEqual(t.shape, [2, 2]);
  assert.equal(t.dtype, 'float32');
  assert.deepEqual(await t.array(), [[1, 2], [3, 4]]);
  assert.deepEqual(Array.from(await t.data()), [1, 2, 3, 4]);
  assert.equal(kiln.tensor(new Int32Array([1, 2])).dtype, 'int32');
  assert.deepEqual(kiln.tensor([1, 2, 3, 4], [2, 2], 'int32').arraySync(), [[1, 2], [3, 4]]);
  assert.deepEqual(kiln.fill([2], 7).arraySync(), [7, 7]);
  assert.equal(kiln.scalar(3).arraySync(), 3);
  kiln.setSeed(5);
  const a = kiln.randomInt([1000], 0, 10).dataSync();
  assert.ok(a.every((v) => v >= 0 && v < 10) && new Set(a).size === 10);
  kiln.setSeed(5);
  assert.deepEqual(kiln.randomInt([1000], 0, 10).dataSync(), a);
});
