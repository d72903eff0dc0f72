import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as kiln from '../../src/index.js';
import { describeModelFile, loadModel } from '../../src/io/index.js';

// dist/test/io/ → the repository's sibling folder ../shared (fixtures written by Keras itself).
const dir = fileURLToPath(new URL('../../../../shared/fixtures/keras/', import.meta.url));
const skip = existsSync(dir) ? false : `fixtures not found at ${dir} (../shared is absent); skipping`;

interface Expected {
  input: number[][];
  expected: number[][];
  tolerance: { abs: number; rel: number };
}

function check(file: string, got: number[][]): void {
  const exp = JSON.parse(readFileSync(dir + file + '.expected.json', 'utf8')) as Expected;
  assert.equal(got.length, exp.expected.length);
  got.forEach((row, i) =>
    row.forEach((v, j) => {
      const want = exp.expected[i]![j]!;
      const tol = exp.tolerance.abs + exp.tolerance.rel * Math.abs(want);
      assert.ok(Math.abs(v - want) <= tol, `${file} [${i}][${j}]: got ${v}, expected ${want} ± ${tol}`);
    }),
  );
}

function input(file: string): kiln.Tensor {
  return kiln.tensor((JSON.parse(readFileSync(dir + file + '.expected.json', 'utf8')) as Expected).input);
}

test('Keras 3.8 legacy .h5: loads with its weights, compiled with Adam(0.01) and its state', { skip }, async () => {
  const file = 'churn_classifier_keras3.8.h5';
  const model = await loadModel(dir + file);
  check(file, model.predict(input(file)).arraySync() as number[][]);
  assert.deepEqual(model.layers.map((l) => l.name), ['dense', 'dense_1', 'dense_2']);
  assert.ok(model.compiled, 'the file has a training_config');
  const opt = model.optimizer!;
  assert.equal((opt.constructor as unknown as { className: string }).className, 'Adam');
  assert.ok(Math.abs(opt.learningRate - 0.01) < 1e-9);
  assert.ok(opt.iterations > 0, 'the step counter comes from optimizer_weights');
  // Slots were restored, not left at zero.
  const momentum = opt.variables()[2]!;
  assert.ok(Array.from(momentum.dataSync()).some((v) => v !== 0));
});

test('Keras 3.9 .keras archive: loads with its weights, compiled with Adam and mse', { skip }, async () => {
  const file = 'flow_regressor_keras3.9.keras';
  const model = await loadModel(dir + file);
  check(file, model.predict(input(file)).arraySync() as number[][]);
  assert.equal(model.layers.length, 4);
  assert.ok(model.compiled);
  assert.ok(model.optimizer!.iterations > 0);
});

test('describeModelFile reports format, version, layers, params and training state', { skip }, async () => {
  const h5 = await describeModelFile(dir + 'churn_classifier_keras3.8.h5');
  assert.equal(h5.format, 'h5');
  assert.equal(h5.kerasVersion, '3.8.0');
  assert.equal(h5.backend, 'tensorflow');
  assert.equal(h5.params, 12 * 64 + 64 + 64 * 32 + 32 + 32 + 1);
  assert.deepEqual(h5.layers.map((l) => [l.name, l.className, l.outputShape]), [
    ['dense', 'Dense', [null, 64]],
    ['dense_1', 'Dense', [null, 32]],
    ['dense_2', 'Dense', [null, 1]],
  ]);
  assert.equal(h5.hasOptimizerState, true);
  assert.equal(h5.compiled, true);
  const keras = await describeModelFile(dir + 'flow_regressor_keras3.9.keras');
  assert.equal(keras.format, 'keras');
  assert.equal(keras.kerasVersion, '3.9.2');
  assert.equal(keras.params, 4 * 64 + 64 + 64 * 128 + 128 + 128 * 64 + 64 + 64 * 2 + 2);
  assert.equal(keras.hasOptimizerState, true);
  assert.equal(keras.compiled, true);
});
