import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import * as kiln from '../../src/index.js';
import { H5Reader } from '../../src/io/h5/h5file.js';
import { FLOAT_KEYS, INT_KEYS, toKerasJson } from '../../src/io/keras_json.js';
import { tempDir } from './helpers.js';
import { isFloatText, rawNumbers } from './raw_json.js';

/**
 * Defect 8 (issue 9): Keras 3.16 refuses `"momentum": 0` ("`momentum` must be a float between
 * [0, 1]"), so every config field Keras types as a float must be written as a JSON float in every
 * format. CI has no Keras: these tests read the raw JSON text kiln writes.
 */

type Ctor = new (args?: unknown) => unknown;

/** Exported classes of a namespace that are subclasses of `base` (with a Keras className). */
function classesOf(ns: Record<string, unknown>, base: unknown): [string, Ctor][] {
  return Object.entries(ns).filter(
    (e): e is [string, Ctor] => typeof e[1] === 'function' && (e[1] as { prototype: unknown }).prototype instanceof (base as Ctor) && typeof (e[1] as { className?: unknown }).className === 'string',
  );
}

/** Classes that need arguments (or that are bases/wrappers with no config of their own). */
const SKIP = new Set(['LossFunctionWrapper', 'MeanMetricWrapper', 'Activation', 'InputLayer', 'RandomInitializer', 'VarianceScaling']);

function construct(name: string, C: Ctor): unknown {
  if (name === 'ConfusionMatrix') return new C({ numClasses: 2 });
  return new C();
}

const I = kiln.initializers;
const R = kiln.regularizers;
const S = kiln.optimizers.schedules;

/** One instance of every initializer, with integral values in its float fields where it has them. */
function everyInitializer(): unknown[] {
  const out: unknown[] = classesOf(I, I.Initializer).filter(([n]) => !SKIP.has(n)).map(([n, C]) => construct(n, C));
  out.push(new I.RandomUniform({ minval: -1, maxval: 1, seed: 3 }), new I.RandomNormal({ mean: 0, stddev: 1 }), new I.Constant({ value: 2 }));
  out.push(new I.VarianceScaling({ scale: 2, mode: 'fanAvg', distribution: 'uniform' } as never), new I.Orthogonal({ gain: 1 }));
  return out;
}

function everyLayerModel(): kiln.Sequential {
  const dense = (i: number, init: unknown) =>
    new kiln.layers.Dense({
      units: 3,
      kernelInitializer: init as never,
      biasInitializer: new I.Constant({ value: 1 }),
      kernelRegularizer: [new R.L1L2({ l1: 0, l2: 1 }), new R.L1({ l1: 1 }), new R.L2({ l2: 0 })][i % 3]!,
    });
  return kiln.sequential([
    kiln.layers.input({ shape: [2, 3] }),
    ...everyInitializer().map((init, i) => dense(i, init)),
    new kiln.layers.Flatten(),
    new kiln.layers.BatchNormalization({ momentum: 0.5, epsilon: 1 }),
    new kiln.layers.LayerNormalization({ epsilon: 1 }),
    new kiln.layers.LeakyReLU({ negativeSlope: 0 }),
    new kiln.layers.Activation({ activation: 'relu' }),
    new kiln.layers.Dropout({ rate: 0 }),
    new kiln.layers.Dense({ units: 2, activation: 'softmax' }),
  ]);
}

/** Every optimizer, and SGD with every schedule; integral values in float fields (learning rate 1, momentum 0, …). */
function everyOptimizer(): kiln.optimizers.Optimizer[] {
  const O = kiln.optimizers;
  const out = classesOf(O, O.Optimizer).map(([, C]) => new C({ learningRate: 1 }) as kiln.optimizers.Optimizer);
  out.push(new O.SGD({ learningRate: 1, momentum: 0 }), new O.RMSprop({ learningRate: 1, rho: 1, momentum: 0 }), new O.Adam({ beta1: 0, epsilon: 1, clipnorm: 1 } as never));
  const schedules = [
    new S.ExponentialDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 1 }),
    new S.InverseTimeDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 1 }),
    new S.PiecewiseConstantDecay({ boundaries: [10, 20], values: [1, 0, 0.5] }),
    new S.CosineDecay({ initialLearningRate: 1, decaySteps: 10, alpha: 0, warmupTarget: 2, warmupSteps: 5 }),
  ];
  for (const [name, C] of Object.entries(S)) {
    if (typeof C === 'function' && (C as { className?: string }).className && !schedules.some((s) => s.constructor === C) && name !== 'LearningRateSchedule') {
      assert.fail(`schedule ${name} is not covered by this test: add it`);
    }
  }
  for (const s of schedules) out.push(new O.SGD({ learningRate: s, momentum: 0 }));
  return out;
}

