import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/backends/index.js';
import { randomStream, setSeed } from '../../src/core/random.js';
import { DTypeError, ShapeError, UnknownNameError, ValueError } from '../../src/errors.js';
import * as I from '../../src/initializers/index.js';
import { Initializer } from '../../src/initializers/index.js';
import { registerClass } from '../../src/serialization/registry.js';
import type { Config } from '../../src/serialization/registry.js';

/** Mean, standard deviation, min and max of a sample (float64). */
function stats(v: ArrayLike<number>) {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < v.length; i++) {
    sum += v[i]!;
    min = Math.min(min, v[i]!);
    max = Math.max(max, v[i]!);
  }
  const mean = sum / v.length;
  let ss = 0;
  for (let i = 0; i < v.length; i++) ss += (v[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(ss / v.length), min, max };
}

const near = (actual: number, expected: number, tol: number, label: string) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${label}: ${actual} vs expected ${expected} (tolerance ${tol})`);

// Every class with non-default options, for the round-trip and determinism tests.
const instances = (): Initializer[] => [
  new I.Zeros(),
  new I.Ones(),
  new I.Constant({ value: 0.25 }),
  new I.Identity({ gain: 2 }),
  new I.RandomUniform({ minval: -1, maxval: 2, seed: 5 }),
  new I.RandomNormal({ mean: 1, stddev: 0.5, seed: 6 }),
  new I.TruncatedNormal({ mean: -1, stddev: 0.1, seed: 7 }),
  new I.VarianceScaling({ scale: 3, mode: 'fan_out', distribution: 'untruncated_normal', seed: 8 }),
  new I.GlorotUniform({ seed: 9 }),
  new I.GlorotNormal({ seed: 10 }),
  new I.HeNormal({ seed: 11 }),
  new I.HeUniform({ seed: 12 }),
  new I.LecunNormal({ seed: 13 }),
  new I.LecunUniform({ seed: 14 }),
  new I.Orthogonal({ gain: 1.5, seed: 15 }),
];

test('the same global seed gives the same weights; the stream moves on between calls', () => {
  for (const name of ['glorot_uniform', 'he_normal', 'random_normal', 'truncated_normal', 'orthogonal', 'lecun_uniform']) {
    setSeed(3);
    const a = I.getInitializer(name).call([20, 30]).dataSync();
    const a2 = I.getInitializer(name).call([20, 30]).dataSync();
    setSeed(3);
    const b = I.getInitializer(name).call([20, 30]).dataSync();
    assert.deepEqual(a, b, `${name}: same seed, same values`);
    assert.notDeepEqual(a, a2, `${name}: second call gives new values`);
  }
});

test('an integer seed gives the same values on every call and leaves the global stream alone', () => {
  setSeed(1);
  const before = randomStream('init').getState();
  const init = new I.HeUniform({ seed: 42 });
  const a = init.call([10, 10]).dataSync();
  const b = init.call([10, 10]).dataSync();
  assert.deepEqual(a, b);
  assert.deepEqual(randomStream('init').getState(), before);
  assert.notDeepEqual(new I.HeUniform({ seed: 43 }).call([10, 10]).dataSync(), a);
});

test('uniform and normal samples have the moments and limits theory says', () => {
  setSeed(21);
  const n = [200, 300];
  const u = stats(new I.RandomUniform({ minval: -1, maxval: 3 }).call(n).dataSync());
  near(u.mean, 1, 0.03, 'uniform mean');
  near(u.std, 4 / Math.sqrt(12), 0.02, 'uniform std');
  assert.ok(u.min >= -1 && u.max < 3, `uniform range [${u.min}, ${u.max}]`);
  const d = stats(new I.RandomUniform().call(n).dataSync());
  assert.ok(d.min >= -0.05 && d.max < 0.05 && d.max > 0.0499, 'default uniform range is [-0.05, 0.05)');

  const g = stats(new I.RandomNormal({ mean: 2, stddev: 0.5 }).call(n).dataSync());
  near(g.mean, 2, 0.01, 'normal mean');
  near(g.std, 0.5, 0.01, 'normal std');
  near(stats(new I.RandomNormal().call(n).dataSync()).std, 0.05, 0.001, 'default normal std');
});

test('truncated normal redraws beyond 2 stddev: bounded, with the truncated variance', () => {
  setSeed(22);
  const t = stats(new I.TruncatedNormal({ mean: 1, stddev: 0.2 }).call([200, 300]).dataSync());
  assert.ok(t.min >= 1 - 0.4 - 1e-6 && t.max <= 1 + 0.4 + 1e-6, `range [${t.min}, ${t.max}]`);
  assert.ok(t.min < 1 - 0.39 && t.max > 1 + 0.39, 'the sample reaches close to both bounds');
  near(t.mean, 1, 0.005, 'truncated mean');
  // The standard deviation of N(0,1) truncated to [-2, 2] is 0.8796.
  near(t.std, 0.2 * I.TRUNCATED_STDDEV_FACTOR, 0.003, 'truncated std');
});

test('computeFans follows Keras for ranks 0, 1, 2 and convolution kernels', () => {
  assert.deepEqual(I.computeFans([]), [1, 1]);
  assert.deepEqual(I.computeFans([7]), [7, 7]);
  assert.deepEqual(I.computeFans([5, 9]), [5, 9]);
  assert.deepEqual(I.computeFans([3, 16, 32]), [48, 96]);
  assert.deepEqual(I.computeFans([3, 3, 16, 32]), [144, 288]);
  assert.deepEqual(I.computeFans([2, 3, 3, 4, 8]), [72, 144]);
});

test('variance-scaling presets: limits and standard deviations from the fans', () => {
  setSeed(23);
  const shape = [3, 3, 40, 60]; // fanIn 360, fanOut 540
  const [fi, fo] = I.computeFans(shape);
  const uniformCases: [string, number][] = [
    ['glorot_uniform', Math.sqrt(6 / (fi + fo))],
    ['he_uniform', Math.sqrt(6 / fi)],
    ['lecun_uniform', Math.sqrt(3 / fi)],
  ];
  for (const [name, limit] of uniformCases) {
    const s = stats(I.getInitializer(name).call(shape).dataSync());
    assert.ok(s.min >= -limit && s.max <= limit, `${name}: range [${s.min}, ${s.max}] within ±${limit}`);
    assert.ok(s.max > 0.99 * limit && s.min < -0.99 * limit, `${name}: reaches its limit`);
    near(s.std, limit / Math.sqrt(3), 0.01 * limit, `${name} std`);
  }
  // Normal presets are truncated normals whose stddev *after* truncation is the target
  // (Keras divides by 0.8796), so values stay within 2 · target / 0.8796.
  const normalCases: [string, number][] = [
    ['glorot_normal', Math.sqrt(2 / (fi + fo))],
    ['he_normal', Math.sqrt(2 / fi)],
    ['lecun_normal', Math.sqrt(1 / fi)],
  ];
  for (const [name, target] of normalCases) {
    const s = stats(I.getInitializer(name).call(shape).dataSync());
    near(s.std, target, 0.015 * target, `${name} std`);
    near(s.mean, 0, 0.02 * target, `${name} mean`);
    const bound = (2 * target) / I.TRUNCATED_STDDEV_FACTOR;
    assert.ok(s.min >= -bound * (1 + 1e-6) && s.max <= bound * (1 + 1e-6), `${name}: within ±${bound}`);
  }
  const un = stats(new I.VarianceScaling({ scale: 2, mode: 'fan_avg', distribution: 'untruncated_normal' }).call([300, 200]).dataSync());
  near(un.std, Math.sqrt(2 / 250), 0.015 * Math.sqrt(2 / 250), 'untruncated_normal std');
  assert.ok(un.max > 2.5 * Math.sqrt(2 / 250), 'untruncated normal is not truncated');
});

test('fans below 1 are clamped to 1 (Keras max(1, n)) and empty shapes work', () => {
  const s = new I.VarianceScaling({ mode: 'fan_in' });
  assert.equal(s.variance([0, 5]), 1);
  assert.deepEqual(new I.GlorotUniform().call([0, 4]).shape, [0, 4]);
  assert.deepEqual(new I.GlorotUniform().call([]).shape, []);
});

test('Orthogonal gives orthonormal columns (or rows when wide), scaled by gain', () => {
  setSeed(24);
  const check = (shape: number[], gain: number) => {
    const v = new I.Orthogonal({ gain }).call(shape).dataSync();
    const cols = shape[shape.length - 1]!;
    const rows = v.length / cols;
    const [outer, inner, at] = rows >= cols ? [cols, rows, (i: number, k: number) => v[k * cols + i]!] : [rows, cols, (i: number, k: number) => v[i * cols + k]!];
    for (let i = 0; i < outer; i++) {
      for (let j = 0; j < outer; j++) {
        let dot = 0;
        for (let k = 0; k < inner; k++) dot += at(i, k) * at(j, k);
        near(dot, i === j ? gain * gain : 0, 1e-5 * gain * gain, `${JSON.stringify(shape)} gram[${i}][${j}]`);
      }
    }
  };
  check([6, 4], 1);
  check([4, 6], 1);
  check([5, 5], 2);
  check([3, 3, 4, 8], 1);
  assert.throws(() => new I.Orthogonal().call([5]), ShapeError);
});

test('constant initializers', () => {
  assert.deepEqual(new I.Zeros().call([2, 2]).arraySync(), [[0, 0], [0, 0]]);
  assert.deepEqual(new I.Ones().call([3]).arraySync(), [1, 1, 1]);
  assert.deepEqual(new I.Constant({ value: 0.5 }).call([2]).arraySync(), [0.5, 0.5]);
  assert.deepEqual(new I.Identity({ gain: 3 }).call([2, 3]).arraySync(), [[3, 0, 0], [0, 3, 0]]);
  const zi = new I.Zeros().call([2], 'int32');
  assert.equal(zi.dtype, 'int32');
  assert.throws(() => new I.Identity().call([2, 2, 2]), ShapeError);
  assert.throws(() => new I.Constant({ value: NaN }), ValueError);
});

test('configs are exactly Keras 3\'s', () => {
  assert.deepEqual(new I.Zeros().getConfig(), {});
  assert.deepEqual(new I.Constant().getConfig(), { value: 0 });
  assert.deepEqual(new I.Identity().getConfig(), { gain: 1 });
  assert.deepEqual(new I.GlorotUniform().getConfig(), { seed: null });
  assert.deepEqual(new I.HeNormal({ seed: 4 }).getConfig(), { seed: 4 });
  assert.deepEqual(new I.RandomUniform().getConfig(), { seed: null, minval: -0.05, maxval: 0.05 });
  assert.deepEqual(new I.RandomNormal().getConfig(), { seed: null, mean: 0, stddev: 0.05 });
  assert.deepEqual(new I.TruncatedNormal().getConfig(), { seed: null, mean: 0, stddev: 0.05 });
  assert.deepEqual(new I.VarianceScaling().getConfig(), { seed: null, scale: 1, mode: 'fan_in', distribution: 'truncated_normal' });
  assert.deepEqual(new I.Orthogonal().getConfig(), { seed: null, gain: 1 });
  assert.deepEqual(I.serializeInitializer('glorot_uniform'), { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null });
  assert.deepEqual(I.serializeInitializer('identity').class_name, 'Identity');
  // Keras maps distribution 'normal' to 'truncated_normal'.
  assert.equal(new I.VarianceScaling({ distribution: 'normal' }).distribution, 'truncated_normal');
});

test('every class round-trips through its config (and through JSON) to the same values', () => {
  for (const init of instances()) {
    const cls = init.constructor as unknown as { className: string; fromConfig(c: Config): Initializer };
    const config = JSON.parse(JSON.stringify(init.getConfig())) as Config;
    const back = cls.fromConfig(config);
    assert.equal(back.constructor, init.constructor, cls.className);
    assert.deepEqual(back.getConfig(), init.getConfig(), cls.className);
    const again = I.getInitializer(JSON.parse(JSON.stringify(I.serializeInitializer(init))));
    assert.deepEqual(again.getConfig(), init.getConfig(), `${cls.className} via serialize`);
    // Integer-seeded and deterministic initializers reproduce the same weights after the trip.
    assert.deepEqual(again.call([4, 6]).dataSync(), init.call([4, 6]).dataSync(), `${cls.className} values`);
  }
});

test('getInitializer: Keras names, class names, tfjs names, aliases, configs', () => {
  const classOf = (id: I.InitializerIdentifier | string) => (I.getInitializer(id).constructor as unknown as { className: string }).className;
  const cases: [string, string][] = [
    ['glorot_uniform', 'GlorotUniform'],
    ['glorotUniform', 'GlorotUniform'],
    ['GlorotUniform', 'GlorotUniform'],
    ['he_normal', 'HeNormal'],
    ['leCunNormal', 'LecunNormal'], // tfjs spelling
    ['lecun_uniform', 'LecunUniform'],
    ['uniform', 'RandomUniform'],
    ['normal', 'RandomNormal'],
    ['one', 'Ones'],
    ['zero', 'Zeros'],
    ['truncatedNormal', 'TruncatedNormal'],
    ['varianceScaling', 'VarianceScaling'],
    ['Orthogonal', 'Orthogonal'],
    ['OrthogonalInitializer', 'Orthogonal'],
    ['IdentityInitializer', 'Identity'],
  ];
  for (const [name, cls] of cases) assert.equal(classOf(name), cls, name);
  const inst = new I.Ones();
  assert.equal(I.getInitializer(inst), inst);
  const rn = I.getInitializer({ class_name: 'RandomNormal', config: { mean: 0, stddev: 0.02, seed: null } }) as I.RandomNormal;
  assert.equal(rn.stddev, 0.02);
  // tfjs's layout: {className, config} with camelCase option names.
  const vs = I.getInitializer({ className: 'VarianceScaling', config: { scale: 2, mode: 'fanIn', distribution: 'truncatedNormal', seed: null } } as never) as I.VarianceScaling;
  assert.deepEqual([vs.scale, vs.mode, vs.distribution], [2, 'fan_in', 'truncated_normal']);
  // 'Identity' resolves to the initializer even if a layer class of that name is registered.
  class IdentityLayerStandIn {
    static readonly className = 'Identity';
    static fromConfig() {
      return new IdentityLayerStandIn();
    }
    getConfig() {
      return {};
    }
  }
  registerClass(IdentityLayerStandIn);
  assert.equal(classOf({ class_name: 'Identity', config: { gain: 1 } }), 'Identity');
  assert.ok(I.getInitializer({ class_name: 'Identity', config: {} }) instanceof I.Identity);
});

test('custom initializers load from the registry once registered', () => {
  class Halves extends Initializer {
    static override readonly className = 'Halves';
    call(shape: readonly number[]) {
      return new I.Constant({ value: 0.5 }).call(shape);
    }
    static override fromConfig() {
      return new Halves();
    }
  }
  assert.throws(() => I.getInitializer({ class_name: 'Halves', config: {} }), UnknownNameError);
  registerClass(Halves);
  assert.deepEqual(I.getInitializer({ class_name: 'Halves', config: {} }).call([2]).arraySync(), [0.5, 0.5]);
});

test('bad identifiers and options get typed errors naming the problem', () => {
  assert.throws(() => I.getInitializer('glorot_uniformm'), (e: unknown) => e instanceof UnknownNameError && /glorot_uniformm/.test(e.message));
  assert.throws(() => I.getInitializer({ class_name: 'NoSuchInit', config: {} }), UnknownNameError);
  assert.throws(() => I.getInitializer(42 as never), ValueError);
  assert.throws(() => new I.VarianceScaling({ scale: 0 }), (e: unknown) => e instanceof ValueError && /scale/.test(e.message));
  assert.throws(() => new I.VarianceScaling({ mode: 'fan_mid' as never }), (e: unknown) => e instanceof ValueError && /mode/.test(e.message));
  assert.throws(() => new I.VarianceScaling({ distribution: 'cauchy' as never }), (e: unknown) => e instanceof ValueError && /distribution/.test(e.message));
  assert.throws(() => new I.GlorotUniform({ seed: 1.5 }), (e: unknown) => e instanceof ValueError && /seed/.test(e.message));
  assert.throws(() => new I.RandomUniform({ minval: 1, maxval: 0 }), ValueError);
  assert.throws(() => new I.RandomNormal({ stddev: -1 }), ValueError);
  assert.throws(() => new I.GlorotUniform().call([2, 2], 'int32'), DTypeError);
  assert.throws(() => new I.Zeros().call([2, -1]), ShapeError);
});

test('factories mirror tfjs', () => {
  assert.ok(I.glorotUniform({ seed: 1 }) instanceof I.GlorotUniform);
  assert.equal((I.constant({ value: 3 }) as I.Constant).value, 3);
  assert.equal((I.randomNormal({ stddev: 2 }) as I.RandomNormal).stddev, 2);
  assert.ok(I.heNormal() instanceof I.HeNormal);
  assert.ok(I.zeros() instanceof I.Zeros);
  assert.ok(I.orthogonal() instanceof I.Orthogonal);
});
