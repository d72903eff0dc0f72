// kiln's side of W1, W2 and W4, written with the public API exactly as a user would write it
// (the compiled package entry, dist/src/index.js; `npm run bench` builds it first).
import { readFileSync } from 'node:fs';
import * as kiln from '../../dist/src/index.js';
import { ADAM } from './spec.mjs';

export const framework = 'kiln';

/** The backends a run can measure: every backend kiln registers. */
export function backends() {
  return kiln.listBackends();
}

/** Chooses the backend; returns what the results file records about this framework. */
export async function init({ backend }) {
  kiln.setBackend(backend);
  if (typeof kiln.ready === 'function') await kiln.ready(); // a backend that loads asynchronously, if kiln ever exports one
  kiln.setSeed(1);
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return { version: pkg.version, backend: kiln.getBackend() };
}

/** The W1/W2 model: Dense relu layers, then a softmax Dense; Adam; sparse categorical cross-entropy. */
export function buildMlp(spec) {
  const layers = spec.hidden.map((units, i) =>
    kiln.layers.dense({ units, activation: 'relu', ...(i === 0 ? { inputShape: [spec.inputs] } : {}) }),
  );
  layers.push(kiln.layers.dense({ units: spec.classes, activation: 'softmax' }));
  const model = kiln.sequential(layers);
  model.compile({ optimizer: kiln.optimizers.adam({ ...ADAM }), loss: 'sparse_categorical_crossentropy' });
  return model;
}

function randomData(spec, rows) {
  return { x: kiln.randomUniform([rows, spec.inputs]), y: kiln.randomInt([rows, 1], 0, spec.classes) };
}

/**
 * Training runners for measureThroughput: `prepare(steps)` makes the data and returns a function
 * that trains `steps` steps (or, for fit, whole epochs: the `steps` property of the function says how many). Mode 'fit' calls model.fit (verbose 0, shuffled, the way users train);
 * the data set holds at most `poolSteps` batches and fit runs as many epochs over it as needed.
 * Mode 'trainOnBatch' loops model.trainOnBatch over pre-sliced batches.
 */
export function trainer(spec, mode, { poolSteps = 32 } = {}) {
  const model = buildMlp(spec);
  return async (steps) => {
    const pool = Math.min(steps, poolSteps);
    const epochs = Math.ceil(steps / pool);
    const { x, y } = randomData(spec, pool * spec.batch);
    if (mode === 'fit') {
      const run = async () => {
        await model.fit(x, y, { epochs, batchSize: spec.batch, verbose: 0 });
      };
      return Object.assign(run, { steps: epochs * pool });
    }
    const batches = [];
    for (let i = 0; i < pool; i++) {
      batches.push([kiln.slice(x, [i * spec.batch], [spec.batch]), kiln.slice(y, [i * spec.batch], [spec.batch])]);
    }
    const run = async () => {
      for (let s = 0; s < steps; s++) {
        const [xb, yb] = batches[s % pool];
        model.trainOnBatch(xb, yb);
      }
    };
    return Object.assign(run, { steps });
  };
}

/**
 * W4: one row in, probabilities out as numbers — the call a prediction server makes. The row
 * arrives as a Float32Array; making the tensor and reading the result back are part of the call.
 */
export function predictOneRow(spec) {
  const model = buildMlp(spec);
  const row = kiln.randomUniform([1, spec.inputs]).dataSync().slice();
  return () => model.predict(kiln.tensor(row, [1, spec.inputs])).dataSync();
}
