import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import { assertClose, checkGradients } from '../helpers/gradcheck.js';
import { checkLayerRoundTrip } from './roundtrip.js';

test('Rescaling: x * scale + offset on floats and ints, config round trip, gradient, typed errors', () => {
  const r = kiln.layers.rescaling({ scale: 1 / 127.5, offset: -1 });
  assertClose(r.apply(kiln.tensor([[0, 127.5, 255]])).dataSync(), [-1, 0, 1]);
  assertClose(kiln.layers.rescaling({ scale: 0.5 }).apply(kiln.tensor([[2, 4]], undefined, 'int32')).dataSync(), [1, 2]);
  assert.deepEqual(r.getConfig().scale, 1 / 127.5);
  checkLayerRoundTrip(kiln.layers.rescaling({ scale: 1 / 127.5, offset: -1 }), { input: kiln.tensor([[1, 2]]), expectedKeys: ['name', 'trainable', 'dtype', 'scale', 'offset'] });
  checkGradients((x) => kiln.layers.rescaling({ scale: 3, offset: 1 }).apply(x), [kiln.randomNormal([2, 3])], { label: 'Rescaling' });
  assert.deepEqual(kiln.layers.rescaling({ scale: 2 }).apply(kiln.input({ shape: [8, 8, 3] })).shape, [null, 8, 8, 3]);
  assert.throws(() => kiln.layers.rescaling({ scale: Number.NaN }), (e: Error) => e instanceof kiln.errors.ValueError && /scale must be a finite number, found NaN/.test(e.message));
  assert.throws(() => kiln.layers.rescaling({ scale: 1, ofset: 2 } as never), /did you mean 'offset'/);
});
