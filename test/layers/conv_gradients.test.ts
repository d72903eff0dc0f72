import { test } from 'node:test';
import type { Tensor } from '../../src/index.js';
import * as kiln from '../../src/index.js';
import type { Layer } from '../../src/layers/index.js';
import { checkGradients } from '../helpers/gradcheck.js';
import { randomInput, withWeights } from './helpers.js';

// Numeric gradient checks of every convolution and pooling layer, with respect to the input and
// to each weight (the weights are swapped for plain tensors so they differentiate as inputs).

function check(label: string, layer: Layer, shape: number[], weightFields: string[]): void {
  const { x } = randomInput(shape, 17);
  layer.apply(x); // build
  const weights = weightFields.map((f) => (layer as unknown as Record<string, Tensor>)[f]!);
  const fn = (xi: Tensor, ...ws: Tensor[]) => withWeights(layer, Object.fromEntries(weightFields.map((f, i) => [f, ws[i]!])), () => layer.apply(xi));
  checkGradients(fn, [x, ...weights.map((w) => kiln.tensor(w.dataSync(), w.shape))], { label });
}

const L = kiln.layers;

test('Conv2D: input, kernel and bias gradients match finite differences (same/valid, strides 2, dilation 2, groups 2)', () => {
  check('conv2d same', L.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'tanh' }), [2, 5, 6, 2], ['kernel', 'bias']);
  check('conv2d valid stride 2', L.conv2d({ filters: 2, kernelSize: [3, 2], strides: 2 }), [2, 7, 6, 3], ['kernel', 'bias']);
  check('conv2d dilation 2', L.conv2d({ filters: 2, kernelSize: 2, dilationRate: 2, padding: 'same' }), [1, 5, 5, 2], ['kernel', 'bias']);
  check('conv2d groups 2', L.conv2d({ filters: 4, kernelSize: 3, groups: 2, padding: 'same' }), [1, 4, 5, 4], ['kernel', 'bias']);
  check('conv2d channels_first', L.conv2d({ filters: 2, kernelSize: 2, dataFormat: 'channels_first' }), [1, 3, 4, 4], ['kernel', 'bias']);
});

test('Conv1D: gradients match finite differences (valid, same, causal, strides 2)', () => {
  check('conv1d valid', L.conv1d({ filters: 3, kernelSize: 3 }), [2, 7, 2], ['kernel', 'bias']);
  check('conv1d causal dilation 2', L.conv1d({ filters: 2, kernelSize: 2, padding: 'causal', dilationRate: 2 }), [2, 6, 3], ['kernel', 'bias']);
  check('conv1d same stride 2', L.conv1d({ filters: 2, kernelSize: 3, padding: 'same', strides: 2 }), [1, 7, 2], ['kernel', 'bias']);
});

test('DepthwiseConv2D, SeparableConv2D and Conv2DTranspose: gradients match finite differences', () => {
  check('depthwise', L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }), [2, 4, 5, 3], ['kernel', 'bias']);
  check('depthwise stride 2 valid', L.depthwiseConv2d({ kernelSize: 2, strides: 2 }), [1, 5, 6, 2], ['kernel', 'bias']);
  check('separable', L.separableConv2d({ filters: 3, kernelSize: 3, depthMultiplier: 2, padding: 'same' }), [1, 4, 4, 2], ['depthwiseKernel', 'pointwiseKernel', 'bias']);
  check('transpose same stride 2', L.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }), [1, 3, 4, 3], ['kernel', 'bias']);
  check('transpose valid', L.conv2dTranspose({ filters: 3, kernelSize: [2, 3], strides: [2, 1] }), [2, 3, 3, 2], ['kernel', 'bias']);
});

test('pooling layers: input gradients match finite differences', () => {
  const cases: [string, Layer, number[]][] = [
    ['max 2d', L.maxPooling2d({ poolSize: 2 }), [2, 5, 6, 3]],
    ['max 2d same stride 1', L.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same' }), [1, 4, 5, 2]],
    ['avg 2d', L.averagePooling2d({ poolSize: 2 }), [2, 5, 6, 3]],
    ['avg 2d same stride 2', L.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }), [1, 5, 5, 2]],
    ['max 1d', L.maxPooling1d({ poolSize: 3, strides: 2 }), [2, 9, 2]],
    ['avg 1d same', L.averagePooling1d({ poolSize: 2, padding: 'same' }), [2, 7, 3]],
    ['global avg 2d', L.globalAveragePooling2d(), [2, 3, 4, 3]],
    ['global max 2d', L.globalMaxPooling2d(), [2, 3, 4, 3]],
    ['global avg 1d keepdims', L.globalAveragePooling1d({ keepdims: true }), [2, 5, 3]],
    ['global max 1d', L.globalMaxPooling1d(), [2, 5, 3]],
  ];
  for (const [label, layer, shape] of cases) check(label, layer, shape, []);
});
