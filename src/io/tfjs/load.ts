import { readFileSync } from 'node:fs';
import type { Model } from '../../models/model.js';
import type { Config } from '../../serialization/registry.js';
import { ModelFileError } from '../errors.js';
import { modelFromConfig } from '../keras/config.js';
import { assignAll } from '../keras/weights.js';
import { kerasConfigFromTopology } from './topology.js';
import { compileArgsFromTrainingConfig } from './training.js';
import { matchWeights, readManifest } from './weights.js';

/** The parsed `model.json` of the TensorFlow.js layers format. */
export interface TfjsModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: Config;
  weightsManifest: unknown;
  trainingConfig?: Config;
}

/** Reads and checks `model.json` (valid JSON, a layers model with a topology and a manifest). */
export function readTfjsJson(path: string): TfjsModelJson {
  let json: TfjsModelJson;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as TfjsModelJson;
  } catch (e) {
    throw new ModelFileError(`is not valid JSON: ${(e as Error).message.slice(0, 200)}`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new ModelFileError('is not a TensorFlow.js model.json (not a JSON object)');
  if (json.format === 'graph-model') throw new ModelFileError(`is a TensorFlow.js graph model; only layers models ('layers-model') can be loaded`);
  if (!json.modelTopology || typeof json.modelTopology !== 'object') throw new ModelFileError('has no modelTopology: it is not a TensorFlow.js layers model');
  if (json.weightsManifest === undefined) throw new ModelFileError('has no weightsManifest');
  return json;
}

/**
 * Loads a TensorFlow.js layers model (`model.json` + shards), written by tfjs or by kiln. A
 * `trainingConfig` compiles it (hyperparameters only: optimizer state in tfjs's layout is not
 * restored). 'hard_sigmoid' in a tfjs file means tfjs's 0.2·x + 0.5 and loads as such
 * (`hard_sigmoid_keras2`).
 *
 * ```ts
 * const model = await loadTfjsModel('web/model.json'); // same as kiln.loadModel('web/model.json')
 * ```
 */
export async function loadTfjsModel(path: string, options: { compile?: boolean } = {}): Promise<Model> {
  const json = readTfjsJson(path);
  const model = modelFromConfig(kerasConfigFromTopology(json.modelTopology));
  if (!model.built) throw new ModelFileError(`the modelTopology's first layer has no batch_input_shape, so the model's weights cannot be built`);
  const stored = readManifest(path, json.weightsManifest);
  const optimizerWeights = stored.filter((s) => s.spec.group === 'optimizer');
  assignAll(matchWeights(model, stored.filter((s) => s.spec.group !== 'optimizer')));
  if (options.compile !== false && json.trainingConfig) {
    model.compile(compileArgsFromTrainingConfig(json.trainingConfig));
    if (optimizerWeights.length > 0) {
      console.warn(`'${path}': the file's optimizer state (tfjs layout, ${optimizerWeights.length} arrays) is not restored; training continues with a fresh optimizer state`);
    }
  }
  return model;
}
