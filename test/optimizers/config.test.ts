/** Config round trips with Keras 3's keys, name lookup, auto-naming and option validation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/backends/index.js';
import { clearSession } from '../../src/utils/naming.js';
import * as O from '../../src/optimizers/index.js';
import type { Optimizer } from '../../src/optimizers/index.js';
import { deserialize } from '../../src/serialization/registry.js';

const BASE = [
  'name',
  'learning_rate',
  'weight_decay',
  'clipnorm',
  'global_clipnorm',
  'clipvalue',
  'use_ema',
  'ema_momentum',
  'ema_overwrite_frequency',
  'loss_scale_factor',
  'gradient_accumulation_steps',
];

const OWN: Record<string, string[]> = {
  SGD: ['momentum', 'nesterov'],
  Adam: ['beta_1', 'beta_2', 'epsilon', 'amsgrad'],
  AdamW: ['beta_1', 'beta_2', 'epsilon', 'amsgrad'],
  RMSprop: ['rho', 'momentum', 'epsilon', 'centered'],
  Adagrad: ['initial_accumulator_value', 'epsilon'],
  Adamax: ['beta_1', 'beta_2', 'epsilon'],
  Nadam: ['beta_1', 'beta_2', 'epsilon'],
};

/** Non-default settings for each class, so a round trip that dropped an option would show. */
const instances: Optimizer[] = [
  O.sgd({ learningRate: 0.5, momentum: 0.3, nesterov: true, clipnorm: 2, name: 'my_sgd' }),
  O.adam({ learningRate: 0.25, beta1: 0.8, beta2: 0.95, epsilon: 1e-5, amsgrad: true, weightDecay: 0.01, globalClipnorm: 1 }),
  O.adamw({ learningRate: 0.125, weightDecay: 0.02, clipvalue: 3 }),
  O.rmsprop({ learningRate: 0.5, rho: 0.8, momentum: 0.1, epsilon: 1e-6, centered: true, useEma: true, emaMomentum: 0.9, emaOverwriteFrequency: 5 }),
  O.adagrad({ learningRate: 0.5, initialAccumulatorValue: 0.2, epsilon: 1e-6, lossScaleFactor: 128 }),
  O.adamax({ learningRate: 0.5, beta1: 0.85, beta2: 0.95, epsilon: 1e-6, gradientAccumulationSteps: 4 }),
  O.nadam({ learningRate: O.schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 100, alpha: 0.1 }), beta1: 0.5, beta2: 0.67 }),
];

test('getConfig: Keras 3 keys in order, and fromConfig / getOptimizer / deserialize rebuild the same config', () => {
  for (const opt of instances) {
    const cls = opt.constructor as typeof O.Optimizer;
    const config = JSON.parse(JSON.stringify(opt.getConfig()));
    assert.deepEqual(Object.keys(config), [...BASE, ...OWN[cls.className]!], cls.className);
    const viaClass = cls.fromConfig(config);
    assert.equal(viaClass.constructor, cls);
    assert.deepEqual(viaClass.getConfig(), opt.getConfig(), `${cls.className} fromConfig`);
    const spec = JSON.parse(JSON.stringify(O.serializeOptimizer(opt)));
    assert.equal(spec.module, 'keras.optimizers');
    assert.equal(spec.class_name, cls.className);
    assert.deepEqual(O.getOptimizer(spec).getConfig(), opt.getConfig(), `${cls.className} getOptimizer`);
    assert.deepEqual(deserialize(spec).getConfig(), opt.getConfig(), `${cls.className} registry`);
  }
  const sgd = instances[0]!.getConfig();
  assert.equal(sgd['name'], 'my_sgd');
  assert.equal(sgd['momentum'], 0.3);
  assert.equal(sgd['clipnorm'], 2);
  assert.equal(instances[2]!.getConfig()['weight_decay'], 0.02);
});

test('a Keras-written config (snake_case, float32 rate, lowercase class) loads', () => {
  const opt = O.getOptimizer({
    class_name: 'adam',
    config: { name: 'adam', learning_rate: 0.0010000000474974513, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false, weight_decay: null, use_ema: false },
  });
  assert.ok(opt instanceof O.Adam);
  assert.equal(opt.learningRate, Math.fround(0.001));
  const rms = O.getOptimizer({ class_name: 'RMSprop', config: { learning_rate: 0.01, rho: 0.8, centered: true } }) as O.RMSprop;
  assert.equal(rms.rho, 0.8);
  assert.equal(rms.centered, true);
});

test('getOptimizer: snake, camel and Keras class names; instances pass through', () => {
  const expected: [string, new () => Optimizer][] = [
    ['sgd', O.SGD], ['SGD', O.SGD], ['adam', O.Adam], ['Adam', O.Adam], ['adamw', O.AdamW], ['AdamW', O.AdamW], ['adam_w', O.AdamW],
    ['rmsprop', O.RMSprop], ['RMSprop', O.RMSprop], ['rmsProp', O.RMSprop], ['adagrad', O.Adagrad], ['Adagrad', O.Adagrad],
    ['adamax', O.Adamax], ['Adamax', O.Adamax], ['nadam', O.Nadam], ['Nadam', O.Nadam],
  ];
  for (const [name, cls] of expected) assert.ok(O.getOptimizer(name) instanceof cls, name);
  const mine = O.sgd();
  assert.equal(O.getOptimizer(mine), mine);
  assert.throws(() => O.getOptimizer('adamm'), (e: Error) => e.name === 'UnknownNameError' && /unknown optimizer 'adamm'/.test(e.message));
  assert.throws(() => O.getOptimizer({ class_name: 'Lion', config: {} }), (e: Error) => e.name === 'UnknownNameError');
  assert.throws(() => O.getOptimizer(42 as unknown as string), (e: Error) => e.name === 'ValueError');
  assert.ok(O.isOptimizerName('RMSprop') && !O.isOptimizerName('lion'));
});

