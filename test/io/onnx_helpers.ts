import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import * as kiln from '../../src/index.js';
import { exportOnnx } from '../../src/io/onnx/index.js';
import { tempDir } from './helpers.js';

/** |actual − expected| ≤ rtol·|expected| + atol elementwise, reporting the worst element. */
export function assertAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string, rtol = 1e-5, atol = 1e-6): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] === expected[i]) continue; // equal infinities included
    const excess = Math.abs(actual[i]! - expected[i]!) - (rtol * Math.abs(expected[i]!) + atol);
    if (!(excess <= worstExcess)) {
      worst = i;
      worstExcess = Number.isNaN(excess) ? Infinity : excess;
    }
  }
  if (worst >= 0) assert.fail(`${label}: element ${worst}: onnxruntime ${actual[worst]} vs kiln ${expected[worst]}`);
}

/**
 * Exports `model`, runs the file in onnxruntime on random inputs with batch sizes 1 and 7 and
 * asserts that it matches `model.predict` (also that the graph's input and output are 'input' and 'output').
 */
export async function checkAgainstOrt(model: kiln.Sequential, featureShape: number[], label: string, scale = 1): Promise<void> {
  const t = tempDir();
  try {
    const path = t.path('model.onnx');
    await exportOnnx(model, path);
    const session = await ort.InferenceSession.create(path);
    assert.deepEqual(session.inputNames, ['input']);
    assert.deepEqual(session.outputNames, ['output']);
    for (const batch of [1, 7]) {
      const x = kiln.mul(kiln.randomNormal([batch, ...featureShape]), scale);
      const expected = model.predict(x);
      const data = Float32Array.from(x.dataSync() as ArrayLike<number>);
      const out = await session.run({ input: new ort.Tensor('float32', data, [batch, ...featureShape]) });
      const y = out['output']!;
      assert.deepEqual([...y.dims], expected.shape, `${label} (batch ${batch}): output shape`);
      assertAllClose(y.data as Float32Array, expected.dataSync() as ArrayLike<number>, `${label} (batch ${batch})`);
    }
  } finally {
    t.cleanup();
  }
}

/** Moves a layer's weights off their initial values (ones/zeros) so the export is really tested. */
export function randomizeWeights(layer: kiln.layers.Layer): void {
  for (const w of layer.weights) {
    const isVariance = w.name.includes('variance');
    w.assign(isVariance ? kiln.randomUniform(w.shape, 0.5, 2) : kiln.randomNormal(w.shape, 0, 0.5));
  }
}
