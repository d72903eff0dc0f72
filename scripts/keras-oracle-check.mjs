// Dev-only (not run in CI): saves kiln models covering every layer, activation, initializer,
// regularizer, optimizer (and schedule), loss and metric kiln has, as .keras and legacy .h5, loads
// each with real Keras 3.16 (../shared/keras-oracle/README.md) and compares Keras's predictions
// with kiln's.
//
//   npm run build && node scripts/keras-oracle-check.mjs [outDir]
//
// Each file is loaded compiled (`load_model(path)`, Keras's default). Keras 3.16 cannot re-compile
// its own legacy .h5 files whose loss or metrics are plain names ('mse': "not a KerasSaveable
// subclass"); such a failure is retried with compile off and reported as such.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as kiln from '../dist/src/index.js';
import { keras, maxAbs } from './lib/keras_oracle.mjs';

const out = process.argv[2] ?? '/tmp/kiln-oracle-check';
mkdirSync(out, { recursive: true });

const { layers: L, initializers: I, regularizers: R, optimizers: O, losses: Ls, metrics: M } = kiln;
const S = O.schedules;

const classesOf = (ns, base, skip = []) =>
  Object.entries(ns).filter(([n, C]) => typeof C === 'function' && C.prototype instanceof base && C.className && !skip.includes(n));

const initializers = [
  ...classesOf(I, I.Initializer, ['RandomInitializer', 'VarianceScaling']).map(([, C]) => { try { return new C({ seed: 1 }); } catch { return new C(); } }),
  new I.RandomUniform({ minval: -1, maxval: 1, seed: 2 }),
  new I.VarianceScaling({ scale: 2, seed: 3 }),
  new I.Constant({ value: 0 }),
];
const regularizers = [new R.L1L2({ l1: 0, l2: 1 }), new R.L1({ l1: 1 }), new R.L2({ l2: 0 }), null];

// kiln's own activations that Keras 3.16 does not have: a model using them is written, and Keras refuses it (expected).
const KILN_ONLY_ACTIVATIONS = ['hard_sigmoid_keras2', 'gelu_new'];

function everyLayerModel(seed, activations = kiln.activations.activationNames().filter((a) => !KILN_ONLY_ACTIVATIONS.includes(a))) {
  kiln.setSeed(seed);
  return kiln.sequential([
    L.input({ shape: [2, 3] }),
    ...initializers.map((init, i) =>
      new L.Dense({ units: 3, kernelInitializer: init, biasInitializer: new I.RandomNormal({ seed: 9 + i }), kernelRegularizer: regularizers[i % 4], activityRegularizer: regularizers[(i + 1) % 4] })),
    new L.Dense({ units: 3, activation: 'tanh' }),
    new L.Flatten(),
    new L.BatchNormalization({ momentum: 0.5, epsilon: 1 }),
    new L.LayerNormalization({ epsilon: 1 }),
    new L.LeakyReLU({ negativeSlope: 0 }),
    new L.LeakyReLU(),
    new L.Activation({ activation: 'elu' }),
    new L.Dropout({ rate: 0 }),
    new L.Dropout({ rate: 0.5 }),
    ...activations.map((a) => new L.Dense({ units: 3, activation: a })),
    new L.Dense({ units: 2, activation: 'softmax' }),
  ]);
}

