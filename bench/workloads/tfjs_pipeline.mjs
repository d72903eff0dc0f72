// W3 for TensorFlow.js 4.22: the same pipeline as kiln_pipeline.mjs, written with tfjs's API.
//   node bench/workloads/tfjs_pipeline.mjs cpu|wasm
const t0 = performance.now();
const tf = await import('@tensorflow/tfjs');
const { PIPELINE: P } = await import('./spec.mjs');
const backend = process.argv[2] ?? 'cpu';
tf.enableProdMode(); // tfjs's documented performance setting (it also drops the tfjs-node hint)
if (backend === 'wasm') {
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  const { createRequire } = await import('node:module');
  const { dirname, join } = await import('node:path');
  setWasmPaths(join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
}
await tf.setBackend(backend);
await tf.ready();
const tImported = performance.now();

// Two Gaussian clouds 1.5 standard deviations apart in every feature; classes alternate (balanced).
const direction = tf.randomUniform([1, P.features], 0, 2).floor().mul(2).sub(1);
const y = tf.tensor2d(Float32Array.from({ length: P.rows }, (_, i) => i % 2), [P.rows, 1]);
const x = tf.randomNormal([P.rows, P.features]).add(y.sub(0.5).mul(direction.mul(1.5)));

// 800/200 split; min-max scaling with the training rows' statistics.
const [xTrainRaw, xTestRaw] = tf.split(x, [P.trainRows, P.rows - P.trainRows]);
const [yTrain, yTest] = tf.split(y, [P.trainRows, P.rows - P.trainRows]);
const lo = xTrainRaw.min(0, true);
const range = xTrainRaw.max(0, true).sub(lo).maximum(1e-12);
const xTrain = xTrainRaw.sub(lo).div(range);
const xTest = xTestRaw.sub(lo).div(range);

const model = tf.sequential({
  layers: [
    tf.layers.dense({ units: P.hidden[0], activation: 'relu', inputShape: [P.features] }),
    tf.layers.dense({ units: P.hidden[1], activation: 'relu' }),
    tf.layers.dense({ units: 1, activation: 'sigmoid' }),
  ],
});
// tfjs's Adam defaults match Keras's (lr 1e-3, betas 0.9/0.999, epsilon 1e-7).
model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
const tFit = performance.now();
const history = await model.fit(xTrain, yTrain, { epochs: P.epochs, batchSize: P.batch, validationData: [xTest, yTest], verbose: 0 });
const tEnd = performance.now();
console.log(JSON.stringify({
  val_accuracy: history.history.val_acc.at(-1),
  startup_s: t0 / 1000, import_s: (tImported - t0) / 1000, data_model_s: (tFit - tImported) / 1000, fit_s: (tEnd - tFit) / 1000,
}));
