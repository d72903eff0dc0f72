// Expected strings follow Keras 2.15: keras/utils/generic_utils.py (`Progbar.update`,
// `Progbar._format_time`, `Progbar._estimate_step_duration`) and keras/callbacks.py
// (`ProgbarLogger`). Each was also checked against that Python code run with the same clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Progbar, formatExp, formatFixed } from '../../src/callbacks/progbar.js';
import { ProgbarLogger } from '../../src/callbacks/progbar_logger.js';

function sink(isTTY: boolean) {
  let text = '';
  return { stream: { isTTY, write: (s: string) => void (text += s) }, text: () => text };
}

function clock() {
  let t = 0;
  return { now: () => t, set: (v: number) => void (t = v) };
}

const BS = (n: number) => '\b'.repeat(n);

test('finished verbose-1 line on a non-TTY stream', () => {
  // Off a terminal kiln writes only the finished line (the spec: one finished line per
  // epoch, no carriage returns; Keras 2 would also print throttled intermediate lines). Non-stateful
  // values are averaged weighted by steps: accuracy (0 + 0.2 + 0.1 + 0.1) / 4 = 0.1.
  // _estimate_step_duration ignores step 1: (0.0048 - 0.0012) / 3 = 1.2 ms -> '1ms/step'.
  const out = sink(false);
  const c = clock();
  const bar = new Progbar({ target: 4, stream: out.stream, now: c.now });
  const acc = [0, 0.2, 0.1, 0.1];
  for (let i = 1; i <= 4; i++) {
    c.set(0.0012 * i);
    bar.update(i, [['loss', 2.302585], ['accuracy', acc[i - 1]!]]);
  }
  assert.equal(
    out.text(),
    '4/4 [==============================] - 0s 1ms/step - loss: 2.3026 - accuracy: 0.1000\n',
  );
  assert.ok(!out.text().includes('\r'));
});

test('intermediate TTY frame with ETA', () => {
  // Progbar.update: dynamic display writes '\b' * previous width then '\r'; the count is padded to
  // the target's digit count ('%3d/100'); prog_width = int(30 * 0.12) = 3 -> '==>'; ETA is
  // '%ds' of 0.04 s/step * 88 steps = 3.52.
  const out = sink(true);
  const c = clock();
  const bar = new Progbar({ target: 100, stream: out.stream, now: c.now });
  c.set(0.48);
  bar.update(12, [['loss', 0.5]]);
  assert.equal(out.text(), '\r 12/100 [==>...........................] - ETA: 3s - loss: 0.5000');
});

test('TTY redraw erases the previous frame and pads a shorter line', () => {
  // Progbar.update: ETA '%d:%02d' above 60 s; the shorter second frame is padded with spaces to
  // the previous total width (67 characters).
  const out = sink(true);
  const c = clock();
  const bar = new Progbar({ target: 100, stream: out.stream, now: c.now });
  c.set(7.4);
  bar.update(10, [['loss', 0.5]]);
  c.set(14);
  bar.update(20, [['loss', 0.5]]);
  assert.equal(
    out.text(),
    '\r 10/100 [==>...........................] - ETA: 1:06 - loss: 0.5000' +
      BS(67) +
      '\r 20/100 [=====>........................] - ETA: 56s - loss: 0.5000 ',
  );
});

test('hour ETA and averaged values across TTY frames', () => {
  // Progbar.update: '%d:%02d:%02d' above 3600 s; loss averaged over steps: 3, (3+1)/2, (3+1+2)/3.
  const out = sink(true);
  const c = clock();
  const eta = new Progbar({ target: 2, stream: out.stream, now: c.now });
  c.set(3723);
  eta.update(1);
  assert.equal(out.text(), '\r1/2 [==============>...............] - ETA: 1:02:03');

  const avg = sink(true);
  const c2 = clock();
  const bar = new Progbar({ target: 3, stream: avg.stream, now: c2.now });
  [3, 1, 2].forEach((loss, i) => {
    c2.set(2 + i);
    bar.update(i + 1, [['loss', loss]]);
  });
  assert.equal(
    avg.text(),
    '\r1/3 [=========>....................] - ETA: 4s - loss: 3.0000' +
      BS(61) +
      '\r2/3 [===================>..........] - ETA: 1s - loss: 2.0000' +
      BS(61) +
      '\r3/3 [==============================] - 4s 1s/step - loss: 2.0000\n',
  );
});

