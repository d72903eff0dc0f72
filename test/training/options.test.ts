// Issue 9, item 4: unknown options are refused (they were ignored), and fit's stepsPerEpoch,
// validationSteps and verbose: 'auto' do what Keras's do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import { ValueError } from '../../src/errors.js';

function data(n = 20) {
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    x.push([Math.sin(i * 1.3), Math.cos(i * 0.7)]);
    y.push(Math.sin(i * 0.4));
  }
  return { x, y };
}

function model(seed = 7) {
  kiln.setSeed(seed);
  const m = kiln.sequential([kiln.layers.dense({ units: 1, inputShape: [2] })]);
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m;
}

/** Counts training batches per epoch, test batches, and the params fit announced. */
function counter() {
  const perEpoch: number[] = [];
  let testBatches = 0;
  const cb = kiln.callbacks.lambdaCallback({
    onEpochBegin: () => void perEpoch.push(0),
    onTrainBatchEnd: () => void perEpoch[perEpoch.length - 1]!++,
    onTestBatchEnd: () => void testBatches++,
  });
  return { cb, perEpoch, testBatches: () => testBatches };
}

async function quietly<T>(fn: () => Promise<T>): Promise<{ value: T; warnings: string[]; out: string }> {
  const warnings: string[] = [];
  let out = '';
  const warn = console.warn;
  const write = process.stdout.write;
  console.warn = (...a: unknown[]) => void warnings.push(a.map(String).join(' '));
  process.stdout.write = ((s: string | Uint8Array) => ((out += String(s)), true)) as typeof process.stdout.write;
  try {
    return { value: await fn(), warnings, out };
  } finally {
    console.warn = warn;
    process.stdout.write = write;
  }
}

test("fit refuses { epoch: 3 } with a ValueError naming it and suggesting 'epochs'", async () => {
  const { x, y } = data();
  await assert.rejects(model().fit(x, y, { epoch: 3 } as never), (e: Error) => {
    assert.ok(e instanceof ValueError, e.message);
    assert.match(e.message, /'epoch'/);
    assert.match(e.message, /did you mean 'epochs'\?/);
    return true;
  });
  // In snake spelling, the hint is snake too.
  await assert.rejects(model().fit(x, y, { batch_sise: 8 } as never), /did you mean 'batch_size'\?/);
});

test('fit still takes snake_case options: { batch_size: 8 } runs 3 batches of 20 rows', async () => {
  const { x, y } = data();
  const c = counter();
  await model().fit(x, y, { batch_size: 8, epochs: 2, verbose: 0, callbacks: [c.cb] });
  assert.deepEqual(c.perEpoch, [3, 3]);
});

test("compile refuses an unknown option ({ metric: [...] } → did you mean 'metrics'?)", () => {
  const m = kiln.sequential([kiln.layers.dense({ units: 1, inputShape: [2] })]);
  assert.throws(() => m.compile({ loss: 'mse', metric: ['mae'] } as never), (e: Error) => e instanceof ValueError && /'metric'.*did you mean 'metrics'\?/.test(e.message));
});

test('evaluate refuses an unknown option and still takes returnDict / return_dict', async () => {
  const { x, y } = data();
  const m = model();
  await assert.rejects(m.evaluate(x, y, { verbose: 0, returnDic: true } as never), (e: Error) => e instanceof ValueError && /did you mean 'returnDict'\?/.test(e.message));
  const logs = await m.evaluate(x, y, { verbose: 0, return_dict: true });
  assert.equal(typeof logs['loss'], 'number');
});

test("predict refuses an unknown option ({ batchSise } → did you mean 'batchSize'?)", () => {
  const { x } = data();
  assert.throws(() => model().predict(x, { batchSise: 4 } as never), (e: Error) => e instanceof ValueError && /did you mean 'batchSize'\?/.test(e.message));
  assert.deepEqual(model().predict(x, { batch_size: 4 }).shape, [20, 1]);
});

test('stepsPerEpoch below a pass: the next epoch continues the pass (Keras epoch iterator), the cut-short epoch warns', async () => {
  const { x, y } = data();
  // 20 rows in batches of 4 is 5 batches a pass; 3 steps an epoch: [0,1,2] [3,4 + out of data] [0,1,2].
  const c = counter();
  const a = model();
  const { warnings } = await quietly(() => a.fit(x, y, { epochs: 3, batchSize: 4, stepsPerEpoch: 3, shuffle: false, verbose: 0, callbacks: [c.cb] }));
  assert.deepEqual(c.perEpoch, [3, 2, 3]);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /ran out of data/);
  // The same weights as training on those batches one by one.
  const b = model();
  for (const start of [0, 4, 8, 12, 16, 0, 4, 8]) b.trainOnBatch(x.slice(start, start + 4), y.slice(start, start + 4));
  assert.deepEqual(a.getWeights().map((w) => Array.from(w.dataSync())), b.getWeights().map((w) => Array.from(w.dataSync())));
});

test('stepsPerEpoch above a pass: each epoch ends when the data runs out; the progress bar targets stepsPerEpoch', async () => {
  const { x, y } = data();
  const c = counter();
  let steps = -1;
  const params = kiln.callbacks.lambdaCallback({ onTrainBegin() { steps = (this as unknown as kiln.callbacks.Callback).params.steps; } });
  const { warnings, out } = await quietly(() => model().fit(x, y, { epochs: 2, batchSize: 4, stepsPerEpoch: 7, verbose: 1, callbacks: [c.cb, params] }));
  assert.deepEqual(c.perEpoch, [5, 5]);
  assert.equal(steps, 7);
  assert.match(out, /\/7 /);
  assert.equal(warnings.length, 1);
});

test('stepsPerEpoch and validationSteps must be positive integers', async () => {
  const { x, y } = data();
  await assert.rejects(model().fit(x, y, { stepsPerEpoch: 0, verbose: 0 }), (e: Error) => e instanceof ValueError && /stepsPerEpoch/.test(e.message));
  await assert.rejects(model().fit(x, y, { validation_steps: 1.5, verbose: 0 }), (e: Error) => e instanceof ValueError && /validationSteps/.test(e.message));
});

test('validationSteps limits validation to its first batches', async () => {
  const { x, y } = data();
  const c = counter();
  const m = model();
  const h = await m.fit(x.slice(0, 12), y.slice(0, 12), {
    epochs: 1, batchSize: 4, verbose: 0, validationData: [x.slice(12), y.slice(12)], validationBatchSize: 2, validationSteps: 2, callbacks: [c.cb],
  });
  assert.equal(c.testBatches(), 2);
  const first = await m.evaluate(x.slice(12, 16), y.slice(12, 16), { verbose: 0, batchSize: 2 });
  assert.ok(Math.abs(h.history['val_loss']![0] as number - (first as unknown as number)) < 1e-6);
});

test("verbose: 'auto' is 1 (a progress bar) in fit and evaluate; another string is refused", async () => {
  const { x, y } = data();
  const fitted = await quietly(() => model().fit(x, y, { epochs: 1, batchSize: 4, verbose: 'auto' }));
  assert.match(fitted.out, /5\/5/);
  const evaluated = await quietly(() => model().evaluate(x, y, { batchSize: 4, verbose: 'auto' }));
  assert.match(evaluated.out, /5\/5/);
  await assert.rejects(model().fit(x, y, { verbose: 'loud' as never }), (e: Error) => e instanceof ValueError && /verbose/.test(e.message));
});
