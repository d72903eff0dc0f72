// Dev-only (not run in CI): saves kiln's functional models (several inputs and outputs, shared
// layers, nested models, every merge layer, per-output compile configs) as .keras and legacy .h5,
// loads each with real Keras 3.16 (../shared/keras-oracle/README.md) and compares Keras's
// predictions with kiln's. Also a CNN with every convolution, pooling, shape, noise and
// augmentation layer, and a functional sequence model (masks, Bidirectional, returnState).
//
//   npm run build && node scripts/keras-oracle-graphs.mjs [outDir]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as kiln from '../dist/src/index.js';
import { keras, maxAbs } from './lib/keras_oracle.mjs';

const out = process.argv[2] ?? '/tmp/kiln-oracle-graphs';
mkdirSync(out, { recursive: true });
const L = kiln.layers;

/** Each case: a model, its inputs (one array per model input) and whether it is compiled. */
const cases = [];
function add(name, build, inputShapes, compile, tokens = false) {
  cases.push({ name, build, inputShapes, compile, tokens });
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

add('cnn-every-layer', () => kiln.sequential([
  kiln.input({ shape: [12, 12, 3] }),
  L.rescaling({ scale: 1 / 255, offset: -0.5 }),
  L.randomFlip({ mode: 'horizontal' }),
  L.randomRotation({ factor: 0.1 }),
  L.gaussianNoise({ stddev: 0.1 }),
  L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
  L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }),
  L.separableConv2d({ filters: 5, kernelSize: 3, padding: 'valid', activation: 'tanh' }),
  L.batchNormalization(),
  L.spatialDropout2d({ rate: 0.3 }),
  L.maxPooling2d({ poolSize: 2 }),
  L.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }),
  L.zeroPadding2d({ padding: 1 }),
  L.cropping2d({ cropping: [[1, 0], [0, 1]] }),
  L.upSampling2d({ size: 2 }),
  L.averagePooling2d({ poolSize: 2 }),
  L.conv2d({ filters: 6, kernelSize: 3, strides: 2, dilationRate: 1, activation: 'relu' }),
  L.reshape({ targetShape: [-1, 6] }),
  L.conv1d({ filters: 4, kernelSize: 2, padding: 'causal' }),
  L.maxPooling1d({ poolSize: 2 }),
  L.permute({ dims: [2, 1] }),
  L.globalAveragePooling1d(),
  L.repeatVector({ n: 2 }),
  L.flatten(),
  L.dense({ units: 3, activation: 'softmax' }),
]), [[12, 12, 3]], { optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });

add('sequence-functional', () => {
  const tokens = kiln.input({ shape: [7], name: 'tokens' });
  const emb = L.embedding({ inputDim: 20, outputDim: 6, maskZero: true }).apply(tokens);
  const bi = L.bidirectional({ layer: L.lstm({ units: 4, returnSequences: true }) }).apply(emb);
  const [out, h] = L.gru({ units: 3, returnState: true }).apply(bi);
  const td = L.globalMaxPooling1d().apply(L.timeDistributed({ layer: L.dense({ units: 2 }) }).apply(bi));
  return kiln.model({ inputs: tokens, outputs: L.dense({ units: 1, activation: 'sigmoid' }).apply(L.concatenate().apply([out, h, td])) });
}, [[7]], null, true);

const report = [];
let worst = 0;
for (const c of cases) {
  kiln.setSeed(7);
  const model = c.build();
  if (c.compile) model.compile(c.compile);
  // Token inputs are integers 0..19, with zero padding at the end of the first rows (masked).
  const xs = c.tokens
    ? c.inputShapes.map((s) => kiln.tensor([[3, 5, 7, 0, 0, 0, 0], [1, 2, 3, 4, 5, 6, 7], [19, 0, 0, 0, 0, 0, 0], [8, 8, 9, 9, 1, 0, 0]].map((r) => r.slice(0, s[0])), undefined, 'int32'))
    : c.inputShapes.map((s) => kiln.randomNormal([4, ...s]));
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
