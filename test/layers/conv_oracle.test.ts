/**
 * Oracle: kiln's convolution and pooling layers against TensorFlow.js's (`tf.layers.*`, CPU backend)
 * with the same weights: the same forward output and the same gradients with respect to the input
 * and to every weight, to 1e-5 (relative, with an absolute floor of 1e-5 of the largest magnitude).
 * Grouped convolution, which tfjs layers lack, is checked against tfjs ops: one tf.conv2d per group.
 * Dilation, whose gradients tfjs does not implement, is checked against tf.conv2d with the kernel
 * spread out with zeros (the same convolution without dilation); its kernel gradient is that
 * kernel's gradient at the taps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as TF from '@tensorflow/tfjs';
import * as kiln from '../../src/index.js';
import type { Layer } from '../../src/layers/index.js';
import { randomInput, tfjs, toTf } from './helpers.js';

function close(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]!));
  for (let i = 0; i < want.length; i++) {
    const tol = 1e-5 * Math.abs(want[i]!) + 1e-5 * scale;
    assert.ok(Math.abs(got[i]! - want[i]!) <= tol, `${what}[${i}]: kiln ${got[i]} vs tfjs ${want[i]}`);
  }
}

/** Output, input gradient and weight gradients of sum(layer(x) · probe), in kiln. */
function kilnRun(layer: Layer, x: kiln.Tensor, probe: kiln.Tensor) {
  const y = layer.apply(x);
  const weights = layer.trainableWeights;
  const { grads } = kiln.valueAndGrads(() => kiln.sum(kiln.mul(layer.apply(x), probe)), [x, ...weights]);
  return { y: y.dataSync(), shape: y.shape, grads: grads.map((g) => g.dataSync()) };
}

/** The same in tfjs, after copying kiln's weights into the tfjs layer. */
function tfRun(tf: typeof TF, layer: TF.layers.Layer, x: kiln.Tensor, probe: kiln.Tensor, weights: kiln.Tensor[]) {
  const tx = toTf(x);
  const tp = toTf(probe);
  layer.apply(tx); // build
  layer.setWeights(weights.map(toTf));
  const y = layer.apply(tx) as TF.Tensor;
  const loss = (input: TF.Tensor) => tf.sum(tf.mul(layer.apply(input) as TF.Tensor, tp)) as TF.Scalar;
  const dx = tf.grad(loss)(tx);
  const vars = layer.trainableWeights.map((w) => (w as unknown as { val: TF.Variable }).val);
  const grads = vars.length ? tf.variableGrads(() => loss(tx), vars).grads : {};
  return { y: y.dataSync(), shape: y.shape, grads: [dx.dataSync(), ...vars.map((v) => grads[v.name]!.dataSync())] };
}

interface Case {
  label: string;
  shape: number[];
  kiln: () => Layer;
  tfjs: (tf: typeof TF) => TF.layers.Layer;
  /**
   * tfjs's AvgPoolGrad (CPU) divides every window by its full size, while its forward pass (and
   * TensorFlow's gradient) divides by the count of real inputs: at the edges of a 'same' pooling the
   * tfjs gradient is not the gradient of its own output. There only the forward pass is compared;
   * the numeric gradient check (conv_gradients.test.ts) covers kiln's gradient.
   */
  forwardOnly?: boolean;
}

