import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import { NotImplementedError, ShapeError, ValueError } from '../../src/errors.js';
import type { Layer } from '../../src/layers/index.js';
import { randomInput } from './helpers.js';
import { LAYER_BASE_KEYS, checkLayerRoundTrip } from './roundtrip.js';

// Config round trips (Keras's keys, through the registry), symbolic output shapes, and the typed
// errors for bad options and bad inputs of the convolution and pooling layers.

const L = kiln.layers;
const CONV_KEYS = [...LAYER_BASE_KEYS, 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'activation', 'use_bias',
  'bias_initializer', 'bias_regularizer', 'activity_regularizer', 'bias_constraint'];
const POOL_KEYS = [...LAYER_BASE_KEYS, 'pool_size', 'padding', 'strides', 'data_format'];
const GLOBAL_KEYS = [...LAYER_BASE_KEYS, 'data_format', 'keepdims'];

test('every conv and pooling layer survives the generic config round trip with Keras keys', () => {
  const cases: [Layer, number[], string[]][] = [
    [L.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelRegularizer: 'l2' }), [2, 7, 7, 2], [...CONV_KEYS, 'filters', 'groups', 'kernel_initializer', 'kernel_regularizer', 'kernel_constraint']],
    [L.conv2d({ filters: 4, kernel_size: [2, 3], groups: 2, dilation_rate: 2, use_bias: false } as never), [1, 8, 8, 4], [...CONV_KEYS, 'filters', 'groups', 'kernel_initializer', 'kernel_regularizer', 'kernel_constraint']],
    [L.conv1d({ filters: 2, kernelSize: 3, padding: 'causal' }), [2, 9, 3], [...CONV_KEYS, 'filters', 'groups', 'kernel_initializer', 'kernel_regularizer', 'kernel_constraint']],
    [L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2 }), [1, 6, 6, 3], [...CONV_KEYS, 'depth_multiplier', 'depthwise_initializer', 'depthwise_regularizer', 'depthwise_constraint']],
    [L.separableConv2d({ filters: 4, kernelSize: 3, padding: 'same' }), [1, 6, 6, 3], [...CONV_KEYS, 'filters', 'depth_multiplier', 'depthwise_initializer', 'pointwise_initializer', 'depthwise_regularizer', 'pointwise_regularizer', 'depthwise_constraint', 'pointwise_constraint']],
    [L.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }), [1, 4, 4, 3], [...CONV_KEYS, 'filters', 'output_padding', 'kernel_initializer', 'kernel_regularizer', 'kernel_constraint']],
    [L.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }), [2, 7, 7, 2], POOL_KEYS],
    [L.averagePooling2d(), [2, 6, 6, 2], POOL_KEYS],
    [L.maxPooling1d({ poolSize: 3 }), [2, 9, 2], POOL_KEYS],
    [L.averagePooling1d({ pool_size: 2, strides: 1 } as never), [2, 9, 2], POOL_KEYS],
    [L.globalAveragePooling2d(), [2, 4, 4, 3], GLOBAL_KEYS],
    [L.globalMaxPooling2d({ keepdims: true }), [2, 4, 4, 3], GLOBAL_KEYS],
    [L.globalAveragePooling1d(), [2, 5, 3], GLOBAL_KEYS],
    [L.globalMaxPooling1d(), [2, 5, 3], GLOBAL_KEYS],
  ];
  for (const [layer, shape, keys] of cases) checkLayerRoundTrip(layer, { input: randomInput(shape, 3).x, expectedKeys: keys });
});

test('configs use Keras spellings: tuples, default strides = pool size, channels_last', () => {
  const c = L.conv2d({ filters: 8, kernelSize: 5 }).getConfig();
  assert.deepEqual([c.kernel_size, c.strides, c.dilation_rate, c.padding, c.data_format, c.groups], [[5, 5], [1, 1], [1, 1], 'valid', 'channels_last', 1]);
  assert.deepEqual(L.maxPooling2d({ poolSize: [2, 3] }).getConfig().strides, [2, 3]);
  assert.deepEqual(L.maxPooling1d().getConfig().pool_size, [2]);
  assert.equal(L.conv2d({ filters: 1, kernelSize: 1, dataFormat: 'channelsFirst' as never }).dataFormat, 'channels_first');
});

test('computeOutputShape matches the computed output for every layer', () => {
  const cases: [Layer, number[]][] = [
    [L.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }), [2, 9, 8, 2]],
    [L.conv2d({ filters: 3, kernelSize: [3, 2], dilationRate: 2 }), [2, 9, 8, 2]],
    [L.conv2d({ filters: 3, kernelSize: 3, dataFormat: 'channels_first' }), [2, 2, 9, 8]],
    [L.conv1d({ filters: 2, kernelSize: 4, padding: 'causal', strides: 2 }), [2, 9, 3]],
    [L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 3, strides: 2 }), [1, 9, 9, 2]],
    [L.separableConv2d({ filters: 5, kernelSize: 3 }), [1, 9, 9, 2]],
    [L.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2 }), [1, 4, 5, 3]],
    [L.conv2dTranspose({ filters: 2, kernelSize: 2, strides: 3, padding: 'valid' }), [1, 4, 5, 3]],
    [L.conv2dTranspose({ filters: 2, kernelSize: 4, strides: 2, padding: 'same' }), [1, 4, 5, 3]],
    [L.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }), [2, 9, 8, 2]],
    [L.averagePooling1d({ poolSize: 3 }), [2, 10, 2]],
    [L.globalMaxPooling2d({ keepdims: true }), [2, 3, 4, 5]],
    [L.globalAveragePooling1d(), [2, 3, 4]],
  ];
  for (const [layer, shape] of cases) {
    const y = layer.apply(randomInput(shape, 1).x);
    assert.deepEqual(layer.computeOutputShape([null, ...shape.slice(1)]), [null, ...y.shape.slice(1)], (layer.constructor as typeof Layer).className);
  }
});

