// Runs the in-process workloads (W1, W2, W4) of one JavaScript framework on one backend, in a
// process of its own so that frameworks never share a heap, a JIT profile or a backend registry.
// Writes its results as JSON to --out. Used by bench/run.mjs:
//   node bench/workloads/child.mjs --framework kiln --backend reference --workloads W1,W2,W4 [--quick] --out FILE
import { writeFileSync } from 'node:fs';
import { measureLatency, measureThroughput, timingPlan } from '../lib/measure.mjs';
import { PREDICT, TRAIN, trainFlopsPerSample } from './spec.mjs';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const frameworkName = arg('framework');
const backend = arg('backend');
const workloads = arg('workloads', 'W1,W2,W4').split(',');
const modes = arg('modes', 'fit,trainOnBatch').split(',');
const quick = process.argv.includes('--quick');
const out = arg('out');
const plan = timingPlan(quick);

const fw = await import(`./${frameworkName}.mjs`);
const info = await fw.init({ backend });
const results = [];
const log = (msg) => process.stderr.write(`  [${frameworkName} ${backend}] ${msg}\n`);

for (const id of workloads) {
  if (TRAIN[id]) {
    const spec = TRAIN[id];
    for (const mode of modes) {
      const prepare = fw.trainer(spec, mode);
      // Bound one repetition's data: W2 batches are 0.8 MB each.
      const r = await measureThroughput({ prepare, batch: spec.batch, plan, maxStepsPerRep: id === 'W2' ? 400 : 4000 });
      const gflops = (r.median * trainFlopsPerSample(spec)) / 1e9;
      results.push({ workload: id, mode, unit: 'samples/s', ...r, gflops });
      log(`${id} ${mode}: ${Math.round(r.median)} samples/s, ${gflops.toFixed(2)} GFLOP/s${r.capped ? ` (time-capped: ${r.reps.length} reps × ${r.stepsPerRep} steps)` : ''}`);
    }
  } else if (id === PREDICT.id) {
    const call = fw.predictOneRow(TRAIN[PREDICT.model]);
    const r = measureLatency({ call, plan });
    results.push({ workload: id, mode: 'predict', unit: 'µs/call', ...r });
    log(`${id}: ${r.median.toFixed(1)} µs per call`);
  }
}

writeFileSync(out, JSON.stringify({ framework: frameworkName, backend, info, results }, null, 1));
