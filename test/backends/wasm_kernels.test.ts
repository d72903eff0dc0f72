/**
 * The WebAssembly kernels (src/backends/wasm/kernels, through the ABI of abi.ts) against float64
 * references on random inputs of awkward sizes: the reference backend's scalar definitions for
 * unary/binary ops, and straightforward loops for the rest. GEMM is in wasm_gemm.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BINARY_CODES, BroadcastMode, REDUCE_CODES, UNARY_CODES } from '../../src/backends/wasm/abi.js';
import { BINARY, UNARY } from '../../src/backends/reference/elementwise.js';
import { assertClose, relaxedInChild, rng, SIZES, testBuilds, uniform } from './wasm_harness.js';

const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 0.5, -0.5, 1.5, 2.5, -2.5, 1e-30, -1e-30, 88.5, 89, -88, -104, -200, 3e38, -3e38, 1, -1];

/** A range where each unary op is interesting (plus SPECIALS for everything). */
function unaryInput(op: string, random: () => number, n: number): Float32Array {
  switch (op) {
    case 'log': case 'sqrt': case 'rsqrt': case 'log1p': return uniform(random, n, 1e-3, 100);
    case 'exp': return uniform(random, n, -105, 90);
    case 'expm1': return uniform(random, n, -2, 2);
    case 'tanh': return uniform(random, n, -1.5, 1.5);
    case 'sigmoid': return uniform(random, n, -100, 100);
    case 'erf': return uniform(random, n, -4, 4);
    case 'round': return uniform(random, n, -10, 10).map((x) => Math.round(x * 2) / 2);
    default: return uniform(random, n, -10, 10);
  }
}

