import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import { ValueError } from '../../src/errors.js';

// Issue 9, defect 4, for the five families the naming rule covers: a factory refuses an unknown
// option with a ValueError naming it and suggesting the known one, in the caller's spelling;
// every option the class really reads (its config's keys, either spelling) is accepted.

const refuses = (make: () => unknown, message: RegExp) =>
  assert.throws(make, (e: Error) => e instanceof ValueError && message.test(e.message), String(message));

test('loss factories refuse unknown options with a did-you-mean', () => {
  refuses(() => kiln.losses.binaryCrossentropy({ fromLogit: true } as never), /BinaryCrossentropy: unknown option 'fromLogit'; did you mean 'fromLogits'\?/);
  refuses(() => kiln.losses.huber({ detla: 2 } as never), /Huber: unknown option 'detla'; did you mean 'delta'\?/);
  assert.ok(kiln.losses.sparseCategoricalCrossentropy({ from_logits: true, ignore_class: 0, reduction: 'sum', name: 'l' } as never));
});

test('metric factories refuse unknown options with a did-you-mean', () => {
  refuses(() => kiln.metrics.auc({ curev: 'PR' } as never), /AUC: unknown option 'curev'; did you mean 'curve'\?/);
  refuses(() => kiln.metrics.f1Score({ averag: 'macro' } as never), /F1Score: unknown option 'averag'; did you mean 'average'\?/);
  refuses(() => kiln.metrics.precision({ top_kk: 1 } as never), /Precision: unknown option 'top_kk'; did you mean 'top_k'\?/);
  assert.ok(kiln.metrics.auc({ curve: 'PR', numThresholds: 50, multi_label: false, fromLogits: true } as never));
});

test('optimizer factories refuse unknown options with a did-you-mean (one rule with the rest)', () => {
  refuses(() => kiln.optimizers.adam({ learning_rat: 1e-3 } as never), /Adam: unknown option 'learning_rat'; did you mean 'learning_rate'\?/);
  refuses(() => kiln.optimizers.sgd({ momentun: 0.9 } as never), /SGD: unknown option 'momentun'; did you mean 'momentum'\?/);
  assert.ok(kiln.optimizers.adam({ beta_1: 0.8, beta2: 0.99 } as never));
});

test('initializer and regularizer factories refuse unknown options with a did-you-mean', () => {
  refuses(() => kiln.initializers.glorotUniform({ seeed: 1 } as never), /GlorotUniform: unknown option 'seeed'; did you mean 'seed'\?/);
  refuses(() => kiln.initializers.randomNormal({ stdev: 0.1 } as never), /RandomNormal: unknown option 'stdev'; did you mean 'stddev'\?/);
  refuses(() => kiln.regularizers.l2({ l3: 0.1 } as never), /L2: unknown option 'l3'; did you mean 'l2'\?/);
  refuses(() => kiln.regularizers.l1l2({ l1: 0.1, L2: 0.1 } as never), /L1L2: unknown option 'L2'; did you mean 'l2'\?/);
  assert.ok(kiln.initializers.varianceScaling({ scale: 2, mode: 'fan_out', distribution: 'uniform', seed: 1 }));
});
