import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main as classification } from '../../examples/classification_pipeline.js';
import { main as regression } from '../../examples/regression.js';
import { main as seed } from '../../examples/seed_classifier.js';

// Evidence 3 of the issue: the seed pipeline learns, and a regression MLP fits a smooth function.
// The examples are the programs users run; the tests run the very same code, silenced.
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const write = process.stdout.write.bind(process.stdout);
  const log = console.log;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  console.log = () => {};
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
    console.log = log;
  }
}

test('classification pipeline (1000×10, 0–1 scaled, 800/200, 10 epochs, batch 32) reaches val accuracy > 0.9', async () => {
  const { valAccuracy, events } = await quietly(classification);
  assert.ok(valAccuracy > 0.9, `validation accuracy ${valAccuracy}`);
  assert.deepEqual(events, [], 'the training-health monitor raises no false alarm on the example');
});

test('regression MLP reaches R² > 0.95 on held-out rows', async () => {
  const { r2, events } = await quietly(regression);
  assert.ok(r2 > 0.95, `R² ${r2}`);
  assert.deepEqual(events, [], 'the training-health monitor raises no false alarm on the example');
});

test('the seed program (random 784-feature data) runs and the monitor raises no false alarm', async () => {
  const { events } = await quietly(seed);
  assert.deepEqual(events, []);
});
