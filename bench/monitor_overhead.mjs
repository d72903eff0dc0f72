// The training-health monitor's cost (issue 10: ≤ 5% of W1 training throughput): W1 trained with
// model.fit with the monitor on (the default) and off, interleaved so drift hits both equally.
//   node bench/monitor_overhead.mjs [--backend wasm] [--rounds 7] [--quick]
import * as kiln from '../dist/src/index.js';
import { TRAIN } from './workloads/spec.mjs';
import { buildMlp } from './workloads/kiln.mjs';

const args = process.argv.slice(2);
const arg = (name, dflt) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : dflt);
const quick = args.includes('--quick');
kiln.setBackend(arg('backend', 'wasm'));
kiln.setSeed(1);
const spec = TRAIN.W1;
const rounds = Number(arg('rounds', quick ? 3 : 7));
const steps = quick ? 320 : 1280;
// As bench/run.mjs's W1: a pool of 32 batches, fit over it for as many epochs as the steps need.
const pool = 32;
const epochs = steps / pool;
const x = kiln.randomUniform([pool * spec.batch, spec.inputs]);
const y = kiln.randomInt([pool * spec.batch, 1], 0, spec.classes);
const model = buildMlp(spec);

async function samplesPerSecond(monitor) {
  const t0 = process.hrtime.bigint();
  await model.fit(x, y, { epochs, batchSize: spec.batch, verbose: 0, monitor: monitor && { print: false } });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return (steps * spec.batch) / s;
}

await samplesPerSecond(false); // warm-up: JIT, buffers
await samplesPerSecond(true);
const on = [];
const off = [];
for (let r = 0; r < rounds; r++) {
  off.push(await samplesPerSecond(false));
  on.push(await samplesPerSecond(true));
}
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
const mOn = median(on);
const mOff = median(off);
const overhead = (1 - mOn / mOff) * 100;
console.log(`W1 fit, backend ${kiln.getBackend()}, ${steps} steps × ${rounds} rounds (median samples/s)`);
console.log(`  monitor off: ${Math.round(mOff).toLocaleString('en-US')}`);
console.log(`  monitor on:  ${Math.round(mOn).toLocaleString('en-US')}`);
console.log(`  overhead:    ${overhead.toFixed(1)}% (target ≤ 5%) ${overhead <= 5 ? 'OK' : 'OVER TARGET'}`);
