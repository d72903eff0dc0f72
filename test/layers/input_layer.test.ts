import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/backends/index.js';
import { DTypeError, NotImplementedError, ShapeError, ValueError } from '../../src/errors.js';
import { input, InputLayer, inputLayer } from '../../src/layers/index.js';
import { tensor, zeros } from '../../src/ops/index.js';
import { checkLayerRoundTrip } from './roundtrip.js';

const named = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => e instanceof cls && re.test((e as Error).message);

test('inputLayer({ shape }) makes an InputLayer with the batch dimension unknown; every shape spelling agrees', () => {
  const inp = inputLayer({ shape: [784] });
  assert.ok(inp instanceof InputLayer);
  assert.deepEqual(inp.batchShape, [null, 784]);
  assert.deepEqual(inp.batchInputShape, [null, 784]);
  assert.ok(inp.built);
  assert.deepEqual(inp.weights, []);
  assert.equal(inp.dtype, 'float32');
  for (const args of [{ batchShape: [null, 784] }, { batch_shape: [null, 784] }, { inputShape: [784] }, { batchInputShape: [null, 784] }, { input_shape: [784] }]) {
    assert.deepEqual(new InputLayer(args as never).batchShape, [null, 784], JSON.stringify(args));
  }
  assert.deepEqual(inputLayer({ shape: [2, 3], batchSize: 8 }).batchShape, [8, 2, 3]);
  assert.deepEqual(inputLayer({ shape: [null, 5] }).computeOutputShape([null, 7, 5]), [null, 7, 5]);
});

test('InputLayer passes inputs through, checks them against its shape, and converts to its dtype', () => {
  const inp = inputLayer({ shape: [3] });
  const x = tensor([[1, 2, 3]]);
  assert.equal(inp.apply(x), x);
  assert.throws(() => inp.apply(tensor([[1, 2]])), named(ShapeError, /input_layer/));
  assert.throws(() => inputLayer({ batchShape: [2, 3] }).apply(zeros([4, 3])), ShapeError);
  const ints = inputLayer({ shape: [2], dtype: 'int32' }).apply(tensor([[1.7, -2.2]]));
  assert.equal(ints.dtype, 'int32');
  assert.deepEqual(ints.arraySync(), [[1, -2]]);
});

test('InputLayer config is Keras 3\'s (batch_shape, dtype, sparse, name) and round-trips', () => {
  const inp = inputLayer({ shape: [4, null], name: 'features' });
  assert.deepEqual(inp.getConfig(), { batch_shape: [null, 4, null], dtype: 'float32', sparse: false, name: 'features' });
  checkLayerRoundTrip(inp, { expectedKeys: ['batch_shape', 'dtype', 'sparse', 'name'] });
  checkLayerRoundTrip(inputLayer({ shape: [2] }), { input: tensor([[1, 2]]) });
  // A Keras 3 config (newer versions add ragged and optional) loads.
  const keras = InputLayer.fromConfig({ batch_shape: [null, 8], dtype: 'float32', sparse: false, ragged: false, name: 'input_layer', optional: false });
  assert.ok(keras instanceof InputLayer);
  assert.deepEqual(keras.batchShape, [null, 8]);
});

test('InputLayer: typed errors name the layer', () => {
  assert.throws(() => inputLayer({ name: 'in_a' }), named(ValueError, /InputLayer 'in_a': a shape is required/));
  assert.throws(() => inputLayer({ name: 'in_b', shape: [3], batchShape: [null, 3] }), named(ValueError, /'in_b': pass either shape or batch_shape/));
  assert.throws(() => inputLayer({ name: 'in_c', batchShape: [null, 3], batchSize: 4 }), named(ValueError, /'in_c': pass either batch_size or batch_shape/));
  assert.throws(() => inputLayer({ name: 'in_d', shape: [-1] }), named(ValueError, /'in_d': shape must be a list/));
  assert.throws(() => inputLayer({ name: 'in_e', shape: 3 as never }), named(ValueError, /'in_e': shape/));
  assert.throws(() => inputLayer({ name: 'in_f', shape: [3], batchSize: 0 }), named(ValueError, /'in_f': batch_size/));
  assert.throws(() => inputLayer({ name: 'in_g', shape: [3], dtype: 'float64' as never }), named(DTypeError, /'in_g': dtype/));
  assert.throws(() => inputLayer({ name: 'in_h', shape: [3], sparse: true }), named(NotImplementedError, /'in_h': sparse/));
  assert.throws(() => inputLayer({ name: 'in_i', batchShape: [] }), named(ValueError, /'in_i': batch_shape/));
});
