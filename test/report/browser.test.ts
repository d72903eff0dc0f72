import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as kiln from '../../src/index.js';
import { tempDir } from '../helpers/temp_dir.js';
import type { RenderedPage } from './browser.js';
import { closeBrowser, hasChromium, renderReport } from './browser.js';
import { binaryData, mlp, multiclassData, regressionData } from './runs.js';

// End to end: train a tiny real model, write its report, open it in headless Chromium and check
// that the page is offline, error-free and that every chart drew. The screenshots stay in
// $TMPDIR/kiln-report-test for a person to look at.

after(closeBrowser);

const SKIP = 'chromium not installed: apt-get install chromium';

/** The checks every report must pass in the browser; `charts` is how many Chart.js charts it should have. */
function assertRendered(t: TestContext, file: string, page: RenderedPage, charts: number): void {
  t.diagnostic(`screenshot: ${page.screenshot}`);
  const self = pathToFileURL(file).href;
  assert.deepEqual(page.requests.filter((u) => u !== self), [], 'the page requests nothing but itself');
  assert.deepEqual(page.errors, [], 'no console error or page error');
  assert.equal(page.canvases.length, charts, `canvases: ${page.canvases.map((c) => c.id).join(', ')}`);
  assert.equal(page.declared, charts);
  assert.equal(page.drawn, charts, 'every chart was drawn');
  for (const c of page.canvases) {
    assert.ok(c.chart, `${c.id} has a Chart.js chart`);
    assert.ok(c.width > 200 && c.height > 200, `${c.id} is ${c.width}×${c.height}`);
    // Axes, labels and lines cover far more than a few stray pixels.
    assert.ok(c.painted > 0.02 * c.width * c.height, `${c.id} is drawn (${c.painted} painted pixels)`);
    assert.ok(c.points > 0, `${c.id} has data`);
  }
}

function canvas(page: RenderedPage, id: string) {
  const c = page.canvases.find((x) => x.id === id);
  assert.ok(c, `canvas ${id}`);
  return c;
}

