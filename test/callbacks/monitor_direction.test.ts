import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import { resolveMode } from '../../src/callbacks/monitor.js';
import { ValueError } from '../../src/errors.js';
import { clearSession } from '../../src/utils/naming.js';

// "Higher is better" has one source: each metric's own `direction` (Keras 3's `_direction`).
// resolveMode reads it from the compiled model first, then from the built-in metric of that name.

/** A custom metric whose value rises every epoch (it counts its resets); its direction is chosen per test. */
class Rising extends kiln.metrics.Metric {
  static override readonly className: string = 'Rising';
  override readonly direction: 'up' | 'down' | null;
  private resets = 0;
  constructor(name: string, direction: 'up' | 'down' | null) {
    super({ name });
    this.direction = direction;
    this.defineState([{ name: 'unused', shape: [] }]);
  }
  override updateState(): void {}
  override result(): number {
    return this.resets;
  }
  override resetState(): void {
    this.resets++;
  }
}

async function epochsRun(direction: 'up' | 'down' | null): Promise<number> {
  const model = kiln.sequential({ layers: [kiln.layers.dense({ units: 1, inputShape: [2] })] });
  model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [new Rising('my_score', direction)] });
  const x = kiln.tensor([[0, 1], [1, 0], [1, 1], [0, 0]]);
  const y = kiln.tensor([[1], [1], [2], [0]]);
  const stop = kiln.callbacks.earlyStopping({ monitor: 'my_score', patience: 1 });
  const history = await model.fit(x, y, { epochs: 5, batchSize: 2, verbose: 0, callbacks: [stop] });
  return history.history.loss!.length;
}

test("mode 'auto' reads a compiled custom metric's own direction: 'up' is maximized, 'down' minimized", async () => {
  // The value rises each epoch: maximized, every epoch improves (all 5 run); minimized, the
  // second epoch is already no better and patience 1 stops training there.
  assert.equal(await epochsRun('up'), 5);
  assert.equal(await epochsRun('down'), 2);
});

test("mode 'auto' on a compiled metric without a direction is a ValueError asking for a mode, before any epoch", async () => {
  await assert.rejects(epochsRun(null), (e: Error) => e instanceof ValueError && /monitor=my_score/.test(e.message) && /mode: 'max'/.test(e.message));
});

test('without a model, built-in metric names give their class direction; loss is minimized; unknown names are a ValueError', () => {
  assert.equal(resolveMode('val_auc_1', 'auto', 'T'), 'max');
  assert.equal(resolveMode('precision', 'auto', 'T'), 'max');
  assert.equal(resolveMode('val_rmse', 'auto', 'T'), 'min');
  assert.equal(resolveMode('sparse_categorical_crossentropy', 'auto', 'T'), 'min');
  assert.equal(resolveMode('val_loss', 'auto', 'T'), 'min');
  assert.equal(resolveMode('my_score', 'max', 'T'), 'max');
  assert.throws(() => resolveMode('val_my_score', 'auto', 'T'), (e: Error) => e instanceof ValueError && /monitor=val_my_score/.test(e.message));
  // A compiled metric's own direction wins over a built-in one of the same name.
  assert.equal(resolveMode('val_auc', 'auto', 'T', { metricDirection: (n) => (n === 'auc' ? 'down' : undefined) }), 'min');
});

test('metricDirection reads the class, and probing a name takes no auto-name from real metrics', () => {
  clearSession();
  assert.equal(kiln.metrics.metricDirection('auc'), 'up');
  assert.equal(kiln.metrics.metricDirection('accuracy'), 'up');
  assert.equal(kiln.metrics.metricDirection('mse'), 'down');
  assert.equal(kiln.metrics.metricDirection({ class_name: 'Precision', config: {} }), 'up');
  assert.equal(kiln.metrics.metricDirection(() => kiln.tensor([0])), null);
  assert.equal(kiln.metrics.metricDirection('no_such_metric'), null);
  assert.equal(new kiln.metrics.AUC().name, 'auc');
  assert.equal(new kiln.metrics.Precision().name, 'precision');
});