const L = kiln.layers;
const cases: Case[] = [
  { label: 'Conv2D 3x3 same relu', shape: [2, 7, 8, 3], kiln: () => L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }), tfjs: (tf) => tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }) },
  { label: 'Conv2D 5x3 valid strides 2', shape: [2, 11, 9, 2], kiln: () => L.conv2d({ filters: 3, kernelSize: [5, 3], strides: 2 }), tfjs: (tf) => tf.layers.conv2d({ filters: 3, kernelSize: [5, 3], strides: 2 }) },
  { label: 'Conv2D same strides 2 odd input', shape: [1, 9, 7, 3], kiln: () => L.conv2d({ filters: 2, kernelSize: 4, strides: 2, padding: 'same' }), tfjs: (tf) => tf.layers.conv2d({ filters: 2, kernelSize: 4, strides: 2, padding: 'same' }) },
  { label: 'Conv2D no bias tanh', shape: [2, 6, 6, 2], kiln: () => L.conv2d({ filters: 3, kernelSize: 2, useBias: false, activation: 'tanh' }), tfjs: (tf) => tf.layers.conv2d({ filters: 3, kernelSize: 2, useBias: false, activation: 'tanh' }) },
  { label: 'Conv1D valid', shape: [2, 11, 3], kiln: () => L.conv1d({ filters: 4, kernelSize: 3 }), tfjs: (tf) => tf.layers.conv1d({ filters: 4, kernelSize: 3 }) },
  { label: 'Conv1D same strides 2', shape: [2, 10, 2], kiln: () => L.conv1d({ filters: 3, kernelSize: 4, strides: 2, padding: 'same' }), tfjs: (tf) => tf.layers.conv1d({ filters: 3, kernelSize: 4, strides: 2, padding: 'same' }) },
  { label: 'DepthwiseConv2D multiplier 2 same', shape: [2, 7, 6, 3], kiln: () => L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }), tfjs: (tf) => tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }) },
  { label: 'DepthwiseConv2D strides 2 valid', shape: [2, 9, 8, 4], kiln: () => L.depthwiseConv2d({ kernelSize: 3, strides: 2 }), tfjs: (tf) => tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2 }) },
  { label: 'SeparableConv2D', shape: [2, 8, 7, 3], kiln: () => L.separableConv2d({ filters: 5, kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'relu' }), tfjs: (tf) => tf.layers.separableConv2d({ filters: 5, kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'relu' }) },
  { label: 'Conv2DTranspose 3x3 strides 2 same', shape: [2, 4, 5, 3], kiln: () => L.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }), tfjs: (tf) => tf.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }) },
  { label: 'Conv2DTranspose 4x3 strides 2 valid', shape: [2, 3, 4, 2], kiln: () => L.conv2dTranspose({ filters: 3, kernelSize: [4, 3], strides: 2 }), tfjs: (tf) => tf.layers.conv2dTranspose({ filters: 3, kernelSize: [4, 3], strides: 2 }) },
  { label: 'MaxPooling2D 2', shape: [2, 8, 9, 3], kiln: () => L.maxPooling2d({ poolSize: 2 }), tfjs: (tf) => tf.layers.maxPooling2d({ poolSize: 2 }) },
  { label: 'MaxPooling2D 3 strides 2 same', shape: [2, 9, 8, 5], kiln: () => L.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }), tfjs: (tf) => tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }) },
  { label: 'AveragePooling2D 2', shape: [2, 8, 9, 3], kiln: () => L.averagePooling2d({ poolSize: 2 }), tfjs: (tf) => tf.layers.averagePooling2d({ poolSize: 2 }) },
  { label: 'AveragePooling2D 3 strides 2 same', shape: [2, 9, 8, 5], kiln: () => L.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }), tfjs: (tf) => tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }), forwardOnly: true },
  { label: 'MaxPooling1D 3 strides 2', shape: [2, 11, 3], kiln: () => L.maxPooling1d({ poolSize: 3, strides: 2 }), tfjs: (tf) => tf.layers.maxPooling1d({ poolSize: 3, strides: 2 }) },
  { label: 'AveragePooling1D 2 same', shape: [2, 9, 3], kiln: () => L.averagePooling1d({ poolSize: 2, padding: 'same' }), tfjs: (tf) => tf.layers.averagePooling1d({ poolSize: 2, padding: 'same' }), forwardOnly: true },
  { label: 'GlobalAveragePooling2D', shape: [2, 5, 6, 3], kiln: () => L.globalAveragePooling2d(), tfjs: (tf) => tf.layers.globalAveragePooling2d({}) },
  { label: 'GlobalMaxPooling2D', shape: [2, 5, 6, 3], kiln: () => L.globalMaxPooling2d(), tfjs: (tf) => tf.layers.globalMaxPooling2d({}) },
  { label: 'GlobalAveragePooling1D', shape: [2, 7, 3], kiln: () => L.globalAveragePooling1d(), tfjs: (tf) => tf.layers.globalAveragePooling1d({}) },
  { label: 'GlobalMaxPooling1D', shape: [2, 7, 3], kiln: () => L.globalMaxPooling1d(), tfjs: (tf) => tf.layers.globalMaxPooling1d({}) },
];

test('conv and pooling layers match tf.layers: forward output, input and weight gradients (1e-5)', async () => {
  const tf = await tfjs();
  cases.forEach((c, ci) => {
    const { x } = randomInput(c.shape, 100 + ci);
    const layer = c.kiln();
    layer.apply(x);
    kiln.setSeed(200 + ci);
    const probe = kiln.randomUniform(layer.apply(x).shape, 0.5, 1.5);
    const got = kilnRun(layer, x, probe);
    const want = tf.tidy(() => tfRun(tf, c.tfjs(tf), x, probe, layer.getWeights()));
    assert.deepEqual(got.shape, want.shape, `${c.label}: output shape`);
    close(got.y, want.y, `${c.label} output`);
    if (c.forwardOnly) return;
    assert.equal(got.grads.length, want.grads.length, `${c.label}: gradient count`);
    got.grads.forEach((g, i) => close(g, want.grads[i]!, `${c.label} gradient ${i === 0 ? 'input' : layer.trainableWeights[i - 1]!.name}`));
  });
});

