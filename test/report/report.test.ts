import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as kiln from '../../src/index.js';
import type { TrainingEvent } from '../../src/callbacks/training_event.js';
import { ShapeError, ValueError } from '../../src/errors.js';
import { prepareEvaluation } from '../../src/report/evaluation.js';
import { embedJson, escapeScript } from '../../src/report/html.js';
import { tempDir } from '../helpers/temp_dir.js';

// The report without a browser: inputs, options, errors, escaping and the atomic write.
// test/report/browser.test.ts renders real reports in Chromium.

function fakeHistory(events: TrainingEvent[] = []): kiln.callbacks.History {
  const h = new kiln.callbacks.History();
  h.params = { epochs: 3, steps: 2, verbose: 0, metrics: ['loss', 'val_loss'] };
  h.epoch = [0, 1, 2];
  h.history = { loss: [0.9, 0.6, Number.NaN], val_loss: [1, 0.8, 0.7], f1_score: [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]] };
  (h as { events?: TrainingEvent[] }).events = events;
  return h;
}

/** The JSON data block of a report page. */
function pageData(html: string): { charts: { id: string; config: { data: { datasets: { label: string; data: { x: number; y: number | null; note?: string[] }[] }[] } } }[] } {
  const m = /<script type="application\/json" id="kiln-report-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'the page embeds its data');
  return JSON.parse(m[1]!);
}

