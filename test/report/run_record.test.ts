import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ReportError, readRunRecord } from '../../src/index.js';
import { parseRunRecord } from '../../src/report/run_record.js';
import { tempDir } from '../helpers/temp_dir.js';

const begin = (extra: object = {}) => ({
  type: 'run_begin', wallTime: 100, time: '2025-06-01T12:00:00.000Z',
  params: { epochs: 3, steps: 4, verbose: 0, metrics: ['loss', 'accuracy', 'val_loss', 'val_accuracy'] },
  model: { name: 'sequential', className: 'Sequential', summary: 'Model: "sequential"', params: { total: 9, trainable: 9 }, loss: 'binary_crossentropy', optimizer: { name: 'adam', learning_rate: 0.001 }, metrics: ['accuracy'] },
  settings: { batchSize: 8, validationSplit: 0.2 },
  ...extra,
});
const epoch = (e: number, loss: number | null, wallTime: number) => ({ type: 'epoch', epoch: e, wallTime, elapsed: wallTime - 100, logs: { loss, accuracy: 0.5 + e / 10, val_loss: loss === null ? null : loss + 0.1, learning_rate: 0.001 } });
const event = { type: 'event', wallTime: 102, event: { kind: 'overfitting', severity: 'warning', epoch: 1, step: null, message: 'val_loss rose', evidence: {}, remedy: 'stop earlier' } };
const jsonl = (lines: object[]) => lines.map((l) => `${JSON.stringify(l)}\n`).join('');

