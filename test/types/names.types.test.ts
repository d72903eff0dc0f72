import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';

// Type-level tests: the build compiles this file, so every `@ts-expect-error` below must meet a
// type error (a typo that compiles fails the build), and every other line must type-check.
// The registrations at run time make the declared custom names real.

declare module '../../src/index.js' {
  interface CustomActivations {
    square_plus: true;
  }
  interface CustomMetrics {
    my_score: true;
  }
  interface CustomLosses {
    my_loss: true;
  }
}

/** Only compiled: never called, so no model is built here. */
function compileTime(model: kiln.Sequential): void {
  // Built-in names in Keras snake_case, tfjs camelCase and PascalCase.
  kiln.layers.dense({ units: 2, activation: 'relu' });
  kiln.layers.dense({ units: 2, activation: 'log_softmax' });
  kiln.layers.dense({ units: 2, activation: 'logSoftmax' });
  kiln.layers.dense({ units: 2, activation: 'swish', kernelInitializer: 'he_normal', biasInitializer: 'zeros' });
  kiln.layers.dense({ units: 2, kernelInitializer: 'glorotUniform', kernelRegularizer: 'l2' });
  kiln.layers.activation({ activation: 'softmax' });
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy', 'auc'] });
  model.compile({ optimizer: 'RMSprop', loss: 'meanSquaredError', metrics: ['mae', 'rootMeanSquaredError', 'crossentropy'] });
  model.compile({ optimizer: 'sgd', loss: 'MeanAbsoluteError' });
  // Custom names declared above.
  kiln.layers.dense({ units: 2, activation: 'square_plus' });
  model.compile({ optimizer: 'adam', loss: 'my_loss', metrics: ['my_score'] });

  // Typos fail to compile.
  // @ts-expect-error 'softmaxx' is no activation
  kiln.layers.dense({ units: 2, activation: 'softmaxx' });
  // @ts-expect-error 'rellu' is no activation
  kiln.layers.activation({ activation: 'rellu' });
  // @ts-expect-error 'he_normall' is no initializer
  kiln.layers.dense({ units: 2, kernelInitializer: 'he_normall' });
  // @ts-expect-error 'l3' is no regularizer
  kiln.layers.dense({ units: 2, kernelRegularizer: 'l3' });
  // @ts-expect-error 'adamm' is no optimizer
  model.compile({ optimizer: 'adamm', loss: 'mse' });
  // @ts-expect-error 'mean_sqared_error' is no loss
  model.compile({ optimizer: 'adam', loss: 'mean_sqared_error' });
  // @ts-expect-error 'acuracy' is no metric
  model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['acuracy'] });
  // @ts-expect-error an undeclared custom name does not compile either
  kiln.layers.dense({ units: 2, activation: 'cube_plus' });
}

test('name unions: each built-in table name is a member of its union (and the lookups accept them)', () => {
  void compileTime;
  const activations: kiln.activations.BuiltinActivationName[] = ['linear', 'relu', 'hard_sigmoid_keras2', 'gelu_new', 'swish'];
  for (const n of activations) assert.equal(typeof kiln.activations.getActivation(n).fn, 'function');
  const losses: kiln.losses.BuiltinLossName[] = ['mse', 'huber_loss', 'logcosh', 'bce'];
  for (const n of losses) assert.ok(kiln.losses.getLoss(n) instanceof kiln.losses.Loss);
  const metrics: kiln.metrics.BuiltinMetricName[] = ['acc', 'f1', 'r2', 'confusion_matrix', 'ce'];
  assert.equal(metrics.length, 5);
  const optimizers: kiln.optimizers.OptimizerName[] = ['adamw', 'AdamW', 'nadam', 'SGD'];
  for (const n of optimizers) assert.ok(kiln.optimizers.getOptimizer(n) instanceof kiln.optimizers.Optimizer);
  const inits: kiln.initializers.InitializerName[] = ['orthogonal', 'OrthogonalInitializer', 'lecunUniform', 'VarianceScaling'];
  for (const n of inits) assert.ok(kiln.initializers.getInitializer(n) instanceof kiln.initializers.Initializer);
  const regs: kiln.regularizers.RegularizerName[] = ['l1', 'l1_l2', 'L1L2'];
  for (const n of regs) assert.ok(kiln.regularizers.getRegularizer(n) instanceof kiln.regularizers.Regularizer);
  // The unions hold exactly the tables' names: every name the lookups list is typed.
  const listed = kiln.activations.activationNames().filter((n) => n !== 'square_plus');
  const typed: Record<kiln.activations.BuiltinActivationName, true> = {
    linear: true, identity: true, relu: true, relu6: true, leaky_relu: true, elu: true, selu: true, sigmoid: true, hard_sigmoid: true,
    hard_sigmoid_keras2: true, tanh: true, softmax: true, log_softmax: true, softplus: true, softsign: true, silu: true, swish: true,
    hard_silu: true, hard_swish: true, gelu: true, gelu_new: true, exponential: true, mish: true,
  };
  for (const n of listed) assert.ok(n in typed, `activation '${n}' is listed but not typed`);
});

test('a declared custom activation, once registered, works where a name is typed', () => {
  kiln.activations.register('square_plus', (x) => kiln.add(x, kiln.square(x)));
  const layer = kiln.layers.activation({ activation: 'square_plus' });
  assert.deepEqual(layer.apply(kiln.tensor([[1, 2]])).arraySync(), [[2, 6]]);
});
