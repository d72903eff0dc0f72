import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import * as kiln from '../../src/index.js';
import protobuf from 'protobufjs';
import { EventFileWriter, encodeRecord, histogramOf, readEventFile } from '../../src/tfevents/index.js';
import { eventTypes, type GraphDefProto } from '../../src/tfevents/proto.js';
import { tempDir } from '../helpers/temp_dir.js';

const NAME = /^events\.out\.tfevents\.\d{10}\..+\.\d+\.\d+$/;

test('EventFileWriter → readEvents: scalars, histograms, text, a graph and a session start come back exactly', () => {
  const t = tempDir('kiln-tfevents-');
  try {
    const w = new EventFileWriter(t.path('run'));
    assert.match(basename(w.path), NAME);
    w.addSessionStart(0, 100);
    w.addScalar('epoch_loss', 0.1, 0, 101);
    w.addScalar('epoch_loss', 0.05, 1, 102);
    w.addScalar('epoch_learning_rate', 1e-3, 1, 102.5);
    w.addScalar('nan', NaN, 2, 103);
    const weights = [0.5, -0.25, 0, 3, 3, 1e-5];
    w.addHistogram('dense/kernel', weights, 1, 104);
    w.addText('notes', 'héllo *world*', 3, 105);
    w.addGraph({ nodes: [
      { name: 'input', op: 'Placeholder', inputs: [] },
      { name: 'dense', op: 'Dense', inputs: ['input'], attrs: { units: 4, activation: 'relu', rate: 0.5, use_bias: true } },
    ] }, 106);
    w.flush();
    w.close();
    w.close();
    assert.throws(() => w.addScalar('late', 1, 9), /after close\(\)/);

    const data = kiln.readEvents(w.path);
    assert.deepEqual(data.files, [w.path]);
    assert.equal(data.fileVersion, 'brain.Event:2');
    assert.deepEqual(data.warnings, []);
    assert.deepEqual(data.runs, {});
    assert.deepEqual(data.sessionStarts, [{ step: 0, wallTime: 100 }]);
    assert.equal(data.graphs, 1);
    // Scalars are float32 on disk, as TensorFlow writes them.
    assert.deepEqual(data.scalars['epoch_loss'], [
      { step: 0, wallTime: 101, value: Math.fround(0.1) },
      { step: 1, wallTime: 102, value: Math.fround(0.05) },
    ]);
    assert.deepEqual(data.scalars['epoch_learning_rate'], [{ step: 1, wallTime: 102.5, value: Math.fround(1e-3) }]);
    assert.ok(Number.isNaN(data.scalars['nan']![0]!.value));
    const h = histogramOf(weights);
    assert.deepEqual(data.histograms['dense/kernel'], [{
      step: 1, wallTime: 104, min: h.min, max: h.max, num: h.num, sum: h.sum, sumSquares: h.sumSquares, bucketLimits: h.bucketLimits, buckets: h.buckets,
    }]);
    assert.deepEqual(data.tensors['notes'], [{ step: 3, wallTime: 105, dtype: 'DT_STRING', shape: [], values: ['héllo *world*'], plugin: 'text' }]);
    assert.deepEqual(Object.keys(data.tensors), ['notes'], 'scalar tensors go to scalars, not tensors');

    const { events } = readEventFile(w.path);
    const { GraphDef } = eventTypes();
    const graph = GraphDef.toObject(GraphDef.decode(events.find((e) => e.graphDef)!.graphDef!), { longs: Number }) as GraphDefProto;
    assert.deepEqual(graph.node!.map((n) => [n.name, n.op, n.input ?? []]), [['input', 'Placeholder', []], ['dense', 'Dense', ['input']]]);
    const attr = graph.node![1]!.attr!;
    assert.equal(attr['units']!.i, 4);
    assert.equal(Buffer.from(attr['activation']!.s!).toString(), 'relu');
    assert.equal(attr['rate']!.f, 0.5);
    assert.equal(attr['use_bias']!.b, true);
    // The scalar is written as TF2 does: a DT_FLOAT rank-0 tensor with the 'scalars' plugin.
    const scalar = events.find((e) => e.summary?.value?.[0]?.tag === 'epoch_loss')!.summary!.value![0]!;
    assert.equal(scalar.metadata!.plugin_data!.plugin_name, 'scalars');
    assert.equal(scalar.metadata!.data_class, 1);
    assert.equal(scalar.tensor!.dtype, 1);
    assert.equal(scalar.simple_value, undefined);
  } finally {
    t.cleanup();
  }
});