test('values with |v| <= 1e-3 use Python %.4e', () => {
  // Progbar.update: `if abs(avg) > 1e-3: '.4f' else '.4e'`.
  const out = sink(false);
  const c = clock();
  const bar = new Progbar({ target: 2, stream: out.stream, now: c.now });
  bar.update(1, [['loss', 1.234e-4], ['mae', 0]]);
  c.set(0.1);
  bar.update(2, [['loss', 1.234e-4], ['mae', 0]]);
  assert.equal(
    out.text(),
    '2/2 [==============================] - 0s 100ms/step - loss: 1.2340e-04 - mae: 0.0000e+00\n',
  );
  assert.equal(formatExp(1.234e-4, 4), '1.2340e-04');
  assert.equal(formatExp(0, 4), '0.0000e+00');
  assert.equal(formatExp(-0, 4), '-0.0000e+00');
  assert.equal(formatExp(-5e-4, 4), '-5.0000e-04');
  assert.equal(formatExp(1e-3, 4), '1.0000e-03');
  assert.equal(formatExp(1e-100, 4), '1.0000e-100');
  assert.equal(formatExp(9.99996, 4), '1.0000e+01');
  // Python rounds the exact binary value half-to-even; JS toFixed would give 0.0313 and 3.
  assert.equal(formatFixed(0.03125, 4), '0.0312');
  assert.equal(formatFixed(2.5, 0), '2');
  assert.equal(formatFixed(Number.NaN, 4), 'nan');
});

test('us/step and s/step timing', () => {
  // Progbar._format_time: >= 1 s (or exactly 0) -> 's', >= 1e-3 -> 'ms', else 'us'.
  const fast = sink(false);
  const c = clock();
  const f = new Progbar({ target: 4, stream: fast.stream, now: c.now });
  for (let i = 1; i <= 4; i++) {
    c.set(0.0002 * i);
    f.update(i);
  }
  assert.equal(fast.text(), '4/4 [==============================] - 0s 200us/step\n');

  const slow = sink(false);
  const c2 = clock();
  const s = new Progbar({ target: 4, stream: slow.stream, now: c2.now });
  for (let i = 1; i <= 4; i++) {
    c2.set(2 * i);
    s.update(i);
  }
  assert.equal(
    slow.text(),
    '4/4 [==============================] - 8s 2s/step\n',
  );
});

test('verbose 2 prints one line at the end', () => {
  // Progbar.update, verbose == 2: count, ' - %.0fs', values, then ' - <epoch time>/epoch' and
  // ' - <epoch time / target>/step'. It tests `avg > 1e-3` without abs, so negatives use '.4e'.
  for (const [loss, shown] of [[0.1234, '0.1234'], [-0.5, '-5.0000e-01']] as const) {
    const out = sink(true);
    const c = clock();
    const bar = new Progbar({ target: 100, verbose: 2, stream: out.stream, now: c.now });
    c.set(0.06);
    bar.update(50, [['loss', loss]]);
    c.set(0.12);
    bar.update(100, [['loss', loss]]);
    assert.equal(out.text(), `100/100 - 0s - loss: ${shown} - 120ms/epoch - 1ms/step\n`);
  }
});

const fitParams = (epochs: number) => ({
  epochs,
  steps: 2,
  verbose: 1,
  metrics: ['loss', 'accuracy', 'val_loss', 'val_accuracy'],
});