for (const { name, k, heap } of testBuilds()) {
  test(`${name}: op counts match abi.ts`, () => {
    assert.equal(k.unaryOpCount(), UNARY_CODES.length);
    assert.equal(k.binaryOpCount(), BINARY_CODES.length);
    assert.equal(k.reduceOpCount(), REDUCE_CODES.length);
    assert.ok(k.heapBase() > 0 && k.heapBase() < 1 << 20, `heapBase ${k.heapBase()}`);
  });

  test(`${name}: unary, every op code, sizes ${SIZES.join(',')} and NaN/±Inf/±0`, (t) => {
    const random = rng(1);
    UNARY_CODES.forEach((op, code) => {
      let worst = 0;
      for (const n of [...SIZES, SPECIALS.length]) {
        heap.reset();
        const x = n === SPECIALS.length ? Float32Array.from(SPECIALS) : unaryInput(op, random, n);
        const px = heap.put(x);
        const out = heap.alloc(n);
        k.unary(code, px, out, n);
        const expected = x.map((v) => UNARY[op](v));
        worst = Math.max(worst, assertClose(heap.read(out, n), expected, 1e-5, 1e-37, `${op} n=${n}`));
        k.unary(code, px, px, n); // in place
        assertClose(heap.read(px, n), heap.read(out, n), 0, 0, `${op} in place`);
        heap.checkGuards(op);
      }
      if (['exp', 'tanh', 'sigmoid'].includes(op)) t.diagnostic(`${op}: worst relative error ${worst.toExponential(2)}`);
    });
  });

  test(`${name}: tanh and exp over their whole float32 range stay within 4 ulp`, () => {
    heap.reset();
    const n = 20001;
    const x = new Float32Array(n).map((_, i) => -100 + (200 * i) / (n - 1));
    const px = heap.put(x);
    const out = heap.alloc(n);
    for (const op of ['exp', 'tanh', 'sigmoid'] as const) {
      k.unary(UNARY_CODES.indexOf(op), px, out, n);
      assertClose(heap.read(out, n), x.map((v) => UNARY[op](v)), 4 * 2 ** -23, 1e-37, op);
    }
  });

  test(`${name}: binary, every op in every broadcast mode`, () => {
    const random = rng(2);
    const shapes = [[1, 1], [1, 5], [3, 1], [5, 3], [3, 4], [2, 17], [5, 33], [3, 64], [1, 257]] as const;
    BINARY_CODES.forEach((op, code) => {
      for (const [rows, inner] of shapes) {
        for (let mode = 0; mode <= 6; mode++) {
          heap.reset();
          const n = rows * inner;
          const lenA = mode === BroadcastMode.A_SCALAR ? 1 : mode === BroadcastMode.A_ROW ? inner : mode === BroadcastMode.A_COL ? rows : n;
          const lenB = mode === BroadcastMode.B_SCALAR ? 1 : mode === BroadcastMode.B_ROW ? inner : mode === BroadcastMode.B_COL ? rows : n;
          const draw = (len: number): Float32Array => {
            // Small integers make comparisons hit equality; pow gets a positive base.
            if (code >= BINARY_CODES.indexOf('equal')) return uniform(random, len, -3, 3).map(Math.round);
            const v = op === 'pow' ? uniform(random, len, 0.1, 3) : uniform(random, len, -10, 10);
            for (let i = 0; i < len; i++) if (random() < 0.08) v[i] = SPECIALS[Math.floor(random() * 4)]!;
            return v;
          };
          const a = draw(lenA);
          const b = draw(lenB);
          const pa = heap.put(a);
          const pb = heap.put(b);
          const out = heap.alloc(n);
          k.binary(code, pa, pb, out, n, mode, inner);
          const ai = (i: number): number => [i, i, 0, i, i % inner, i, Math.floor(i / inner)][mode]!;
          const bi = (i: number): number => [i, 0, i, i % inner, i, Math.floor(i / inner), i][mode]!;
          const expected = new Float64Array(n).map((_, i) => BINARY[op](a[ai(i)]!, b[bi(i)]!));
          assertClose(heap.read(out, n), expected, 1e-6, 1e-37, `${op} mode ${mode} ${rows}x${inner}`);
          heap.checkGuards(`${op} mode ${mode}`);
        }
      }
    });
  });

  test(`${name}: select`, () => {
    const random = rng(3);
    for (const n of SIZES) {
      heap.reset();
      const cond = new Float32Array(n).map(() => [0, -0, 1, -2, NaN, 0.5][Math.floor(random() * 6)]!);
      const a = uniform(random, n, -1, 1);
      const b = uniform(random, n, -1, 1);
      const out = heap.alloc(n);
      k.select(heap.put(cond), heap.put(a), heap.put(b), out, n);
      assertClose(heap.read(out, n), cond.map((c, i) => (c !== 0 ? a[i]! : b[i]!)), 0, 0, `select n=${n}`);
      heap.checkGuards('select');
    }
  });

  test(`${name}: reduce over the middle axis, NaN propagating for max/min`, () => {
    const random = rng(4);
    REDUCE_CODES.forEach((op, code) => {
      for (const outer of [1, 3]) {
        for (const mid of [0, 1, 3, 17, 100, 257]) {
          for (const inner of [1, 2, 3, 4, 5, 16, 17, 33]) {
            heap.reset();
            const len = outer * mid * inner;
            const x = op === 'prod' ? uniform(random, len, 0.7, 1.4) : uniform(random, len, -5, 5);
            if ((op === 'max' || op === 'min') && len > 0 && random() < 0.5) x[Math.floor(random() * len)] = NaN;
            const out = heap.alloc(outer * inner);
            k.reduce(code, heap.put(x), out, outer, mid, inner);
            const expected = new Float64Array(outer * inner);
            const scale = new Float64Array(outer * inner);
            for (let o = 0; o < outer; o++) {
              for (let i = 0; i < inner; i++) {
                let acc = { sum: 0, prod: 1, max: -Infinity, min: Infinity }[op];
                for (let kk = 0; kk < mid; kk++) {
                  const v = x[(o * mid + kk) * inner + i]!;
                  if (op === 'sum') acc += v;
                  else if (op === 'prod') acc *= v;
                  else if (Number.isNaN(v) || Number.isNaN(acc)) acc = NaN;
                  else acc = op === 'max' ? Math.max(acc, v) : Math.min(acc, v);
                  scale[o * inner + i] += Math.abs(v);
                }
                expected[o * inner + i] = acc;
              }
            }
            const got = heap.read(out, outer * inner);
            const label = `${op} [${outer},${mid},${inner}]`;
            if (op === 'sum') {
              // float32 accumulation in a different order: bound the error by the sum of magnitudes.
              got.forEach((g, i) => assert.ok(Math.abs(g - expected[i]!) <= 1e-6 * scale[i]! + 1e-7, `${label}[${i}]: ${g} vs ${expected[i]}`));
            } else {
              assertClose(got, expected, op === 'prod' ? 1e-5 : 0, 0, label);
            }
            heap.checkGuards(label);
          }
        }
      }
    });
  });

  test(`${name}: argMax, first on ties, first NaN wins`, () => {
    const random = rng(5);
    for (const outer of [1, 2]) {
      for (const mid of [0, 1, 3, 10, 17, 64]) {
        for (const inner of [1, 3, 4, 5, 16, 19]) {
          heap.reset();
          const len = outer * mid * inner;
          const x = uniform(random, len, -3, 3).map(Math.round); // many ties
          for (let i = 0; i < len; i++) if (random() < 0.03) x[i] = random() < 0.5 ? NaN : Infinity;
          const out = heap.alloc(outer * inner);
          k.argMax(heap.put(x), out, outer, mid, inner);
          const expected = new Int32Array(outer * inner);
          for (let o = 0; o < outer; o++) {
            for (let i = 0; i < inner; i++) {
              let best = -Infinity;
              for (let kk = 0; kk < mid; kk++) {
                const v = x[(o * mid + kk) * inner + i]!;
                if (Number.isNaN(v)) { expected[o * inner + i] = kk; break; }
                if (v > best) { best = v; expected[o * inner + i] = kk; }
              }
            }
          }
          assert.deepEqual(heap.readI32(out, outer * inner), expected, `argMax [${outer},${mid},${inner}]`);
          heap.checkGuards('argMax');
        }
      }
    }
  });

  test(`${name}: softmax and log-softmax rows, stable at ±1e4`, () => {
    const random = rng(6);
    for (const log of [0, 1]) {
      for (const n of SIZES) {
        heap.reset();
        const rows = 4;
        const x = uniform(random, rows * n, -10, 10);
        for (let j = 0; j < n; j++) x[n + j] = random() < 0.5 ? 1e4 : -1e4; // row 1: huge values
        x[2 * n] = 1e4; // row 2: one dominant value
        if (n > 1) x[3 * n + 1] = -1e4;
        const px = heap.put(x);
        const out = heap.alloc(rows * n);
        k.softmax(px, out, rows, n, log);
        const expected = new Float64Array(rows * n);
        for (let r = 0; r < rows; r++) {
          const row = Array.from(x.subarray(r * n, (r + 1) * n));
          const m = Math.max(...row);
          const sum = row.reduce((s, v) => s + Math.exp(v - m), 0);
          row.forEach((v, j) => (expected[r * n + j] = log ? v - m - Math.log(sum) : Math.exp(v - m) / sum));
        }
        assertClose(heap.read(out, rows * n), expected, 1e-5, log ? 1e-5 : 1e-7, `${log ? 'logSoftmax' : 'softmax'} n=${n}`);
        k.softmax(px, px, rows, n, log); // in place
        assertClose(heap.read(px, rows * n), heap.read(out, rows * n), 0, 0, 'softmax in place');
        heap.checkGuards('softmax');
      }
    }
  });

  test(`${name}: sparse softmax crossentropy and its gradient vs float64: random, saturated, -Inf, large class counts`, () => {
    const random = rng(9);
    for (const n of [...SIZES, 1000, 4099]) {
      heap.reset();
      const rows = 6;
      const x = uniform(random, rows * n, -10, 10);
      const labels = Int32Array.from({ length: rows }, () => Math.floor(random() * n));
      for (let j = 0; j < n; j++) x[n + j] = random() < 0.5 ? 1e4 : -1e4; // row 1: saturated, ties at the max
      for (let j = 0; j < n; j++) x[2 * n + j] = j === labels[2] ? 30 : random(); // row 2: confident and right (loss ~1e-12)
      for (let j = 0; j < n; j++) x[3 * n + j] = j === labels[3] ? -30 : 30 * random(); // row 3: confident and wrong
      x[4 * n + labels[4]!] = -Infinity; // row 4: the label's logit is -Inf (loss +Inf; finite elsewhere)
      if (n > 1) x[5 * n + ((labels[5]! + 1) % n)] = 1e4; // row 5: another class dominates
      const dy = uniform(random, rows, -2, 2);
      const px = heap.put(x);
      const plab = heap.alloc(rows);
      new Int32Array(heap.memory.buffer).set(labels, plab / 4);
      const pdy = heap.put(dy);
      const loss = heap.alloc(rows);
      const grad = heap.alloc(rows * n);
      k.sparseSoftmaxCrossEntropy(px, plab, loss, rows, n);
      k.sparseSoftmaxCrossEntropyGrad(px, plab, pdy, grad, rows, n);
      const expectedLoss = new Float64Array(rows);
      const expectedGrad = new Float64Array(rows * n);
      for (let r = 0; r < rows; r++) {
        const row = Array.from(x.subarray(r * n, (r + 1) * n));
        const m = Math.max(...row);
        const sum = row.reduce((s, v) => s + Math.exp(v - m), 0);
        // log Σ from the non-maximal terms (log1p), so the confident rows' tiny losses are exact in float64 too.
        const maxima = row.filter((v) => v === m).length;
        const rest = row.reduce((s, v) => (v === m ? s : s + Math.exp(v - m)), 0);
        expectedLoss[r] = -(row[labels[r]!]! - m - (maxima === 1 ? Math.log1p(rest) : Math.log(maxima + rest)));
        row.forEach((v, j) => (expectedGrad[r * n + j] = (Math.exp(v - m) / sum - (j === labels[r] ? 1 : 0)) * dy[r]!));
      }
      assertClose(heap.read(loss, rows), expectedLoss, 1e-5, 1e-30, `loss n=${n}`);
      // The gradient at the label is p − 1 with p rounded to float32 first (as the reference does): 2 ulp of 1, times |dy| ≤ 2.
      assertClose(heap.read(grad, rows * n), expectedGrad, 1e-5, 5e-7, `gradient n=${n}`);
      heap.checkGuards('sparseSoftmaxCrossEntropy');
    }
  });

  test(`${name}: gatherRows copies whole rows in index order (repeats included)`, () => {
    const random = rng(10);
    for (const row of [1, 3, 4, 17, 784]) {
      for (const count of [1, 5, 64]) {
        heap.reset();
        const rows = 7;
        const x = uniform(random, rows * row, -1, 1);
        const indices = Int32Array.from({ length: count }, () => Math.floor(random() * rows));
        const pi = heap.alloc(count);
        new Int32Array(heap.memory.buffer).set(indices, pi / 4);
        const out = heap.alloc(count * row);
        k.gatherRows(heap.put(x), pi, out, count, row);
        const expected = new Float32Array(count * row);
        indices.forEach((r, i) => expected.set(x.subarray(r * row, (r + 1) * row), i * row));
        assert.deepEqual(heap.read(out, count * row), expected, `gatherRows row=${row} count=${count}`);
        heap.checkGuards('gatherRows');
      }
    }
  });

  test(`${name}: oneHot rows, on/off values, out-of-range indices give all-off rows`, () => {
    const random = rng(11);
    for (const depth of [1, 3, 4, 10, 257]) {
      for (const count of [1, 5, 33]) {
        heap.reset();
        const indices = Int32Array.from({ length: count }, () => Math.floor(random() * (depth + 2)) - 1);
        const pi = heap.alloc(count);
        new Int32Array(heap.memory.buffer).set(indices, pi / 4);
        const out = heap.alloc(count * depth);
        k.oneHot(pi, out, count, depth, 0.9, -0.1);
        const expected = new Float32Array(count * depth).fill(-0.1);
        indices.forEach((c, i) => { if (c >= 0 && c < depth) expected[i * depth + c] = 0.9; });
        assert.deepEqual(heap.read(out, count * depth), expected, `oneHot depth=${depth} count=${count}`);
        heap.checkGuards('oneHot');
      }
    }
  });

  test(`${name}: transpose2d, batched, ragged edges`, () => {
    const random = rng(7);
    for (const batch of [1, 3]) {
      for (const rows of [1, 3, 4, 5, 33, 64, 100]) {
        for (const cols of [1, 2, 4, 7, 32, 37]) {
          heap.reset();
          const x = uniform(random, batch * rows * cols, -1, 1);
          const out = heap.alloc(x.length);
          k.transpose2d(heap.put(x), out, batch, rows, cols);
          const expected = new Float32Array(x.length);
          for (let b = 0; b < batch; b++) {
            for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) expected[b * rows * cols + c * rows + r] = x[b * rows * cols + r * cols + c]!;
          }
          assert.deepEqual(heap.read(out, x.length), expected, `transpose ${batch}x${rows}x${cols}`);
          heap.checkGuards('transpose2d');
        }
      }
    }
  });

  test(`${name}: adamUpdate follows Keras 3 adam.py over several steps`, () => {
    const random = rng(8);
    const [lr, beta1, beta2, eps] = [0.01, 0.9, 0.999, 1e-7];
    for (const n of SIZES) {
      heap.reset();
      const w = Float64Array.from(uniform(random, n, -1, 1));
      const m = new Float64Array(n);
      const v = new Float64Array(n);
      const pw = heap.put(w), pm = heap.put(m), pv = heap.put(v);
      const pg = heap.alloc(n);
      for (let t = 1; t <= 5; t++) {
        const g = uniform(random, n, -1, 1);
        heap.f32.set(g, pg / 4);
        k.adamUpdate(pw, pm, pv, pg, n, lr, beta1, beta2, eps, beta1 ** t, beta2 ** t);
        // keras/src/optimizers/adam.py, update_step
        const alpha = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
        for (let i = 0; i < n; i++) {
          m[i] += (g[i]! - m[i]!) * (1 - beta1);
          v[i] += (g[i]! ** 2 - v[i]!) * (1 - beta2);
          w[i] -= (m[i]! * alpha) / (Math.sqrt(v[i]!) + eps);
        }
        assertClose(heap.read(pm, n), m, 1e-5, 1e-7, `adam m n=${n} t=${t}`);
        assertClose(heap.read(pv, n), v, 1e-5, 1e-9, `adam v n=${n} t=${t}`);
        assertClose(heap.read(pw, n), w, 1e-5, 1e-6, `adam w n=${n} t=${t}`);
      }
      heap.checkGuards('adam');
    }
  });

  test(`${name}: sgdUpdate (plain, momentum, Nesterov) follows Keras 3 sgd.py`, () => {
    const random = rng(9);
    for (const [momentum, nesterov] of [[0, 0], [0.9, 0], [0.9, 1]] as const) {
      for (const n of SIZES) {
        heap.reset();
        const lr = 0.05;
        const w = Float64Array.from(uniform(random, n, -1, 1));
        const vel = new Float64Array(n);
        const pw = heap.put(w), pv = heap.put(vel), pg = heap.alloc(n);
        for (let t = 0; t < 3; t++) {
          const g = uniform(random, n, -1, 1);
          heap.f32.set(g, pg / 4);
          k.sgdUpdate(pw, momentum === 0 ? 0 : pv, pg, n, lr, momentum, nesterov);
          for (let i = 0; i < n; i++) {
            if (momentum === 0) { w[i] -= g[i]! * lr; continue; }
            vel[i] = momentum * vel[i]! - g[i]! * lr;
            w[i] += nesterov ? momentum * vel[i]! - g[i]! * lr : vel[i]!;
          }
          assertClose(heap.read(pw, n), w, 1e-5, 1e-6, `sgd w momentum=${momentum} nesterov=${nesterov} n=${n}`);
          if (momentum) assertClose(heap.read(pv, n), vel, 1e-5, 1e-6, 'sgd velocity');
        }
        heap.checkGuards('sgd');
      }
    }
  });
}

relaxedInChild(fileURLToPath(import.meta.url));