function everyLoss(): unknown[] {
  const out: unknown[] = classesOf(kiln.losses, kiln.losses.Loss).filter(([n]) => !SKIP.has(n)).map(([n, C]) => construct(n, C));
  out.push(new kiln.losses.Huber({ delta: 2 }), new kiln.losses.BinaryCrossentropy({ labelSmoothing: 0 }));
  return out;
}

function everyMetric(): unknown[] {
  const M = kiln.metrics;
  const out: unknown[] = classesOf(M, M.Metric).filter(([n]) => !SKIP.has(n)).map(([n, C]) => construct(n, C));
  out.push(new M.Precision({ thresholds: [0, 0.5, 1], name: 'p3' }), new M.BinaryAccuracy({ threshold: 1, name: 'ba1' }), new M.FBetaScore({ beta: 2, name: 'fb2' }));
  return out;
}

/** The JSON texts a saved file holds for Keras: config.json, model_config + training_config, or model.json. */
async function writtenJson(model: kiln.Sequential, dir: ReturnType<typeof tempDir>, ext: 'keras' | 'h5' | 'json'): Promise<string[]> {
  const file = dir.path(`m${readdirSync(dir.dir).length}.${ext}`);
  await model.save(file);
  if (ext === 'keras') return [new TextDecoder().decode(unzipSync(new Uint8Array(readFileSync(file)))['config.json']!)];
  if (ext === 'json') return [readFileSync(file, 'utf8')];
  const r = await H5Reader.open(file);
  try {
    return ['model_config', 'training_config'].map((a) => r.attr('', a)).filter((v): v is string => typeof v === 'string');
  } finally {
    r.close();
  }
}

/** Problems: a float-typed key written as an integer, an integer key written as a float, a numeric key in neither list. */
function typingProblems(texts: string[]): string[] {
  const problems = new Set<string>();
  for (const text of texts) {
    for (const n of rawNumbers(text)) {
      if (FLOAT_KEYS.has(n.key)) {
        if (!isFloatText(n.text)) problems.add(`${n.path} = ${n.text}: '${n.key}' is a float in Keras`);
      } else if (INT_KEYS.has(n.key)) {
        if (isFloatText(n.text)) problems.add(`${n.path} = ${n.text}: '${n.key}' is an integer in Keras`);
      } else {
        problems.add(`${n.path} = ${n.text}: '${n.key}' is in neither FLOAT_KEYS nor INT_KEYS (src/io/keras_json.ts)`);
      }
    }
  }
  return [...problems];
}

test('toKerasJson: JSON.stringify except integral numbers under float keys, which get a decimal point', () => {
  const plain = { a: [1, 'x', null, true, { b: 2.5 }], c: undefined, d: () => 1, units: 3, e: { toJSON: () => ({ momentum: 1 }) } };
  assert.equal(toKerasJson({ a: plain.a, units: 3 }), JSON.stringify({ a: plain.a, units: 3 }));
  assert.equal(toKerasJson(plain), '{"a":[1,"x",null,true,{"b":2.5}],"units":3,"e":{"momentum":1.0}}');
  assert.equal(
    toKerasJson({ momentum: 0, learning_rate: -0, epsilon: 1e-7, rate: 0.25, big: 1e21, l2: 1e21, thresholds: [0, 0.5, 1], stddev: NaN, seed: 7, axis: [-1] }),
    '{"momentum":0.0,"learning_rate":-0.0,"epsilon":1e-7,"rate":0.25,"big":1e+21,"l2":1e+21,"thresholds":[0.0,0.5,1.0],"stddev":null,"seed":7,"axis":[-1]}',
  );
  assert.equal(toKerasJson([undefined, { momentum: undefined }]), '[null,{}]');
  assert.equal(toKerasJson('s'), '"s"');
  assert.deepEqual(JSON.parse(toKerasJson({ x: { momentum: 0, units: [1, 2] } })), { x: { momentum: 0, units: [1, 2] } });
});

