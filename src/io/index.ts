/**
 * Model files: Keras 3 `.keras` archives and legacy Keras `.h5`, both ways.
 *
 * ```ts
 * await model.save('model.keras');
 * const again = await kiln.loadModel('model.keras');
 * ```
 */
import { provideModelFileIo } from '../models/file_io.js';
import { saveModel } from './save.js';
import { loadWeights, saveWeights } from './weights_file.js';

provideModelFileIo({ saveModel, saveWeights, loadWeights });

export { loadModel, modelFromJson, detectFormat } from './load.js';
export type { LoadModelOptions, ModelFileFormat } from './load.js';
export { saveModel } from './save.js';
export type { SaveOptions } from './save.js';
export { saveWeights, loadWeights } from './weights_file.js';
export { describeModelFile } from './describe.js';
export type { DescribedLayer, ModelFileDescription } from './describe.js';
export { ModelFileError } from './errors.js';