describe('kiln.report: inputs and output', () => {
  it('writes one file atomically (parents made, no temporary left) and returns its absolute path', async () => {
    const tmp = tempDir('kiln-report-');
    try {
      const out = await kiln.report(fakeHistory(), tmp.path('a/b/report.html'));
      assert.equal(out, tmp.path('a/b/report.html'));
      assert.deepEqual(readdirSync(tmp.path('a/b')), ['report.html']);
      const html = readFileSync(out, 'utf8');
      assert.ok(html.startsWith('<!DOCTYPE html>'));
      assert.ok(html.includes("Content-Security-Policy\" content=\"default-src 'none'"));
      assert.equal((html.match(/<script/g) ?? []).length, 3, 'data, Chart.js and the drawing script, all inline');
      assert.ok(!/<script[^>]*\bsrc=/.test(html));
      // Written again over itself: replaced whole.
      await kiln.report(fakeHistory(), out, { title: 'second' });
      assert.match(readFileSync(out, 'utf8'), /<title>second<\/title>/);
      assert.deepEqual(readdirSync(tmp.path('a/b')), ['report.html']);
    } finally {
      tmp.cleanup();
    }
  });

  it('from a History: curves with gaps for non-finite values, per-class arrays skipped, events marked on the loss chart', async () => {
    const tmp = tempDir('kiln-report-');
    try {
      const events: TrainingEvent[] = [
        { kind: 'non_finite', severity: 'error', epoch: 2, step: 5, message: 'loss became NaN', evidence: { loss: null }, remedy: 'lower the learning rate' },
        { kind: 'constant_feature', severity: 'warning', epoch: -1, step: null, message: 'column 3 is constant', evidence: { columns: [3] }, remedy: 'drop it' },
      ];
      const html = readFileSync(await kiln.report(fakeHistory(events), tmp.path('r.html')), 'utf8');
      const { charts } = pageData(html);
      assert.deepEqual(charts.map((c) => c.id), ['chart-curve-0']);
      const [train, val, marks] = charts[0]!.config.data.datasets;
      assert.equal(train!.label, 'loss');
      assert.deepEqual(train!.data.map((p) => p.y), [0.9, 0.6, null]);
      assert.deepEqual(train!.data.map((p) => p.x), [1, 2, 3], 'x is the 1-based epoch');
      assert.equal(val!.label, 'val_loss');
      assert.equal(marks!.label, 'monitor error');
      // Epoch 3's loss is NaN, so the marker sits at the last finite value before it.
      assert.deepEqual([marks!.data[0]!.x, marks!.data[0]!.y], [3, 0.6]);
      assert.deepEqual(marks!.data[0]!.note, ['error: non_finite · step 6', 'loss became NaN', '→ lower the learning rate']);
      assert.ok(html.includes('Not drawn (one value per class): f1_score'));
      assert.ok(html.includes('before training') && html.includes('column 3 is constant'));
    } finally {
      tmp.cleanup();
    }
  });

  it('from a run directory still being written, and from a RunRecord', async () => {
    const tmp = tempDir('kiln-report-');
    try {
      const lines = [
        { type: 'run_begin', wallTime: 10, time: '2025-01-02T03:04:05.000Z', params: { epochs: 5 }, model: { name: 'net' }, settings: {} },
        { type: 'epoch', epoch: 0, wallTime: 11, logs: { loss: 1, lr: 0.1 } },
      ];
      writeFileSync(tmp.path('run.jsonl'), lines.map((l) => `${JSON.stringify(l)}\n`).join('') + '{"type":"epoch","epo');
      const html = readFileSync(await kiln.report(tmp.dir, tmp.path('r.html')), 'utf8');
      assert.ok(html.includes('running: 1 of 5 epochs logged'));
      assert.ok(html.includes('Training report: net'));
      assert.ok(html.includes('run started 2025-01-02 03:04:05 UTC'));
      assert.deepEqual(pageData(html).charts.map((c) => c.id), ['chart-curve-0', 'chart-lr'], "'lr' is read as the learning rate");
      const run = await kiln.readRunRecord(tmp.dir);
      const again = readFileSync(await kiln.report(run, tmp.path('r2.html'), { title: 'from a record', summary: 'my summary' }), 'utf8');
      assert.ok(again.includes('from a record') && again.includes('my summary'));
    } finally {
      tmp.cleanup();
    }
  });

  it('refuses unknown options with a did-you-mean, a bad source and a missing run', async () => {
    const tmp = tempDir('kiln-report-');
    try {
      await assert.rejects(kiln.report(fakeHistory(), tmp.path('r.html'), { titel: 'x' } as never), (e: unknown) => e instanceof ValueError && /report: unknown option 'titel'; did you mean 'title'\?/.test(e.message));
      await assert.rejects(
        kiln.report(fakeHistory(), tmp.path('r.html'), { evaluation: { yTrue: [0, 1], yPred: [0.2, 0.9], clasNames: ['a', 'b'] } as never }),
        (e: unknown) => e instanceof ValueError && /did you mean 'classNames'/.test(e.message),
      );
      await assert.rejects(kiln.report(42 as never, tmp.path('r.html')), (e: unknown) => e instanceof ValueError && /source must be a History/.test(e.message));
      await assert.rejects(kiln.report(tmp.path('missing'), tmp.path('r.html')), (e: unknown) => e instanceof kiln.ReportError && e.message.includes(tmp.path('missing')));
      await assert.rejects(kiln.report(fakeHistory(), ''), ValueError);
    } finally {
      tmp.cleanup();
    }
  });

  it('escapes text: a title or class name cannot close the script or inject markup', async () => {
    const tmp = tempDir('kiln-report-');
    try {
      const html = readFileSync(await kiln.report(fakeHistory(), tmp.path('r.html'), {
        title: '</script><img src=x onerror=alert(1)>',
        evaluation: { yTrue: [0, 1, 1, 0], yPred: [0.1, 0.8, 0.6, 0.3], classNames: ['</script>', '<b>yes</b>'] },
      }), 'utf8');
      assert.ok(!html.includes('<img src=x'));
      assert.ok(html.includes('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;'));
      const data = /id="kiln-report-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
      assert.ok(!data.includes('<'), 'no < inside the embedded JSON');
      assert.equal((html.match(/<\/script>/g) ?? []).length, 3, 'only the three script elements close');
    } finally {
      tmp.cleanup();
    }
    assert.equal(escapeScript('a = "</script>"; b = "<!-- x"'), 'a = "\\x3C/script>"; b = "\\x3C!-- x"');
    assert.equal(embedJson({ s: '</script>\u2028' }), '{"s":"\\u003c/script>\\u2028"}');
  });
});

