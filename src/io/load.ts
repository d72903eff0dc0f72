import { readFileSync } from 'node:fs';
import type { Model } from '../models/model.js';
import { ModelFileError, fileMessage, inFile, inFileSync } from './errors.js';
import { H5Reader, hasHdf5Signature, readHead } from './h5/h5file.js';
import { compileArgsFromConfig, modelFromConfig } from './keras/config.js';
import { readKerasArchive, withArchiveWeights } from './keras/keras_zip.js';
import { readLegacyOptimizer, readLegacyWeights } from './keras/legacy_h5.js';
import { readWeightStore } from './keras/weight_store.js';
import { loadTfjsModel } from './tfjs/load.js';
import type { Config } from '../serialization/registry.js';

/** Options of `loadModel`. */
export interface LoadModelOptions {
  /** Compile the model when the file has a training config (default true), restoring the optimizer state. */
  compile?: boolean;
}

/** The file's format, recognised from its first bytes (not its name). */
export type ModelFileFormat = 'keras' | 'h5' | 'tfjs';

/** Sniffs a file: a zip is a `.keras` archive, an HDF5 signature a legacy `.h5`, a `.json` name (or a leading `{`) a TensorFlow.js model.json; anything else throws. */
export function detectFormat(path: string): ModelFileFormat {
  const head = readHead(path);
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'keras';
  if (hasHdf5Signature(head)) return 'h5';
  if (/\.json$/i.test(path) || head[0] === 0x7b) return 'tfjs';
  throw new ModelFileError(fileMessage(path, 'is neither a Keras 3 .keras archive (zip), a Keras HDF5 file nor a TensorFlow.js model.json'));
}

/**
 * Loads a Keras model file — a Keras 3 `.keras` archive or a legacy `.h5` full-model file, written
 * by Keras 2.x/3.x or by kiln, or a TensorFlow.js `model.json` (layers format) — with its weights. When the file has a training config the model
 * comes back compiled, its optimizer state restored, so `fit` continues where it stopped.
 * Unknown layer classes are refused (register your own with `kiln.registerClass`): a model file
 * never runs code.
 *
 * ```ts
 * const model = await kiln.loadModel('model.keras');
 * model.predict(kiln.tensor([[0.1, 0.2, 0.3, 0.4]]));
 * ```
 */
export async function loadModel(path: string, options: LoadModelOptions = {}): Promise<Model> {
  return inFile(path, async () => {
    const format = detectFormat(path);
    if (format === 'tfjs') return loadTfjsModel(path, options);
    return format === 'keras' ? loadKeras(path, options) : loadLegacy(path, options);
  });
}

async function loadKeras(path: string, options: LoadModelOptions): Promise<Model> {
  const archive = readKerasArchive(path, new Uint8Array(readFileSync(path)));
  const model = buildModel(archive.config);
  const compileConfig = (archive.config as { compile_config?: Config }).compile_config;
  // An uncompiled model's archive may still carry `compile_config: {}` (Keras 3.16 writes one).
  if (options.compile !== false && compileConfig && Object.keys(compileConfig).length > 0) model.compile(compileArgsFromConfig(compileConfig));
  if (!archive.weights) throw new ModelFileError(fileMessage(path, 'the archive has no model.weights.h5'));
  await withArchiveWeights(path, archive.weights, (r) => readWeightStore(r, model, { optimizer: true, file: path }));
  return model;
}

async function loadLegacy(path: string, options: LoadModelOptions): Promise<Model> {
  const r = await H5Reader.open(path);
  try {
    const modelConfig = r.stringAttr('', 'model_config');
    if (modelConfig === undefined) {
      const weightsOnly = r.attr('', 'layer_names') !== undefined || r.attr('', 'layer_names0') !== undefined;
      throw new ModelFileError(
        weightsOnly
          ? 'holds weights only (no model_config): rebuild the model (e.g. kiln.modelFromJson(json)) and call model.loadWeights(path)'
          : 'is an HDF5 file without a Keras model_config attribute',
      );
    }
    const model = buildModel(parseJson(modelConfig, 'model_config'));
    if (!r.isGroup('model_weights')) throw new ModelFileError('missing weights: the file has no model_weights group');
    readLegacyWeights(r, model, 'model_weights');
    const training = r.stringAttr('', 'training_config');
    if (options.compile !== false && training !== undefined) {
      model.compile(compileArgsFromConfig(parseJson(training, 'training_config') as Config));
      readLegacyOptimizer(r, model);
    }
    return model;
  } finally {
    r.close();
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ModelFileError(`the ${what} attribute is not valid JSON: ${(e as Error).message}`);
  }
}

/** Builds the model from its config and makes sure it is built (its weights exist) for loading. */
function buildModel(config: unknown): Model {
  const model = modelFromConfig(config);
  const buildShape = (config as { build_config?: { input_shape?: unknown } }).build_config?.input_shape;
  if (!model.built && Array.isArray(buildShape)) model.build(buildShape as (number | null)[]);
  return model;
}

/**
 * Rebuilds an (uncompiled, freshly initialised) model from Keras JSON — `model.to_json()` output or
 * a `config.json` — without weights; load them with `model.loadWeights(path)`.
 *
 * ```ts
 * const model = kiln.modelFromJson(readFileSync('model.json', 'utf8'));
 * await model.loadWeights('model.weights.h5');
 * ```
 */
export function modelFromJson(json: string | object): Model {
  return inFileSync('model JSON', () => {
    const spec = typeof json === 'string' ? parseJson(json, 'model JSON') : json;
    return buildModel(spec);
  });
}
