import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as kiln from '../../src/index.js';
import { NotImplementedError, ValueError } from '../../src/errors.js';
import { ModelFileError } from '../../src/io/errors.js';
import { exportOnnx, onnxTypes } from '../../src/io/onnx/index.js';
import { tempDir } from './helpers.js';

interface Decoded {
  ir_version: number;
  producer_name: string;
  opset_import: { domain?: string; version: number }[];
  graph: {
    node: { op_type: string; input: string[]; output: string[]; attribute?: { name: string; f?: number; i?: number; ints?: number[] }[] }[];
    initializer: { name: string; dims: number[]; data_type: number; raw_data: Uint8Array }[];
    input: { name: string; type: { tensor_type: { elem_type: number; shape: { dim: { dim_param?: string; dim_value?: number }[] } } } }[];
    output: Decoded['graph']['input'];
  };
}

/** Reads an exported file back with kiln's own protobufjs types. */
function decode(path: string): Decoded {
  const { ModelProto } = onnxTypes();
  return ModelProto.toObject(ModelProto.decode(readFileSync(path)), { longs: Number, defaults: false, bytes: Buffer }) as Decoded;
}

function smallModel(): kiln.Sequential {
  return kiln.sequential([
    kiln.layers.input({ shape: [3], name: 'features' }),
    kiln.layers.dense({ units: 4, activation: 'softmax', name: 'probs' }),
    kiln.layers.batchNormalization({ epsilon: 0.25, name: 'bn' }),
  ]);
}

test('the file is IR 8 / opset 13 from producer kiln, with a dynamic batch dimension N', async () => {
  const t = tempDir();
  try {
    const model = smallModel();
    await exportOnnx(model, t.path('m.onnx'));
    const m = decode(t.path('m.onnx'));
    assert.equal(m.ir_version, 8);
    assert.equal(m.producer_name, 'kiln');
    assert.equal(m.opset_import.length, 1);
    assert.equal(m.opset_import[0]!.domain ?? '', '');
    assert.equal(m.opset_import[0]!.version, 13);

    const [input] = m.graph.input;
    assert.equal(input!.name, 'input');
    assert.equal(input!.type.tensor_type.elem_type, 1); // FLOAT
    assert.deepEqual(input!.type.tensor_type.shape.dim, [{ dim_param: 'N' }, { dim_value: 3 }]);
    assert.deepEqual(m.graph.output[0]!.type.tensor_type.shape.dim, [{ dim_param: 'N' }, { dim_value: 4 }]);

    assert.deepEqual(m.graph.node.map((n) => n.op_type), ['Gemm', 'Softmax', 'BatchNormalization']);
    assert.deepEqual(m.graph.node.at(-1)!.output, ['output']);
    const softmax = m.graph.node[1]!.attribute!.find((a) => a.name === 'axis');
    assert.equal(softmax!.i, -1);
    const eps = m.graph.node[2]!.attribute!.find((a) => a.name === 'epsilon');
    assert.equal(eps!.f, 0.25);

    // The kernel is a float32 little-endian raw_data initializer with the layer's values.
    const kernel = m.graph.initializer.find((i) => i.name === 'probs/kernel')!;
    assert.deepEqual(kernel.dims, [3, 4]);
    assert.equal(kernel.data_type, 1);
    const raw = Buffer.from(kernel.raw_data);
    assert.equal(raw.length, 12 * 4);
    const expected = model.layers[0]!.weights[0]!.dataSync() as ArrayLike<number>;
    for (let i = 0; i < 12; i++) assert.equal(raw.readFloatLE(i * 4), expected[i]);
  } finally {
    t.cleanup();
  }
});

