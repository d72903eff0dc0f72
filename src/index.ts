/**
 * kiln — Keras-style deep learning for TypeScript on Node.js.
 *
 * ```ts
 * import * as kiln from 'kiln';
 * kiln.setSeed(42);
 * const model = kiln.sequential([
 *   kiln.layers.dense({ units: 64, activation: 'relu', inputShape: [784] }),
 *   kiln.layers.dense({ units: 10, activation: 'softmax' }),
 * ]);
 * model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
 * ```
 */
export { setBackend, getBackend, listBackends, setNumThreads, getNumThreads } from './backends/index.js';
export * from './ops/index.js';
export { Tensor, Variable } from './core/tensor.js';
export type { ArrayOfRank, NestedArray, Rank } from './core/tensor.js';
export type { DType, TypedArray } from './core/dtype.js';
export type { Shape } from './core/shape.js';
export { valueAndGrads, grad } from './core/autograd.js';
export { noGrad } from './core/engine.js';
export { setSeed, getSeed, getRandomState, setRandomState } from './core/random.js';
export * as errors from './errors.js';

export * as layers from './layers/index.js';
export * as activations from './activations/index.js';
export * as initializers from './initializers/index.js';
export * as regularizers from './regularizers/index.js';
export * as losses from './losses/index.js';
export * as metrics from './metrics/index.js';
export * as optimizers from './optimizers/index.js';
export * as callbacks from './api/callbacks.js';
export * as data from './data/index.js';
export { clearSession } from './utils/naming.js';

export { Model } from './models/model.js';
export { Sequential, sequential } from './models/sequential.js';
export { Functional, model } from './models/functional.js';
export type { FunctionalArgs, TensorStructure } from './models/functional.js';
export { input } from './layers/input_layer.js';
export { KerasTensor } from './layers/keras_tensor.js';
export type { SequentialArgs } from './models/sequential.js';
export type { CompileArgs, CompileOptions } from './training/compile.js';
export type { FitArgs, FitOptions, EvaluateArgs, EvaluateOptions, EvaluateResult, BatchResult, PredictArgs, PredictOptions, Verbosity } from './training/trainer.js';
export type { Spelled, SnakeCased, SnakeCase } from './utils/options.js';
export type { Logs, LogValue } from './callbacks/callback.js';
export { registerClass, serialize, deserialize } from './serialization/registry.js';
export type {
  CustomActivations, CustomInitializers, CustomLosses, CustomMetrics, CustomOptimizers, CustomRegularizers,
} from './serialization/names.js';
export { loadModel, modelFromJson, saveModel, saveWeights, loadWeights, describeModelFile, ModelFileError } from './io/index.js';
export type { LoadModelOptions, SaveOptions, ModelFileDescription, DescribedLayer } from './io/index.js';
export { exportOnnx, onnxModelBytes } from './io/onnx/index.js';
export { checkpointManager, CheckpointManager, CheckpointError, CorruptCheckpointError, CheckpointNotFoundError, CheckpointWriteError, CheckpointLockedError } from './checkpoint/index.js';
export type { CheckpointManagerOptions, CheckpointInfo, RecordOptions, SaveCheckpointOptions, RestoreSelector, RestoreOptions } from './checkpoint/index.js';
export type { ExportOnnxOptions } from './io/onnx/index.js';
export { readEvents, filterEventFile, EventFileWriter, EventFileError } from './tfevents/index.js';
export type { EventData, ScalarPoint, HistogramPoint, TensorPoint, DecodedEvent, EventFileWriterOptions, GraphSpec } from './tfevents/index.js';
export { report, readRunRecord, ReportError } from './report/index.js';
export type { ReportOptions, ReportEvaluation, ReportEvaluationArrays, ReportEvaluationModel, ReportTask, RunRecord, RunStatus } from './report/index.js';
