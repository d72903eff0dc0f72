import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Tensor } from '../../src/core/tensor.js';
import { NotImplementedError, ValueError } from '../../src/errors.js';
import { Embedding, Masking, embedding, masking } from '../../src/layers/index.js';
import { tensor } from '../../src/ops/index.js';
import { checkGradients } from '../helpers/gradcheck.js';
import { randomInput, withWeights } from './helpers.js';
import { checkLayerRoundTrip, LAYER_BASE_KEYS } from './roundtrip.js';

test('Embedding: rows of the table for int32 and integer-valued float indices, any input rank', () => {
  const emb = embedding({ inputDim: 4, outputDim: 2 });
  emb.apply(tensor([[0]], undefined, 'int32'));
  emb.setWeights([tensor([[0, 1], [10, 11], [20, 21], [30, 31]])]);
  assert.deepEqual(emb.apply(tensor([[3, 1]], undefined, 'int32')).arraySync(), [[[30, 31], [10, 11]]]);
  assert.deepEqual(emb.apply(tensor([[2, 0]])).arraySync(), [[[20, 21], [0, 1]]]);
  const three = emb.apply(tensor([[[1, 2], [3, 0]]]));
  assert.deepEqual([...three.shape], [1, 2, 2, 2]);
  assert.deepEqual(emb.computeOutputShape([null, 5]), [null, 5, 2]);
  assert.deepEqual(emb.weights.map((w) => [w.name.split('/')[1], [...w.shape]]), [['embeddings', [4, 2]]]);
  // Keras 3's default initializer: uniform in [-0.05, 0.05].
  const fresh = embedding({ inputDim: 50, outputDim: 8 });
  fresh.apply(tensor([[1]]));
  assert.ok(Array.from(fresh.embeddings!.dataSync()).every((v) => Math.abs(v) <= 0.05));
});

test('Embedding: an out-of-range or fractional index is a ValueError naming the layer, the index and input_dim', () => {
  const emb = embedding({ inputDim: 5, outputDim: 2, name: 'tokens' });
  assert.throws(() => emb.apply(tensor([[1, 7]])), (e: Error) => e instanceof ValueError && /Embedding 'tokens': index 7 at flat position 1.*\[0, 5\) \(input_dim 5\)/.test(e.message));
  assert.throws(() => emb.apply(tensor([[-1]], undefined, 'int32')), (e: Error) => e instanceof ValueError && /index -1/.test(e.message));
  assert.throws(() => emb.apply(tensor([[1.5]])), (e: Error) => e instanceof ValueError && /index 1.5 .*not an integer/.test(e.message));
  assert.throws(() => embedding({ inputDim: 0, outputDim: 2 }), (e: Error) => e instanceof ValueError && /input_dim must be a positive integer, found 0/.test(e.message));
  assert.throws(() => embedding({ inputDim: 3, outputDim: 2, embeddingsConstraint: 'non_neg' } as never), NotImplementedError);
});

test('Embedding: maskZero gives a mask (index != 0); without it, no mask', () => {
  const ids = tensor([[3, 0, 2], [0, 0, 1]]);
  const masked = embedding({ inputDim: 4, outputDim: 2, maskZero: true });
  assert.deepEqual(masked.computeMask(ids, null)!.arraySync(), [[1, 0, 1], [0, 0, 1]]);
  assert.equal(embedding({ inputDim: 4, outputDim: 2 }).computeMask(ids, null), null);
});

test('Embedding: finite-difference gradient of the table (repeated indices add up)', () => {
  const emb = embedding({ inputDim: 5, outputDim: 3 });
  const ids = tensor([[1, 4, 1], [0, 1, 2]], undefined, 'int32');
  emb.apply(ids);
  const table = randomInput([5, 3], 3).x;
  checkGradients((t: Tensor) => withWeights(emb, { embeddings: t }, () => emb.apply(ids)), [table], { eps: 1e-2, label: 'Embedding' });
});

test('Masking: zeroes masked timesteps and emits any(x != mask_value) over features', () => {
  const m = masking({ maskValue: -1 });
  const x = tensor([[[1, -1], [-1, -1], [0, 2]]]);
  // (-1 · 0 is -0, which deepEqual tells from 0; compare values.)
  assert.deepEqual(Array.from(m.apply(x).dataSync(), (v) => v + 0), [1, -1, 0, 0, 0, 2]);
  assert.deepEqual(m.computeMask(x, null).arraySync(), [[1, 0, 1]]);
  assert.throws(() => masking().apply(tensor([1, 2])), /rank >= 2/);
  assert.deepEqual([...m.apply(tensor([[[1, 2]]])).shape], [1, 1, 2]);
  const { x: r } = randomInput([2, 3, 2], 4);
  checkGradients((xi: Tensor) => m.apply(xi), [r], { label: 'Masking' });
});

test('Embedding and Masking: config round trips with Keras 3 keys', () => {
  checkLayerRoundTrip(new Embedding({ inputDim: 6, outputDim: 3, maskZero: true, embeddingsInitializer: 'glorot_uniform' }), {
    input: tensor([[1, 2, 0]]),
    expectedKeys: [...LAYER_BASE_KEYS, 'input_dim', 'output_dim', 'embeddings_initializer', 'embeddings_regularizer', 'activity_regularizer', 'embeddings_constraint', 'mask_zero'],
  });
  checkLayerRoundTrip(new Embedding({ input_dim: 6, output_dim: 3, embeddings_regularizer: 'l2' } as never), { input: tensor([[1, 2, 0]]) });
  checkLayerRoundTrip(new Masking({ maskValue: 0.5 }), { input: randomInput([2, 3, 2], 5).x, expectedKeys: [...LAYER_BASE_KEYS, 'mask_value'] });
});