describe('report evaluation: task inference and checks', () => {
  it('infers the task from shapes and values', () => {
    assert.equal(prepareEvaluation({ yTrue: [0, 1, 1], yPred: [0.2, 0.7, 0.9] }).task, 'binary');
    assert.equal(prepareEvaluation({ yTrue: [[0], [1]], yPred: [[0.2], [0.7]] }).task, 'binary');
    assert.equal(prepareEvaluation({ yTrue: [0, 2, 1], yPred: [[0.8, 0.1, 0.1], [0.1, 0.1, 0.8], [0.2, 0.6, 0.2]] }).task, 'multiclass');
    assert.equal(prepareEvaluation({ yTrue: [0, 1, 1], yPred: [0.2, 1.7, 0.9] }).task, 'regression', 'predictions outside [0, 1]');
    assert.equal(prepareEvaluation({ yTrue: [0.5, 1, 1], yPred: [0.2, 0.7, 0.9] }).task, 'regression', 'labels not 0/1');
    assert.equal(prepareEvaluation({ yTrue: [0, 1, 1], yPred: [0.2, 0.7, 0.9], task: 'regression' }).task, 'regression');
    const oneHot = prepareEvaluation({ yTrue: [[0, 0, 1], [1, 0, 0]], yPred: kiln.tensor([[0.1, 0.2, 0.7], [0.5, 0.3, 0.2]]) });
    assert.deepEqual(oneHot.task === 'multiclass' && oneHot.labels, [2, 0]);
    // A two-column softmax said to be binary scores class 1 with column 1.
    const two = prepareEvaluation({ yTrue: [1, 0], yPred: [[0.3, 0.7], [0.9, 0.1]], task: 'binary' });
    assert.deepEqual(two.task === 'binary' && two.scores.map((s) => Math.round(s * 10) / 10), [0.7, 0.1]);
    // snake_case spellings, as everywhere in kiln.
    assert.equal(prepareEvaluation({ y_true: [0, 1], y_pred: [0.1, 0.9] } as never).task, 'binary');
  });

  it('names evaluation.yTrue / evaluation.yPred with expected against found', () => {
    assert.throws(() => prepareEvaluation({ yTrue: [0, 1, 1], yPred: [0.2, 0.7] }), (e: unknown) => e instanceof ShapeError && /evaluation\.yTrue must have one row per prediction: expected 2 rows \(evaluation\.yPred is \[2\]\), found \[3\]/.test(e.message));
    assert.throws(() => prepareEvaluation({ yTrue: [0, 3], yPred: [[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]] }), (e: unknown) => e instanceof ValueError && /evaluation\.yTrue must hold class indices in \[0, 3\), found 3 at row 1/.test(e.message));
    assert.throws(() => prepareEvaluation({ yTrue: [[1, 2], [3, 4]], yPred: [[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]] }), (e: unknown) => e instanceof ShapeError && /evaluation\.yTrue must be class indices \[2\] or \[2, 1\], or one-hot rows \[2, 3\], found \[2, 2\]/.test(e.message));
    assert.throws(() => prepareEvaluation({ yTrue: [0, 1], yPred: [0.5, 2], task: 'binary' }), (e: unknown) => e instanceof ValueError && /evaluation\.yPred of a binary classifier must be probabilities in \[0, 1\], found 2 at row 1/.test(e.message));
    assert.throws(() => prepareEvaluation({ yTrue: [[1, 2]], yPred: [[1, 2, 3]], task: 'regression' }), (e: unknown) => e instanceof ShapeError && /expected \[1, 3\], found \[1, 2\]/.test(e.message));
    assert.throws(() => prepareEvaluation({ yTrue: [0, 1], yPred: [0.1, 0.9], classNames: ['a'] }), (e: unknown) => e instanceof ValueError && /classNames must name each of the 2 classes, found 1/.test(e.message));
    assert.throws(() => prepareEvaluation({ yTrue: [0, 1], yPred: [0.1, 0.9], task: 'ranking' as never }), (e: unknown) => e instanceof ValueError && /evaluation\.task must be/.test(e.message));
    assert.throws(() => prepareEvaluation({ yTrue: [0, 1] } as never), (e: unknown) => e instanceof ValueError && /needs both yTrue and yPred/.test(e.message));
  });
});