test('the float and integer key lists agree with Keras 3.16\'s own config typing (scripts/keras-config-types.py)', () => {
  const types = JSON.parse(readFileSync(fileURLToPath(new URL('../../../test/io/data/keras3.16_config_types.json', import.meta.url)), 'utf8')) as Record<string, unknown>;
  const wrong: string[] = [];
  const walk = (o: unknown, cls: string, key: string): void => {
    if (Array.isArray(o)) return o.forEach((v) => walk(v, cls, key));
    if (o && typeof o === 'object') return Object.entries(o).forEach(([k, v]) => walk(v, cls, k));
    // Keras's own metric defaults leave label_smoothing=0 (int) where its losses write 0.0: Keras accepts both.
    if (o === 'float' && !FLOAT_KEYS.has(key)) wrong.push(`${cls}.${key} is a float in Keras`);
    if (o === 'int' && !INT_KEYS.has(key) && key !== 'label_smoothing') wrong.push(`${cls}.${key} is an integer in Keras`);
  };
  for (const [cls, t] of Object.entries(types)) walk(t, cls, '');
  assert.deepEqual(wrong, []);
  assert.ok(Object.keys(types).length > 80, 'the Keras typing dump covers layers, optimizers, schedules, losses, metrics, initializers, regularizers');
  for (const k of FLOAT_KEYS) assert.ok(!INT_KEYS.has(k), `${k} is in both lists`);
});

const fixtures = fileURLToPath(new URL('../../../../shared/fixtures/', import.meta.url));
test('Keras-written fixture files type their numbers as the two lists say', { skip: existsSync(fixtures) ? false : `no ${fixtures}` }, async () => {
  const texts: string[] = [];
  for (const sub of ['keras', 'keras3.16']) {
    for (const f of readdirSync(fixtures + sub)) {
      const file = `${fixtures}${sub}/${f}`;
      if (f.endsWith('.keras')) texts.push(new TextDecoder().decode(unzipSync(new Uint8Array(readFileSync(file)))['config.json']!));
      if (f.endsWith('.h5')) {
        const r = await H5Reader.open(file);
        try {
          for (const a of ['model_config', 'training_config']) if (typeof r.attr('', a) === 'string') texts.push(r.attr('', a) as string);
        } finally {
          r.close();
        }
      }
    }
  }
  assert.ok(texts.length >= 8);
  assert.deepEqual(typingProblems(texts), []);
});

for (const ext of ['keras', 'h5'] as const) {
  test(`.${ext}: every layer, initializer, regularizer, optimizer, schedule, loss and metric writes its float fields as floats`, async () => {
    const t = tempDir();
    try {
      const texts: string[] = [];
      const losses = everyLoss();
      const optimizers = everyOptimizer();
      const metrics = everyMetric();
      const n = Math.max(losses.length, optimizers.length);
      for (let i = 0; i < n; i++) {
        const model = i === 0 ? everyLayerModel() : kiln.sequential([kiln.layers.input({ shape: [2] }), new kiln.layers.Dense({ units: 2 })]);
        model.compile({ optimizer: optimizers[i % optimizers.length]!, loss: losses[i % losses.length] as never, metrics: (i === 0 ? metrics : ['mse']) as never });
        texts.push(...(await writtenJson(model, t, ext)));
      }
      assert.deepEqual(typingProblems(texts), []);
      // The defect itself: SGD's momentum 0 and learning rate 1 are floats.
      assert.ok(texts.some((s) => /"momentum":0\.0/.test(s) && /"learning_rate":1\.0/.test(s)));
      assert.ok(texts.every((s) => !/"units":\d+\.0/.test(s)));
    } finally {
      t.cleanup();
    }
  });
}

test('tfjs model.json: topology and trainingConfig float fields are floats', async () => {
  const t = tempDir();
  try {
    const O = kiln.optimizers;
    const texts: string[] = [];
    const optimizers = [new O.SGD({ learningRate: 1 }), new O.SGD({ learningRate: 1, momentum: 1 }), new O.Adam({ learningRate: 1, beta1: 0, epsilon: 1 }), new O.RMSprop({ learningRate: 1, rho: 0, momentum: 0 }), new O.Adagrad({ learningRate: 1, initialAccumulatorValue: 1 }), new O.Adamax({ learningRate: 1 })];
    for (const [i, optimizer] of optimizers.entries()) {
      const model = i === 0 ? everyLayerModel() : kiln.sequential([kiln.layers.input({ shape: [2] }), new kiln.layers.Dense({ units: 2 })]);
      model.compile({ optimizer, loss: 'mse', metrics: ['mae'] });
      texts.push(...(await writtenJson(model, t, 'json')));
    }
    assert.deepEqual(typingProblems(texts), []);
    assert.ok(texts.some((s) => /"trainingConfig".*"momentum":0\.0/.test(s)));
  } finally {
    t.cleanup();
  }
});
