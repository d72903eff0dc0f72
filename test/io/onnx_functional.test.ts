// ONNX export of functional models (issue 11): several inputs and outputs, shared layers, merges
// and a nested Sequential, run in onnxruntime and compared with kiln's predict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import * as kiln from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { exportOnnx } from '../../src/io/onnx/index.js';
import { assertAllClose } from './onnx_helpers.js';
import { tempDir } from './helpers.js';

const f32 = (t: Tensor) => Float32Array.from(t.dataSync() as ArrayLike<number>);

test('a two-input, three-output functional model with a shared layer, merges and a nested model matches onnxruntime', async () => {
  kiln.setSeed(12);
  const a = kiln.input({ shape: [5], name: 'a' });
  const b = kiln.input({ shape: [5], name: 'b' });
  const shared = kiln.layers.dense({ units: 4, activation: 'tanh', name: 'shared' });
  const [ha, hb] = [shared.apply(a), shared.apply(b)];
  const merged = kiln.layers.concatenate({ name: 'merged' }).apply([ha, hb, kiln.layers.subtract({ name: 'diff' }).apply([ha, hb])]);
  const mixed = kiln.layers.average({ name: 'avg' }).apply([kiln.layers.maximum().apply([ha, hb]), kiln.layers.minimum().apply([ha, hb]), kiln.layers.multiply().apply([ha, hb])]);
  const head = kiln.sequential([kiln.layers.dense({ units: 6, activation: 'relu', inputShape: [12] }), kiln.layers.batchNormalization(), kiln.layers.dense({ units: 3, activation: 'softmax' })]);
  const model = kiln.model({
    inputs: [a, b],
    outputs: [head.apply(merged), kiln.layers.dot({ axes: 1, normalize: true, name: 'cos' }).apply([ha, hb]), kiln.layers.add({ name: 'sum' }).apply([mixed, ha])],
  });
  const t = tempDir('kiln-onnx-functional-');
  try {
    const path = t.path('m.onnx');
    await exportOnnx(model, path);
    const session = await ort.InferenceSession.create(path);
    assert.deepEqual(session.inputNames, ['a', 'b']);
    assert.deepEqual(session.outputNames, model.outputNames);
    for (const batch of [1, 6]) {
      const xa = kiln.randomNormal([batch, 5]);
      const xb = kiln.randomNormal([batch, 5]);
      const want = model.predict<Tensor[]>([xa, xb]);
      const out = await session.run({ a: new ort.Tensor('float32', f32(xa), [batch, 5]), b: new ort.Tensor('float32', f32(xb), [batch, 5]) });
      model.outputNames.forEach((name, i) => {
        assert.deepEqual(out[name]!.dims, want[i]!.shape, name);
        assertAllClose(out[name]!.data as Float32Array, f32(want[i]!), `${name} batch ${batch}`, 1e-4, 1e-5);
      });
    }
  } finally {
    t.cleanup();
  }
});
