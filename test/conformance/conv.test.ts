import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import type { Conv2DArgs, Pool2DArgs } from '../../src/ops/conv.js';

// The convolution and pooling primitives on every backend against the reference backend (the
// executable spec), forward and gradient (conv2d's gradients are its two backprop primitives,
// conv2dTranspose's forward pass is conv2dBackpropInput and its gradients conv2d and the filter
// backprop), on random inputs: odd sizes, strides 2, dilation 2, groups 2, 'same' and 'valid'.

interface Case {
  name: string;
  shapes: number[][];
  fn: (...xs: Tensor[]) => Tensor;
}

const cases: Case[] = [];
const convs: [string, number[], number[], Conv2DArgs][] = [
  ['3x3 valid', [2, 7, 9, 3], [3, 3, 3, 5], { padding: 'valid' }],
  ['3x3 same', [2, 7, 9, 3], [3, 3, 3, 5], { padding: 'same' }],
  ['5x5 same stride 2', [3, 11, 9, 2], [5, 5, 2, 4], { padding: 'same', strides: 2 }],
  ['3x2 valid stride [2, 3]', [2, 9, 10, 3], [3, 2, 3, 4], { padding: 'valid', strides: [2, 3] }],
  ['3x3 same dilation 2', [2, 9, 11, 3], [3, 3, 3, 4], { padding: 'same', dilations: 2 }],
  ['3x3 valid dilation [2, 1]', [1, 9, 8, 2], [3, 3, 2, 3], { padding: 'valid', dilations: [2, 1] }],
  ['groups 2 same', [2, 7, 7, 4], [3, 3, 2, 6], { padding: 'same', groups: 2 }],
  ['groups 2 valid stride 2', [2, 9, 7, 6], [3, 3, 3, 4], { padding: 'valid', groups: 2, strides: 2 }],
  ['depthwise (groups = channels) same', [2, 8, 7, 5], [3, 3, 1, 10], { padding: 'same', groups: 5 }],
  ['1x1 pointwise', [2, 5, 6, 7], [1, 1, 7, 9], {}],
  ['kernel = input valid', [3, 4, 5, 2], [4, 5, 2, 3], { padding: 'valid' }],
  ['LeNet conv1 (batch 16)', [16, 28, 28, 1], [5, 5, 1, 6], {}],
  ['many channels (threaded product)', [8, 12, 12, 32], [3, 3, 32, 64], { padding: 'same' }],
];
for (const [name, xs, fs, args] of convs) {
  cases.push({ name: `conv2d ${name}`, shapes: [xs, fs], fn: (x, f) => kiln.conv2d(x!, f!, args) });
}
const transposes: [string, number[], number[], number[], Conv2DArgs][] = [
  ['3x3 same stride 2', [2, 4, 5, 3], [3, 3, 2, 3], [2, 8, 10, 2], { padding: 'same', strides: 2 }],
  ['4x4 valid stride 2', [2, 3, 4, 3], [4, 4, 5, 3], [2, 8, 10, 5], { padding: 'valid', strides: 2 }],
  ['3x3 valid stride 1', [1, 5, 5, 2], [3, 3, 3, 2], [1, 7, 7, 3], { padding: 'valid' }],
];
for (const [name, xs, fs, out, args] of transposes) {
  cases.push({ name: `conv2dTranspose ${name}`, shapes: [xs, fs], fn: (x, f) => kiln.conv2dTranspose(x!, f!, out, args) });
}
const pools: [string, number[], number | [number, number], Pool2DArgs][] = [
  ['2 valid', [2, 8, 8, 3], 2, {}],
  ['2 valid odd input', [2, 9, 7, 5], 2, {}],
  ['3 stride 2 same', [2, 9, 10, 6], 3, { strides: 2, padding: 'same' }],
  ['3 stride 1 same', [1, 6, 7, 4], 3, { strides: 1, padding: 'same' }],
  ['[2, 3] stride [1, 2] valid', [2, 7, 9, 9], [2, 3], { strides: [1, 2] }],
  ['2 same odd', [3, 5, 5, 2], 2, { padding: 'same' }],
];
for (const [name, xs, size, args] of pools) {
  cases.push({ name: `maxPool2d ${name}`, shapes: [xs], fn: (x) => kiln.maxPool2d(x!, size, args) });
  cases.push({ name: `avgPool2d ${name}`, shapes: [xs], fn: (x) => kiln.avgPool2d(x!, size, args) });
}

function run(backendName: string, c: Case, values: Float32Array[]) {
  kiln.setBackend(backendName);
  const xs = c.shapes.map((s, i) => kiln.tensor(values[i]!, s));
  const out = c.fn(...xs);
  const w = kiln.tensor(Float32Array.from({ length: out.size }, (_, i) => 0.5 + ((i * 7919) % 13) / 13), out.shape);
  const { grads } = kiln.valueAndGrads(() => kiln.sum(kiln.mul(c.fn(...xs), w)), xs);
  return { out: Array.from(out.dataSync()), shape: out.shape, grads: grads.map((g) => Array.from(g.dataSync())) };
}

function close(a: number[], b: number[], what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  const scale = Math.max(1e-30, ...b.map(Math.abs));
  for (let i = 0; i < a.length; i++) {
    const tol = 1e-5 * Math.abs(b[i]!) + 1e-6 * scale;
    assert.ok(Math.abs(a[i]! - b[i]!) <= tol, `${what}[${i}]: ${a[i]} vs reference ${b[i]}`);
  }
}

for (const name of kiln.listBackends().filter((b) => b !== 'reference')) {
  test(`${name} backend matches the reference on conv2d, conv2dTranspose and pooling (forward and gradients)`, () => {
    const before = kiln.getBackend();
    try {
      cases.forEach((c, ci) => {
        const values = c.shapes.map((s, i) => {
          kiln.setSeed(5000 + ci * 10 + i);
          return kiln.randomNormal(s).dataSync() as Float32Array;
        });
        const ref = run('reference', c, values);
        const got = run(name, c, values);
        assert.deepEqual(got.shape, ref.shape, `${c.name}: shape`);
        close(got.out, ref.out, `${c.name} forward`);
        ref.grads.forEach((g, i) => close(got.grads[i]!, g, `${c.name} gradient ${i}`));
      });
    } finally {
      kiln.setBackend(before);
    }
  });
}
