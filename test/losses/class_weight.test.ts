// classWeightToSampleWeight follows Keras's rule (keras/src/trainers/data_adapters/
// data_adapter_utils.py): sparse labels index the table, [n, C] labels use argmax, [n, 1] labels
// their rounded value; classes missing from the table weigh 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as losses from '../../src/losses/index.js';
import { ops } from './helpers.js';

const table = { 0: 0.5, 1: 2, 2: 4 };
const weights = (y: Parameters<typeof losses.classWeightToSampleWeight>[0], cw: Record<number, number>, shape: (number | null)[]) =>
  Array.from(losses.classWeightToSampleWeight(y, cw, shape).dataSync());

test('sparse labels [n] (int32 or float32) and [n, 1] index the table', () => {
  assert.deepEqual(weights(ops.tensor([2, 0, 1, 1], undefined, 'int32'), table, [null, 3]), [4, 0.5, 2, 2]);
  assert.deepEqual(weights(ops.tensor([2, 0, 1, 1]), table, [null, 3]), [4, 0.5, 2, 2]);
  assert.deepEqual(weights(ops.tensor([[2], [0], [1], [1]], undefined, 'int32'), table, [null, 3]), [4, 0.5, 2, 2]);
});

test('one-hot labels [n, C] use the argmax', () => {
  const y = ops.oneHot(ops.tensor([1, 2, 0], undefined, 'int32'), 3);
  assert.deepEqual(weights(y, table, [null, 3]), [2, 4, 0.5]);
  // Soft labels too: the largest entry decides.
  assert.deepEqual(weights(ops.tensor([[0.1, 0.7, 0.2], [0.6, 0.3, 0.1]]), table, [8, 3]), [2, 0.5]);
});

test('binary labels [n, 1] with a single output unit use the (rounded) label value', () => {
  assert.deepEqual(weights(ops.tensor([[1], [0], [0.9999], [0]]), { 0: 1, 1: 10 }, [null, 1]), [10, 1, 10, 1]);
  assert.deepEqual(weights(ops.tensor([1, 0]), { 1: 3 }, [null, 1]), [3, 1]);
});

test('classes missing from the table weigh 1', () => {
  assert.deepEqual(weights(ops.tensor([0, 1, 2], undefined, 'int32'), { 1: 7 }, [null, 3]), [1, 7, 1]);
  assert.deepEqual(weights(ops.tensor([0, 1, 2], undefined, 'int32'), {}, [null, 3]), [1, 1, 1]);
});

test('string keys (as JSON gives them) and Map tables are accepted', () => {
  assert.deepEqual(weights(ops.tensor([0, 1], undefined, 'int32'), { '0': 2, '1': 3 } as never, [null, 2]), [2, 3]);
  assert.deepEqual(weights(ops.tensor([0, 1], undefined, 'int32'), new Map([[1, 5]]) as never, [null, 2]), [1, 5]);
});

test('the result is a float32 [n] tensor usable as sample weights', () => {
  const y = ops.tensor([0, 2], undefined, 'int32');
  const sw = losses.classWeightToSampleWeight(y, table, [null, 3]);
  assert.deepEqual([...sw.shape], [2]);
  assert.equal(sw.dtype, 'float32');
  const logits = ops.tensor([[0, 0, 0], [0, 0, 0]]);
  const loss = new losses.SparseCategoricalCrossentropy({ fromLogits: true, reduction: 'sum' });
  assert.ok(Math.abs(loss.apply(y, logits, sw).item() - 4.5 * Math.log(3)) < 1e-5);
});

test('unknown output width: keys are only required to be non-negative integers', () => {
  assert.deepEqual(weights(ops.tensor([0, 5], undefined, 'int32'), { 5: 2 }, [null, null]), [1, 2]);
});
