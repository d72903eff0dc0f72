import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as kiln from '../../src/index.js';
import { EventFileWriter, encodeRecord, filterEventFile, maskedCrc32c, readEventFile } from '../../src/tfevents/index.js';
import { tempDir } from '../helpers/temp_dir.js';

/** An event file with a version record, a session start and scalars at steps 0..5. */
function sample(dir: string): { path: string; bytes: Buffer; records: { offset: number; size: number }[] } {
  const w = new EventFileWriter(dir);
  w.addSessionStart(0, 1);
  for (let step = 0; step <= 5; step++) w.addScalar('epoch_loss', 1 / (step + 1), step, 10 + step);
  w.close();
  return { path: w.path, bytes: readFileSync(w.path), records: readEventFile(w.path).records };
}

function isEventFileError(pattern: RegExp) {
  return (e: Error) => {
    assert.ok(e instanceof kiln.EventFileError, `expected an EventFileError, got ${e.constructor.name}: ${e.message}`);
    assert.match(e.message, pattern);
    return true;
  };
}

test('a truncated last record (in its header, data or trailing CRC) is one warning naming the offset; the rest is read', () => {
  const t = tempDir('kiln-tfevents-');
  try {
    const { path, bytes, records } = sample(t.dir);
    const last = records.at(-1)!;
    assert.equal(last.offset + last.size, bytes.length);
    const cuts = [1, 5, 11, 12, 13, Math.floor(last.size / 2), last.size - 4, last.size - 3, last.size - 1];
    for (const cut of cuts) {
      writeFileSync(path, bytes.subarray(0, last.offset + cut));
      const data = kiln.readEvents(path);
      assert.equal(data.warnings.length, 1, `cut at +${cut}: ${data.warnings.join('; ')}`);
      assert.ok(data.warnings[0]!.includes(`byte ${last.offset}`), data.warnings[0]);
      assert.ok(data.warnings[0]!.includes(path), data.warnings[0]);
      assert.deepEqual(data.scalars['epoch_loss']!.map((p) => p.step), [0, 1, 2, 3, 4], `cut at +${cut}`);
      assert.equal(data.fileVersion, 'brain.Event:2');
    }
  } finally {
    t.cleanup();
  }
});

test('a flipped byte in a middle record (data or length) is an EventFileError naming the file, offset and CRCs', () => {
  const t = tempDir('kiln-tfevents-');
  try {
    const { path, bytes, records } = sample(t.dir);
    const middle = records[3]!;
    const flip = (at: number) => {
      const copy = Buffer.from(bytes);
      copy[at]! ^= 0x10;
      writeFileSync(path, copy);
    };
    flip(middle.offset + 12 + 3);
    assert.throws(() => kiln.readEvents(path), isEventFileError(new RegExp(`'${path}': record at byte ${middle.offset} .*data CRC mismatch \\(expected 0x[0-9a-f]{8}, found 0x[0-9a-f]{8}\\)`)));
    flip(middle.offset);
    assert.throws(() => kiln.readEvents(path), isEventFileError(new RegExp(`record at byte ${middle.offset}: length CRC mismatch \\(expected`)));
    // The same damage in the last record's data is indistinguishable from an interrupted write.
    flip(records.at(-1)!.offset + 14);
    assert.equal(kiln.readEvents(path).warnings.length, 1);
  } finally {
    t.cleanup();
  }
});

test('a huge length in the last record is a truncation, never a huge allocation', () => {
  const t = tempDir('kiln-tfevents-');
  try {
    const { path, bytes, records } = sample(t.dir);
    const last = records.at(-1)!;
    const copy = Buffer.from(bytes);
    copy.writeUInt32LE(0xfffffff0, last.offset);
    copy.writeUInt32LE(0x7fffffff, last.offset + 4);
    copy.writeUInt32LE(maskedCrc32c(copy.subarray(last.offset, last.offset + 8)), last.offset + 8);
    writeFileSync(path, copy);
    const before = process.memoryUsage().arrayBuffers;
    const data = kiln.readEvents(path);
    assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 2 ** 20);
    assert.equal(data.warnings.length, 1);
    assert.match(data.warnings[0]!, new RegExp(`byte ${last.offset} .*header says \\d+ data bytes but only \\d+ are present`));
    assert.equal(data.scalars['epoch_loss']!.length, 5);
  } finally {
    t.cleanup();
  }
});

test('garbage, a zero-filled tail and a record that is not an Event', () => {
  const t = tempDir('kiln-tfevents-');
  try {
    const junk = t.path('events.out.tfevents.junk');
    writeFileSync(junk, Buffer.from('PK\x03\x04 this is a zip file, or anything else at all'));
    assert.throws(() => kiln.readEvents(junk), isEventFileError(/events\.out\.tfevents\.junk': not a TFRecord event file/));
    writeFileSync(junk, 'abc');
    assert.throws(() => kiln.readEvents(t.dir), isEventFileError(/junk': not a TFRecord event file: 3 bytes/));
    writeFileSync(junk, '');
    assert.deepEqual(kiln.readEvents(junk).warnings, [], 'an empty file is a writer that has just started');

    const { path, bytes, records } = sample(t.path('zeros'));
    writeFileSync(path, Buffer.concat([bytes, Buffer.alloc(100)]));
    const zeros = kiln.readEvents(path);
    assert.match(zeros.warnings[0]!, new RegExp(`byte ${bytes.length} .*all zero`));
    assert.equal(zeros.scalars['epoch_loss']!.length, 6);

    // Valid framing around bytes that do not parse as an Event.
    const bad = encodeRecord(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f]));
    const at = records[2]!.offset;
    writeFileSync(path, Buffer.concat([bytes.subarray(0, at), bad, bytes.subarray(at)]));
    assert.throws(() => kiln.readEvents(path), isEventFileError(new RegExp(`record at byte ${at} .*is not an Event protobuf`)));
  } finally {
    t.cleanup();
  }
});

test('filterEventFile drops records after a step, keeps the version record, leaves no temporary file', () => {
  const t = tempDir('kiln-tfevents-');
  try {
    const { path, bytes } = sample(t.dir);
    assert.equal(filterEventFile(path, () => true), 0);
    assert.deepEqual(readFileSync(path), bytes, 'nothing removed: the file is untouched');

    assert.equal(filterEventFile(path, (e) => e.step <= 2), 3);
    assert.deepEqual(readdirSync(t.dir), [path.split('/').at(-1)]);
    const data = kiln.readEvents(path);
    assert.deepEqual(data.warnings, []);
    assert.equal(data.fileVersion, 'brain.Event:2');
    assert.deepEqual(data.sessionStarts, [{ step: 0, wallTime: 1 }]);
    assert.deepEqual(data.scalars['epoch_loss']!.map((p) => p.step), [0, 1, 2]);

    // Everything rejected: the version record stays.
    assert.equal(filterEventFile(path, () => false), 4);
    assert.equal(readEventFile(path).events.length, 1);
    assert.equal(kiln.readEvents(path).fileVersion, 'brain.Event:2');

    // A truncated tail is dropped by the rewrite (and not counted as a removed record).
    const again = sample(t.path('again'));
    writeFileSync(again.path, again.bytes.subarray(0, again.bytes.length - 3));
    assert.equal(filterEventFile(again.path, () => true), 0);
    assert.deepEqual(kiln.readEvents(again.path).warnings, []);
    assert.equal(kiln.readEvents(again.path).scalars['epoch_loss']!.length, 5);
  } finally {
    t.cleanup();
  }
});
