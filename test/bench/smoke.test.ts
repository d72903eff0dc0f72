import { test } from 'node:test';
import assert from 'node:assert/strict';

// The benchmark's kiln workloads and report, run on a tiny plan. No timing is asserted: only that
// the workload functions train, predict and return sane numbers, and that the ratio reads the right
// way round. bench/ is plain .mjs outside the TypeScript build; from dist/test/bench it is three
// levels up, and importing it through a computed URL keeps tsc from resolving it at compile time.
const benchUrl = (path: string) => new URL(`../../../bench/${path}`, import.meta.url).href;

test('the W1 kiln workload trains 2 steps through fit and trainOnBatch and reports samples/s', async () => {
  const kilnBench = await import(benchUrl('workloads/kiln.mjs'));
  const { measureThroughput } = await import(benchUrl('lib/measure.mjs'));
  const { TRAIN } = await import(benchUrl('workloads/spec.mjs'));
  const plan = { warmupSec: 0, repSec: 0, reps: 2, minReps: 1, budgetSec: 5 };
  for (const mode of ['fit', 'trainOnBatch']) {
    const prepare = kilnBench.trainer(TRAIN.W1, mode, { poolSteps: 2 });
    const run = await prepare(2);
    assert.equal(run.steps, 2);
    const r = await measureThroughput({ prepare, batch: TRAIN.W1.batch, plan, maxStepsPerRep: 2 });
    assert.ok(r.median > 0 && Number.isFinite(r.median), `${mode}: samples/s ${r.median}`);
    assert.ok(r.min <= r.median && r.median <= r.max);
    assert.equal(r.stepsPerRep, 1); // repSec 0 asks for the minimum: one step per repetition
  }
});

test('the W4 kiln workload returns 10 probabilities for one row', async () => {
  const kilnBench = await import(benchUrl('workloads/kiln.mjs'));
  const { TRAIN } = await import(benchUrl('workloads/spec.mjs'));
  const probs = kilnBench.predictOneRow(TRAIN.W1)() as Float32Array;
  assert.equal(probs.length, 10);
  assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-5);
});

test('FLOP counts and speed-up ratios', async () => {
  const { TRAIN, trainFlopsPerSample } = await import(benchUrl('workloads/spec.mjs'));
  const { speedup } = await import(benchUrl('lib/table.mjs'));
  assert.equal(trainFlopsPerSample(TRAIN.W1), 6 * (784 * 64 + 64 * 10));
  assert.equal(trainFlopsPerSample(TRAIN.W2), 6 * (784 * 512 + 512 * 512 + 512 * 10));
  // Throughput: kiln 200 samples/s vs 100 is 2× faster; latency: kiln 10 µs vs 40 µs is 4× faster.
  assert.equal(speedup({ median: 200 }, { unit: 'samples/s', median: 100 }), 2);
  assert.equal(speedup({ median: 10 }, { unit: 'µs/call', median: 40 }), 4);
  assert.equal(speedup({ median: 0.5 }, { unit: 's', median: 0.25 }), 0.5);
});
