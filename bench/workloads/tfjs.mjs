// TensorFlow.js 4.22's side of W1, W2 and W4, on its `cpu` or `wasm` backend, written the way
// its documentation trains and predicts (model.fit / trainOnBatch, tf.tidy around predict).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { ADAM } from './spec.mjs';

export const framework = 'tfjs';

export function backends() {
  return ['cpu', 'wasm'];
}

const require = createRequire(import.meta.url);

/**
 * Chooses the backend. The wasm backend loads its .wasm files from the package folder (it ships
 * them); in Node it runs single-threaded with SIMD (tfjs turns threads off under Node). Production
 * mode is on, tfjs's best showing.
 */
export async function init({ backend }) {
  // tfjs's documented performance setting: drops correctness checks (and the tfjs-node hint).
  tf.enableProdMode();
  if (backend === 'wasm') setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  const ok = await tf.setBackend(backend);
  if (!ok || tf.getBackend() !== backend) throw new Error(`tfjs: backend '${backend}' did not initialise`);
  await tf.ready();
  const info = { version: tf.version.tfjs, backend: tf.getBackend() };
  if (backend === 'wasm') {
    info.simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    info.threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT') ? 'multi' : 1;
  }
  return info;
}

/** The same model as kiln's: glorot-uniform Dense relu layers, softmax output, Adam, sparse CE. */
export function buildMlp(spec) {
  const layers = spec.hidden.map((units, i) =>
    tf.layers.dense({ units, activation: 'relu', ...(i === 0 ? { inputShape: [spec.inputs] } : {}) }),
  );
  layers.push(tf.layers.dense({ units: spec.classes, activation: 'softmax' }));
  const model = tf.sequential({ layers });
  model.compile({ optimizer: tf.train.adam(ADAM.learningRate, ADAM.beta1, ADAM.beta2, ADAM.epsilon), loss: 'sparseCategoricalCrossentropy' });
  return model;
}

/** As kiln's trainer: 'fit' (verbose 0, shuffled, whole epochs over a pool of batches) or 'trainOnBatch'. */
export function trainer(spec, mode, { poolSteps = 32 } = {}) {
  const model = buildMlp(spec);
  let held = [];
  return async (steps) => {
    tf.dispose(held); // the previous run's data: tfjs frees memory only when told
    const pool = Math.min(steps, poolSteps);
    const epochs = Math.ceil(steps / pool);
    const rows = pool * spec.batch;
    const x = tf.randomUniform([rows, spec.inputs]);
    const y = tf.tidy(() => tf.randomUniform([rows, 1], 0, spec.classes, 'int32').toFloat());
    held = [x, y];
    if (mode === 'fit') {
      const run = async () => {
        await model.fit(x, y, { epochs, batchSize: spec.batch, verbose: 0 });
      };
      return Object.assign(run, { steps: epochs * pool });
    }
    const batches = [];
    for (let i = 0; i < pool; i++) {
      batches.push([x.slice([i * spec.batch, 0], [spec.batch, spec.inputs]), y.slice([i * spec.batch, 0], [spec.batch, 1])]);
    }
    held.push(...batches.flat());
    const run = async () => {
      for (let s = 0; s < steps; s++) {
        const [xb, yb] = batches[s % pool];
        await model.trainOnBatch(xb, yb);
      }
    };
    return Object.assign(run, { steps });
  };
}

/** W4 as kiln's: a Float32Array row in, probabilities read back; tidy/dispose keep memory flat. */
export function predictOneRow(spec) {
  const model = buildMlp(spec);
  const row = Float32Array.from({ length: spec.inputs }, () => Math.random());
  return () => {
    const out = tf.tidy(() => model.predict(tf.tensor2d(row, [1, spec.inputs])));
    const values = out.dataSync();
    out.dispose();
    return values;
  };
}
