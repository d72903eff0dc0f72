// kiln's one Python-style formatter (src/utils/python_format.ts), used by the progress bar and by
// checkpoint file names. Expected strings are CPython 3's `format(value, spec)` / `'%…' % value`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatExp, formatFixed, formatTruncated, formatValue } from '../../src/utils/python_format.js';
import * as progbar from '../../src/callbacks/progbar.js';
import * as formatPath from '../../src/callbacks/format_path.js';

test('formatValue: floats round their exact binary value half-to-even, as CPython does', () => {
  assert.equal(formatValue(0.125, '.2f'), '0.12');
  assert.equal(formatValue(0.375, '.2f'), '0.38');
  assert.equal(formatValue(2.5, '.0f'), '2');
  assert.equal(formatValue(1.0, ''), '1.0');
  assert.equal(formatValue(1e-5, ''), '1e-05');
  assert.equal(formatValue(100.0, '.3'), '1e+02');
  assert.equal(formatValue(9.9996, '.3g'), '10');
  assert.equal(formatValue(-0, '.4f'), '-0.0000');
  assert.equal(formatValue(NaN, '.4f'), 'nan');
  assert.equal(formatValue(-Infinity, '.4e'), '-inf');
  assert.equal(formatValue(3n, '02d'), '03');
  assert.equal(formatValue(-3n, '03d'), '-03');
});

test("formatFixed / formatExp are Python's '%.Nf' / '%.Ne'", () => {
  assert.equal(formatFixed(0.03125, 4), '0.0312');
  assert.equal(formatFixed(-0.00005, 4), '-0.0001');
  assert.equal(formatFixed(123.456, 0), '123');
  assert.equal(formatExp(1.234e-4, 4), '1.2340e-04');
  assert.equal(formatExp(9.99996, 4), '1.0000e+01');
  assert.equal(formatExp(1e-100, 4), '1.0000e-100');
  assert.equal(formatExp(5e-324, 2), '4.94e-324');
});

test("formatTruncated is Python's '%Nd' % float: truncation toward zero, then padding", () => {
  assert.equal(formatTruncated(7.9), '7');
  assert.equal(formatTruncated(-7.9), '-7');
  assert.equal(formatTruncated(-0.5), '0');
  assert.equal(formatTruncated(3.2, 7), '      3');
  assert.equal(formatTruncated(5, 2, true), '05');
  assert.equal(formatTruncated(-5, 3, true), '-05');
  assert.equal(formatTruncated(1e20, 2), '100000000000000000000');
});

test('the progress bar and checkpoint file names use this one formatter', () => {
  assert.equal(progbar.formatFixed, formatFixed);
  assert.equal(progbar.formatExp, formatExp);
  assert.equal(formatPath.formatValue, formatValue);
});
