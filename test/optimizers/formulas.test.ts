/**
 * Every optimizer and option combination, 20 steps on a fixed sequence of random gradients for two
 * variables of different shapes, against the float64 references in reference.ts (written from the
 * Keras 3 sources cited there). Tolerance 1e-5 relative (1e-6 absolute floor near zero).
 */
import { test } from 'node:test';
import * as O from '../../src/optimizers/index.js';
import type { Optimizer } from '../../src/optimizers/index.js';
import type { Problem } from './helpers.js';
import { assertClose, makeProblem, runKiln } from './helpers.js';
import type { RefFactory } from './reference.js';
import { refAdagrad, refAdam, refAdamax, refNadam, refRMSprop, refSGD, runReference } from './reference.js';

interface Case {
  label: string;
  make: () => Optimizer;
  ref: RefFactory;
  /** The rate at each 0-based iteration, as the reference should see it. */
  lrAt: (iteration: number) => number;
  weightDecay?: number;
  /** Another gradient sequence than the default one. */
  problem?: Problem;
}

// A constant rate is stored in a float32 variable, as in Keras; the reference uses the same value.
const constant = (lr: number) => () => Math.fround(lr);

const shrinking = makeProblem(99, 20, undefined, (t) => 0.7 ** t);

const cases: Case[] = [
  { label: 'sgd plain', make: () => O.sgd({ learningRate: 0.1 }), ref: refSGD(), lrAt: constant(0.1) },
  { label: 'sgd momentum', make: () => O.sgd({ learningRate: 0.05, momentum: 0.9 }), ref: refSGD(0.9), lrAt: constant(0.05) },
  { label: 'sgd nesterov', make: () => O.sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true }), ref: refSGD(0.9, true), lrAt: constant(0.05) },
  { label: 'adam', make: () => O.adam({ learningRate: 0.01 }), ref: refAdam(), lrAt: constant(0.01) },
  {
    label: 'adam amsgrad, custom betas',
    make: () => O.adam({ learningRate: 0.02, beta1: 0.8, beta2: 0.99, amsgrad: true }),
    ref: refAdam({ beta1: 0.8, beta2: 0.99, amsgrad: true }),
    lrAt: constant(0.02),
    // Shrinking gradients make v fall, so the running max (velocity_hat) changes the result.
    problem: shrinking,
  },
  { label: 'adamw', make: () => O.adamw({ learningRate: 0.01, weightDecay: 0.1 }), ref: refAdam(), lrAt: constant(0.01), weightDecay: 0.1 },
  { label: 'adamw default decay 0.004', make: () => O.adamw({ learningRate: 0.05 }), ref: refAdam(), lrAt: constant(0.05), weightDecay: 0.004 },
  { label: 'rmsprop', make: () => O.rmsprop({ learningRate: 0.01 }), ref: refRMSprop(), lrAt: constant(0.01) },
  { label: 'rmsprop momentum', make: () => O.rmsprop({ learningRate: 0.01, momentum: 0.5 }), ref: refRMSprop({ momentum: 0.5 }), lrAt: constant(0.01) },
  { label: 'rmsprop centered', make: () => O.rmsprop({ learningRate: 0.01, centered: true }), ref: refRMSprop({ centered: true }), lrAt: constant(0.01) },
  {
    label: 'rmsprop centered + momentum, rho 0.8',
    make: () => O.rmsprop({ learningRate: 0.01, rho: 0.8, momentum: 0.5, centered: true }),
    ref: refRMSprop({ rho: 0.8, momentum: 0.5, centered: true }),
    lrAt: constant(0.01),
  },
  { label: 'adagrad', make: () => O.adagrad({ learningRate: 0.1 }), ref: refAdagrad(), lrAt: constant(0.1) },
  {
    label: 'adagrad custom accumulator',
    make: () => O.adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.5, epsilon: 1e-4 }),
    ref: refAdagrad({ initialAccumulatorValue: 0.5, epsilon: 1e-4 }),
    lrAt: constant(0.1),
  },
  { label: 'adamax', make: () => O.adamax({ learningRate: 0.01 }), ref: refAdamax(), lrAt: constant(0.01) },
  { label: 'nadam', make: () => O.nadam({ learningRate: 0.01 }), ref: refNadam(), lrAt: constant(0.01) },
  {
    label: 'nadam custom betas',
    make: () => O.nadam({ learningRate: 0.02, beta1: 0.8, beta2: 0.95 }),
    ref: refNadam({ beta1: 0.8, beta2: 0.95 }),
    lrAt: constant(0.02),
  },
  {
    label: 'sgd with weight decay',
    make: () => O.sgd({ learningRate: 0.1, momentum: 0.5, weightDecay: 0.01 }),
    ref: refSGD(0.5),
    lrAt: constant(0.1),
    weightDecay: 0.01,
  },
  {
    // The schedule is evaluated at the iteration count before each update (0 for the first).
    label: 'adam with an ExponentialDecay schedule',
    make: () => O.adam({ learningRate: O.schedules.exponentialDecay({ initialLearningRate: 0.05, decaySteps: 4, decayRate: 0.5 }) }),
    ref: refAdam(),
    lrAt: (it) => 0.05 * 0.5 ** (it / 4),
  },
  {
    label: 'adamw with a staircase schedule (decay uses the scheduled rate)',
    make: () =>
      O.adamw({
        learningRate: O.schedules.exponentialDecay({ initialLearningRate: 0.05, decaySteps: 5, decayRate: 0.5, staircase: true }),
        weightDecay: 0.2,
      }),
    ref: refAdam(),
    lrAt: (it) => 0.05 * 0.5 ** Math.floor(it / 5),
    weightDecay: 0.2,
  },
];

const standard = makeProblem();

for (const c of cases) {
  test(`${c.label}: 20 steps match the float64 Keras formula`, () => {
    const problem = c.problem ?? standard;
    const { weights } = runKiln(c.make(), problem);
    const expected = runReference(c.ref, problem, c.lrAt, c.weightDecay ?? null);
    weights.forEach((w, i) => assertClose(w, expected[i]!, 1e-5, 1e-6, `${c.label} variable ${i}`));
  });
}