const optimizers = [
  ['sgd-default', () => new O.SGD()],
  ['sgd-momentum', () => new O.SGD({ learningRate: 1, momentum: 0.9, nesterov: true })],
  ...classesOf(O, O.Optimizer).map(([n, C]) => [n.toLowerCase(), () => new C({ learningRate: 1 })]),
  ['rmsprop-momentum0', () => new O.RMSprop({ momentum: 0, rho: 1 })],
  ['sgd-exponential', () => new O.SGD({ learningRate: new S.ExponentialDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 1 }) })],
  ['sgd-inversetime', () => new O.SGD({ learningRate: new S.InverseTimeDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 1 }) })],
  ['sgd-piecewise', () => new O.SGD({ learningRate: new S.PiecewiseConstantDecay({ boundaries: [10, 20], values: [1, 0, 0.5] }) })],
  ['sgd-cosine', () => new O.SGD({ learningRate: new S.CosineDecay({ initialLearningRate: 1, decaySteps: 10, alpha: 0, warmupTarget: 2, warmupSteps: 5 }) })],
];
const losses = [
  ...classesOf(Ls, Ls.Loss, ['LossFunctionWrapper']).map(([, C]) => new C()),
  new Ls.Huber({ delta: 2 }),
  new Ls.BinaryCrossentropy({ labelSmoothing: 0, fromLogits: true }),
];
const metrics = () => [
  ...classesOf(M, M.Metric, ['MeanMetricWrapper', 'ConfusionMatrix']).map(([, C]) => new C()),
  new M.Precision({ thresholds: [0, 0.5, 1], name: 'p3' }),
  new M.BinaryAccuracy({ threshold: 1, name: 'ba1' }),
  new M.FBetaScore({ beta: 2, name: 'fb2' }),
];

const cases = [];
const n = Math.max(optimizers.length, losses.length);
for (let i = 0; i < n; i++) {
  const [optName, make] = optimizers[i % optimizers.length];
  const loss = losses[i % losses.length];
  cases.push({ name: `m${String(i).padStart(2, '0')}-${optName}-${loss.constructor.className}`, compile: { optimizer: make(), loss, metrics: i === 0 ? metrics() : [new M.MeanAbsoluteError()] } });
}
cases.push({ name: 'names-sgd-mse', compile: { optimizer: 'sgd', loss: 'mse', metrics: ['mae', 'accuracy'] } });
cases.push({ name: 'uncompiled', compile: null });
cases.push({ name: 'kiln-only-activations', compile: null, activations: KILN_ONLY_ACTIVATIONS, expectFailure: true });

kiln.setSeed(123);
const x = kiln.randomNormal([4, 2, 3]);
const rows = x.arraySync();
writeFileSync(join(out, 'input.json'), JSON.stringify({ input: rows }));

const report = [];
let worst = 0;
for (const c of cases) {
  const model = everyLayerModel(7, c.activations);
  if (c.compile) model.compile(c.compile);
  const expected = model.predict(x).arraySync();
  for (const ext of ['keras', 'h5']) {
    const file = join(out, `${c.name}.${ext}`);
    await model.save(file);
    let r = keras(file, join(out, 'input.json'), Boolean(c.compile));
    let compiled = Boolean(c.compile);
    let compileError;
    if (!r.ok && compiled) {
      compileError = r.error;
      r = keras(file, join(out, 'input.json'), false);
      compiled = false;
    }
    const row = { file: `${c.name}.${ext}`, expectFailure: Boolean(c.expectFailure), loaded: r.ok, compiled, compileError, error: r.ok ? undefined : r.error };
    if (r.ok) {
      row.maxDiff = maxAbs(r.result.output, expected);
      row.optimizer = r.result.optimizer;
      worst = Math.max(worst, row.maxDiff);
    }
    report.push(row);
    console.log(`${row.loaded ? 'loaded' : 'FAILED'} ${row.file}${row.loaded ? ` compiled=${compiled} optimizer=${row.optimizer} maxDiff=${row.maxDiff.toExponential(2)}` : `: ${row.error}`}${compileError ? ` [compile failed: ${compileError}]` : ''}`);
  }
}
writeFileSync(join(out, 'report.json'), JSON.stringify({ worst, report }, null, 1));
console.log(`${report.filter((r) => r.loaded).length}/${report.length} files loaded (${report.filter((r) => r.expectFailure).length} expected to fail) by Keras; ${report.filter((r) => r.compileError).length} loaded only with compile off; largest prediction difference ${worst.toExponential(2)}`);
process.exitCode = report.every((r) => r.loaded !== r.expectFailure) ? 0 : 1;
