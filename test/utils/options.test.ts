import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueError } from '../../src/errors.js';
import { checkOptions, editDistance } from '../../src/utils/options.js';

const KNOWN = ['epochs', 'batchSize', 'validationSplit', 'verbose'] as const;

test('checkOptions accepts known keys in camelCase and snake_case', () => {
  checkOptions('fit', { epochs: 1, batchSize: 2, batch_size: 3, validation_split: 0.1 }, KNOWN);
  checkOptions('fit', undefined, KNOWN);
  checkOptions('fit', {}, KNOWN);
});

test('checkOptions refuses an unknown key, naming it and the closest known name', () => {
  assert.throws(() => checkOptions('fit', { epoch: 3 }, KNOWN), (e: unknown) => {
    assert.ok(e instanceof ValueError);
    assert.match(e.message, /^fit: unknown option 'epoch'; did you mean 'epochs'\? Known options: epochs, batchSize/);
    return true;
  });
  // The suggestion comes in the caller's spelling.
  assert.throws(() => checkOptions('fit', { batch_sise: 3 }, KNOWN), /did you mean 'batch_size'\?/);
  assert.throws(() => checkOptions('fit', { batchsize: 3 }, KNOWN), /did you mean 'batchSize'\?/);
  // Far from every known name: no guess, still refused.
  assert.throws(() => checkOptions('fit', { colour: 'red' }, KNOWN), (e: unknown) => {
    assert.ok(e instanceof ValueError);
    assert.doesNotMatch(e.message, /did you mean/);
    assert.match(e.message, /unknown option 'colour'/);
    return true;
  });
});

test('checkOptions refuses a non-object options argument', () => {
  assert.throws(() => checkOptions('fit', [1, 2] as unknown as object, KNOWN), /fit: options must be an object, found an array/);
  assert.throws(() => checkOptions('fit', 3 as unknown as object, KNOWN), /found number/);
});

test('editDistance is Levenshtein distance', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('epoch', 'epochs'), 1);
  assert.equal(editDistance('same', 'same'), 0);
});
