// Functional models through Keras's files (issue 11): the two-input, two-output model Keras 3.16
// wrote loads from .keras and .h5 and gives Keras's outputs; kiln's own functional models
// round-trip through both formats with the same predictions and compile config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as kiln from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { tempDir } from '../helpers/temp_dir.js';
import { maxAbsDiff } from './helpers.js';

const dir = fileURLToPath(new URL('../../../../shared/fixtures/keras3.16/', import.meta.url));
const skip = existsSync(dir) ? false : `fixtures not found at ${dir} (../shared is absent); skipping`;

for (const ext of ['keras', 'h5']) {
  test(`Keras 3.16 functional two-in two-out .${ext}: loads, predicts Keras's outputs, keeps the per-output compile config`, { skip }, async () => {
    const exp = JSON.parse(readFileSync(`${dir}functional_two_in_two_out.expected.json`, 'utf8')) as { input: number[][][]; expected: number[][][]; tolerance: number };
    const model = await kiln.loadModel(`${dir}functional_two_in_two_out.${ext}`);
    assert.ok(model instanceof kiln.Functional);
    assert.deepEqual(model.layers.map((l) => l.name), ['numeric', 'hidden', 'extra', 'merge', 'label', 'value']);
    const out = model.predict<Tensor[]>(exp.input.map((a) => kiln.tensor(a)));
    assert.equal(out.length, 2);
    out.forEach((t, k) => {
      const err = maxAbsDiff(t.arraySync(), exp.expected[k]);
      assert.ok(err <= exp.tolerance, `output ${k}: max |diff| ${err} > ${exp.tolerance}`);
    });
    assert.deepEqual(model.compiled!.outputs.map((o) => [o.name, o.loss.name, o.weight]), [['label', 'binary_crossentropy', 1], ['value', 'mean_squared_error', 0.5]]);
  });
}

test('a kiln functional model with a shared layer and dict outputs round-trips through .keras and .h5', async () => {
  const t = tempDir('kiln-functional-io-');
  try {
    kiln.setSeed(4);
    const a = kiln.input({ shape: [4], name: 'a' });
    const b = kiln.input({ shape: [4], name: 'b' });
    const shared = kiln.layers.dense({ units: 3, activation: 'tanh', name: 'shared' });
    const both = kiln.layers.concatenate({ name: 'both' }).apply([shared.apply(a), shared.apply(b)]);
    const model = kiln.model({ inputs: [a, b], outputs: { sim: kiln.layers.dot({ axes: 1, normalize: true, name: 'sim' }).apply([shared.apply(a), shared.apply(b)]), cls: kiln.layers.dense({ units: 2, activation: 'softmax', name: 'cls' }).apply(both) } });
    model.compile({ optimizer: 'adam', loss: { sim: 'mse', cls: 'sparse_categorical_crossentropy' }, lossWeights: { sim: 0.3, cls: 1 }, metrics: { cls: ['accuracy'] } });
    const xa = kiln.randomUniform([16, 4]);
    const xb = kiln.randomUniform([16, 4]);
    await model.fit([xa, xb], { sim: kiln.randomUniform([16, 1]), cls: kiln.randomInt([16, 1], 0, 2) }, { epochs: 1, verbose: 0, monitor: false });
    const want = model.predict<Record<string, Tensor>>([xa, xb]);
    for (const ext of ['keras', 'h5']) {
      const path = t.path(`m.${ext}`);
      await model.save(path);
      const again = await kiln.loadModel(path);
      const got = again.predict<Record<string, Tensor>>([xa, xb]);
      assert.deepEqual(Object.keys(got), ['sim', 'cls'], ext);
      for (const k of ['sim', 'cls']) assert.ok(maxAbsDiff(got[k]!.arraySync(), want[k]!.arraySync()) === 0, `${ext} ${k}`);
      assert.equal(again.getLayer('shared').inboundNodes.length, 4, `${ext}: the shared layer is called four times again`);
      assert.deepEqual(again.compiled!.outputs.map((o) => [o.name, o.weight, o.metricSpecs]), [['sim', 0.3, []], ['cls', 1, ['accuracy']]], ext);
    }
  } finally {
    t.cleanup();
  }
});
