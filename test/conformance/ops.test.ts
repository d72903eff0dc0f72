import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import * as P from '../../src/core/primitives.js';

// Every op on every backend, against the reference backend (the executable spec), forward and
// gradient, on random inputs: 1e-5 relative (plus a small absolute floor for sums of many terms).

interface Spec {
  shape: number[];
  dtype?: 'float32' | 'int32';
  /** 'normal' (default), 'positive' (for log/sqrt), 'int' (labels/indices below `max`). */
  kind?: 'normal' | 'positive' | 'int';
  max?: number;
}
interface Case {
  name: string;
  inputs: Spec[];
  fn: (...xs: Tensor[]) => Tensor;
  /** Whether to compare gradients too (float inputs only). */
  grad?: boolean;
}

const u = (shape: number[]): Spec => ({ shape });
const pos = (shape: number[]): Spec => ({ shape, kind: 'positive' });
const idx = (shape: number[], max: number): Spec => ({ shape, dtype: 'int32', kind: 'int', max });

const SHAPES: number[][] = [[1], [7], [3, 5], [2, 3, 17], [33, 64]];
const cases: Case[] = [];
const unaryOps = ['neg', 'abs', 'sign', 'exp', 'expm1', 'square', 'tanh', 'sigmoid', 'erf', 'relu', 'step', 'floor', 'ceil', 'round', 'sin', 'cos', 'isnan', 'isfinite', 'logicalNot'] as const;
for (const op of unaryOps) for (const s of SHAPES) cases.push({ name: `${op} ${JSON.stringify(s)}`, inputs: [u(s)], fn: (x) => P.unary(op, x!), grad: !['sign', 'step', 'floor', 'ceil', 'round', 'isnan', 'isfinite', 'logicalNot', 'abs', 'relu'].includes(op) });
for (const op of ['log', 'log1p', 'sqrt', 'rsqrt', 'reciprocal'] as const) for (const s of SHAPES) cases.push({ name: `${op} ${JSON.stringify(s)}`, inputs: [pos(s)], fn: (x) => P.unary(op, x!), grad: true });
cases.push({ name: 'unary on int32', inputs: [idx([5, 3], 9)], fn: (x) => P.unary('neg', x!) });

const binaryOps = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual', 'mod'] as const;
const PAIRS: [number[], number[]][] = [
  [[4, 5], [4, 5]], [[4, 5], [1]], [[1], [4, 5]], [[6, 5], [5]], [[5], [6, 5]], [[6, 5], [6, 1]], [[6, 1], [6, 5]],
  [[2, 3, 4], [3, 4]], [[2, 3, 4], [2, 3, 1]], [[2, 1, 4], [1, 3, 1]], [[33], [33]], [[3, 17], [17]],
];
for (const op of binaryOps) {
  for (const [a, b] of PAIRS) {
    const cmp = op.startsWith('equal') || op.startsWith('not') || op.startsWith('greater') || op.startsWith('less');
    cases.push({ name: `${op} ${JSON.stringify(a)} ${JSON.stringify(b)}`, inputs: op === 'div' || op === 'mod' ? [u(a), pos(b)] : [u(a), u(b)], fn: (x, y) => P.binary(op, x!, y!), grad: !cmp && op !== 'maximum' && op !== 'minimum' && op !== 'mod' });
  }
}
cases.push({ name: 'pow', inputs: [pos([3, 4]), u([4])], fn: (x, y) => P.binary('pow', x!, y!), grad: true });
cases.push({ name: 'add int32', inputs: [idx([3, 4], 10), idx([4], 10)], fn: (x, y) => P.binary('add', x!, y!) });
cases.push({ name: 'select same shape', inputs: [idx([4, 5], 2), u([4, 5]), u([4, 5])], fn: (c, a, b) => P.select(P.cast(c!, 'float32'), a!, b!) });
cases.push({ name: 'select broadcast', inputs: [idx([4, 1], 2), u([4, 5]), u([5])], fn: (c, a, b) => P.select(P.cast(c!, 'float32'), a!, b!) });

for (const op of ['sum', 'max', 'min', 'prod'] as const) {
  for (const [shape, axes] of [[[6, 7], [1]], [[6, 7], [0]], [[6, 7], [0, 1]], [[2, 3, 4], [1]], [[2, 3, 4], [0, 2]], [[2, 3, 4], [1, 2]], [[33, 9], [0]]] as [number[], number[]][]) {
    cases.push({ name: `${op} ${JSON.stringify(shape)} axes ${axes}`, inputs: [op === 'prod' ? pos(shape) : u(shape)], fn: (x) => P.reduce(op, x!, axes), grad: op === 'sum' || op === 'prod' });
  }
}
cases.push({ name: 'argMax axis -1', inputs: [u([5, 9])], fn: (x) => P.argMax(x!, -1) });
cases.push({ name: 'argMax axis 0', inputs: [u([5, 9])], fn: (x) => P.argMax(x!, 0) });

