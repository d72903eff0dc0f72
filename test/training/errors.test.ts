import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';

const { errors } = kiln;

function classifier() {
  const m = kiln.sequential([
    kiln.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }),
    kiln.layers.dense({ units: 3, activation: 'softmax' }),
  ]);
  m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

test('fit before compile → NotCompiledError that says what to call', async () => {
  const m = kiln.sequential([kiln.layers.dense({ units: 1, inputShape: [2] })]);
  await assert.rejects(m.fit([[1, 2]], [[1]]), (e: Error) => e instanceof errors.NotCompiledError && /compile/.test(e.message));
  await assert.rejects(m.evaluate([[1, 2]], [[1]]), errors.NotCompiledError);
});

test('x and y with different sample counts → ValueError naming both', async () => {
  const m = classifier();
  await assert.rejects(
    m.fit(kiln.zeros([10, 4]), kiln.zeros([9], 'int32'), { verbose: 0 }),
    (e: Error) => e instanceof errors.ValueError && /x has 10/.test(e.message) && /y has 9/.test(e.message),
  );
});

test('wrong feature shape → ShapeError naming the model/layer and both shapes', async () => {
  const m = classifier();
  await assert.rejects(
    m.fit(kiln.zeros([10, 5]), kiln.zeros([10], 'int32'), { verbose: 0 }),
    (e: Error) => e instanceof errors.ShapeError && /\[None, 4\]/.test(e.message) && /\[10, 5\]/.test(e.message),
  );
  assert.throws(() => m.predict(kiln.zeros([2, 7])), errors.ShapeError);
});

test('NaN or Infinity in inputs → InvalidDataError with the position', async () => {
  const m = classifier();
  const x = kiln.zeros([4, 4]).dataSync();
  x[9] = NaN;
  await assert.rejects(
    m.fit(kiln.tensor(x, [4, 4]), kiln.zeros([4], 'int32'), { verbose: 0 }),
    (e: Error) => e instanceof errors.InvalidDataError && /^x: /.test(e.message) && /sample 2/.test(e.message),
  );
  await assert.rejects(
    m.fit(kiln.zeros([2, 4]), [0, Infinity], { verbose: 0 }),
    (e: Error) => e instanceof errors.InvalidDataError && /^y: /.test(e.message),
  );
});

test('labels out of range for sparse crossentropy → ValueError naming the value and range', async () => {
  const m = classifier();
  await assert.rejects(
    m.fit(kiln.zeros([4, 4]), [0, 1, 3, 2], { verbose: 0 }),
    (e: Error) => e instanceof errors.ValueError && /3/.test(e.message) && /\[0, 3\)|0 and 2|0\.\.2/.test(e.message),
  );
});

test('no silent label broadcasting: [n, 1] targets for a [n, 3] mse output are refused', async () => {
  const m = kiln.sequential([kiln.layers.dense({ units: 3, inputShape: [4] })]);
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  await assert.rejects(m.fit(kiln.zeros([4, 4]), kiln.zeros([4, 1]), { verbose: 0 }), errors.ShapeError);
});

test('unknown names → UnknownNameError listing what is known', () => {
  const m = kiln.sequential([kiln.layers.dense({ units: 1, inputShape: [2] })]);
  // @ts-expect-error a misspelt optimizer fails to compile, and at run time for JavaScript callers.
  assert.throws(() => m.compile({ optimizer: 'adamm', loss: 'mse' }), (e: Error) => e instanceof errors.UnknownNameError && /adamm/.test(e.message));
  // @ts-expect-error a misspelt loss fails to compile, and at run time for JavaScript callers.
  assert.throws(() => m.compile({ optimizer: 'adam', loss: 'mean_sqared_error' }), errors.UnknownNameError);
  // @ts-expect-error a misspelt activation fails to compile, and at run time for JavaScript callers.
  assert.throws(() => kiln.layers.dense({ units: 1, activation: 'rellu' }), (e: Error) => e instanceof errors.UnknownNameError && /relu/.test(e.message));
});

test('bad fit options → ValueError naming the option', async () => {
  const m = classifier();
  const x = kiln.zeros([4, 4]);
  const y = kiln.zeros([4], 'int32');
  await assert.rejects(m.fit(x, y, { batchSize: 0, verbose: 0 }), /batchSize/);
  await assert.rejects(m.fit(x, y, { validationSplit: 1.5, verbose: 0 }), /validationSplit/);
  await assert.rejects(m.fit(x, y, { epochs: -1, verbose: 0 }), /epochs/);
});

test('ragged nested arrays → ShapeError naming the argument', async () => {
  const m = classifier();
  await assert.rejects(m.fit([[1, 2, 3, 4], [1, 2]], [0, 1], { verbose: 0 }), (e: Error) => e instanceof errors.ShapeError && /^x: /.test(e.message));
});
