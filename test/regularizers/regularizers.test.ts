import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/backends/index.js';
import * as tf from '@tensorflow/tfjs';
import { valueAndGrads } from '../../src/core/autograd.js';
import { setSeed } from '../../src/core/random.js';
import type { Tensor } from '../../src/core/tensor.js';
import { UnknownNameError, ValueError } from '../../src/errors.js';
import * as ops from '../../src/ops/index.js';
import * as R from '../../src/regularizers/index.js';
import { registerClass } from '../../src/serialization/registry.js';
import type { Config } from '../../src/serialization/registry.js';
import { assertClose, checkGradients } from '../helpers/gradcheck.js';

await tf.setBackend('cpu');
setSeed(5);

const x = () => ops.tensor([[1, -2], [3, -0.5]]);
const f32 = Math.fround;

test('penalties: l1 · Σ|x|, l2 · Σx², and both', () => {
  assertClose([new R.L1({ l1: 0.1 }).call(x()).item()], [0.1 * 6.5], 1e-6, 0, 'L1');
  assertClose([new R.L2({ l2: 0.1 }).call(x()).item()], [0.1 * 14.25], 1e-6, 0, 'L2');
  assertClose([new R.L1L2({ l1: 0.1, l2: 0.2 }).call(x()).item()], [0.1 * 6.5 + 0.2 * 14.25], 1e-6, 0, 'L1L2');
  assert.equal(new R.L1L2().call(x()).item(), 0);
  assert.deepEqual(new R.L2().call(x()).shape, []);
});

test('penalties match tfjs regularizers on random weights', () => {
  const w = ops.randomNormal([7, 5]);
  const wt = tf.tensor(w.dataSync(), [7, 5]);
  const pairs: [R.Regularizer, tf.serialization.Serializable & { apply(x: tf.Tensor): tf.Scalar }][] = [
    [new R.L1({ l1: 0.03 }), tf.regularizers.l1({ l1: 0.03 }) as never],
    [new R.L2({ l2: 0.07 }), tf.regularizers.l2({ l2: 0.07 }) as never],
    [new R.L1L2({ l1: 0.02, l2: 0.05 }), tf.regularizers.l1l2({ l1: 0.02, l2: 0.05 }) as never],
  ];
  for (const [ours, theirs] of pairs) {
    assertClose([ours.call(w).item()], [theirs.apply(wt).dataSync()[0]!], 1e-5, 0, (ours.constructor as typeof R.Regularizer).className);
  }
});

test('gradients: l1 · sign(x) and 2 · l2 · x, and finite differences agree', () => {
  const grad = (r: R.Regularizer, t: Tensor) => valueAndGrads(() => r.call(t), [t]).grads[0]!.dataSync();
  const t = x();
  assertClose(grad(new R.L1({ l1: 0.1 }), t), [0.1, -0.1, 0.1, -0.1], 1e-6, 0, 'L1 gradient');
  assertClose(grad(new R.L2({ l2: 0.1 }), t), [0.2, -0.4, 0.6, -0.1], 1e-6, 0, 'L2 gradient');
  assertClose(grad(new R.L1L2({ l1: 0.1, l2: 0.1 }), t), [0.3, -0.5, 0.7, -0.2], 1e-6, 0, 'L1L2 gradient');
  const w = ops.randomNormal([3, 4]);
  checkGradients((v) => new R.L1L2({ l1: 0.3, l2: 0.7 }).call(v), [w], { label: 'L1L2' });
});

