// The functional API (issue 11): symbolic inputs, graphs with several inputs and outputs, shared
// layers, nested models, merge layers, the errors of bad graphs, and training through the one
// graph engine Sequential also runs on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { assertClose, checkGradients } from '../helpers/gradcheck.js';
import { mulberry32 } from '../helpers/random.js';

const named = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof cls, `expected ${cls.name}, got ${(e as Error).constructor.name}: ${(e as Error).message}`);
  assert.match((e as Error).message, re);
  return true;
};

function twoInTwoOut() {
  const numeric = kiln.input({ shape: [5], name: 'numeric' });
  const extra = kiln.input({ shape: [3], name: 'extra' });
  const hidden = kiln.layers.dense({ units: 8, activation: 'relu', name: 'hidden' }).apply(numeric);
  const merged = kiln.layers.concatenate({ name: 'merge' }).apply([hidden, extra]);
  const label = kiln.layers.dense({ units: 1, activation: 'sigmoid', name: 'label' }).apply(merged);
  const value = kiln.layers.dense({ units: 2, name: 'value' }).apply(merged);
  return { numeric, extra, hidden, merged, label, value, model: kiln.model({ inputs: [numeric, extra], outputs: [label, value] }) };
}

function data(n: number, seed: number) {
  const r = mulberry32(seed);
  const a = Array.from({ length: n }, () => Array.from({ length: 5 }, () => r()));
  const b = Array.from({ length: n }, () => Array.from({ length: 3 }, () => r()));
  const yl = a.map((row, i) => [row[0]! + b[i]![0]! > 1 ? 1 : 0]);
  const yv = a.map((row, i) => [row[1]! - row[2]!, b[i]![1]! * 2]);
  return { a: kiln.tensor(a), b: kiln.tensor(b), yl: kiln.tensor(yl), yv: kiln.tensor(yv) };
}

test('symbolic tensors: kiln.input and layer.apply give shapes and record the graph', () => {
  const { numeric, hidden, merged, label, model } = twoInTwoOut();
  assert.deepEqual(numeric.shape, [null, 5]);
  assert.deepEqual(hidden.shape, [null, 8]);
  assert.deepEqual(merged.shape, [null, 11]);
  assert.equal(label.history.layer.name, 'label');
  assert.deepEqual(model.layers.map((l) => l.name), ['numeric', 'hidden', 'extra', 'merge', 'label', 'value']);
  assert.deepEqual(model.inputNames, ['numeric', 'extra']);
  assert.deepEqual(model.outputNames, ['label', 'value']);
  assert.equal(model.inputs.length, 2);
  assert.equal(model.getLayer('merge').name, 'merge');
  assert.equal(model.countParams(), 5 * 8 + 8 + 11 + 1 + 11 * 2 + 2);
  const [l, v] = model.apply([kiln.ones([4, 5]), kiln.ones([4, 3])]) as unknown as Tensor[];
  assert.deepEqual([l!.shape, v!.shape], [[4, 1], [4, 2]]);
});

test('summary: the graph gets Keras 2.15\'s wide table with "Connected to"; a chain prints like Sequential', () => {
  const lines: string[] = [];
  twoInTwoOut().model.summary((l) => lines.push(l));
  assert.equal(lines[1]!.length, 98);
  // Columns end at 32, 53, 65 and 98 (Keras's positions .33, .55, .67, 1 of 98).
  assert.equal(lines[2], ' Layer (type)'.padEnd(32) + 'Output Shape'.padEnd(21) + 'Param #'.padEnd(12) + 'Connected to'.padEnd(33));
  const merge = lines.findIndex((l) => l.startsWith(' merge (Concatenate)'));
  assert.match(lines[merge]!, /\(None, 11\)\s+0\s+\['hidden\[0\]\[0\]',\s*$/);
  assert.match(lines[merge + 1]!, /^\s+'extra\[0\]\[0\]'\]\s*$/);
  assert.ok(lines.some((l) => /^ numeric \(InputLayer\)\s+\[\(None, 5\)\]\s+0\s+\[\]/.test(l)));
  assert.ok(lines.includes('Total params: 84 (336.00 Byte)'));
  const inp = kiln.input({ shape: [4] });
  const chain = kiln.model({ inputs: inp, outputs: kiln.layers.dense({ units: 2 }).apply(inp) });
  const chainLines: string[] = [];
  chain.summary((l) => chainLines.push(l));
  assert.equal(chainLines[1]!.length, 65);
  assert.ok(!chainLines[2]!.includes('Connected to'));
});

