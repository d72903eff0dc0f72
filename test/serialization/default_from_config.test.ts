import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import { ValueError } from '../../src/errors.js';
import type { Config } from '../../src/serialization/registry.js';
import { deserialize, registerClass, serialize } from '../../src/serialization/registry.js';

// Every serializable base class has Keras's default `from_config` (`new this(config)`), so a user
// class whose constructor reads its config needs no `fromConfig` of its own.

class Shift extends kiln.layers.Layer {
  static override readonly className = 'DefaultFromConfigShift';
  readonly by: number;
  constructor(args: { by?: number; name?: string } = {}) {
    super(args);
    this.by = args.by ?? 0;
  }
  override call(x: kiln.Tensor): kiln.Tensor {
    return kiln.add(x, this.by);
  }
  override getConfig(): Config {
    return { ...super.getConfig(), by: this.by };
  }
}

class Cubic extends kiln.losses.Loss {
  static override readonly className = 'DefaultFromConfigCubic';
  readonly power: number;
  constructor(args: kiln.losses.LossOptions & { power?: number } = {}) {
    super(args);
    this.power = args.power ?? 3;
  }
  call(yTrue: kiln.Tensor, yPred: kiln.Tensor): kiln.Tensor {
    return kiln.mean(kiln.abs(kiln.pow(kiln.sub(yPred, yTrue), this.power)), -1);
  }
  override getConfig(): Config {
    return { ...super.getConfig(), power: this.power };
  }
}

test('a user layer without its own fromConfig rebuilds through the inherited default', () => {
  registerClass(Shift);
  const back = deserialize(JSON.parse(JSON.stringify(serialize(new Shift({ by: 2, name: 'shift_a' })))));
  assert.ok(back instanceof Shift);
  assert.equal(back.by, 2);
  assert.equal(back.name, 'shift_a');
  const direct = Shift.fromConfig({ by: 5, name: 'shift_b' });
  assert.ok(direct instanceof Shift);
  assert.equal(direct.by, 5);
});

test('a user loss keeps its own config keys (no key list is set), a built-in refuses unknown ones', () => {
  registerClass(Cubic);
  const back = deserialize(JSON.parse(JSON.stringify(serialize(new Cubic({ power: 4, name: 'cubic4' })))));
  assert.ok(back instanceof Cubic);
  assert.deepEqual(back.getConfig(), { name: 'cubic4', reduction: 'sum_over_batch_size', power: 4 });
  assert.throws(() => kiln.losses.Huber.fromConfig({ delta: 1, power: 4 }), (e: unknown) => e instanceof ValueError && /'power'/.test((e as Error).message));
  assert.ok(kiln.losses.Huber.fromConfig({ delta: 2 }) instanceof kiln.losses.Huber);
});

test('the defaults build the class they are called on, for every kind', () => {
  assert.ok(kiln.metrics.AUC.fromConfig({ name: 'auc_x', curve: 'PR' }) instanceof kiln.metrics.AUC);
  assert.ok(kiln.initializers.HeNormal.fromConfig({ seed: 3 }) instanceof kiln.initializers.HeNormal);
  assert.ok(kiln.regularizers.L2.fromConfig({ l2: 0.5 }) instanceof kiln.regularizers.L2);
  assert.ok(kiln.layers.Dense.fromConfig({ units: 2 }) instanceof kiln.layers.Dense);
});

test('MeanMetricWrapper has no config form: fromConfig is a ValueError, not a plain Mean', () => {
  assert.throws(() => kiln.metrics.MeanMetricWrapper.fromConfig(), ValueError);
});