test('bad options and inputs raise typed errors naming the layer and the argument', () => {
  const x = randomInput([2, 4, 4, 3], 1).x;
  const name = (layer: Layer, re: RegExp) => new RegExp(`${(layer.constructor as typeof Layer).className} '${layer.name}'.*${re.source}`);
  const big = L.conv2d({ filters: 2, kernelSize: 5 });
  assert.throws(() => big.apply(x), (e: Error) => e instanceof ShapeError && name(big, /padding 'valid'.*\(5\).*\(4\)/).test(e.message));
  const rank = L.conv2d({ filters: 2, kernelSize: 3 });
  assert.throws(() => rank.apply(randomInput([2, 4, 3], 1).x), (e: Error) => e instanceof ShapeError && name(rank, /rank 4.*found shape \[(null|2), 4, 3\]/).test(e.message));
  const groups = L.conv2d({ filters: 4, kernelSize: 1, groups: 2 });
  assert.throws(() => groups.apply(x), (e: Error) => e instanceof ShapeError && /input channels \(3\) must be divisible by groups \(2\)/.test(e.message));
  assert.throws(() => L.conv2d({ filters: 3, kernelSize: 1, groups: 2 }), ShapeError);
  assert.throws(() => L.conv2d({ filters: 0, kernelSize: 3 }), (e: Error) => e instanceof ValueError && /filters must be a positive integer, found 0/.test(e.message));
  assert.throws(() => L.conv2d({ filters: 2, kernelSize: [3, 3, 3] }), (e: Error) => e instanceof ValueError && /kernel_size must be a positive integer or 2 of them, found \[3,3,3\]/.test(e.message));
  assert.throws(() => L.conv2d({ filters: 2, kernelSize: 3, padding: 'causal' }), (e: Error) => e instanceof ValueError && /padding must be 'same' or 'valid', found "causal"/.test(e.message));
  assert.throws(() => L.conv2d({ filters: 2, kernelSize: 3, strides: -1 }), (e: Error) => e instanceof ValueError && /strides/.test(e.message));
  assert.throws(() => L.maxPooling2d({ poolSize: 0 }), (e: Error) => e instanceof ValueError && /pool_size/.test(e.message));
  assert.throws(() => L.maxPooling2d({ dataFormat: 'nhwc' as never }), (e: Error) => e instanceof ValueError && /data_format/.test(e.message));
  const pool = L.maxPooling2d({ poolSize: 5 });
  assert.throws(() => pool.apply(x), (e: Error) => e instanceof ShapeError && name(pool, /padding 'valid'/).test(e.message));
  assert.throws(() => L.conv2dTranspose({ filters: 2, kernelSize: 3, outputPadding: [1, 1] as never }), NotImplementedError);
  assert.throws(() => L.conv2d({ filters: 2, kernelSize: 3, kernelConstraint: 'max_norm' as never }), NotImplementedError);
  assert.throws(() => L.conv2d({ filters: 2, kernelSize: 3, kernelSise: 3 } as never), ValueError);
  // The ops check their arguments too.
  assert.throws(() => kiln.conv2d(x, kiln.zeros([3, 3, 2, 4])), (e: Error) => e instanceof ShapeError && /expects 2 input channels/.test(e.message));
  assert.throws(() => kiln.conv2d(x, kiln.zeros([3, 3, 3, 4]), { padding: 'full' as never }), ValueError);
  assert.throws(() => kiln.maxPool2d(kiln.zeros([4, 4, 3]), 2), (e: Error) => e instanceof ShapeError && /rank 4/.test(e.message));
});

test('kernel and bias have Keras shapes and names', () => {
  const cases: [Layer, number[], [string, number[]][]][] = [
    [L.conv2d({ filters: 6, kernelSize: [3, 2], groups: 2, name: 'c' }), [1, 5, 5, 4], [['c/kernel', [3, 2, 2, 6]], ['c/bias', [6]]]],
    [L.conv1d({ filters: 6, kernelSize: 3, name: 'c1' }), [1, 5, 4], [['c1/kernel', [3, 4, 6]], ['c1/bias', [6]]]],
    [L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, name: 'd' }), [1, 5, 5, 4], [['d/depthwise_kernel', [3, 3, 4, 2]], ['d/bias', [8]]]],
    [L.separableConv2d({ filters: 7, kernelSize: 3, name: 's' }), [1, 5, 5, 4], [['s/depthwise_kernel', [3, 3, 4, 1]], ['s/pointwise_kernel', [1, 1, 4, 7]], ['s/bias', [7]]]],
    [L.conv2dTranspose({ filters: 7, kernelSize: 3, name: 't' }), [1, 5, 5, 4], [['t/kernel', [3, 3, 7, 4]], ['t/bias', [7]]]],
  ];
  for (const [layer, shape, expected] of cases) {
    layer.apply(randomInput(shape, 2).x);
    assert.deepEqual(layer.weights.map((w) => [w.name, [...w.shape]]), expected);
  }
});