test('grouped Conv2D matches one tf.conv2d per group (forward and gradients)', async () => {
  const tf = await tfjs();
  for (const [groups, strides, padding] of [[2, 1, 'same'], [3, 2, 'valid']] as const) {
    const { x } = randomInput([2, 7, 8, 6], 31 + groups);
    const layer = L.conv2d({ filters: 6, kernelSize: 3, groups, strides, padding });
    layer.apply(x);
    const probe = kiln.randomUniform(layer.apply(x).shape, 0.5, 1.5);
    const got = kilnRun(layer, x, probe);
    const [k, b] = layer.getWeights().map(toTf) as [TF.Tensor4D, TF.Tensor1D];
    const forward = (input: TF.Tensor4D, kernel: TF.Tensor4D, bias: TF.Tensor1D) => {
      const xs = tf.split(input, groups, 3);
      const ks = tf.split(kernel, groups, 3);
      return tf.add(tf.concat(xs.map((xi, g) => tf.conv2d(xi as TF.Tensor4D, ks[g] as TF.Tensor4D, strides, padding)), 3), bias);
    };
    const tx = toTf(x) as TF.Tensor4D;
    const tp = toTf(probe);
    const y = forward(tx, k, b);
    const grads = tf.grads((a, kk, bb) => tf.sum(tf.mul(forward(a as TF.Tensor4D, kk as TF.Tensor4D, bb as TF.Tensor1D), tp)))([tx, k, b]);
    close(got.y, y.dataSync(), `groups ${groups} output`);
    got.grads.forEach((g, i) => close(g, grads[i]!.dataSync(), `groups ${groups} gradient ${i}`));
  }
});

/** A kernel [kh, kw, c, o] spread to its dilated size with zeros between the taps. */
function dilateKernel(tf: typeof TF, k: TF.Tensor4D, [dh, dw]: [number, number]): TF.Tensor4D {
  const [kh, kw, c, o] = k.shape;
  const rows = tf.unstack(k, 0).flatMap((r, i) => (i < kh - 1 ? [r, ...Array.from({ length: dh - 1 }, () => tf.zerosLike(r))] : [r]));
  const tall = tf.stack(rows, 0) as TF.Tensor4D;
  const cols = tf.unstack(tall, 1).flatMap((col, j) => (j < kw - 1 ? [col, ...Array.from({ length: dw - 1 }, () => tf.zerosLike(col))] : [col]));
  return tf.stack(cols, 1).reshape([(kh - 1) * dh + 1, (kw - 1) * dw + 1, c, o]) as TF.Tensor4D;
}

test('dilated Conv2D and causal dilated Conv1D match tf.conv2d with a zero-spread kernel (forward and gradients)', async () => {
  const tf = await tfjs();
  const cases: [string, number[], Layer, [number, number], 'same' | 'valid', number][] = [
    ['Conv2D dilation 2 same', [2, 9, 9, 2], L.conv2d({ filters: 3, kernelSize: 3, dilationRate: 2, padding: 'same' }), [2, 2], 'same', 0],
    ['Conv2D dilation [2, 3] valid', [2, 9, 11, 2], L.conv2d({ filters: 2, kernelSize: [2, 3], dilationRate: [2, 3] }), [2, 3], 'valid', 0],
    ['Conv1D causal dilation 2', [2, 9, 2], L.conv1d({ filters: 3, kernelSize: 3, padding: 'causal', dilationRate: 2 }), [1, 2], 'valid', 4],
  ];
  for (const [label, shape, layer, rate, padding, causal] of cases) {
    const { x } = randomInput(shape, 7);
    layer.apply(x);
    const probe = kiln.randomUniform(layer.apply(x).shape, 0.5, 1.5);
    const got = kilnRun(layer, x, probe);
    const [k, b] = layer.getWeights().map(toTf);
    const oneD = shape.length === 3;
    const k4 = (oneD ? k!.expandDims(0) : k!) as TF.Tensor4D;
    const forward = (input: TF.Tensor, kd: TF.Tensor4D, bias: TF.Tensor) => {
      let x4 = (oneD ? input.expandDims(1) : input) as TF.Tensor4D;
      if (causal) x4 = tf.pad(x4, [[0, 0], [0, 0], [causal, 0], [0, 0]]);
      const y = tf.add(tf.conv2d(x4, kd, 1, padding), bias);
      return oneD ? y.squeeze([1]) : y;
    };
    const kd = dilateKernel(tf, k4, rate);
    const tx = toTf(x);
    const tp = toTf(probe);
    const y = forward(tx, kd, b!);
    const [dx, dkd, db] = tf.grads((a, kk, bb) => tf.sum(tf.mul(forward(a!, kk as TF.Tensor4D, bb!), tp)))([tx, kd, b!]);
    // The kernel gradient is the spread kernel's gradient at the taps.
    const [kh, kw] = k4.shape;
    const taps = tf.stack(Array.from({ length: kh }, (_, i) => tf.stack(Array.from({ length: kw }, (_, j) => dkd!.slice([i * rate[0], j * rate[1], 0, 0], [1, 1, -1, -1]).squeeze([0, 1])), 0)), 0);
    close(got.y, y.dataSync(), `${label} output`);
    close(got.grads[0]!, dx!.dataSync(), `${label} input gradient`);
    close(got.grads[1]!, taps.dataSync(), `${label} kernel gradient`);
    close(got.grads[2]!, db!.dataSync(), `${label} bias gradient`);
  }
});
