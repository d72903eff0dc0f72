import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32c, maskedCrc32c } from '../../src/tfevents/crc32c.js';
import { decodeRecords, encodeRecord } from '../../src/tfevents/record.js';
import { defaultBucketLimits, histogramOf } from '../../src/tfevents/histogram.js';
import { EventFileError } from '../../src/errors.js';

const bytes = (s: string) => new TextEncoder().encode(s);

test('crc32c: the standard check value and the test vectors of tensorboard data/server/masked_crc.rs', () => {
  assert.equal(crc32c(bytes('123456789')), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(0)), 0);
  assert.equal(maskedCrc32c(bytes('\x1a\x11CRC test, one two')), 0x5794d08a);
  // Unsigned results, never negative numbers.
  for (let i = 0; i < 50; i++) assert.ok(maskedCrc32c(new Uint8Array([i, i * 7])) >= 0);
});

test('records: encodeRecord frames data and decodeRecords returns it with its offsets', () => {
  const datas = [bytes('first'), new Uint8Array(0), bytes('x'.repeat(300))];
  const file = Buffer.concat(datas.map(encodeRecord));
  const { records, truncated } = decodeRecords(file, 'f');
  assert.equal(truncated, null);
  assert.deepEqual(records.map((r) => r.offset), [0, 21, 37]);
  assert.deepEqual(records.map((r) => Buffer.from(r.data).toString()), ['first', '', 'x'.repeat(300)]);
  const view = new DataView(file.buffer, file.byteOffset);
  assert.equal(view.getUint32(0, true), 5, 'length is u64 little-endian');
  assert.equal(view.getUint32(4, true), 0);
  assert.equal(view.getUint32(8, true), maskedCrc32c(file.subarray(0, 8)));
  assert.equal(view.getUint32(17, true), maskedCrc32c(bytes('first')));
});

test('records: an empty file has no records; a few foreign bytes are not an event file', () => {
  assert.deepEqual(decodeRecords(new Uint8Array(0), 'f'), { records: [], truncated: null });
  assert.throws(() => decodeRecords(bytes('hello'), 'notes.txt'), (e: Error) => e instanceof EventFileError && /'notes.txt'.*not a TFRecord/.test(e.message));
  assert.throws(() => decodeRecords(bytes('{"this is": "a json file, not events"}'), 'x.json'), /'x.json': not a TFRecord event file: record at byte 0: length CRC mismatch/);
});

test('histogramOf: TensorFlow default buckets, empty runs collapsed as EncodeToProto does', () => {
  const limits = defaultBucketLimits();
  assert.equal(limits.length, 1551);
  assert.equal(limits[775], 0);
  assert.equal(limits[776], 1e-12);
  assert.equal(limits[774], -1e-12);
  assert.equal(limits[0], -Number.MAX_VALUE);
  assert.equal(limits[1550], Number.MAX_VALUE);
  for (let i = 1; i < limits.length; i++) assert.ok(limits[i]! > limits[i - 1]!);

  const h = histogramOf([1, 1, 2, -3, 0]);
  assert.deepEqual([h.min, h.max, h.num, h.sum, h.sumSquares], [-3, 2, 5, 1, 15]);
  assert.equal(h.buckets.reduce((a, b) => a + b, 0), 5);
  assert.equal(h.buckets.length, h.bucketLimits.length);
  // Never two empty entries in a row, and each non-empty bucket's range holds its values.
  for (let i = 1; i < h.buckets.length; i++) assert.ok(h.buckets[i]! > 0 || h.buckets[i - 1]! > 0);
  const bucketOf = (v: number) => h.bucketLimits.findIndex((l) => v < l);
  assert.equal(h.buckets[bucketOf(1)], 2);
  assert.equal(h.buckets[bucketOf(0)], 1, '0 falls in [0, 1e-12)');
  assert.equal(h.bucketLimits.at(-1), Number.MAX_VALUE);
});

test('histogramOf: NaN and ±Infinity are skipped; empty input is TensorFlow\'s empty histogram', () => {
  const h = histogramOf(new Float32Array([NaN, Infinity, -Infinity, 0.5]));
  assert.deepEqual([h.min, h.max, h.num, h.sum], [0.5, 0.5, 1, 0.5]);
  assert.ok(h.bucketLimits.every(Number.isFinite));
  const e = histogramOf([]);
  assert.deepEqual(e, { min: Number.MAX_VALUE, max: -Number.MAX_VALUE, num: 0, sum: 0, sumSquares: 0, bucketLimits: [Number.MAX_VALUE], buckets: [0] });
  const big = histogramOf([Number.MAX_VALUE, -Number.MAX_VALUE]);
  assert.equal(big.buckets.reduce((a, b) => a + b, 0), 2, 'the extreme finite values land in the extreme buckets');
});
