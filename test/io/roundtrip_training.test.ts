import { mkdirSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import { loadModel } from '../../src/io/index.js';
import { kerasCompileConfig } from '../../src/io/keras/config.js';
import { tempDir } from './helpers.js';

// Issue 4 evidence: every optimizer, loss and metric kiln has survives save → load with identical
// predictions, compile config and optimizer state, and 2 more training steps on the original and
// on the loaded model give byte-identical weights and identical metric values.
// .keras and .h5 carry all of it. TensorFlow.js's model.json carries no optimizer state (tfjs
// writes none by default) and only the losses/optimizers tfjs has; it is checked for what it can
// express, and for a clear warning where it cannot.

type Task = 'binary' | 'categorical' | 'sparse' | 'regression';
interface Case {
  label: string;
  optimizer: () => kiln.optimizers.Optimizer;
  loss: kiln.losses.LossName | kiln.losses.Loss;
  task: Task;
  metrics: (kiln.metrics.MetricName | kiln.metrics.Metric)[];
}

const M = kiln.metrics;
// Metrics by the task whose labels they read; every metric name kiln has appears below except
// 'mean'/'sum' (they average raw values, not (y_true, y_pred) pairs, so they are no compile metrics).
const METRICS: Record<Task, () => (kiln.metrics.MetricName | kiln.metrics.Metric)[]> = {
  binary: () => ['accuracy', 'binary_accuracy', 'precision', 'recall', 'auc', 'true_positives', 'false_positives', 'true_negatives', 'false_negatives',
    new M.Precision({ thresholds: 0.3, name: 'p30' }), new M.AUC({ numThresholds: 37, curve: 'PR', name: 'pr_auc' }), 'binary_crossentropy', 'confusion_matrix'],
  categorical: () => ['accuracy', 'categorical_accuracy', 'top_k_categorical_accuracy', 'f1_score', 'fbeta_score',
    new M.F1Score({ average: 'macro', threshold: 0.4, name: 'f1_macro' }), new M.TopKCategoricalAccuracy({ k: 2, name: 'top2' }), 'categorical_crossentropy'],
  sparse: () => ['accuracy', 'sparse_categorical_accuracy', 'sparse_top_k_categorical_accuracy', 'sparse_categorical_crossentropy'],
  regression: () => ['mae', 'mse', 'rmse', 'r2_score', 'mape', 'msle', new M.R2Score({ classAggregation: 'variance_weighted_average', name: 'r2w' })],
};

const O = kiln.optimizers;
const OPTIMIZERS: [string, () => kiln.optimizers.Optimizer][] = [
  ['sgd', () => O.sgd({ learningRate: 0.05 })],
  ['sgd momentum', () => O.sgd({ learningRate: 0.05, momentum: 0.9 })],
  ['sgd nesterov', () => O.sgd({ learningRate: 0.05, momentum: 0.8, nesterov: true })],
  ['adam', () => O.adam({ learningRate: 0.01 })],
  ['adam amsgrad', () => O.adam({ learningRate: 0.01, amsgrad: true })],
  ['adamw', () => O.adamw({ learningRate: 0.01, weightDecay: 0.01 })],
  ['rmsprop', () => O.rmsprop({ learningRate: 0.01 })],
  ['rmsprop centered', () => O.rmsprop({ learningRate: 0.01, centered: true })],
  ['rmsprop momentum', () => O.rmsprop({ learningRate: 0.01, momentum: 0.5 })],
  ['rmsprop centered+momentum', () => O.rmsprop({ learningRate: 0.01, centered: true, momentum: 0.5 })],
  ['adagrad', () => O.adagrad({ learningRate: 0.05 })],
  ['adamax', () => O.adamax({ learningRate: 0.01 })],
  ['nadam', () => O.nadam({ learningRate: 0.01 })],
  ['adam with ExponentialDecay schedule', () => O.adam({ learningRate: O.schedules.exponentialDecay({ initialLearningRate: 0.02, decaySteps: 1, decayRate: 0.5 }) })],
  ['sgd momentum with clipnorm', () => O.sgd({ learningRate: 0.05, momentum: 0.9, clipnorm: 0.01 })],
];

const L = kiln.losses;
const LOSSES: [kiln.losses.LossName | kiln.losses.Loss, Task][] = [
  ['binary_crossentropy', 'binary'],
  ['categorical_crossentropy', 'categorical'],
  ['sparse_categorical_crossentropy', 'sparse'],
  ['mean_squared_error', 'regression'],
  ['mean_absolute_error', 'regression'],
  ['mean_absolute_percentage_error', 'regression'],
  ['huber', 'regression'],
  ['log_cosh', 'regression'],
  // Loss objects with non-default configs: their config must travel too.
  [new L.Huber({ delta: 0.3 }), 'regression'],
  [new L.BinaryCrossentropy({ labelSmoothing: 0.1 }), 'binary'],
];

// Every optimizer with mse, then every loss (each with its task's metrics) with a cycle of optimizers.
const CASES: Case[] = [
  ...OPTIMIZERS.map(([label, optimizer]): Case => ({ label: `${label} / mse`, optimizer, loss: 'mse', task: 'regression', metrics: ['mae'] })),
  ...LOSSES.map(([loss, task], i): Case => {
    const [olabel, optimizer] = OPTIMIZERS[(i * 4 + 3) % OPTIMIZERS.length]!;
    const lname = typeof loss === 'string' ? loss : `${loss.name} object`;
    return { label: `${olabel} / ${lname} / ${task} metrics`, optimizer, loss, task, metrics: METRICS[task]() };
  }),
];

function data(task: Task): { x: kiln.Tensor; y: kiln.Tensor } {
  kiln.setSeed(5);
  const x = kiln.randomNormal([8, 4]);
  const cls = [0, 1, 2, 1, 0, 2, 2, 1];
  switch (task) {
    case 'binary':
      return { x, y: kiln.tensor(cls.map((c) => [c === 1 ? 1 : 0]), [8, 1]) };
    case 'categorical':
      return { x, y: kiln.oneHot(kiln.tensor(cls, [8], 'int32'), 3) };
    case 'sparse':
      return { x, y: kiln.tensor(cls, [8], 'int32') };
    default: // positive targets keep mape/msle finite
      return { x, y: kiln.add(kiln.abs(kiln.randomNormal([8, 2])), 0.5) };
  }
}

function model(c: Case): kiln.Sequential {
  kiln.setSeed(9);
  const out = c.task === 'binary' ? { units: 1, activation: 'sigmoid' as const } : c.task === 'regression' ? { units: 2 } : { units: 3, activation: 'softmax' as const };
  const m = kiln.sequential([kiln.layers.input({ shape: [4] }), kiln.layers.dense({ units: 5, activation: 'tanh' }), kiln.layers.dense(out)]);
  m.compile({ optimizer: c.optimizer(), loss: c.loss, metrics: c.metrics });
  return m;
}

/** Raw bytes of every weight, for byte-identity. */
const weightBytes = (m: kiln.Model) => m.getWeights().map((w) => Buffer.from(new Uint8Array((w.dataSync() as Float32Array).buffer.slice(0))).toString('hex'));
const state = (m: kiln.Model) => m.optimizer!.getState().map((s) => Array.from(s.dataSync()));
const steps = (m: kiln.Model, x: kiln.Tensor, y: kiln.Tensor, n: number) => Array.from({ length: n }, () => m.trainOnBatch(x, y));

/** Runs `fn` with console.warn captured. */
async function captureWarnings<T>(fn: () => Promise<T>): Promise<{ value: T; warnings: string[] }> {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
  try {
    return { value: await fn(), warnings };
  } finally {
    console.warn = original;
  }
}

async function checkKerasFormat(c: Case, ext: 'keras' | 'h5', dir: ReturnType<typeof tempDir>): Promise<void> {
  const label = `[${c.label} .${ext}]`;
  const { x, y } = data(c.task);
  const original = model(c);
  steps(original, x, y, 2);
  const file = dir.path(`m-${ext}-${CASES.indexOf(c)}.${ext}`);
  await original.save(file);
  const { value: loaded, warnings } = await captureWarnings(() => loadModel(file));
  assert.deepEqual(warnings, [], `${label} loading warned`);
  assert.deepEqual(loaded.predict(x).arraySync(), original.predict(x).arraySync(), `${label} predictions`);
  assert.ok(loaded.compiled, `${label} compiled`);
  assert.deepEqual(kerasCompileConfig(loaded), kerasCompileConfig(original), `${label} compile config`);
  assert.equal(loaded.compiled!.loss.name, original.compiled!.loss.name, `${label} loss name`);
  assert.deepEqual(loaded.optimizer!.getConfig(), original.optimizer!.getConfig(), `${label} optimizer config`);
  assert.equal(loaded.optimizer!.iterations, 2, `${label} iterations`);
  assert.deepEqual(state(loaded), state(original), `${label} optimizer state`);
  const before = steps(original, x, y, 2);
  const after = steps(loaded, x, y, 2);
  assert.deepEqual(after, before, `${label} loss and metric values of the continued steps`);
  assert.deepEqual(weightBytes(loaded), weightBytes(original), `${label} weights after 2 more steps`);
  assert.deepEqual(state(loaded), state(original), `${label} optimizer state after 2 more steps`);
  assert.deepEqual(
    loaded.compiled!.resolvedMetrics.map((m) => m.name),
    original.compiled!.resolvedMetrics.map((m) => m.name),
    `${label} metric names`,
  );
}

test('every optimizer, loss and metric round-trips through .keras and .h5: predictions, compile config, optimizer state, continued training', async () => {
  const dir = tempDir();
  try {
    for (const c of CASES) for (const ext of ['keras', 'h5'] as const) await checkKerasFormat(c, ext, dir);
  } finally {
    dir.cleanup();
  }
});

test('the cases cover every loss and every compile metric kiln has', () => {
  const lossNames = new Set<string>(LOSSES.map(([l]) => (typeof l === 'string' ? l : '')));
  for (const name of kiln.losses.lossNames()) assert.ok(lossNames.has(name), `loss '${name}' is not covered`);
  const metricNames = new Set<string>(Object.values(METRICS).flatMap((f) => f().filter((m): m is kiln.metrics.MetricName => typeof m === 'string')));
  metricNames.add('mean_squared_error').add('mean_absolute_error').add('mean_absolute_percentage_error');
  metricNames.add('mean_squared_logarithmic_error').add('root_mean_squared_error');
  for (const name of kiln.metrics.metricNames()) {
    if (name === 'mean' || name === 'sum') continue;
    assert.ok(metricNames.has(name), `metric '${name}' is not covered`);
  }
});

// A compiled model whose optimizer never ran a step: saving builds the optimizer on the trainable
// weights (the slots its first step would create), so the file holds the full layout and loading
// restores a consistent optimizer instead of warning "2 variables vs N" and starting fresh.
test('a compiled but untrained model round-trips a consistent optimizer through .keras and .h5', async () => {
  const dir = tempDir();
  try {
    for (const k of [0, 1, 4, 9, 13]) {
      const c = CASES[k]!;
      for (const ext of ['keras', 'h5'] as const) {
        const label = `[untrained ${c.label} .${ext}]`;
        const { x, y } = data(c.task);
        const original = model(c);
        const twin = model(c); // never saved: saving must not change how training goes
        const file = dir.path(`u-${k}.${ext}`);
        await original.save(file);
        const { value: loaded, warnings } = await captureWarnings(() => loadModel(file));
        assert.deepEqual(warnings, [], `${label} loading warned`);
        assert.equal(loaded.optimizer!.variables().length, original.optimizer!.variables().length, `${label} optimizer variable count`);
        assert.ok(loaded.optimizer!.variables().length > 2 || c.label.startsWith('sgd /'), `${label} slots were saved`);
        assert.equal(loaded.optimizer!.iterations, 0, `${label} iterations`);
        assert.deepEqual(state(loaded), state(original), `${label} optimizer state`);
        const a = steps(original, x, y, 2);
        const b = steps(loaded, x, y, 2);
        const t = steps(twin, x, y, 2);
        assert.deepEqual(b, a, `${label} continued losses/metrics`);
        assert.deepEqual(t, a, `${label} saving changed training`);
        assert.deepEqual(weightBytes(loaded), weightBytes(original), `${label} weights`);
        assert.deepEqual(weightBytes(twin), weightBytes(original), `${label} weights vs never-saved twin`);
      }
    }
  } finally {
    dir.cleanup();
  }
});

// model.json: weights and (where tfjs has the loss/optimizer) the training config travel, the
// optimizer state does not. Plain SGD has no state, so its continued training must match exactly;
// what tfjs cannot express is saved uncompiled with a warning that says why.
test('model.json round trips: predictions always; compile config where tfjs can express it; a clear warning where not', async () => {
  const dir = tempDir();
  try {
    let compiled = 0;
    let refused = 0;
    for (const c of CASES) {
      const label = `[${c.label} .json]`;
      const { x, y } = data(c.task);
      const original = model(c);
      steps(original, x, y, 2);
      mkdirSync(dir.path(`j-${CASES.indexOf(c)}`));
      const file = dir.path(`j-${CASES.indexOf(c)}/model.json`);
      const saved = await captureWarnings(() => original.save(file));
      const { value: loaded } = await captureWarnings(() => loadModel(file));
      assert.deepEqual(loaded.predict(x).arraySync(), original.predict(x).arraySync(), `${label} predictions`);
      if (saved.warnings.length > 0) {
        refused++;
        assert.equal(saved.warnings.length, 1, `${label} one warning`);
        assert.match(saved.warnings[0]!, /model\.json': saved without a trainingConfig \(tfjs could not read it: .+\); the loaded model is uncompiled/, label);
        assert.match(saved.warnings[0]!, /loss|metric|optimizer/, `${label} the warning names what tfjs lacks`);
        assert.equal(loaded.compiled, null, `${label} uncompiled`);
        continue;
      }
      compiled++;
      assert.ok(loaded.compiled, `${label} compiled`);
      assert.equal(loaded.compiled!.loss.name, original.compiled!.loss.name, `${label} loss`);
      assert.deepEqual(loaded.compiled!.metricSpecs, original.compiled!.metricSpecs, `${label} metrics`);
      const lc = loaded.optimizer!.getConfig();
      const oc = original.optimizer!.getConfig();
      assert.equal((loaded.optimizer!.constructor as { className?: string }).className, (original.optimizer!.constructor as { className?: string }).className, `${label} optimizer class`);
      for (const key of ['learning_rate', 'momentum', 'nesterov', 'beta_1', 'beta_2', 'epsilon', 'rho', 'centered']) {
        if (key in oc) assert.deepEqual(lc[key], oc[key], `${label} optimizer ${key}`);
      }
      // Nothing that changes training may be dropped silently (tfjs has no clipping or weight decay).
      for (const key of ['clipnorm', 'clipvalue', 'global_clipnorm', 'weight_decay', 'use_ema']) assert.deepEqual(lc[key], oc[key], `${label} optimizer ${key}`);
      if (c.label === 'sgd / mse') {
        const a = steps(original, x, y, 2);
        const b = steps(loaded, x, y, 2);
        assert.deepEqual(b, a, `${label} continued losses/metrics`);
        assert.deepEqual(weightBytes(loaded), weightBytes(original), `${label} weights after 2 more steps`);
      }
    }
    // Both paths must have been exercised (SGD/Adam/RMSprop… compile; AdamW/Nadam/schedules/loss objects cannot).
    assert.ok(compiled >= 5 && refused >= 5, `compiled ${compiled}, refused ${refused}`);
  } finally {
    dir.cleanup();
  }
});