for (const [m, k, n] of [[1, 1, 1], [3, 5, 7], [32, 784, 64], [17, 33, 9], [64, 10, 32]]) {
  for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
    cases.push({
      name: `matmul ${m}x${k}x${n} ${ta ? 'Aᵀ' : 'A'}${tb ? 'Bᵀ' : 'B'}`,
      inputs: [u(ta ? [k, m] : [m, k]), u(tb ? [n, k] : [k, n])],
      fn: (a, b) => P.matmul(a!, b!, ta, tb),
      grad: m * k * n < 5000,
    });
  }
}
cases.push({ name: 'batched matmul', inputs: [u([3, 4, 5]), u([3, 5, 2])], fn: (a, b) => P.matmul(a!, b!), grad: true });
cases.push({ name: 'batched × shared matmul', inputs: [u([3, 4, 5]), u([5, 2])], fn: (a, b) => P.matmul(a!, b!), grad: true });
cases.push({ name: 'transpose last two', inputs: [u([2, 5, 7])], fn: (x) => P.transpose(x!, [0, 2, 1]), grad: true });
cases.push({ name: 'transpose general', inputs: [u([2, 3, 4])], fn: (x) => P.transpose(x!, [2, 0, 1]), grad: true });
cases.push({ name: 'slice rows', inputs: [u([6, 4])], fn: (x) => P.slice(x!, [2, 0], [3, 4]), grad: true });
cases.push({ name: 'slice inner', inputs: [u([6, 4])], fn: (x) => P.slice(x!, [1, 1], [3, 2]), grad: true });
cases.push({ name: 'pad', inputs: [u([2, 3])], fn: (x) => P.pad(x!, [[1, 2], [0, 1]], 0), grad: true });
cases.push({ name: 'concat', inputs: [u([2, 3]), u([2, 2])], fn: (a, b) => P.concat([a!, b!], 1), grad: true });
cases.push({ name: 'gather rows', inputs: [u([5, 3]), idx([7], 5)], fn: (x, i) => P.gather(x!, i!, 0) });
cases.push({ name: 'gather axis 1', inputs: [u([2, 5, 3]), idx([4], 5)], fn: (x, i) => P.gather(x!, i!, 1) });
cases.push({ name: 'broadcastTo', inputs: [u([3, 1])], fn: (x) => P.broadcastTo(x!, [2, 3, 4]), grad: true });
cases.push({ name: 'oneHot', inputs: [idx([6], 4)], fn: (i) => P.oneHot(i!, 4) });
// Indices up to 11 with depth 10: out-of-range rows are all offValue.
cases.push({ name: 'oneHot on/off values, out-of-range rows', inputs: [idx([33], 12)], fn: (i) => P.oneHot(i!, 10, 0.9, 0.01) });
cases.push({ name: 'oneHot 2-D indices', inputs: [idx([4, 3], 7)], fn: (i) => P.oneHot(i!, 7) });
cases.push({ name: 'gather rows of a vector, 2-D indices', inputs: [u([9]), idx([3, 4], 9)], fn: (x, i) => P.gather(x!, i!, 0) });
cases.push({ name: 'gather int32 rows', inputs: [idx([6, 5], 100), idx([11], 6)], fn: (x, i) => P.gather(x!, i!, 0) });
cases.push({ name: 'gather rows, gradient (scatterAdd back)', inputs: [u([6, 33]), idx([10], 6)], fn: (x, i) => P.gather(x!, i!, 0), grad: true });
cases.push({ name: 'cast float→int', inputs: [u([9])], fn: (x) => P.cast(P.binary('mul', x!, kiln.scalar(5)), 'int32') });
for (const s of [[1, 1], [4, 10], [3, 2, 7], [2, 1000]]) {
  cases.push({ name: `softmax ${JSON.stringify(s)}`, inputs: [u(s)], fn: (x) => P.softmax(x!), grad: true });
  cases.push({ name: `logSoftmax ${JSON.stringify(s)}`, inputs: [u(s)], fn: (x) => P.logSoftmax(x!), grad: true });
}
for (const act of ['linear', 'relu', 'sigmoid', 'tanh'] as const) {
  cases.push({ name: `dense ${act}`, inputs: [u([33, 17]), u([17, 9]), u([9])], fn: (x, w, b) => P.dense(x!, w!, b!, act), grad: act !== 'relu' });
  // k = 784 (the seed model): float32 accumulation order differs from the float64 reference, so
  // squashing activations are compared at a small k where 1e-5 is meaningful.
  const k = act === 'linear' || act === 'relu' ? 784 : 24;
  cases.push({ name: `dense ${act} no bias k=${k}`, inputs: [u([4, k]), u([k, 64])], fn: (x, w) => P.dense(x!, w!, null, act), grad: false });
}
cases.push({ name: 'sparse softmax crossentropy', inputs: [u([9, 10]), idx([9], 10)], fn: (l, y) => P.sparseSoftmaxCrossEntropy(l!, y!), grad: true });
// Large class counts (ragged row ends too), and saturated logits: ×30 makes confident rows whose
// losses are tiny (the sum of exponentials is 1 + 1e-7), ×1e4 makes e^(x − max) underflow to 0 or ties.
for (const [rows, classes] of [[5, 3], [4, 1000], [3, 4099]]) {
  cases.push({ name: `sparse softmax crossentropy [${rows}, ${classes}]`, inputs: [u([rows, classes]), idx([rows], classes)], fn: (l, y) => P.sparseSoftmaxCrossEntropy(l!, y!), grad: true });
}
for (const gain of [30, 1e4]) {
  cases.push({
    name: `sparse softmax crossentropy saturated ×${gain}`,
    inputs: [u([16, 7]), idx([16], 7)],
    fn: (l, y) => P.sparseSoftmaxCrossEntropy(P.binary('mul', l!, kiln.scalar(gain)), y!),
    grad: true,
  });
}
cases.push({ name: 'softmax saturated', inputs: [u([3, 4])], fn: (x) => P.softmax(P.binary('mul', x!, kiln.scalar(1e4))) });

