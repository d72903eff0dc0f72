// W3 for kiln: the seed pipeline as a user's whole program. bench/run.mjs spawns it afresh for each
// repetition and times the process from spawn to exit; the JSON line it prints is a sanity check
// (it learned) and a breakdown of where the time went.
//   node bench/workloads/kiln_pipeline.mjs [backend]
const t0 = performance.now(); // ms since the process started, so startup before this line is counted too
const kiln = await import('../../dist/src/index.js');
const { PIPELINE: P } = await import('./spec.mjs');
if (process.argv[2]) kiln.setBackend(process.argv[2]);
if (typeof kiln.ready === 'function') await kiln.ready(); // a backend that loads asynchronously, if kiln ever exports one
const tImported = performance.now();

kiln.setSeed(7);
// Two Gaussian clouds 1.5 standard deviations apart in every feature; classes alternate (balanced).
const direction = kiln.sub(kiln.mul(kiln.floor(kiln.randomUniform([1, P.features], 0, 2)), 2), 1);
const y = kiln.tensor(Float32Array.from({ length: P.rows }, (_, i) => i % 2), [P.rows, 1]);
const x = kiln.add(kiln.randomNormal([P.rows, P.features]), kiln.mul(kiln.sub(y, 0.5), kiln.mul(direction, 1.5)));

// 800/200 split; min-max scaling with the training rows' statistics.
const xTrainRaw = kiln.slice(x, [0], [P.trainRows]);
const xTestRaw = kiln.slice(x, [P.trainRows], [P.rows - P.trainRows]);
const yTrain = kiln.slice(y, [0], [P.trainRows]);
const yTest = kiln.slice(y, [P.trainRows], [P.rows - P.trainRows]);
const lo = kiln.min(xTrainRaw, 0, true);
const range = kiln.maximum(kiln.sub(kiln.max(xTrainRaw, 0, true), lo), 1e-12);
const xTrain = kiln.div(kiln.sub(xTrainRaw, lo), range);
const xTest = kiln.div(kiln.sub(xTestRaw, lo), range);

const model = kiln.sequential([
  kiln.layers.dense({ units: P.hidden[0], activation: 'relu', inputShape: [P.features] }),
  kiln.layers.dense({ units: P.hidden[1], activation: 'relu' }),
  kiln.layers.dense({ units: 1, activation: 'sigmoid' }),
]);
model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
const tFit = performance.now();
const history = await model.fit(xTrain, yTrain, { epochs: P.epochs, batchSize: P.batch, validationData: [xTest, yTest], verbose: 0 });
const tEnd = performance.now();
console.log(JSON.stringify({
  val_accuracy: history.history.val_accuracy.at(-1),
  startup_s: t0 / 1000, import_s: (tImported - t0) / 1000, data_model_s: (tFit - tImported) / 1000, fit_s: (tEnd - tFit) / 1000,
}));