test('defaults follow Keras 3: L1() and L2() are 0.01, L1L2() is 0 and 0', () => {
  assert.equal(new R.L1().l1, 0.01);
  assert.equal(new R.L2().l2, 0.01);
  assert.deepEqual([new R.L1L2().l1, new R.L1L2().l2], [0, 0]);
  assert.deepEqual([new R.L1L2({ l2: 0.1 }).l1, new R.L1L2({ l2: 0.1 }).l2], [0, 0.1]);
  // Names: 'l1'/'l2' are the classes' defaults; 'l1_l2' is the documented 0.01 and 0.01.
  assert.equal((R.getRegularizer('l1') as R.L1).l1, 0.01);
  assert.equal((R.getRegularizer('L2') as R.L2).l2, 0.01);
  const both = R.getRegularizer('l1_l2') as R.L1L2;
  assert.deepEqual([both.l1, both.l2], [0.01, 0.01]);
  assert.ok(R.getRegularizer('l1l2') instanceof R.L1L2);
  const fact = R.l1l2({ l2: 0.5 }) as R.L1L2;
  assert.deepEqual([fact.l1, fact.l2], [0.01, 0.5]);
  assert.equal((R.l2({ l2: 0.3 }) as R.L2).l2, 0.3);
  assert.equal((R.l1() as R.L1).l1, 0.01);
});

test('configs are Keras 3\'s (float32-rounded factors) and round-trip', () => {
  assert.deepEqual(R.serializeRegularizer(new R.L2()), { module: 'keras.regularizers', class_name: 'L2', config: { l2: f32(0.01) }, registered_name: null });
  assert.deepEqual(new R.L1({ l1: 0.5 }).getConfig(), { l1: 0.5 });
  assert.deepEqual(new R.L1L2({ l1: 0.1 }).getConfig(), { l1: f32(0.1), l2: 0 });
  assert.equal(R.serializeRegularizer(null), null);
  assert.equal(R.serializeRegularizer(undefined), null);
  for (const r of [new R.L1({ l1: 0.2 }), new R.L2({ l2: 0.003 }), new R.L1L2({ l1: 0.01, l2: 0.02 })]) {
    const cls = r.constructor as unknown as { className: string; fromConfig(c: Config): R.Regularizer };
    const back = cls.fromConfig(JSON.parse(JSON.stringify(r.getConfig())));
    assert.equal(back.constructor, r.constructor);
    assert.deepEqual(back.getConfig(), r.getConfig(), cls.className);
    const again = R.getRegularizer(JSON.parse(JSON.stringify(R.serializeRegularizer(r))))!;
    assert.deepEqual(again.getConfig(), r.getConfig(), `${cls.className} via serialize`);
    assertClose([again.call(x()).item()], [r.call(x()).item()], 1e-6, 0, `${cls.className} value after the trip`);
  }
});

test('getRegularizer: null, instances, configs, tfjs layout, custom classes', () => {
  assert.equal(R.getRegularizer(null), null);
  assert.equal(R.getRegularizer(undefined), null);
  const inst = new R.L2({ l2: 0.2 });
  assert.equal(R.getRegularizer(inst), inst);
  assert.equal((R.getRegularizer({ class_name: 'L1', config: { l1: 0.4 } }) as R.L1).l1, 0.4);
  assert.equal((R.getRegularizer({ className: 'L1L2', config: { l1: 0, l2: 0.3 } } as never) as R.L1L2).l2, 0.3);
  class Trace extends R.Regularizer {
    static override readonly className = 'TraceReg';
    call(t: Tensor) {
      return ops.sum(t);
    }
    getConfig() {
      return {};
    }
    static override fromConfig() {
      return new Trace();
    }
  }
  assert.throws(() => R.getRegularizer({ class_name: 'TraceReg', config: {} }), UnknownNameError);
  registerClass(Trace);
  assert.ok(R.getRegularizer({ class_name: 'TraceReg', config: {} }) instanceof Trace);
});

test('bad identifiers and factors get typed errors', () => {
  assert.throws(() => R.getRegularizer('l3'), (e: unknown) => e instanceof UnknownNameError && /l3/.test(e.message));
  assert.throws(() => R.getRegularizer(7 as never), ValueError);
  assert.throws(() => new R.L2({ l2: -0.1 }), (e: unknown) => e instanceof ValueError && /l2/.test(e.message));
  assert.throws(() => new R.L1({ l1: NaN }), ValueError);
  assert.throws(() => new R.L1L2({ l1: Infinity }), ValueError);
  assert.throws(() => new R.L1L2({ l2: '0.1' as never }), ValueError);
});
