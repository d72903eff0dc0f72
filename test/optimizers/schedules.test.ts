/**
 * Learning-rate schedules against Keras 3's formulas
 * (keras/src/optimizers/schedules/learning_rate_schedule.py), written out here at several steps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/backends/index.js';
import * as ops from '../../src/ops/index.js';
import * as O from '../../src/optimizers/index.js';
import { deserialize } from '../../src/serialization/registry.js';

const S = O.schedules;
const close = (a: number, e: number, label: string) => assert.ok(Math.abs(a - e) <= 1e-12 + 1e-9 * Math.abs(e), `${label}: ${a} vs ${e}`);
const STEPS = [0, 1, 5, 9, 10, 11, 37, 100, 1000];

test('ExponentialDecay: continuous and staircase', () => {
  const cont = S.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.96 });
  const stair = S.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.96, staircase: true });
  for (const s of STEPS) {
    close(cont.call(s), 0.1 * 0.96 ** (s / 10), `continuous step ${s}`);
    close(stair.call(s), 0.1 * 0.96 ** Math.floor(s / 10), `staircase step ${s}`);
  }
  close(stair.call(9), 0.1, 'staircase holds within the first period');
  close(cont.call(ops.scalar(20, 'int32')), 0.1 * 0.96 ** 2, 'a step tensor is accepted');
});

test('InverseTimeDecay: continuous and staircase', () => {
  const cont = S.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 4, decayRate: 0.5 });
  const stair = S.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 4, decayRate: 0.5, staircase: true });
  for (const s of STEPS) {
    close(cont.call(s), 0.1 / (1 + (0.5 * s) / 4), `continuous step ${s}`);
    close(stair.call(s), 0.1 / (1 + 0.5 * Math.floor(s / 4)), `staircase step ${s}`);
  }
});

test('PiecewiseConstantDecay: values switch just after each boundary', () => {
  const s = S.piecewiseConstantDecay({ boundaries: [10, 20], values: [1, 0.5, 0.1] });
  const expected: [number, number][] = [[0, 1], [10, 1], [10.5, 0.5], [11, 0.5], [20, 0.5], [21, 0.1], [1000, 0.1]];
  for (const [step, v] of expected) assert.equal(s.call(step), v, `step ${step}`);
  assert.throws(() => S.piecewiseConstantDecay({ boundaries: [10], values: [1, 2, 3] }), /one more element than 'boundaries'/);
  assert.throws(() => S.piecewiseConstantDecay({ boundaries: [20, 10], values: [1, 2, 3] }), /must increase/);
});

test('CosineDecay: plain, with alpha, clamped after decaySteps', () => {
  const plain = S.cosineDecay({ initialLearningRate: 0.2, decaySteps: 100 });
  const floor = S.cosineDecay({ initialLearningRate: 0.2, decaySteps: 100, alpha: 0.1 });
  for (const s of STEPS) {
    const t = Math.min(s, 100);
    const cosine = 0.5 * (1 + Math.cos((Math.PI * t) / 100));
    close(plain.call(s), 0.2 * cosine, `plain step ${s}`);
    close(floor.call(s), 0.2 * (0.9 * cosine + 0.1), `alpha step ${s}`);
  }
  close(plain.call(50), 0.1, 'halfway');
  close(floor.call(5000), 0.02, 'alpha is the floor');
});

test('CosineDecay with warmup: linear rise to warmupTarget, then cosine from it', () => {
  const s = S.cosineDecay({ initialLearningRate: 0, decaySteps: 100, warmupTarget: 0.1, warmupSteps: 10, alpha: 0.05 });
  for (const step of [0, 3, 9.5]) close(s.call(step), 0.1 * (step / 10), `warmup step ${step}`);
  for (const step of [10, 11, 60, 110, 500]) {
    const t = Math.min(step, 110) - 10;
    close(s.call(step), 0.1 * (0.95 * 0.5 * (1 + Math.cos((Math.PI * t) / 100)) + 0.05), `decay step ${step}`);
  }
});

test('schedules reject bad options with the option named', () => {
  assert.throws(() => S.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 }), /'decaySteps' \(decay_steps\) must be a finite number > 0/);
  assert.throws(() => S.cosineDecay({ initialLearningRate: -1, decaySteps: 10 }), /'initialLearningRate'/);
  assert.throws(() => S.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1 } as O.schedules.DecayArgs), /'decayRate' \(decay_rate\) is required/);
  assert.throws(() => S.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmup: 5 } as O.schedules.CosineDecayArgs), /CosineDecay: unknown option 'warmup'\. Known options: initialLearningRate, decaySteps, alpha, warmupTarget, warmupSteps/);
});

test('config round trip for every schedule, with Keras keys and default names', () => {
  const all = [
    S.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9, staircase: true }),
    S.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9 }),
    S.piecewiseConstantDecay({ boundaries: [5, 15], values: [0.3, 0.2, 0.1] }),
    S.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, alpha: 0.1, warmupTarget: 0.3, warmupSteps: 4 }),
    S.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10 }),
  ];
  const keys: Record<string, string[]> = {
    ExponentialDecay: ['initial_learning_rate', 'decay_steps', 'decay_rate', 'staircase', 'name'],
    InverseTimeDecay: ['initial_learning_rate', 'decay_steps', 'decay_rate', 'staircase', 'name'],
    PiecewiseConstantDecay: ['boundaries', 'values', 'name'],
    CosineDecay: ['initial_learning_rate', 'decay_steps', 'alpha', 'name', 'warmup_target', 'warmup_steps'],
  };
  const names: Record<string, string> = {
    ExponentialDecay: 'ExponentialDecay',
    InverseTimeDecay: 'InverseTimeDecay',
    PiecewiseConstantDecay: 'PiecewiseConstant',
    CosineDecay: 'CosineDecay',
  };
  for (const s of all) {
    const spec = JSON.parse(JSON.stringify(O.serializeSchedule(s)));
    assert.equal(spec.module, 'keras.optimizers.schedules');
    assert.deepEqual(Object.keys(spec.config), keys[spec.class_name]);
    assert.equal(spec.config.name, names[spec.class_name]);
    const back = O.getSchedule(spec);
    assert.equal(back.constructor, s.constructor);
    assert.deepEqual(back.getConfig(), s.getConfig());
    assert.deepEqual(deserialize(spec).getConfig(), s.getConfig(), 'registered in the class registry');
    for (const step of [0, 3, 7, 12, 40]) assert.equal(back.call(step), s.call(step));
  }
  assert.equal(O.serializeSchedule(all[4]!).config['warmup_target'], null);
});

test('an optimizer evaluates its schedule at the current iteration and serializes it', () => {
  const schedule = S.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
  const opt = O.sgd({ learningRate: schedule });
  assert.equal(opt.learningRate, 0.1);
  assert.equal(opt.learningRateSchedule, schedule);
  const config = JSON.parse(JSON.stringify(opt.getConfig()));
  assert.deepEqual(config.learning_rate, {
    module: 'keras.optimizers.schedules',
    class_name: 'ExponentialDecay',
    config: { initial_learning_rate: 0.1, decay_steps: 1, decay_rate: 0.5, staircase: false, name: 'ExponentialDecay' },
    registered_name: null,
  });
  const back = O.SGD.fromConfig(config);
  assert.ok(back.learningRateSchedule instanceof O.ExponentialDecay);
  assert.equal(back.learningRate, 0.1);
});
