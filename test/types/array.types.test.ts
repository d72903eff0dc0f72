import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';

// array(rank) / arraySync(rank): typed by rank, and checked, so the type cannot lie.
// This file is compiled by the build: the @ts-expect-error lines fail the build if typing regresses.

test('arraySync(rank) returns the nested type of that rank', async () => {
  const m = kiln.tensor([[1, 2], [3, 4]]);
  const rows: number[][] = m.arraySync(2);
  assert.deepEqual(rows, [[1, 2], [3, 4]]);
  const v: number[] = await kiln.tensor([1, 2, 3]).array(1);
  assert.deepEqual(v, [1, 2, 3]);
  const s: number = kiln.tensor(5).arraySync(0);
  assert.equal(s, 5);
  // @ts-expect-error a rank-2 result is not a number[]
  const wrong: number[] = m.arraySync(2);
  void wrong;
  // Without a rank, the result stays the untyped NestedArray.
  const any: kiln.NestedArray = m.arraySync();
  assert.deepEqual(any, [[1, 2], [3, 4]]);
});

test('arraySync(rank) on a tensor of another rank is a ShapeError naming the shape', async () => {
  const m = kiln.zeros([2, 3]);
  assert.throws(() => m.arraySync(1), (e: Error) => e instanceof kiln.errors.ShapeError && /expected a rank-1 tensor, found shape \[2, 3\]/.test(e.message));
  await assert.rejects(m.array(3), kiln.errors.ShapeError);
});