test('ProgbarLogger prints "Epoch i/N" only when epochs > 1', () => {
  // ProgbarLogger.on_epoch_begin: `if self.verbose and self.epochs > 1: print_msg(...)`.
  for (const [epochs, expected] of [[10, 'Epoch 1/10\n'], [1, '']] as const) {
    const out = sink(false);
    const logger = new ProgbarLogger({ stream: out.stream, now: clock().now });
    logger.setParams(fitParams(epochs));
    logger.onTrainBegin({});
    logger.onEpochBegin(0, {});
    assert.equal(out.text(), expected);
  }
});

test('ProgbarLogger is silent for the validation pass inside fit', () => {
  // ProgbarLogger: on_train_begin sets `_called_in_fit`; on_test_* then do nothing. The epoch
  // end line carries the val_ values.
  const out = sink(false);
  const c = clock();
  const logger = new ProgbarLogger({ stream: out.stream, now: c.now });
  logger.setParams(fitParams(2));
  logger.onTrainBegin({});
  logger.onEpochBegin(0, {});
  c.set(0.01);
  logger.onTrainBatchEnd(0, { loss: 0.5, accuracy: 0.75 });
  c.set(0.02);
  logger.onTrainBatchEnd(1, { loss: 0.4, accuracy: 0.8 });
  const beforeValidation = out.text();
  logger.onTestBegin({});
  logger.onTestBatchEnd(0, { loss: 0.9, accuracy: 0.6 });
  logger.onTestEnd({ loss: 0.9, accuracy: 0.6 });
  assert.equal(out.text(), beforeValidation);
  c.set(0.03);
  logger.onEpochEnd(0, { loss: 0.4, accuracy: 0.8, val_loss: 0.9, val_accuracy: 0.6 });
  logger.onTrainEnd({});
  assert.equal(
    out.text(),
    'Epoch 1/2\n' +
      '2/2 [==============================] - 0s 20ms/step - loss: 0.4000 - accuracy: 0.8000' +
      ' - val_loss: 0.9000 - val_accuracy: 0.6000\n',
  );
});

test('ProgbarLogger shows batch logs as given (they are running means)', () => {
  // ProgbarLogger._maybe_init_progbar marks the model's metrics stateful, so 0.4 is shown, not 0.45.
  const out = sink(true);
  const c = clock();
  const logger = new ProgbarLogger({ stream: out.stream, now: c.now });
  logger.setParams({ epochs: 1, steps: 3, verbose: 1, metrics: ['loss'] });
  logger.onTrainBegin({});
  logger.onEpochBegin(0, {});
  c.set(0.1);
  logger.onTrainBatchEnd(0, { loss: 0.5 });
  c.set(0.2);
  logger.onTrainBatchEnd(1, { loss: 0.4 });
  assert.equal(
    out.text(),
    '\r1/3 [=========>....................] - ETA: 0s - loss: 0.5000' +
      BS(61) +
      '\r2/3 [===================>..........] - ETA: 0s - loss: 0.4000',
  );
});

test('ProgbarLogger draws evaluate and predict bars outside fit', () => {
  // ProgbarLogger.on_test_begin / on_predict_begin create a bar; predict passes no values.
  const out = sink(false);
  const c = clock();
  const logger = new ProgbarLogger({ stream: out.stream, now: c.now });
  logger.setParams({ epochs: 1, steps: 1, verbose: 1, metrics: ['loss'] });
  logger.onTestBegin({});
  c.set(0.005);
  logger.onTestBatchEnd(0, { loss: 0.3 });
  logger.onTestEnd({ loss: 0.3 });
  assert.equal(
    out.text(),
    '1/1 [==============================] - 0s 5ms/step - loss: 0.3000\n',
  );

  const pred = sink(true);
  const c2 = clock();
  const p = new ProgbarLogger({ stream: pred.stream, now: c2.now });
  p.setParams({ epochs: 1, steps: 1, verbose: 1, metrics: [] });
  p.onPredictBegin({});
  c2.set(0.01);
  p.onPredictBatchEnd(0, {});
  p.onPredictEnd({});
  assert.equal(
    pred.text(),
    '\r1/1 [==============================] - ETA: 0s' + BS(46) + '\r1/1 [==============================] - 0s 10ms/step\n',
  );
});