test('several inputs and outputs train with per-output losses, lossWeights and metrics under Keras 3 log names', async () => {
  kiln.setSeed(5);
  const { model } = twoInTwoOut();
  model.compile({ optimizer: kiln.optimizers.adam({ learningRate: 0.02 }), loss: ['binary_crossentropy', 'mse'], lossWeights: [1, 0.5], metrics: { label: ['accuracy'], value: ['mae'] } });
  const d = data(256, 1);
  const h = await model.fit({ numeric: d.a, extra: d.b }, [d.yl, d.yv], { epochs: 12, batchSize: 32, validationSplit: 0.25, verbose: 0, monitor: false });
  assert.deepEqual(Object.keys(h.history), [
    'loss', 'label_loss', 'value_loss', 'label_accuracy', 'value_mae',
    'val_loss', 'val_label_loss', 'val_value_loss', 'val_label_accuracy', 'val_value_mae',
  ]);
  const loss = h.history['loss'] as number[];
  assert.ok(loss.at(-1)! < 0.7 * loss[0]!, `the total loss falls: ${loss.join(' ')}`);
  // The total is the weighted sum of the per-output parts (the value part is already weighted 0.5).
  const i = loss.length - 1;
  assertClose([loss[i]!], [(h.history['label_loss'] as number[])[i]! + (h.history['value_loss'] as number[])[i]!], 1e-5, 1e-6, 'loss = label_loss + value_loss');
  const [pl, pv] = model.predict<Tensor[]>([d.a, d.b]);
  assert.deepEqual([pl!.shape, pv!.shape], [[256, 1], [256, 2]]);
  const ev = await model.evaluate([d.a, d.b], { label: d.yl, value: d.yv }, { returnDict: true, verbose: 0 });
  assert.deepEqual(Object.keys(ev), ['loss', 'label_loss', 'value_loss', 'label_accuracy', 'value_mae']);
  assert.ok((ev['label_accuracy'] as number) > 0.75, `label accuracy ${ev['label_accuracy']}`);
});

test('record outputs: predict returns a record, losses and metrics by output name', async () => {
  kiln.setSeed(6);
  const x = kiln.input({ shape: [5], name: 'x' });
  const h = kiln.layers.dense({ units: 6, activation: 'tanh' }).apply(x);
  const model = kiln.model({ inputs: { x }, outputs: { score: kiln.layers.dense({ units: 1 }).apply(h), prob: kiln.layers.dense({ units: 1, activation: 'sigmoid' }).apply(h) } });
  assert.deepEqual(model.outputNames, ['score', 'prob']);
  model.compile({ optimizer: 'adam', loss: { score: 'mse', prob: 'binary_crossentropy' }, metrics: { prob: ['accuracy'] } });
  const d = data(64, 2);
  const hist = await model.fit({ x: d.a }, { score: d.yl, prob: d.yl }, { epochs: 2, verbose: 0, monitor: false });
  assert.ok('score_loss' in hist.history && 'prob_accuracy' in hist.history);
  const out = model.predict<Record<string, Tensor>>({ x: d.a });
  assert.deepEqual(Object.keys(out), ['score', 'prob']);
  assert.deepEqual(out['prob']!.shape, [64, 1]);
});

