import assert from 'node:assert/strict';

/**
 * The tests' one closeness rule: elementwise `|actual − expected| ≤ atol + rtol·|expected|` (NumPy's
 * `allclose`); NaN must meet NaN and an infinity the same infinity. Returns the largest relative
 * error seen, for tests that report it. Dependency-free, so any test can use it without loading
 * the package.
 */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-5, atol = 1e-6, label = 'values'): number {
  assert.equal(actual.length, expected.length, `${label}: length ${actual.length} vs ${expected.length}`);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      assert.ok(Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)), `${label}[${i}]: ${a}, expected ${e}`);
      continue;
    }
    const err = Math.abs(a - e);
    assert.ok(err <= atol + rtol * Math.abs(e), `${label}[${i}]: ${a} vs expected ${e} (|diff| ${err.toExponential(2)})`);
    if (e !== 0) worst = Math.max(worst, err / Math.abs(e));
  }
  return worst;
}