test('ReduceMean carries its axes as an attribute (opset 13) and Clip its bounds as inputs', async () => {
  const t = tempDir();
  try {
    const model = kiln.sequential([
      kiln.layers.input({ shape: [2, 3] }),
      kiln.layers.layerNormalization({ axis: [-2, -1] }),
      kiln.layers.activation({ activation: 'relu6' }),
    ]);
    await exportOnnx(model, t.path('m.onnx'));
    const { graph } = decode(t.path('m.onnx'));
    const reduce = graph.node.find((n) => n.op_type === 'ReduceMean')!;
    assert.deepEqual(reduce.attribute!.find((a) => a.name === 'axes')!.ints, [1, 2]);
    const clip = graph.node.find((n) => n.op_type === 'Clip')!;
    assert.equal(clip.input.length, 3);
    const bound = (name: string) => Buffer.from(graph.initializer.find((i) => i.name === name)!.raw_data).readFloatLE(0);
    assert.deepEqual([bound(clip.input[1]!), bound(clip.input[2]!)], [0, 6]);
  } finally {
    t.cleanup();
  }
});

class Doubler extends kiln.layers.Layer {
  static override readonly className = 'Doubler';
  call(x: kiln.Tensor): kiln.Tensor {
    return kiln.mul(x, 2);
  }
}

/** Subclasses of supported layers may change call(); they are refused, not silently lowered as the base. */
class ScaledDense extends kiln.layers.Dense {
  override call(x: kiln.Tensor, o: kiln.layers.CallOptions): kiln.Tensor {
    return kiln.mul(super.call(x, o), 2);
  }
}

test('unsupported layers and activations are refused with a NotImplementedError naming the layer; no file is left', async () => {
  const t = tempDir();
  try {
    const cases: [kiln.Sequential, RegExp][] = [
      [kiln.sequential([kiln.layers.dense({ units: 2, inputShape: [3] }), new Doubler({ name: 'twice' })]), /layer 'twice' \(Doubler\)/],
      [kiln.sequential([new ScaledDense({ units: 2, inputShape: [3], name: 'scaled' })]), /layer 'scaled'/],
      [kiln.sequential([kiln.layers.dense({ units: 2, inputShape: [3], name: 'd', activation: { name: 'cube', fn: (x) => kiln.mul(x, kiln.square(x)) } })]), /layer 'd' uses activation 'cube'/],
      // A custom function under a built-in's name is not the built-in.
      [kiln.sequential([kiln.layers.activation({ activation: { name: 'relu', fn: (x) => kiln.abs(x) }, inputShape: [3], name: 'fake' })]), /layer 'fake' uses activation 'relu'/],
    ];
    for (const [model, message] of cases) {
      await assert.rejects(exportOnnx(model, t.path('bad.onnx')), (e: Error) => e instanceof NotImplementedError && message.test(e.message));
    }
    assert.deepEqual(readdirSync(t.dir), []);
  } finally {
    t.cleanup();
  }
});

test('an unbuilt model is a ValueError; a file in the way of the directory a ModelFileError; a failed export keeps the old file', async () => {
  const t = tempDir();
  try {
    const unbuilt = kiln.sequential([kiln.layers.dense({ units: 2 })]);
    await assert.rejects(exportOnnx(unbuilt, t.path('u.onnx')), (e: Error) => e instanceof ValueError && /not built/.test(e.message));
    // A missing directory is created (issue 9, defect 6: test/io/save_directories.test.ts); a file where it should be is refused.
    writeFileSync(t.path('nope'), '');
    await assert.rejects(exportOnnx(smallModel(), join(t.dir, 'nope', 'm.onnx')), (e: Error) => e instanceof ModelFileError && /nope/.test(e.message));
    rmSync(t.path('nope'));

    const target = t.path('keep.onnx');
    writeFileSync(target, 'previous');
    const bad = kiln.sequential([kiln.layers.dense({ units: 2, inputShape: [3] }), new Doubler({})]);
    await assert.rejects(exportOnnx(bad, target), NotImplementedError);
    assert.equal(readFileSync(target, 'utf8'), 'previous');
    await exportOnnx(smallModel(), target); // replaces it, leaving no temporary file beside it
    assert.ok(existsSync(target));
    assert.deepEqual(readdirSync(t.dir), ['keep.onnx']);
  } finally {
    t.cleanup();
  }
});
