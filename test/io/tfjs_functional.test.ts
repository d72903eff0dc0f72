// The TensorFlow.js layers format for functional models (issue 11): kiln writes a graph that real
// tfjs loads and predicts alike, and reads it back; a graph built in tfjs loads into kiln.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as kiln from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { loadModel } from '../../src/io/index.js';
import { maxAbsDiff, tempDir } from './helpers.js';
import { fileLoader, saveLikeTfjs } from './tfjs_helpers.js';

test('kiln functional (two inputs, shared layer, merges, two outputs) → model.json → tf.loadLayersModel and back', async () => {
  kiln.setSeed(21);
  const a = kiln.input({ shape: [4], name: 'a' });
  const b = kiln.input({ shape: [4], name: 'b' });
  const shared = kiln.layers.dense({ units: 3, activation: 'relu', name: 'shared' });
  const [ha, hb] = [shared.apply(a), shared.apply(b)];
  const cat = kiln.layers.concatenate({ name: 'cat' }).apply([ha, hb]);
  const model = kiln.model({ inputs: [a, b], outputs: [kiln.layers.dense({ units: 2, activation: 'softmax', name: 'probs' }).apply(cat), kiln.layers.add({ name: 'sum' }).apply([ha, hb])] });
  const t = tempDir('kiln-tfjs-functional-');
  try {
    await model.save(t.path('model.json'));
    const xa = kiln.randomNormal([5, 4]);
    const xb = kiln.randomNormal([5, 4]);
    const want = model.predict<Tensor[]>([xa, xb]);
    const tm = await tf.loadLayersModel(fileLoader(t.path('model.json'), t.dir));
    assert.deepEqual(tm.inputNames, ['a', 'b']);
    const got = tm.predict([tf.tensor(xa.arraySync() as number[][]), tf.tensor(xb.arraySync() as number[][])]) as tf.Tensor[];
    got.forEach((g, i) => assert.ok(maxAbsDiff(g.arraySync(), want[i]!.arraySync()) < 1e-6, `tfjs output ${i}`));
    const again = await loadModel(t.path('model.json'));
    const back = again.predict<Tensor[]>([xa, xb]);
    back.forEach((g, i) => assert.equal(maxAbsDiff(g.arraySync(), want[i]!.arraySync()), 0, `kiln output ${i}`));
    assert.equal(again.getLayer('shared').inboundNodes.length, 2);
  } finally {
    t.cleanup();
  }
});

test('a functional model built in tfjs (saved as tfjs-node writes it) loads into kiln with the same predictions', async () => {
  const x = tf.input({ shape: [3], name: 'x' });
  const y = tf.input({ shape: [2], name: 'y' });
  const hx = tf.layers.dense({ units: 4, activation: 'tanh', name: 'hx' }).apply(x) as tf.SymbolicTensor;
  const merged = tf.layers.concatenate({ name: 'merged' }).apply([hx, y]) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 1, name: 'out' }).apply(merged) as tf.SymbolicTensor;
  const tm = tf.model({ inputs: [x, y], outputs: out });
  const t = tempDir('kiln-tfjs-functional-in-');
  try {
    const path = await saveLikeTfjs(tm, t.dir);
    const model = await loadModel(path);
    assert.ok(model instanceof kiln.Functional);
    const xs = [[0.1, -0.4, 0.9], [1.2, 0.3, -0.7]];
    const ys = [[0.5, -1], [0, 2]];
    const want = (tm.predict([tf.tensor(xs), tf.tensor(ys)]) as tf.Tensor).arraySync();
    assert.ok(maxAbsDiff(model.predict([kiln.tensor(xs), kiln.tensor(ys)]).arraySync(), want) < 1e-6);
  } finally {
    t.cleanup();
  }
});
