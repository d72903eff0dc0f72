#!/usr/bin/env node
// LeNet-style CNN training throughput: kiln against TensorFlow.js (cpu and wasm backends).
//   conv 5×5×6 relu → maxpool 2 → conv 5×5×16 relu → maxpool 2 → dense 120 relu → 84 relu → 10 softmax
//   28×28×1 inputs, batch 64, Adam(1e-3), sparse categorical cross-entropy, model.fit (verbose 0).
// Each engine runs in a process of its own, one after another (they would share the cores).
// PyTorch runs the same network (bench/torch_cnn.py) on one thread ('torch-1'), where a Python
// with torch is found (bench/lib/env.mjs); kiln-wasm-1 is kiln on one thread, for that comparison.
//
//   npm run bench                                  # part of the full benchmark
//   node bench/cnn.mjs [--quick] [--engines kiln-wasm,kiln-wasm-1,kiln-reference,tfjs-cpu,tfjs-wasm,torch-1]
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findTorchPython, threadEnv } from './lib/env.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const arg = (name, dflt) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : dflt);
const quick = args.includes('--quick');
const BATCH = 64;
const POOL = 8; // batches of distinct data per epoch
const ENGINES = ['kiln-wasm', 'kiln-wasm-1', 'kiln-reference', 'tfjs-cpu', 'tfjs-wasm', 'torch-1'];

/** Epochs timed per repetition and repetitions; the reference backend (plain loops) gets one short rep. */
function plan(engine) {
  if (engine === 'kiln-reference') return { epochs: 1, reps: 1 };
  // tfjs's cpu backend trains this CNN at tens of samples/s (its conv gradients are plain JS loops).
  if (engine === 'tfjs-cpu') return { epochs: 1, reps: quick ? 1 : 3 };
  return quick ? { epochs: 2, reps: 3 } : { epochs: 4, reps: 5 };
}

async function kilnEngine(backend, threads) {
  const kiln = await import('../dist/src/index.js');
  kiln.setBackend(backend);
  if (threads) kiln.setNumThreads(threads);
  kiln.setSeed(1);
  const L = kiln.layers;
  const model = kiln.sequential([
    L.conv2d({ filters: 6, kernelSize: 5, activation: 'relu', inputShape: [28, 28, 1] }),
    L.maxPooling2d({ poolSize: 2 }),
    L.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),
    L.maxPooling2d({ poolSize: 2 }),
    L.flatten(),
    L.dense({ units: 120, activation: 'relu' }),
    L.dense({ units: 84, activation: 'relu' }),
    L.dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: kiln.optimizers.adam({ learningRate: 1e-3 }), loss: 'sparse_categorical_crossentropy' });
  const x = kiln.randomUniform([POOL * BATCH, 28, 28, 1]);
  const y = kiln.randomInt([POOL * BATCH, 1], 0, 10);
  return { fit: (epochs) => model.fit(x, y, { epochs, batchSize: BATCH, verbose: 0, monitor: false }), info: { backend, threads: kiln.getNumThreads() } };
}

async function tfjsEngine(backend) {
  const tf = await import('@tensorflow/tfjs');
  tf.enableProdMode();
  if (backend === 'wasm') {
    const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
    const require = createRequire(import.meta.url);
    setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} did not initialise`);
  await tf.ready();
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 6, kernelSize: 5, activation: 'relu', inputShape: [28, 28, 1] }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 120, activation: 'relu' }),
      tf.layers.dense({ units: 84, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
  const x = tf.randomUniform([POOL * BATCH, 28, 28, 1]);
  const y = tf.randomUniform([POOL * BATCH, 1], 0, 10, 'int32').toFloat();
  return { fit: (epochs) => model.fit(x, y, { epochs, batchSize: BATCH, verbose: 0 }), info: { backend: tf.getBackend(), version: tf.version.tfjs } };
}

async function child(engine) {
  const [framework, backend, threads] = engine.split('-');
  const e = framework === 'kiln' ? await kilnEngine(backend, threads ? Number(threads) : 0) : await tfjsEngine(backend);
  const { epochs, reps } = plan(engine);
  await e.fit(1); // warm-up: JIT, buffers, packed weights
  const rates = [];
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    await e.fit(epochs);
    rates.push((epochs * POOL * BATCH) / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  rates.sort((a, b) => a - b);
  console.log(JSON.stringify({ engine, ...e.info, median: rates[rates.length >> 1], rates }));
}

if (arg('child')) {
  await child(arg('child'));
} else {
  const engines = arg('engines', ENGINES.join(',')).split(',');
  const cpu = os.cpus()[0]?.model ?? 'unknown';
  console.log(`LeNet CNN training (28×28×1, batch ${BATCH}, Adam, model.fit), samples/s — ${cpu}, ${os.availableParallelism()} cores, Node ${process.version}`);
  const results = {};
  for (const engine of engines) {
    if (engine.startsWith('torch-')) {
      const torch = findTorchPython();
      if (!torch.python) {
        console.log(`  ${engine.padEnd(15)} not measured: ${torch.reason}`);
        continue;
      }
      const threads = engine.split('-')[1];
      const { epochs, reps } = quick ? { epochs: 2, reps: 3 } : { epochs: 4, reps: 5 };
      const t = spawnSync(torch.python, [join(here, 'torch_cnn.py'), '--threads', threads, '--epochs', String(epochs), '--reps', String(reps)], { encoding: 'utf8', timeout: 600000, env: threadEnv(Number(threads)) });
      const tl = t.stdout?.trim().split('\n').reverse().find((l) => l.startsWith('{'));
      if (t.status !== 0 || !tl) {
        console.log(`  ${engine.padEnd(15)} failed: ${(t.stderr || '').trim().split('\n').at(-1)}`);
        continue;
      }
      const res = JSON.parse(tl);
      results[engine] = res.median;
      console.log(`  ${engine.padEnd(15)} ${Math.round(res.median).toLocaleString('en-US').padStart(8)}  (reps: ${res.rates.map((v) => Math.round(v)).join(', ')}; torch ${res.version})`);
      continue;
    }
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', engine, ...(quick ? ['--quick'] : [])], { cwd: join(here, '..'), encoding: 'utf8', timeout: 600000 });
    const line = r.stdout?.trim().split('\n').reverse().find((l) => l.startsWith('{'));
    if (r.status !== 0 || !line) {
      // tfjs 4.22's wasm backend has no Conv2DBackpropFilter kernel: it can run, but not train, a CNN.
      const why = (r.stderr || r.error?.message || '').split('\n').find((l) => /Error/.test(l)) ?? `exit ${r.status}`;
      console.log(`  ${engine.padEnd(15)} failed: ${why.trim()}`);
      continue;
    }
    const res = JSON.parse(line);
    results[engine] = res.median;
    console.log(`  ${engine.padEnd(15)} ${Math.round(res.median).toLocaleString('en-US').padStart(8)}  (reps: ${res.rates.map((v) => Math.round(v)).join(', ')})`);
  }
  const k = results['kiln-wasm'];
  for (const peer of ['tfjs-cpu', 'tfjs-wasm']) if (k && results[peer]) console.log(`  kiln-wasm / ${peer}: ${(k / results[peer]).toFixed(2)}×`);
  if (results['kiln-wasm-1'] && results['torch-1']) console.log(`  kiln-wasm-1 / torch-1 (one thread each): ${(results['kiln-wasm-1'] / results['torch-1']).toFixed(2)}×`);
}