test('the reader takes simple_value scalars too, and a bare tensor of a tag first declared as scalars', () => {
  const t = tempDir('kiln-tfevents-');
  try {
    const w = new EventFileWriter(t.dir);
    w.addScalar('loss', 2, 0, 1);
    w.close();
    // Append legacy and metadata-less records by hand, as TF1 and TF's Python writer produce them.
    const { Event } = eventTypes();
    const more = [
      { wall_time: 2, step: 1, summary: { value: [{ tag: 'loss', tensor: { dtype: 1, tensor_shape: {}, tensor_content: new Uint8Array(new Float32Array([1.5]).buffer) } }] } },
      { wall_time: 3, step: 2, summary: { value: [{ tag: 'acc', simple_value: 0.75 }] } },
    ];
    // An image value (Summary.Value field 4), which kiln's schema leaves out: skipped with a warning.
    const value = protobuf.Writer.create().uint32((1 << 3) | 2).string('img').uint32((4 << 3) | 2).bytes(new Uint8Array([8, 1])).finish();
    const summary = protobuf.Writer.create().uint32((1 << 3) | 2).bytes(value).finish();
    const image = protobuf.Writer.create().uint32((1 << 3) | 1).double(4).uint32(2 << 3).int64(2).uint32((5 << 3) | 2).bytes(summary).finish();
    const records = [...more.map((e) => Event.encode(Event.fromObject(e)).finish()), image].map(encodeRecord);
    writeFileSync(w.path, Buffer.concat(records), { flag: 'a' });
    const data = kiln.readEvents(w.path);
    assert.deepEqual(data.scalars['loss']!.map((p) => [p.step, p.value]), [[0, 2], [1, 1.5]]);
    assert.deepEqual(data.scalars['acc'], [{ step: 2, wallTime: 3, value: 0.75 }]);
    assert.equal(data.warnings.length, 1);
    assert.match(data.warnings[0]!, /'img'/);
  } finally {
    t.cleanup();
  }
});

test('file names: the TensorFlow pattern, different for two writers in one second, suffix appended; parents created', () => {
  const t = tempDir('kiln-tfevents-');
  try {
    const dir = t.path('a/b/c');
    const w1 = new EventFileWriter(dir);
    const w2 = new EventFileWriter(dir);
    const w3 = new EventFileWriter(dir, { filenameSuffix: '.v2' });
    for (const w of [w1, w2, w3]) w.close();
    assert.notEqual(w1.path, w2.path);
    assert.match(basename(w1.path), NAME);
    assert.match(basename(w2.path), NAME);
    assert.match(basename(w3.path), /\.v2$/);
    assert.ok(basename(w1.path).includes(`.${process.pid}.`));
    assert.equal(readdirSync(dir).length, 3);
    // A fresh file holds only the version record; both read as separate, mergeable files.
    assert.equal(statSync(w1.path).size, readEventFile(w1.path).records[0]!.size);
    const data = kiln.readEvents(dir);
    assert.equal(data.files.length, 3);
    assert.deepEqual(data.files, [...data.files].sort());
  } finally {
    t.cleanup();
  }
});

test('readEvents on a Keras-style log directory gives runs.train and runs.validation, merged across files', () => {
  const t = tempDir('kiln-tfevents-');
  try {
    const train1 = new EventFileWriter(t.path('logs/train'));
    train1.addScalar('epoch_loss', 1, 0, 1);
    train1.close();
    const train2 = new EventFileWriter(t.path('logs/train'));
    train2.addSessionStart(1, 2);
    train2.addScalar('epoch_loss', 0.5, 1, 3);
    train2.close();
    const val = new EventFileWriter(t.path('logs/validation'));
    val.addScalar('epoch_loss', 2, 0, 1);
    val.close();
    const deep = new EventFileWriter(t.path('logs/sweep/lr=0.1'));
    deep.addText('cfg', 'x', 0);
    deep.close();
    mkdirSync(t.path('logs/empty'));
    writeFileSync(t.path('logs/train/notes.txt'), 'not an event file, ignored by name');

    const logs = kiln.readEvents(t.path('logs'));
    assert.deepEqual(logs.files, []);
    assert.deepEqual(Object.keys(logs.runs).sort(), ['sweep/lr=0.1', 'train', 'validation']);
    const train = logs.runs['train']!;
    assert.equal(train.files.length, 2);
    assert.deepEqual(train.scalars['epoch_loss']!.map((p) => p.value), [1, 0.5]);
    assert.deepEqual(train.sessionStarts, [{ step: 1, wallTime: 2 }]);
    assert.deepEqual(logs.runs['validation']!.scalars['epoch_loss']!.map((p) => p.value), [2]);
    assert.deepEqual(logs.runs['sweep/lr=0.1']!.tensors['cfg']![0]!.values, ['x']);
    assert.deepEqual(train.runs, {});

    const empty = kiln.readEvents(t.path('logs/empty'));
    assert.match(empty.warnings[0]!, /no event files/);
    assert.throws(() => kiln.readEvents(t.path('nowhere')), (e: Error) => e instanceof kiln.EventFileError && /nowhere/.test(e.message));
  } finally {
    t.cleanup();
  }
});
