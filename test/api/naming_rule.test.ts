import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';

// Issue 9, defect 7: one naming rule across losses, metrics, optimizers, initializers and
// regularizers. `new kiln.X.Class(config)` is the class, `kiln.X.lowerCamel(config)` its factory
// returning the same configured object, and plain tensor functions live under another name.

const FAMILIES = {
  losses: { ns: kiln.losses as Record<string, unknown>, base: kiln.losses.Loss, abstract: ['Loss', 'LossFunctionWrapper'] },
  metrics: { ns: kiln.metrics as Record<string, unknown>, base: kiln.metrics.Metric, abstract: ['Metric', 'MeanMetricWrapper'] },
  optimizers: { ns: kiln.optimizers as Record<string, unknown>, base: kiln.optimizers.Optimizer, abstract: ['Optimizer'] },
  initializers: { ns: kiln.initializers as Record<string, unknown>, base: kiln.initializers.Initializer, abstract: ['Initializer', 'RandomInitializer'] },
  regularizers: { ns: kiln.regularizers as Record<string, unknown>, base: kiln.regularizers.Regularizer, abstract: ['Regularizer'] },
};
// Configs a class cannot do without.
const REQUIRED: Record<string, object> = { ConfusionMatrix: { numClasses: 3 } };

const key = (name: string) => name.toLowerCase().replace(/_/g, '');

for (const [family, { ns, base, abstract }] of Object.entries(FAMILIES)) {
  test(`${family}: every class has a lower-camel factory returning that class, configured`, () => {
    const classes = Object.entries(ns).filter(
      ([n, v]) => /^[A-Z]/.test(n) && typeof v === 'function' && (v as { prototype?: unknown }).prototype instanceof (base as unknown as typeof Object) && !abstract.includes(n),
    );
    assert.ok(classes.length >= 3, `${family}: found ${classes.length} classes`);
    const factories = new Map(Object.entries(ns).filter(([n, v]) => /^[a-z]/.test(n) && typeof v === 'function').map(([n, v]) => [key(n), v as (c?: object) => unknown]));
    const missing: string[] = [];
    for (const [name, cls] of classes) {
      const factory = factories.get(key(name));
      if (!factory) {
        missing.push(name);
        continue;
      }
      const made = factory({ ...REQUIRED[name] });
      assert.ok(made instanceof (cls as new () => unknown), `kiln.${family}.${name}: its factory returned ${String(made)}`);
    }
    assert.deepEqual(missing, [], `kiln.${family}: classes without a lower-camel factory`);
  });
}

test("the README's example: kiln.losses.binaryCrossentropy({ fromLogits: true }) is a configured loss object", async () => {
  const loss = kiln.losses.binaryCrossentropy({ fromLogits: true });
  assert.ok(loss instanceof kiln.losses.BinaryCrossentropy);
  assert.equal(loss.getConfig().from_logits, true);
  const model = kiln.sequential([kiln.layers.dense({ units: 1, inputShape: [2] })]);
  model.compile({ optimizer: kiln.optimizers.adam({ learningRate: 1e-2 }), loss, metrics: [kiln.metrics.auc()] });
  const history = await model.fit([[0, 1], [1, 0], [1, 1], [0, 0]], [[1], [0], [1], [0]], { epochs: 2, verbose: 0 });
  assert.equal(history.history.loss!.length, 2);
  assert.ok(Number.isFinite(history.history.loss![1] as number));
  assert.ok(Object.keys(history.history).some((k) => /^auc(_\d+)?$/.test(k)), Object.keys(history.history).join());
});

test('plain per-sample loss functions live under kiln.losses.functions', () => {
  const perSample = kiln.losses.functions.binaryCrossentropy([[1], [0]], [[0], [0]], { fromLogits: true });
  assert.deepEqual(perSample.shape, [2]);
  for (const v of perSample.dataSync()) assert.ok(Math.abs(v - Math.log(2)) < 1e-6, String(v));
});
