import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import { checkGradients } from '../helpers/gradcheck.js';

kiln.setSeed(7);

test('valueAndGrads: gradient of sum of squares is 2x', () => {
  const x = kiln.tensor([1, 2, 3]);
  const { value, grads } = kiln.valueAndGrads(() => kiln.sum(kiln.square(x)), [x]);
  assert.equal(value.item(), 14);
  assert.deepEqual(grads[0]!.arraySync(), [2, 4, 6]);
});

test('matmul with broadcast bias: finite differences', () => {
  const x = kiln.randomNormal([3, 4]);
  const w = kiln.randomNormal([4, 2]);
  const b = kiln.randomNormal([2]);
  checkGradients((x, w, b) => kiln.tanh(kiln.add(kiln.matMul(x, w), b)), [x, w, b]);
});