test("default names follow Keras's auto_name: adam, adam_1, adam_w, rm_sprop", () => {
  clearSession();
  assert.equal(O.adam().name, 'adam');
  assert.equal(O.adam().name, 'adam_1');
  assert.equal(O.adamw().name, 'adam_w');
  assert.equal(O.rmsprop().name, 'rm_sprop');
  assert.equal(O.sgd({ name: 'custom' }).name, 'custom');
  const reloaded = O.getOptimizer(O.serializeOptimizer(O.adam({ name: 'adam_1' })));
  assert.equal(reloaded.name, 'adam_1', 'a config keeps its name');
});

test('defaults match Keras 3', () => {
  const lr = (o: Optimizer) => o.getConfig()['learning_rate'];
  assert.equal(lr(O.sgd()), Math.fround(0.01));
  for (const o of [O.adam(), O.adamw(), O.rmsprop(), O.adagrad(), O.adamax(), O.nadam()]) assert.equal(lr(o), Math.fround(0.001));
  const adam = O.adam();
  assert.deepEqual([adam.beta1, adam.beta2, adam.epsilon, adam.amsgrad], [0.9, 0.999, 1e-7, false]);
  assert.equal(O.adamw().weightDecay, 0.004);
  const rms = O.rmsprop();
  assert.deepEqual([rms.rho, rms.momentum, rms.epsilon, rms.centered], [0.9, 0, 1e-7, false]);
  const ada = O.adagrad();
  assert.deepEqual([ada.initialAccumulatorValue, ada.epsilon], [0.1, 1e-7]);
  const base = O.sgd().getConfig();
  assert.deepEqual(
    [base['weight_decay'], base['clipnorm'], base['use_ema'], base['ema_momentum'], base['ema_overwrite_frequency'], base['gradient_accumulation_steps']],
    [null, null, false, 0.99, null, null],
  );
});

test('bad options throw a ValueError that names the option', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => O.sgd({ learningRate: -0.1 }), /SGD: option 'learningRate' \(learning_rate\) must be a finite number >= 0, found -0.1/],
    [() => O.adam({ learningRate: NaN }), /'learningRate'/],
    [() => O.adam({ learningRate: '0.1' as unknown as number }), /'learningRate'.*found "0.1"/],
    [() => O.sgd({ momentum: 1.5 }), /'momentum' must be a finite number in \[0, 1\], found 1.5/],
    [() => O.adam({ beta1: 1 }), /'beta1' \(beta_1\) must be a finite number in \[0, 1\), found 1/],
    [() => O.nadam({ beta2: -0.1 }), /'beta2' \(beta_2\)/],
    [() => O.rmsprop({ rho: 2 }), /'rho'/],
    [() => O.rmsprop({ epsilon: -1 }), /'epsilon'/],
    [() => O.adagrad({ initialAccumulatorValue: -1 }), /'initialAccumulatorValue' \(initial_accumulator_value\)/],
    [() => O.sgd({ nesterov: 'yes' as unknown as boolean }), /'nesterov' must be true or false/],
    [() => O.adamw({ weightDecay: null }), /AdamW: option 'weightDecay' \(weight_decay\) must be a number, found null/],
    [() => O.adam({ weightDecay: -1 }), /'weightDecay'/],
    [() => O.sgd({ gradientAccumulationSteps: 1 }), /'gradientAccumulationSteps' \(gradient_accumulation_steps\) must be an integer >= 2/],
    [() => O.sgd({ useEma: true, emaMomentum: 2 }), /'emaMomentum' \(ema_momentum\)/],
    [() => O.sgd({ useEma: true, emaOverwriteFrequency: 0.5 }), /'emaOverwriteFrequency'/],
    [() => O.sgd({ lossScaleFactor: 0 }), /'lossScaleFactor' \(loss_scale_factor\) must be a finite number > 0/],
    [() => O.sgd({ name: 3 as unknown as string }), /option 'name' must be a string/],
    [() => O.sgd({ lr: 0.1 } as O.SGDArgs), /SGD: unknown option 'lr'\. Known options: learningRate/],
    [() => O.adam({ beta_1: 0.9, momentum: 0.9 } as O.AdamArgs), /Adam: unknown option 'momentum'/],
  ];
  for (const [fn, re] of cases) assert.throws(fn, (e: Error) => e.name === 'ValueError' && re.test(e.message), String(re));
});

test('snake_case options are accepted everywhere', () => {
  const opt = O.adam({ learning_rate: 0.5, beta_1: 0.7, global_clipnorm: 2, weight_decay: 0.1 } as O.AdamArgs);
  assert.equal(opt.learningRate, 0.5);
  assert.equal(opt.beta1, 0.7);
  assert.equal(opt.globalClipnorm, 2);
  assert.equal(opt.weightDecay, 0.1);
  assert.equal(O.adamw({ weight_decay: 0.3 } as O.AdamArgs).weightDecay, 0.3);
});