test('a shared layer applied twice has one set of weights, trained by both calls; a nested model is a layer', async () => {
  kiln.setSeed(7);
  const shared = kiln.layers.dense({ units: 4, activation: 'tanh', name: 'shared' });
  const a = kiln.input({ shape: [3], name: 'a' });
  const b = kiln.input({ shape: [3], name: 'b' });
  const sum = kiln.layers.add({ name: 'sum' }).apply([shared.apply(a), shared.apply(b)]);
  const head = kiln.sequential([kiln.layers.dense({ units: 2, activation: 'relu', inputShape: [4] }), kiln.layers.dense({ units: 1 })]);
  const model = kiln.model({ inputs: [a, b], outputs: head.apply(sum) });
  assert.equal(shared.inboundNodes.length, 2);
  assert.equal(model.trainableWeights.length, 2 + 4, 'shared kernel and bias once, plus the nested model\'s four');
  const lines: string[] = [];
  model.summary((l) => lines.push(l));
  const row = lines.findIndex((l) => l.startsWith(' shared (Dense)'));
  assert.match(lines[row]!, /multiple\s+16\s+\['a\[0\]\[0\]',/);
  assert.match(lines[row + 1]!, /'b\[0\]\[0\]'\]/);
  const xa = kiln.randomUniform([8, 3]);
  const xb = kiln.randomUniform([8, 3]);
  // Against a hand-made forward with the same weights.
  const [k, bias] = shared.getWeights();
  const f = (x: Tensor) => kiln.tanh(kiln.add(kiln.matMul(x, k!), bias!));
  const want = head.predict(kiln.add(f(xa), f(xb)));
  assertClose(model.predict([xa, xb]).dataSync(), want.dataSync(), 1e-5, 1e-6, 'shared + nested forward');
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const before = shared.getWeights()[0]!.dataSync().slice();
  await model.fit([xa, xb], kiln.randomUniform([8, 1]), { epochs: 1, verbose: 0, monitor: false });
  assert.notDeepEqual(Array.from(shared.getWeights()[0]!.dataSync()), Array.from(before));
});

test('merge layers: values against their definitions, and gradient checks', () => {
  const r = mulberry32(3);
  const t = (shape: number[]) => kiln.tensor(Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () => r() * 2 - 1), shape);
  const a = t([3, 4]);
  const b = t([3, 4]);
  const c = t([3, 4]);
  const av = a.dataSync();
  const bv = b.dataSync();
  const cv = c.dataSync();
  const each = (fn: (i: number) => number) => Float32Array.from({ length: 12 }, (_, i) => fn(i));
  assertClose(kiln.layers.add().apply([a, b, c]).dataSync(), each((i) => av[i]! + bv[i]! + cv[i]!));
  assertClose(kiln.layers.subtract().apply([a, b]).dataSync(), each((i) => av[i]! - bv[i]!));
  assertClose(kiln.layers.multiply().apply([a, b]).dataSync(), each((i) => av[i]! * bv[i]!));
  assertClose(kiln.layers.average().apply([a, b, c]).dataSync(), each((i) => (av[i]! + bv[i]! + cv[i]!) / 3));
  assertClose(kiln.layers.maximum().apply([a, b]).dataSync(), each((i) => Math.max(av[i]!, bv[i]!)));
  assertClose(kiln.layers.minimum().apply([a, b]).dataSync(), each((i) => Math.min(av[i]!, bv[i]!)));
  assert.deepEqual(kiln.layers.concatenate().apply([a, t([3, 2])]).shape, [3, 6]);
  assert.deepEqual(kiln.layers.concatenate({ axis: 1 }).apply([t([2, 3, 4]), t([2, 5, 4])]).shape, [2, 8, 4]);
  const dot = kiln.layers.dot({ axes: 1 }).apply([a, b]);
  assert.deepEqual(dot.shape, [3, 1]);
  assertClose(dot.dataSync(), Float32Array.from([0, 1, 2], (row) => [0, 1, 2, 3].reduce((s, j) => s + av[row * 4 + j]! * bv[row * 4 + j]!, 0)));
  const cos = kiln.layers.dot({ axes: 1, normalize: true }).apply([a, a]).dataSync();
  assertClose(cos, [1, 1, 1], 1e-5, 1e-5, 'cosine of a vector with itself');
  assert.deepEqual(kiln.layers.dot({ axes: 2 }).apply([t([2, 3, 4]), t([2, 5, 4])]).shape, [2, 3, 5]);
  assert.deepEqual(kiln.layers.dot({ axes: [1, 2] }).apply([t([2, 4, 3]), t([2, 5, 4])]).shape, [2, 3, 5]);
  for (const [label, layer] of [
    ['add', kiln.layers.add()], ['subtract', kiln.layers.subtract()], ['multiply', kiln.layers.multiply()], ['average', kiln.layers.average()],
    ['maximum', kiln.layers.maximum()], ['minimum', kiln.layers.minimum()], ['concatenate', kiln.layers.concatenate()], ['dot', kiln.layers.dot({ axes: 1 })],
  ] as const) {
    checkGradients((x, y) => layer.apply([x, y]) as Tensor, [t([3, 4]), t([3, 4])], { label });
  }
  checkGradients((x, y) => kiln.layers.dot({ axes: 2, normalize: true }).apply([x, y]) as Tensor, [t([2, 3, 4]), t([2, 2, 4])], { label: 'dot normalize rank 3' });
});