describe('readRunRecord', () => {
  it('reads a complete run: params, model, settings, epochs, events, duration and status', async () => {
    const tmp = tempDir('kiln-run-');
    try {
      const dir = tmp.path('exp');
      mkdirSync(dir);
      writeFileSync(tmp.path('exp/run.jsonl'), jsonl([
        begin(), epoch(0, 0.9, 101), { type: 'batch', epoch: 1, batch: 1, step: 6, wallTime: 101.5, logs: { loss: 0.8 } }, epoch(1, 0.7, 102), event, epoch(2, null, 103),
        { type: 'run_end', wallTime: 103.5, epochs: 3, stopped: false },
      ]));
      // The directory and the file itself read the same.
      const run = await readRunRecord(dir);
      assert.deepEqual(await readRunRecord(tmp.path('exp/run.jsonl')), run);
      assert.equal(run.source, tmp.path('exp/run.jsonl'));
      assert.equal(run.status, 'finished');
      assert.equal(run.startTime, '2025-06-01T12:00:00.000Z');
      assert.equal(run.durationSeconds, 3.5);
      assert.equal(run.segments, 1);
      assert.equal(run.truncated, false);
      assert.equal(run.params['epochs'], 3);
      assert.equal(run.model?.name, 'sequential');
      assert.deepEqual(run.settings, { batchSize: 8, validationSplit: 0.2 });
      assert.deepEqual(run.epochs.map((e) => e.epoch), [0, 1, 2]);
      assert.equal(run.epochs[2]!.logs['loss'], null, 'a non-finite value (null in JSON) is kept as null');
      assert.equal(run.epochs[1]!.elapsed, 2);
      assert.equal(run.batches.length, 1);
      assert.equal(run.events[0]!.kind, 'overfitting');
    } finally {
      tmp.cleanup();
    }
  });

  it('reads a run still being written: no run_end, the last line cut mid-write is skipped', () => {
    const whole = jsonl([begin(), epoch(0, 0.9, 101), epoch(1, 0.7, 102)]);
    const cut = JSON.stringify(epoch(2, 0.6, 103)).slice(0, 25);
    const run = parseRunRecord(whole + cut, '/runs/a/run.jsonl');
    assert.equal(run.status, 'running');
    assert.equal(run.truncated, true);
    assert.deepEqual(run.epochs.map((e) => e.epoch), [0, 1]);
    // A last record whole but for its newline is read.
    const complete = parseRunRecord(whole + JSON.stringify(epoch(2, 0.6, 103)), '/runs/a/run.jsonl');
    assert.equal(complete.truncated, false);
    assert.equal(complete.epochs.length, 3);
    // A file with only the first line begun holds no run yet.
    const empty = parseRunRecord('{"type":"run_be', 'x.jsonl');
    assert.equal(empty.truncated, true);
    assert.equal(empty.epochs.length, 0);
  });

  it('a malformed line before the last is an error naming the file and the line', () => {
    const text = jsonl([begin(), epoch(0, 0.9, 101)]) + '{"type":"epoch","epoch":1,\n' + jsonl([epoch(2, 0.5, 103)]);
    assert.throws(() => parseRunRecord(text, '/runs/a/run.jsonl'), (e: unknown) => e instanceof ReportError && /malformed run record at \/runs\/a\/run\.jsonl:3: not valid JSON/.test(e.message));
    assert.throws(() => parseRunRecord(jsonl([begin(), [1, 2]]), 'r.jsonl'), (e: unknown) => e instanceof ReportError && /r\.jsonl:2: expected a JSON object with a string 'type'/.test(e.message));
    assert.throws(() => parseRunRecord(jsonl([begin(), { type: 'epoch', epoch: -1, logs: {} }]), 'r.jsonl'), (e: unknown) => e instanceof ReportError && /r\.jsonl:2: an epoch record needs a 0-based integer 'epoch', found -1/.test(e.message));
    assert.throws(() => parseRunRecord(jsonl([begin(), { type: 'event', event: { kind: 'plateau' } }]), 'r.jsonl'), (e: unknown) => e instanceof ReportError && /r\.jsonl:2: an event record/.test(e.message));
  });

  it('a resumed run: a second run_begin, later epoch records replace earlier ones, durations add up', () => {
    const text = jsonl([
      begin(), epoch(0, 0.9, 101), { type: 'batch', epoch: 1, batch: 0, wallTime: 101.4, logs: { loss: 0.85 } }, epoch(1, 0.8, 102),
      // Killed during epoch 2; resumed from the backup taken after epoch 0.
      begin({ wallTime: 200, time: '2025-06-01T12:01:40.000Z', resumed: true, fromEpoch: 1, fromStep: 4 }),
      epoch(1, 0.75, 201), epoch(2, 0.6, 202), { type: 'run_end', wallTime: 202, epochs: 3, stopped: true },
    ]);
    const run = parseRunRecord(text, 'r.jsonl');
    assert.equal(run.segments, 2);
    assert.equal(run.startTime, '2025-06-01T12:00:00.000Z', 'the run began with its first segment');
    assert.deepEqual(run.epochs.map((e) => [e.epoch, e.logs['loss']]), [[0, 0.9], [1, 0.75], [2, 0.6]]);
    assert.deepEqual(run.batches, [], 'batches from the re-run epochs are dropped');
    assert.equal(run.durationSeconds, 4);
    assert.equal(run.status, 'stopped');
  });

  it('skips record types it does not know, and reads an aborted run', () => {
    const run = parseRunRecord(jsonl([begin(), { type: 'checkpoint', path: 'x' }, epoch(0, 1, 101), { type: 'run_abort', wallTime: 101, error: 'out of memory' }]), 'r.jsonl');
    assert.equal(run.epochs.length, 1);
    assert.equal(run.status, 'aborted');
    assert.equal(run.abortError, 'out of memory');
  });

  it('a missing path or a directory without run.jsonl is a ReportError naming it', async () => {
    const tmp = tempDir('kiln-run-');
    try {
      await assert.rejects(readRunRecord(tmp.path('nope')), (e: unknown) => e instanceof ReportError && e.message.includes(tmp.path('nope')) && /does not exist/.test(e.message));
      await assert.rejects(readRunRecord(tmp.dir), (e: unknown) => e instanceof ReportError && e.message.includes(`'${tmp.dir}' has no run.jsonl`));
    } finally {
      tmp.cleanup();
    }
  });
});
