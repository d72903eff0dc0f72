// Dev-only (not run in CI): saves kiln's functional models (several inputs and outputs, shared
// layers, nested models, every merge layer, per-output compile configs) as .keras and legacy .h5,
// loads each with real Keras 3.16 (../shared/keras-oracle/README.md) and compares Keras's
// predictions with kiln's. CNN and recurrent models are added by name below when their layers exist.
//
//   npm run build && node scripts/keras-oracle-graphs.mjs [outDir]
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as kiln from '../dist/src/index.js';

const RUN = process.env.KERAS_ORACLE ?? '/tmp/keras-oracle/run.sh';
const LOAD = process.env.KERAS_ORACLE_LOAD ?? '/tmp/keras-oracle/load_predict.py';
const out = process.argv[2] ?? '/tmp/kiln-oracle-graphs';
mkdirSync(out, { recursive: true });
const L = kiln.layers;

/** Each case: a model, its inputs (one array per model input) and whether it is compiled. */
const cases = [];
function add(name, build, inputShapes, compile) {
  cases.push({ name, build, inputShapes, compile });
}

add('two-in-two-out', () => {
  const numeric = kiln.input({ shape: [5], name: 'numeric' });
  const extra = kiln.input({ shape: [3], name: 'extra' });
  const hidden = L.dense({ units: 8, activation: 'relu', name: 'hidden' }).apply(numeric);
  const merged = L.concatenate({ name: 'merge' }).apply([hidden, extra]);
  return kiln.model({ inputs: [numeric, extra], outputs: [L.dense({ units: 1, activation: 'sigmoid', name: 'label' }).apply(merged), L.dense({ units: 2, name: 'value' }).apply(merged)] });
}, [[5], [3]], { optimizer: 'adam', loss: ['binary_crossentropy', 'mse'], lossWeights: [1, 0.5], metrics: [['accuracy'], ['mae']] });

add('every-merge-shared-nested', () => {
  const a = kiln.input({ shape: [4], name: 'a' });
  const b = kiln.input({ shape: [4], name: 'b' });
  const shared = L.dense({ units: 4, activation: 'tanh', name: 'shared' });
  const [ha, hb] = [shared.apply(a), shared.apply(b)];
  const merges = [L.add(), L.subtract(), L.multiply(), L.average(), L.maximum(), L.minimum()].map((m) => m.apply([ha, hb]));
  const cat = L.concatenate({ name: 'cat' }).apply([...merges, L.dot({ axes: 1, normalize: true, name: 'cos' }).apply([ha, hb])]);
  const head = kiln.sequential({ name: 'head', layers: [L.dense({ units: 5, activation: 'relu', inputShape: [25] }), L.dense({ units: 3, activation: 'softmax' })] });
  return kiln.model({ inputs: [a, b], outputs: head.apply(cat) });
}, [[4], [4]], { optimizer: 'sgd', loss: 'categorical_crossentropy', metrics: ['accuracy'] });

add('single-chain-uncompiled', () => {
  const x = kiln.input({ shape: [3], name: 'x' });
  return kiln.model({ inputs: x, outputs: L.dense({ units: 2 }).apply(L.dense({ units: 4, activation: 'relu' }).apply(x)) });
}, [[3]], null);

const maxAbs = (a, b) => (Array.isArray(a) ? a.reduce((m, v, i) => Math.max(m, maxAbs(v, b[i])), 0) : Math.abs(a - b));

function keras(file, input, compile) {
  const args = [LOAD, file, input];
  if (compile) args.push('compile');
  try {
    const text = execFileSync(RUN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
    return { ok: true, result: JSON.parse(text.trim().split('\n').at(-1)) };
  } catch (e) {
    const err = String(e.stderr ?? e.message).trim().split('\n').filter((l) => /Error|error/.test(l)).at(-1) ?? String(e.message).slice(0, 300);
    return { ok: false, error: err };
  }
}

const report = [];
let worst = 0;
for (const c of cases) {
  kiln.setSeed(7);
  const model = c.build();
  if (c.compile) model.compile(c.compile);
  const xs = c.inputShapes.map((s) => kiln.randomNormal([4, ...s]));
  const expected = model.predict(xs.length === 1 ? xs[0] : xs);
  const want = Array.isArray(expected) ? expected.map((t) => t.arraySync()) : expected.arraySync();
  const inputFile = join(out, `${c.name}.input.json`);
  writeFileSync(inputFile, JSON.stringify({ input: xs.length === 1 ? xs[0].arraySync() : xs.map((t) => ({ data: t.arraySync() })) }));
  for (const ext of ['keras', 'h5']) {
    const file = join(out, `${c.name}.${ext}`);
    await model.save(file);
    let r = keras(file, inputFile, Boolean(c.compile));
    let compiled = Boolean(c.compile);
    let compileError;
    if (!r.ok && compiled) {
      compileError = r.error;
      r = keras(file, inputFile, false);
      compiled = false;
    }
    const row = { file: `${c.name}.${ext}`, loaded: r.ok, compiled, compileError, error: r.ok ? undefined : r.error };
    if (r.ok) {
      row.maxDiff = maxAbs(r.result.output, want);
      row.layers = r.result.layers;
      worst = Math.max(worst, row.maxDiff);
    }
    report.push(row);
    console.log(`${row.loaded ? 'loaded' : 'FAILED'} ${row.file}${row.loaded ? ` compiled=${compiled} maxDiff=${row.maxDiff.toExponential(2)} layers=${row.layers.join(',')}` : `: ${row.error}`}${compileError ? ` [compile failed: ${compileError}]` : ''}`);
  }
}
writeFileSync(join(out, 'report.json'), JSON.stringify({ worst, report }, null, 1));
console.log(`${report.filter((r) => r.loaded).length}/${report.length} files loaded by Keras; ${report.filter((r) => r.compileError).length} loaded only with compile off; largest prediction difference ${worst.toExponential(2)}`);
process.exitCode = report.every((r) => r.loaded) ? 0 : 1;
