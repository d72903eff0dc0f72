import { writeFileSync } from 'node:fs';
import { NotImplementedError, ValueError } from '../../errors.js';
import type { Layer, SymbolicShape } from '../../layers/layer.js';
import type { Model } from '../../models/model.js';
import { Sequential } from '../../models/sequential.js';
import { Functional } from '../../models/functional.js';
import { isInputLayer } from '../../models/graph.js';
import { isMergeLayer, lowerMerge } from './merge_layers.js';
import { atomicWrite } from '../atomic.js';
import { inFile } from '../errors.js';
import { GraphBuilder } from './graph.js';
import type { ProtoObject } from './graph.js';
import { lowerLayer } from './layers.js';
import { DataType, onnxTypes } from './proto.js';

/** IR version 8 with opset 13: every onnxruntime since 1.10 loads it. */
export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 13;
/** The symbolic name of the batch dimension in the graph's input and output shapes. */
export const ONNX_BATCH_DIM = 'N';

export interface ExportOnnxOptions {
  /** Name of the graph input (default 'input'). */
  inputName?: string;
  /** Name of the graph output (default 'output'). */
  outputName?: string;
}

/**
 * Exports a built Sequential model as an ONNX inference graph (IR 8, opset 13) with a dynamic
 * batch dimension 'N'. Weights become float32 initializers; dropout disappears and batch
 * normalization uses its moving statistics, as in `predict`. Layers or activations ONNX cannot
 * express throw a NotImplementedError naming the layer. The file is written atomically.
 *
 * ```ts
 * await kiln.exportOnnx(model, 'model.onnx');
 * // onnxruntime: (await ort.InferenceSession.create('model.onnx')).run({ input: x })
 * ```
 */
export async function exportOnnx(model: Model, path: string, options: ExportOnnxOptions = {}): Promise<void> {
  const bytes = onnxModelBytes(model, options);
  await inFile(path, () => atomicWrite(path, (tmp) => writeFileSync(tmp, bytes), { makeParents: true }), 'written');
}

/**
 * The serialized ONNX ModelProto for `model`, without touching the file system.
 *
 * ```ts
 * const bytes = onnxModelBytes(model); // Uint8Array, e.g. for an HTTP response
 * ```
 */
export function onnxModelBytes(model: Model, options: ExportOnnxOptions = {}): Uint8Array {
  const types = onnxTypes();
  const proto = types.ModelProto.fromObject(onnxModelObject(model, options));
  return types.ModelProto.encode(proto).finish();
}

/** The ModelProto as a plain object (field names as in onnx.in.proto). */
function onnxModelObject(model: Model, options: ExportOnnxOptions): ProtoObject {
  if (model instanceof Functional) return functionalModelObject(model, options);
  if (!(model instanceof Sequential)) {
    throw new NotImplementedError(`exportOnnx: only Sequential and functional models can be exported, found '${model.name}' (${model.constructor.name})`);
  }
  const inputShape = model.builtInputShape;
  if (!model.built || !inputShape) {
    throw new ValueError(`exportOnnx: model '${model.name}' is not built; give its first layer an inputShape or call predict once first`);
  }
  const inputName = options.inputName ?? 'input';
  const outputName = options.outputName ?? 'output';
  if (inputName === outputName) throw new ValueError(`exportOnnx: inputName and outputName must differ, both are '${inputName}'`);

  const g = new GraphBuilder();
  g.reserve(inputName);
  g.reserve(outputName);
  const { value, shape } = lowerStack(model, g, inputName, inputShape);
  // The graph output must be a node's output: rename the last node's, or copy the input through.
  if (!g.renameLastOutput(value, outputName)) g.identity(value, outputName);

  return {
    ir_version: ONNX_IR_VERSION,
    producer_name: 'kiln',
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    graph: {
      name: model.name,
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo(inputName, inputShape)],
      output: [valueInfo(outputName, shape)],
    },
  };
}