function makeValues(spec: Spec, seed: number): Float32Array | Int32Array {
  kiln.setSeed(seed);
  const n = spec.shape.reduce((a, b) => a * b, 1);
  if (spec.kind === 'int') return kiln.randomInt([n], 0, spec.max ?? 2).dataSync() as Int32Array;
  const v = kiln.randomNormal([n]).dataSync() as Float32Array;
  if (spec.kind === 'positive') for (let i = 0; i < n; i++) v[i] = Math.abs(v[i]!) + 0.5;
  return v;
}

function run(backendName: string, c: Case, values: (Float32Array | Int32Array)[]) {
  kiln.setBackend(backendName);
  const xs = c.inputs.map((s, i) => kiln.tensor(values[i]!, s.shape, s.dtype ?? 'float32'));
  const out = c.fn(...xs);
  const result = { out: Array.from(out.dataSync()), shape: out.shape, dtype: out.dtype, grads: [] as number[][] };
  if (c.grad) {
    const floats = xs.filter((_, i) => (c.inputs[i]!.dtype ?? 'float32') === 'float32');
    const w = kiln.tensor(Float32Array.from({ length: out.size }, (_, i) => 0.5 + ((i * 7919) % 13) / 13), out.shape);
    const { grads } = kiln.valueAndGrads(() => kiln.sum(kiln.mul(c.fn(...xs), w)), floats);
    result.grads = grads.map((g) => Array.from(g.dataSync()));
  }
  return result;
}

function close(a: number[], b: number[], what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  const scale = Math.max(1e-30, ...b.map(Math.abs));
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(b[i]!)) {
      assert.ok(Number.isNaN(a[i]!), `${what}[${i}]: ${a[i]} vs NaN`);
      continue;
    }
    if (!Number.isFinite(b[i]!)) {
      assert.equal(a[i], b[i], `${what}[${i}]`);
      continue;
    }
    const tol = 1e-5 * Math.abs(b[i]!) + 1e-6 * scale;
    assert.ok(Math.abs(a[i]! - b[i]!) <= tol, `${what}[${i}]: ${a[i]} vs reference ${b[i]}`);
  }
}

for (const name of kiln.listBackends().filter((b) => b !== 'reference')) {
  test(`${name} backend matches the reference on every op (forward and gradient)`, () => {
    const before = kiln.getBackend();
    try {
      cases.forEach((c, ci) => {
        const values = c.inputs.map((s, i) => makeValues(s, 1000 + ci * 10 + i));
        const ref = run('reference', c, values);
        const got = run(name, c, values);
        assert.deepEqual(got.shape, ref.shape, `${c.name}: shape`);
        assert.equal(got.dtype, ref.dtype, `${c.name}: dtype`);
        close(got.out, ref.out, `${c.name} forward`);
        ref.grads.forEach((g, i) => close(got.grads[i]!, g, `${c.name} gradient ${i}`));
      });
    } finally {
      kiln.setBackend(before);
    }
  });
}