test('bad graphs get clear errors naming the tensor or layer', () => {
  const { numeric, extra, hidden, label } = twoInTwoOut();
  assert.throws(() => kiln.model({ inputs: numeric, outputs: label }), named(kiln.errors.ValueError, /graph disconnected: output 'label' needs input 'extra', which is not among the model's inputs \['numeric'\]/));
  const unused = kiln.input({ shape: [2], name: 'unused' });
  assert.throws(() => kiln.model({ inputs: [numeric, unused], outputs: hidden }), named(kiln.errors.ValueError, /input 'unused' is not connected to any output/));
  assert.throws(() => kiln.layers.add({ name: 'bad_add' }).apply([hidden, extra]), named(kiln.errors.ShapeError, /Add 'bad_add': input shapes do not match at axis 1: \[None, 8\], \[None, 3\]/));
  assert.throws(() => kiln.layers.concatenate({ name: 'bad_cat' }).apply([kiln.input({ shape: [2, 3] }), kiln.input({ shape: [4, 3] })]), named(kiln.errors.ShapeError, /Concatenate 'bad_cat': inputs must match in every dimension but axis -1/));
  assert.throws(() => kiln.layers.subtract().apply([hidden, hidden, hidden]), named(kiln.errors.ValueError, /expects exactly 2 inputs, found 3/));
  assert.throws(() => kiln.model({ inputs: numeric, outputs: kiln.ones([2, 2]) as never }), named(kiln.errors.ValueError, /outputs must be symbolic tensors .* found Tensor/));
  assert.throws(() => kiln.model({ inputs: numeric, outputs: hidden, nme: 'x' } as never), named(kiln.errors.ValueError, /unknown option 'nme'/));
  const m = kiln.model({ inputs: [numeric, extra], outputs: label });
  assert.throws(() => m.predict(kiln.ones([2, 5])), named(kiln.errors.ValueError, /the model has 2 inputs \('numeric', 'extra'\); pass a list of 2 arrays or a record/));
  assert.throws(() => m.predict({ numeric: kiln.ones([2, 5]), extr: kiln.ones([2, 3]) }), named(kiln.errors.ValueError, /no input named 'extr'/));
  assert.throws(() => m.predict([kiln.ones([2, 5]), kiln.ones([2, 4])]), named(kiln.errors.ShapeError, /x\[1\]: model '.*' expects input 'extra' of shape \[None, 3\], found \[2, 4\]/));
  assert.throws(() => m.predict([kiln.ones([2, 5]), kiln.ones([3, 3])]), named(kiln.errors.ValueError, /same number of samples/));
  // A cycle can only come from a config: layer a reads b, b reads a.
  const cyclic = {
    name: 'loop', trainable: true,
    layers: [
      { class_name: 'InputLayer', config: { batch_shape: [null, 2], name: 'in' }, name: 'in', inbound_nodes: [] },
      { class_name: 'Add', config: { name: 'a' }, name: 'a', inbound_nodes: [[['in', 0, 0, {}], ['b', 0, 0, {}]]] },
      { class_name: 'Add', config: { name: 'b' }, name: 'b', inbound_nodes: [[['in', 0, 0, {}], ['a', 0, 0, {}]]] },
    ],
    input_layers: [['in', 0, 0]], output_layers: [['b', 0, 0]],
  };
  assert.throws(() => kiln.Functional.fromConfig(cyclic), named(kiln.errors.ValueError, /layer 'a' can never be called: it reads in\[0\]\[0\], b\[0\]\[0\], which depend on it \(a cycle\)/));
  const missing = { ...cyclic, layers: [cyclic.layers[0], { class_name: 'Dense', config: { name: 'd', units: 1 }, name: 'd', inbound_nodes: [[['nowhere', 0, 0, {}]]] }], output_layers: [['d', 0, 0]] };
  assert.throws(() => kiln.Functional.fromConfig(missing), named(kiln.errors.ValueError, /layer 'd' reads from layer 'nowhere', which is not in the model/));
});

test('configs round-trip in Keras 3 form and load from the Keras 2 form; Sequential runs on the same graph engine', () => {
  kiln.setSeed(8);
  const { model } = twoInTwoOut();
  const x = [kiln.randomUniform([4, 5]), kiln.randomUniform([4, 3])];
  const config = JSON.parse(JSON.stringify(model.getConfig()));
  const merge = config.layers.find((l: { name: string }) => l.name === 'merge');
  assert.deepEqual(merge.inbound_nodes[0].args[0].map((t: { config: { keras_history: unknown } }) => t.config.keras_history), [['hidden', 0, 0], ['extra', 0, 0]]);
  assert.deepEqual(merge.build_config, { input_shape: [[null, 8], [null, 3]] });
  assert.deepEqual(config.input_layers, [['numeric', 0, 0], ['extra', 0, 0]]);
  kiln.clearSession();
  const again = kiln.Functional.fromConfig(config);
  again.setWeights(model.getWeights());
  const [p1, p2] = [model.predict<Tensor[]>(x), again.predict<Tensor[]>(x)];
  assertClose(p2[1]!.dataSync(), p1[1]!.dataSync(), 0, 0, 'same predictions');
  // Keras 2's form: nodes as [[name, node, tensor, kwargs]], a single output as a one-element list.
  const keras2 = {
    name: 'model', layers: [
      { class_name: 'InputLayer', config: { batch_input_shape: [null, 3], dtype: 'float32', name: 'input_1' }, name: 'input_1', inbound_nodes: [] },
      { class_name: 'Dense', config: { name: 'dense_1', units: 2, activation: 'linear' }, name: 'dense_1', inbound_nodes: [[['input_1', 0, 0, {}]]] },
      { class_name: 'Dense', config: { name: 'dense_2', units: 2, activation: 'linear' }, name: 'dense_2', inbound_nodes: [[['input_1', 0, 0, {}]]] },
      { class_name: 'Add', config: { name: 'add_1' }, name: 'add_1', inbound_nodes: [[['dense_1', 0, 0, {}], ['dense_2', 0, 0, {}]]] },
    ],
    input_layers: [['input_1', 0, 0]], output_layers: [['add_1', 0, 0]],
  };
  const legacy = kiln.Functional.fromConfig(keras2);
  assert.deepEqual(legacy.predict(kiln.ones([2, 3])).shape, [2, 2]);
  assert.deepEqual(legacy.layers.map((l) => l.name), ['input_1', 'dense_1', 'dense_2', 'add_1']);
  const seq = kiln.sequential([kiln.input({ shape: [3] }), kiln.layers.dense({ units: 2 })]);
  assert.equal(seq.inputs.length, 1);
  assert.deepEqual(seq.outputs[0]!.shape, [null, 2]);
  // A Sequential model is itself usable as a layer of a functional model.
  const inp = kiln.input({ shape: [3] });
  assert.deepEqual(seq.apply(inp).shape, [null, 2]);
});

test('masks travel along graph edges: a zero-padded sequence through Embedding(maskZero) → LSTM equals the unpadded one', () => {
  kiln.setSeed(3);
  const tokens = kiln.input({ shape: [6], dtype: 'int32', name: 'tokens' });
  const emb = kiln.layers.embedding({ inputDim: 10, outputDim: 4, maskZero: true }).apply(tokens);
  const model = kiln.model({ inputs: tokens, outputs: kiln.layers.dense({ units: 1 }).apply(kiln.layers.lstm({ units: 3 }).apply(emb)) });
  const padded = model.predict(kiln.tensor([[3, 4, 5, 0, 0, 0], [7, 1, 0, 0, 0, 0]], undefined, 'int32')).dataSync();
  const [e, l, d] = model.layers.slice(1);
  const unpadded = (ids: number[]) => kiln.sequential([e!, l!, d!]).predict(kiln.tensor([ids], undefined, 'int32')).dataSync()[0]!;
  const a = unpadded([3, 4, 5]);
  const b = unpadded([7, 1]);
  assertClose(padded, [a, b], 1e-6, 1e-7, 'padded vs unpadded');
  // The same weights without maskZero: the padding now changes the result, so the check above can fail.
  const plain = kiln.layers.embedding({ inputDim: 10, outputDim: 4 });
  const unmasked = kiln.model({ inputs: tokens, outputs: d!.apply(l!.apply(plain.apply(tokens))) });
  plain.setWeights(e!.getWeights());
  const changed = unmasked.predict(kiln.tensor([[3, 4, 5, 0, 0, 0]], undefined, 'int32')).dataSync()[0]!;
  assert.ok(Math.abs(changed - a) > 1e-4, `unmasked ${changed} vs masked ${a}`);
});

test('layers with several outputs: LSTM returnState and Bidirectional mergeMode null give one symbolic tensor each', () => {
  kiln.setSeed(9);
  const seq = kiln.input({ shape: [5, 3], name: 'seq' });
  const lstm = kiln.layers.lstm({ units: 4, returnState: true, name: 'lstm' });
  const outs = lstm.apply(seq) as unknown as kiln.KerasTensor[];
  assert.equal(outs.length, 3, 'output, h, c');
  assert.deepEqual(outs.map((t) => t.shape), [[null, 4], [null, 4], [null, 4]]);
  const bi = kiln.layers.bidirectional({ layer: kiln.layers.gru({ units: 2, returnSequences: true }), mergeMode: null, name: 'bi' }).apply(seq) as unknown as kiln.KerasTensor[];
  assert.deepEqual(bi.map((t) => t.shape), [[null, 5, 2], [null, 5, 2]]);
  const model = kiln.model({ inputs: seq, outputs: [...outs, ...bi] });
  const x = kiln.randomNormal([2, 5, 3]);
  const got = model.predict<Tensor[]>(x);
  const want = lstm.applyWithStates(x);
  want.forEach((w, i) => assertClose(got[i]!.dataSync(), w.dataSync(), 1e-6, 1e-7, `LSTM output ${i}`));
  assertClose(got[0]!.dataSync(), got[1]!.dataSync(), 0, 0, 'the last output is the final h');
  assert.deepEqual(got[3]!.shape, [2, 5, 2]);
  // A Sequential model needs one output per layer.
  assert.throws(() => kiln.sequential([kiln.input({ shape: [5, 3] }), kiln.layers.lstm({ units: 2, returnState: true })]), named(kiln.errors.ShapeError, /layer 'lstm_\d+' has several outputs; a Sequential model needs one output per layer/));
});

test('a Sequential model built layer by layer calls each layer once in its graph, however many are added', () => {
  const seq = kiln.sequential([kiln.input({ shape: [4] })]);
  const added = Array.from({ length: 40 }, () => kiln.layers.dense({ units: 4, activation: 'tanh' }));
  for (const l of added) seq.add(l);
  assert.deepEqual(added.map((l) => l.inboundNodes.length), added.map(() => 1));
  assert.deepEqual(seq.outputs[0]!.shape, [null, 4]);
  assert.deepEqual(seq.predict(kiln.ones([2, 4])).shape, [2, 4]);
  seq.pop();
  assert.equal(seq.layers.length, 39);
  assert.deepEqual(seq.predict(kiln.ones([2, 4])).shape, [2, 4]);
});
