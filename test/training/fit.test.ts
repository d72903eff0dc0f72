import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import { captureStdout } from '../helpers/capture_stdout.js';


function seedModel() {
  return kiln.sequential([
    kiln.layers.dense({ units: 64, activation: 'relu', inputShape: [784] }),
    kiln.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
}

test('the seed program: fit prints Keras lines, evaluate returns [loss, acc], predict gives [n, 10]', async () => {
  kiln.setSeed(42);
  const model = seedModel();
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const x = kiln.randomUniform([100, 784]);
  const y = kiln.randomInt([100, 1], 0, 10);
  const { out, result: history } = await captureStdout(() => model.fit(x, y, { epochs: 3, batchSize: 32 }));
  const lines = out.split('\n');
  assert.equal(lines[0], 'Epoch 1/3');
  assert.match(lines[1]!, /^4\/4 \[==============================\] - \d+s \d+(ms|us)\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4}$/);
  assert.equal(lines[2], 'Epoch 2/3');
  assert.ok(!out.includes('\r'), 'no carriage returns off a terminal');
  assert.deepEqual(history.epoch, [0, 1, 2]);
  assert.equal(history.history.loss!.length, 3);
  assert.ok(history.history.loss![2]! < history.history.loss![0]!, 'training loss decreases on the training data');

  const { out: evalOut, result } = await captureStdout(() => model.evaluate(x, y, { verbose: 2 }));
  assert.match(evalOut, /^4\/4 - \d+s - loss: \d\.\d{4} - accuracy: \d\.\d{4} - \d+(s|ms|us)\/epoch - \d+(ms|us)\/step\n$/);
  const [loss, acc] = result as number[];
  assert.ok(Number.isFinite(loss) && acc! >= 0 && acc! <= 1);

  const probs = model.predict(kiln.randomUniform([5, 784]));
  assert.deepEqual(probs.shape, [5, 10]);
  const rows = (await probs.array()) as number[][];
  for (const row of rows) assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5);
});

test('fit accepts plain nested arrays, validationSplit and gives val_ keys', async () => {
  kiln.setSeed(1);
  const model = kiln.sequential([kiln.layers.dense({ units: 2, activation: 'softmax', inputShape: [3] })]);
  model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const x = Array.from({ length: 20 }, (_, i) => [i / 20, 1 - i / 20, (i % 3) / 3]);
  const y = Array.from({ length: 20 }, (_, i) => (i < 10 ? 0 : 1));
  const h = await model.fit(x, y, { epochs: 2, batchSize: 4, validationSplit: 0.25, verbose: 0 });
  assert.deepEqual(Object.keys(h.history).sort(), ['accuracy', 'loss', 'val_accuracy', 'val_loss']);
  const p = model.predict(x);
  assert.deepEqual(p.shape, [20, 2]);
});