describe('kiln.report in headless Chromium', () => {
  it('a binary classifier from its run record (jsonlLogger, monitor on): curves, batches, learning rate, events, ROC and PR', async (t) => {
    if (!hasChromium) return t.skip(SKIP);
    const tmp = tempDir('kiln-report-');
    try {
      kiln.setSeed(11);
      const train = binaryData(240, 1);
      const test = binaryData(160, 2);
      // A constant third column: the monitor's data check reports it before training.
      for (const row of [...train.x, ...test.x]) row.push(1);
      const model = mlp(3, 1, 'sigmoid');
      model.compile({ optimizer: kiln.optimizers.adam({ learningRate: 0.05 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
      const dir = tmp.path('runs/binary');
      const midRun = tmp.path('out/mid-run.html');
      let midRunText = '';
      const callbacks = [
        kiln.callbacks.learningRateScheduler((epoch, lr) => (epoch < 4 ? lr : lr * 0.7)),
        kiln.callbacks.jsonlLogger(`${dir}/run.jsonl`, { updateFreq: 2 }),
        // The report of a run still being written, from inside it.
        kiln.callbacks.lambdaCallback({
          onEpochEnd: async (epoch) => {
            if (epoch === 3) midRunText = readFileSync(await kiln.report(dir, midRun), 'utf8');
          },
        }),
      ];
      const history = await model.fit(train.x, train.y, { epochs: 8, batchSize: 32, validationSplit: 0.25, verbose: 0, callbacks, monitor: { print: false, overfitPatience: 2 } });
      assert.ok(midRunText.includes('running: 4 of 8 epochs logged'), 'the mid-run report says the run is going');
      const kinds = history.events.map((e) => e.kind);
      assert.ok(kinds.includes('constant_feature'), JSON.stringify(kinds));

      const out = await kiln.report(dir, tmp.path('out/binary.html'), {
        evaluation: { model, x: test.x, y: test.y, classNames: ['negative', 'positive'] },
      });
      assert.equal(out, tmp.path('out/binary.html'));
      const html = readFileSync(out, 'utf8');
      assert.ok(!/<script[^>]+src=|<link[^>]+stylesheet|https?:\/\/(?!www\.w3\.org)/.test(html.replace(/<script>[\s\S]*?<\/script>/g, '')), 'no external resource outside the inline scripts');

      const page = await renderReport(out, 'binary');
      // loss, accuracy, learning rate, ROC, PR
      assertRendered(t, out, page, 5);
      assert.deepEqual(page.canvases.map((c) => c.id), ['chart-curve-0', 'chart-curve-1', 'chart-lr', 'chart-roc', 'chart-pr']);
      const onChart = history.events.filter((e) => e.epoch >= 0);
      const markers = [
        ...(onChart.some((e) => e.severity === 'error') ? ['monitor error'] : []),
        ...(onChart.some((e) => e.severity === 'warning') ? ['monitor warning'] : []),
      ];
      assert.deepEqual(canvas(page, 'chart-curve-0').legend, ['loss', 'val_loss', 'loss (per batch)', ...markers]);
      assert.deepEqual(canvas(page, 'chart-curve-1').legend, ['accuracy', 'val_accuracy', 'accuracy (per batch)']);
      assert.match(canvas(page, 'chart-roc').legend[0]!, /^ROC \(AUC = 0\.\d{3}\)$/);
      assert.match(canvas(page, 'chart-pr').legend[0]!, /^PR \(AP = 0\.\d{3}\)$/);
      for (const s of [`Training report: ${model.name}`, 'finished: 8 epochs', 'Monitor events', 'constant_feature', 'before training', 'Confusion matrix', 'macro avg', 'weighted avg', 'Total params', 'validationSplit', 'learning_rate']) {
        assert.ok(page.text.includes(s), `the page shows '${s}'`);
      }
      for (const e of history.events) assert.ok(page.text.includes(e.message), `the events table lists '${e.message}'`);
    } finally {
      tmp.cleanup();
    }
  });

  it('a regressor from its History: predicted against actual, residuals and their histogram', async (t) => {
    if (!hasChromium) return t.skip(SKIP);
    const tmp = tempDir('kiln-report-');
    try {
      kiln.setSeed(12);
      const train = regressionData(200, 3);
      const test = regressionData(120, 4);
      const model = mlp(2, 1, 'linear');
      model.compile({ optimizer: kiln.optimizers.adam({ learningRate: 0.03 }), loss: 'mse', metrics: ['mae'] });
      const history = await model.fit(train.x, train.y, { epochs: 10, batchSize: 25, validationSplit: 0.2, verbose: 0, monitor: { print: false } });
      const yPred = model.predict(test.x);
      const out = await kiln.report(history, tmp.path('regression.html'), { evaluation: { yTrue: test.y, yPred } });
      const page = await renderReport(out, 'regression');
      // loss, mae, predicted-actual, residuals, residual histogram (History logs no learning rate here)
      assertRendered(t, out, page, 5);
      assert.deepEqual(page.canvases.map((c) => c.id), ['chart-curve-0', 'chart-curve-1', 'chart-pred-actual', 'chart-residuals', 'chart-residual-hist']);
      assert.deepEqual(canvas(page, 'chart-pred-actual').legend, ['samples', 'perfect prediction (y = x)']);
      for (const s of ['Evaluation: regression', 'RMSE', 'R²', 'Model summary']) assert.ok(page.text.includes(s), `the page shows '${s}'`);
    } finally {
      tmp.cleanup();
    }
  });

  it('a multiclass classifier: one-vs-rest ROC and PR curves per class, one-hot labels', async (t) => {
    if (!hasChromium) return t.skip(SKIP);
    const tmp = tempDir('kiln-report-');
    try {
      kiln.setSeed(13);
      const train = multiclassData(210, 5);
      const test = multiclassData(150, 6);
      const model = mlp(3, 3, 'softmax');
      model.compile({ optimizer: kiln.optimizers.adam({ learningRate: 0.05 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
      const history = await model.fit(train.x, train.y, { epochs: 6, batchSize: 30, validationSplit: 0.2, verbose: 0, monitor: { print: false } });
      const oneHot = test.y.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)));
      const out = await kiln.report(history, tmp.path('multiclass.html'), {
        title: 'Three blobs',
        evaluation: { yTrue: oneHot, yPred: model.predict(test.x), classNames: ['red', 'green', 'blue'] },
      });
      const page = await renderReport(out, 'multiclass');
      assertRendered(t, out, page, 4);
      const roc = canvas(page, 'chart-roc').legend;
      assert.equal(roc.length, 4);
      assert.match(roc[0]!, /^red \(AUC = /);
      assert.equal(roc[3], 'chance (AUC = 0.5)');
      assert.ok(page.text.includes('Three blobs') && page.text.includes('Evaluation: multiclass classification'));
    } finally {
      tmp.cleanup();
    }
  });
});
