import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** A tfjs IOHandler that loads a model.json and its shards from disk (tfjs-node is not installed). */
export function fileLoader(modelJson: string, dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const mj = JSON.parse(readFileSync(modelJson, 'utf8'));
      const groups = mj.weightsManifest as { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
      const bytes = Buffer.concat(groups.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p)))));
      return {
        modelTopology: mj.modelTopology,
        weightSpecs: groups.flatMap((g) => g.weights),
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
        trainingConfig: mj.trainingConfig,
      };
    },
  };
}

/**
 * Saves a tfjs model the way tfjs-node's `file://` handler does (tfjs-node/src/io/file_system.ts):
 * model.json with `weightsManifest: [{paths: ['weights.bin'], weights}]` and weights.bin beside it.
 */
export async function saveLikeTfjs(model: tf.LayersModel, dir: string, includeOptimizer = false): Promise<string> {
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const data = Array.isArray(a.weightData) ? tf.io.concatenateArrayBuffers(a.weightData) : a.weightData!;
      writeFileSync(join(dir, 'weights.bin'), new Uint8Array(data));
      const json: Record<string, unknown> = {
        modelTopology: a.modelTopology,
        format: a.format,
        generatedBy: a.generatedBy,
        convertedBy: a.convertedBy,
        weightsManifest: [{ paths: ['./weights.bin'], weights: a.weightSpecs }],
      };
      if (a.trainingConfig) json.trainingConfig = a.trainingConfig;
      writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer },
  );
  return join(dir, 'model.json');
}
