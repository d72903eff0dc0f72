/**
 * ONNX export (IR 8, opset 13) of Sequential models, for onnxruntime and other ONNX runtimes.
 *
 * ```ts
 * await kiln.exportOnnx(model, 'model.onnx');
 * ```
 */
export { exportOnnx, onnxModelBytes, ONNX_IR_VERSION, ONNX_OPSET, ONNX_BATCH_DIM } from './export.js';
export type { ExportOnnxOptions } from './export.js';
export { onnxTypes } from './proto.js';
export type { OnnxTypes } from './proto.js';
export { onnxActivationNames } from './activations.js';
export { ONNX_LAYER_CLASSES } from './layers.js';
