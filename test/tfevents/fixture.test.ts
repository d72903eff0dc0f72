import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as kiln from '../../src/index.js';
import { readEventFile } from '../../src/tfevents/index.js';
import { eventTypes, type GraphDefProto } from '../../src/tfevents/proto.js';

// dist/test/tfevents/ → the repository's sibling folder ../shared (an event file written by TensorFlow itself).
const file = fileURLToPath(new URL('../../../../shared/fixtures/tensorboard/events.out.tfevents.1498485909.DESKTOP-GTSE0SD', import.meta.url));
const skip = existsSync(file) ? false : `fixture not found at ${file} (../shared is absent); skipping`;

test('a TensorFlow-written event file (Keras 2.0.5, 2017): version, graph and per-epoch scalars', { skip }, () => {
  const data = kiln.readEvents(file);
  assert.deepEqual(data.files, [file]);
  assert.equal(data.fileVersion, 'brain.Event:2');
  assert.equal(data.graphs, 1, 'one graph_def record (the third record is a meta_graph_def, not counted)');
  assert.deepEqual(data.warnings, []);
  assert.deepEqual(Object.keys(data.scalars).sort(), ['acc', 'loss']);
  assert.deepEqual(data.histograms, {});
  assert.deepEqual(data.tensors, {});
  assert.deepEqual(data.sessionStarts, []);
  const loss = data.scalars['loss']!;
  const acc = data.scalars['acc']!;
  assert.deepEqual(loss.map((p) => p.step), [0, 1, 2, 3, 4]);
  assert.deepEqual(acc.map((p) => p.step), [0, 1, 2, 3, 4]);
  const near = (got: number, want: number) => assert.ok(Math.abs(got - want) < 1e-6, `${got} vs ${want}`);
  near(loss[0]!.value, 0.0073153311);
  near(loss[4]!.value, 0.0031948446);
  near(acc[0]!.value, 0.9990168810);
  near(acc[4]!.value, 0.9993913770);
  near(loss[0]!.wallTime, 1498485999.7507153);
});

test('the same file record by record: 13 records at known offsets, and its GraphDef decodes', { skip }, () => {
  const { events, records, warning } = readEventFile(file);
  assert.equal(warning, null);
  assert.equal(events.length, 13);
  assert.deepEqual(records.slice(0, 4).map((r) => r.offset), [0, 40, 101618, 212148]);
  assert.equal(events[0]!.fileVersion, 'brain.Event:2');
  assert.equal(events[0]!.wallTime, 1498485909);
  const { GraphDef } = eventTypes();
  const graph = GraphDef.toObject(GraphDef.decode(events[1]!.graphDef!), { longs: Number }) as GraphDefProto;
  assert.equal(graph.node!.length, 762);
  assert.deepEqual([graph.node![0]!.name, graph.node![0]!.op], ['dense_1_input', 'Placeholder']);
  assert.deepEqual(graph.node![0]!.attr!['shape']!.shape, { dim: [{ size: -1 }, { size: 30 }] });
  assert.equal(graph.versions!.producer, 22);
});