test('verbose 0 prints nothing; verbose 2 prints one line per epoch', async () => {
  kiln.setSeed(2);
  const model = kiln.sequential([kiln.layers.dense({ units: 1, inputShape: [2] })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const x = kiln.randomNormal([8, 2]);
  const y = kiln.randomNormal([8, 1]);
  const silent = await captureStdout(() => model.fit(x, y, { epochs: 2, verbose: 0 }));
  assert.equal(silent.out, '');
  const two = await captureStdout(() => model.fit(x, y, { epochs: 2, verbose: 2 }));
  const lines = two.out.trimEnd().split('\n');
  assert.equal(lines.length, 4);
  assert.equal(lines[0], 'Epoch 1/2');
  assert.match(lines[1]!, /^1\/1 - \d+s - loss: [\d.e+-]+ - \d+(s|ms|us)\/epoch - \d+(s|ms|us)\/step$/);
  const evalOnly = await model.evaluate(x, y, { verbose: 0 });
  assert.equal(typeof evalOnly, 'number', 'evaluate returns a number when there are no metrics');
});

test('callbacks: hooks in Keras order, async awaited, stopTraining ends fit', async () => {
  kiln.setSeed(3);
  const model = kiln.sequential([kiln.layers.dense({ units: 1, inputShape: [2] })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const events: string[] = [];
  class Recorder extends kiln.callbacks.Callback {
    override onTrainBegin() { events.push('trainBegin'); }
    override onEpochBegin(e: number) { events.push(`epochBegin${e}`); }
    override async onBatchEnd(b: number) {
      await new Promise((r) => setTimeout(r, 1));
      events.push(`batchEnd${b}`);
    }
    override onTestBegin() { events.push('testBegin'); }
    override onEpochEnd(e: number, logs: kiln.Logs) {
      events.push(`epochEnd${e}:${Object.keys(logs).join(',')}`);
      if (e === 1) this.model!.stopTraining = true;
    }
    override onTrainEnd() { events.push('trainEnd'); }
  }
  const x = kiln.randomNormal([4, 2]);
  const y = kiln.randomNormal([4, 1]);
  const h = await model.fit(x, y, { epochs: 5, batchSize: 2, verbose: 0, validationData: [x, y], callbacks: [new Recorder()] });
  assert.deepEqual(events, [
    'trainBegin',
    'epochBegin0', 'batchEnd0', 'batchEnd1', 'testBegin', 'epochEnd0:loss,val_loss',
    'epochBegin1', 'batchEnd0', 'batchEnd1', 'testBegin', 'epochEnd1:loss,val_loss',
    'trainEnd',
  ]);
  assert.deepEqual(h.epoch, [0, 1]);
});

test('initialEpoch: epochs is the final epoch index, as in Keras', async () => {
  const model = kiln.sequential([kiln.layers.dense({ units: 1, inputShape: [2] })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const h = await model.fit(kiln.randomNormal([4, 2]), kiln.randomNormal([4, 1]), { epochs: 5, initialEpoch: 3, verbose: 0 });
  assert.deepEqual(h.epoch, [3, 4]);
});

test('trainOnBatch / testOnBatch / predictOnBatch', () => {
  kiln.setSeed(4);
  const model = kiln.sequential([kiln.layers.dense({ units: 3, activation: 'softmax', inputShape: [2] })]);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const x = kiln.randomNormal([6, 2]);
  const y = kiln.tensor([0, 1, 2, 0, 1, 2], [6], 'int32');
  const before = model.testOnBatch(x, y) as number[];
  for (let i = 0; i < 50; i++) model.trainOnBatch(x, y);
  const after = model.testOnBatch(x, y) as number[];
  assert.ok(after[0]! < before[0]!, `loss ${before[0]} → ${after[0]}`);
  assert.deepEqual(model.predictOnBatch(x).shape, [6, 3]);
});

test('sample weights of zero remove samples from the loss', async () => {
  kiln.setSeed(5);
  const model = kiln.sequential([kiln.layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'ones' })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const x = kiln.tensor([[1], [2]]);
  const y = kiln.tensor([[1], [100]]);
  // Prediction equals x (kernel 1, bias 0): errors 0 and 98², weighted 1 and 0 → loss 0.
  const loss = await model.evaluate(x, y, { verbose: 0, sampleWeight: [1, 0] });
  assert.equal(loss, 0);
});

test('getWeights returns Keras order (kernel, bias per layer) and setWeights round-trips', () => {
  kiln.setSeed(6);
  const model = seedModel();
  const ws = model.getWeights();
  assert.deepEqual(ws.map((w) => w.shape), [[784, 64], [64], [64, 10], [10]]);
  const zeros = ws.map((w) => kiln.zerosLike(w));
  model.setWeights(zeros);
  assert.ok(model.getWeights().every((w) => w.dataSync().every((v) => v === 0)));
});

test('summary prints the Keras table', () => {
  kiln.clearSession();
  const model = seedModel();
  const lines: string[] = [];
  model.summary((l) => lines.push(l));
  const text = lines.join('\n');
  assert.match(text, /dense \(Dense\)\s+\(None, 64\)\s+50240/);
  assert.match(text, /dense_1 \(Dense\)\s+\(None, 10\)\s+650/);
  assert.match(text, /Total params: 50890 \(198\.79 KB\)/);
});
