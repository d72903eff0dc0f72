import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Model } from '../../models/model.js';
import { atomicWrite } from '../atomic.js';
import { toKerasJson } from '../keras_json.js';
import { tfjsModelTopology } from './topology.js';
import { tfjsTrainingConfig } from './training.js';
import { SHARD_BYTES, encodeModelWeights, shardBytes } from './weights.js';

/** Options of the TensorFlow.js writer. */
export interface TfjsSaveOptions {
  /** Largest shard in bytes (default 4 MB, tfjs's default). */
  shardBytes?: number;
}

/**
 * Writes `model` in the TensorFlow.js layers format: `model.json` (`format: 'layers-model'`,
 * `modelTopology`, `weightsManifest`, `trainingConfig` when compiled and expressible in tfjs) and
 * `group1-shard{i}of{n}.bin` beside it (missing directories are created, as tfjs does). Each file is written atomically; the shards first and
 * `model.json` last, so a reader never sees a manifest whose shards are not there yet. Optimizer
 * state is not written (tfjs lays it out differently; tfjs's own save omits it by default).
 *
 * ```ts
 * await writeTfjsModel(model, 'web/model.json'); // same as model.save('web/model.json')
 * const m = await tf.loadLayersModel('http://…/web/model.json'); // in the browser
 * ```
 */
export async function writeTfjsModel(model: Model, path: string, options: TfjsSaveOptions = {}): Promise<void> {
  const modelTopology = tfjsModelTopology(model);
  const training = tfjsTrainingConfig(model);
  if (training && 'skipped' in training) {
    console.warn(`'${path}': saved without a trainingConfig (tfjs could not read it: ${training.skipped}); the loaded model is uncompiled`);
  }
  const { specs, data } = encodeModelWeights(model);
  const shards = shardBytes(data, options.shardBytes ?? SHARD_BYTES);
  for (const s of shards) await atomicWrite(join(dirname(path), s.name), (tmp) => writeFileSync(tmp, s.bytes), { makeParents: true });
  const json: Record<string, unknown> = {
    format: 'layers-model',
    generatedBy: 'kiln',
    convertedBy: null,
    modelTopology,
    weightsManifest: [{ paths: shards.map((s) => s.name), weights: specs }],
  };
  if (training && !('skipped' in training)) json.trainingConfig = training;
  await atomicWrite(path, (tmp) => writeFileSync(tmp, toKerasJson(json)), { makeParents: true });
}