/**
 * A functional model's graph: one ONNX input per model input and one output per model output,
 * named by the input and output layers (a single input or output takes `inputName`/`outputName`
 * when given); each node lowered in graph order, nested models inline.
 */
function functionalModelObject(model: Functional, options: ExportOnnxOptions): ProtoObject {
  const g = new GraphBuilder();
  const inputNames = model.inputs.length === 1 && options.inputName ? [options.inputName] : model.inputNames;
  const outputNames = model.outputs.length === 1 && options.outputName ? [options.outputName] : model.outputNames;
  const clash = inputNames.find((n) => outputNames.includes(n));
  if (clash) throw new ValueError(`exportOnnx: '${clash}' names both an input and an output; pass inputName/outputName`);
  for (const n of [...inputNames, ...outputNames]) g.reserve(n);
  const values = lowerGraph(model, g, inputNames);
  model.outputs.forEach((t, i) => g.identity(values[i]!.value, outputNames[i]!));
  return {
    ir_version: ONNX_IR_VERSION,
    producer_name: 'kiln',
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    graph: {
      name: model.name,
      node: g.nodes,
      initializer: g.initializers,
      input: model.inputs.map((t, i) => valueInfo(inputNames[i]!, t.shape)),
      output: values.map((v, i) => valueInfo(outputNames[i]!, v.shape)),
    },
  };
}

/** Lowers a functional graph whose inputs are the ONNX values `inputs`; returns each output's value and shape. */
function lowerGraph(model: Functional, g: GraphBuilder, inputs: readonly string[]): { value: string; shape: SymbolicShape }[] {
  const known = new Map<number, { value: string; shape: SymbolicShape }>();
  model.inputs.forEach((t, i) => known.set(t.id, { value: inputs[i]!, shape: [...t.shape] }));
  for (const node of model.graph.nodes) {
    const ins = node.inputs.map((t) => known.get(t.id)!);
    const layer = node.layer;
    let outs: { value: string; shape: SymbolicShape }[];
    if (layer instanceof Functional) outs = lowerGraph(layer, g, ins.map((v) => v.value));
    else if (layer instanceof Sequential) outs = [lowerStack(layer, g, ins[0]!.value, ins[0]!.shape)];
    else if (node.listInput || isMergeLayer(layer)) outs = [{ value: lowerMerge(layer, g, ins.map((v) => v.value), ins.map((v) => v.shape)), shape: [...node.outputs[0]!.shape] }];
    else if (isInputLayer(layer)) outs = [ins[0]!];
    else outs = [{ value: lowerLayer(layer, g, ins[0]!.value, ins[0]!.shape), shape: [...node.outputs[0]!.shape] }];
    node.outputs.forEach((t, i) => known.set(t.id, outs[i]!));
  }
  return model.outputs.map((t) => known.get(t.id)!);
}

/** Lowers every layer of a Sequential model in order (nested Sequential models inline). */
function lowerStack(model: Sequential, g: GraphBuilder, input: string, inputShape: SymbolicShape): { value: string; shape: SymbolicShape } {
  let value = input;
  let shape: SymbolicShape = [...inputShape];
  for (const layer of model.layers as Layer[]) {
    if (layer instanceof Sequential) {
      ({ value, shape } = lowerStack(layer, g, value, shape));
      continue;
    }
    value = lowerLayer(layer, g, value, shape);
    shape = layer.outputShapeFor(shape);
  }
  return { value, shape };
}

/** A float tensor ValueInfoProto: the batch axis is the symbol 'N', other unknown axes 'd1', 'd2'…. */
function valueInfo(name: string, shape: SymbolicShape): ProtoObject {
  const dim = shape.map((d, i) => {
    if (i === 0) return { dim_param: ONNX_BATCH_DIM };
    return d === null || d === undefined ? { dim_param: `d${i}` } : { dim_value: d };
  });
  return { name, type: { tensor_type: { elem_type: DataType.FLOAT, shape: { dim } } } };
}
