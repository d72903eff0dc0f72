import { ValueError } from '../errors.js';

/**
 * Python's float and int formatting (`format(value, spec)`, the format-spec mini-language), with
 * CPython's exact, correctly rounded (half-to-even) decimal conversion: kiln's one formatter for
 * text that must read as Keras writes it (progress lines, checkpoint file names).
 *
 * ```ts
 * formatValue(0.03125, '.4f'); // '0.0312' (JS toFixed gives '0.0313')
 * formatValue(3n, '02d');      // '03'
 * formatValue(1.0, '');        // '1.0' (str of a Python float)
 * ```
 */

/**
 * A value for Python-style formatting: a JS number is a Python float, a bigint a Python int, a string a str.
 * The distinction matters as in Python: `{epoch:02d}` needs an int, `{loss}` prints `1.0` not `1`.
 */
export type FormatValue = number | bigint | string;

interface Spec {
  fill: string;
  align: string | null;
  sign: string;
  z: boolean;
  alt: boolean;
  width: number;
  grouping: string;
  precision: number | null;
  type: string;
}

// Python's format-spec mini-language: [[fill]align][sign][z][#][0][width][grouping][.precision][type]
const SPEC = /^(?:(.)?([<>=^]))?([+\- ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/su;

function parseSpec(spec: string, kind: string): Spec {
  const m = SPEC.exec(spec);
  if (!m) throw new ValueError(`Invalid format specifier '${spec}' for object of type '${kind}'`);
  const zero = m[6] !== undefined;
  return {
    fill: m[1] ?? (zero && !m[2] ? '0' : ' '),
    align: m[2] ?? (zero ? '=' : null),
    sign: m[3] ?? '-',
    z: m[4] !== undefined,
    alt: m[5] !== undefined,
    width: m[7] ? Number(m[7]) : 0,
    grouping: m[8] ?? '',
    precision: m[9] !== undefined ? Number(m[9]) : null,
    type: m[10] ?? '',
  };
}

/** |x| (finite) as exactly n / 10^scale: every double has a finite decimal expansion. */
function exact(x: number): { n: bigint; scale: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = hi >>> 20;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased !== 0) m |= 1n << 52n;
  const e = (biased === 0 ? 1 : biased) - 1075;
  return e >= 0 ? { n: m << BigInt(e), scale: 0 } : { n: m * 5n ** BigInt(-e), scale: -e };
}

/** n / 10^k rounded half-to-even, as Python's correctly rounded float formatting does. */
function divRound(n: bigint, k: number): bigint {
  if (k <= 0) return n * 10n ** BigInt(-k);
  const d = 10n ** BigInt(k);
  const q = n / d;
  const r2 = (n % d) * 2n;
  return r2 > d || (r2 === d && q % 2n === 1n) ? q + 1n : q;
}

/** Digits of |x| with p decimals ('f'). */
function fixed(x: number, p: number): string {
  const { n, scale } = exact(x);
  const s = divRound(n, scale - p).toString().padStart(p + 1, '0');
  return p === 0 ? s : `${s.slice(0, -p)}.${s.slice(-p)}`;
}

/** |x| rounded to p+1 significant digits: the digit string and the decimal exponent. */
function significant(x: number, p: number): { digits: string; exp: number } {
  if (x === 0) return { digits: '0'.repeat(p + 1), exp: 0 };
  const { n, scale } = exact(x);
  const len = n.toString().length;
  let digits = divRound(n, len - (p + 1)).toString();
  let exp = len - 1 - scale;
  if (digits.length > p + 1) { digits = digits.slice(0, p + 1); exp += 1; } // 9.99 → 10.0
  return { digits, exp };
}

function expString(digits: string, exp: number, alt: boolean, e: string): string {
  const mant = digits.length > 1 || alt ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${mant}${e}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/**
 * Python's 'g' rule: scientific when the exponent is < -4 or ≥ precision; trailing zeros dropped
 * unless '#'. With no type letter (`atLeastOneDecimal`), CPython switches one exponent earlier and
 * keeps a `.0` (`format(100.0, '.3')` is '1e+02', `format(10.0, '.3')` is '10.0').
 */
function general(x: number, p: number, alt: boolean, e: string, atLeastOneDecimal: boolean): string {
  const P = p === 0 ? 1 : p;
  const { digits, exp } = significant(x, P - 1);
  let out: string;
  if (exp >= -4 && exp < (atLeastOneDecimal ? P - 1 : P)) {
    out = fixed(x, P - 1 - exp);
    if (!alt && out.includes('.')) out = out.replace(/0+$/, '').replace(/\.$/, '');
    if (atLeastOneDecimal && !out.includes('.')) out += '.0';
    return out;
  }
  const d = alt ? digits : digits.replace(/0+$/, '') || '0';
  return expString(d, exp, alt, e);
}

/** Python's repr(float): shortest round-trip digits, scientific below 1e-4 and from 1e16. */
function repr(x: number): string {
  const [mant, e] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '');
  const exp = Number(e);
  if (exp < -4 || exp >= 16) return expString(digits, exp, false, 'e');
  if (exp < 0) return `0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  return `${intPart}.${digits.slice(exp + 1) || '0'}`;
}

/**
 * Python's `str(x)` / `repr(x)` of a float: `0.5`, `1.0`, `1e-05`, `nan`, `inf`, `-inf` (what
 * Keras's CSVLogger writes for a logged value).
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return (x < 0 || Object.is(x, -0) ? '-' : '') + repr(x);
}

/**
 * numpy's `str(np.float32(x))`: the shortest digits that round-trip through float32, in Python's
 * float style (what Keras writes for the elements of a per-class metric array).
 */
export function float32Repr(x: number): string {
  const f = Math.fround(x);
  if (!Number.isFinite(f)) return pythonFloatRepr(f);
  for (let p = 1; p <= 9; p++) {
    const shortest = Number(f.toPrecision(p));
    if (Math.fround(shortest) === f) return pythonFloatRepr(shortest);
  }
  return pythonFloatRepr(f);
}

function group(body: string, sep: string, every: number): string {
  if (!sep) return body;
  const dot = body.search(/[.e%]/);
  const int = dot < 0 ? body : body.slice(0, dot);
  const rest = dot < 0 ? '' : body.slice(dot);
  const re = new RegExp(`\\B(?=(?:[0-9a-fA-F]{${every}})+$)`, 'g');
  return int.replace(re, sep) + rest;
}

function formatFloat(x: number, s: Spec): { neg: boolean; body: string } {
  let type = s.type;
  if (type === 'n') type = 'g';
  if (!'eEfFgG%'.includes(type)) throw new ValueError(`Unknown format code '${type}' for object of type 'float'`);
  // Python multiplies first, so a huge value overflows to 'inf%'.
  if (type === '%') x *= 100;
  const neg = x < 0 || Object.is(x, -0);
  const upper = type === 'E' || type === 'F' || type === 'G';
  if (!Number.isFinite(x)) {
    const t = Number.isNaN(x) ? 'nan' : 'inf';
    return { neg: neg && !Number.isNaN(x), body: (upper ? t.toUpperCase() : t) + (type === '%' ? '%' : '') };
  }
  const a = Math.abs(x);
  let body: string;
  if (type === '') body = s.precision === null ? repr(a) : general(a, s.precision, s.alt, 'e', true);
  else if (type === 'f' || type === 'F') body = fixed(a, s.precision ?? 6);
  else if (type === 'e' || type === 'E') {
    const p = s.precision ?? 6;
    const { digits, exp } = significant(a, p);
    body = expString(digits, exp, s.alt, type);
  } else if (type === 'g' || type === 'G') body = general(a, s.precision ?? 6, s.alt, type === 'G' ? 'E' : 'e', false);
  else body = `${fixed(a, s.precision ?? 6)}%`;
  if (s.alt && !body.includes('.') && /^[0-9]+(?:%)?$/.test(body)) body = body.replace(/^([0-9]+)/, '$1.');
  // 'z' turns a negative zero result into positive zero (Python 3.11).
  const isZero = !/[1-9]/.test(body.replace(/e.*$/i, ''));
  return { neg: neg && !(s.z && isZero), body: group(body, s.grouping, 3) };
}

function formatInt(v: bigint, s: Spec): { neg: boolean; body: string } {
  if ('eEfFgG%'.includes(s.type) && s.type !== '') return formatFloat(Number(v), s);
  if (s.precision !== null) throw new ValueError('Precision not allowed in integer format specifier');
  const neg = v < 0n;
  const a = neg ? -v : v;
  const bases: Record<string, [number, string]> = { '': [10, ''], d: [10, ''], n: [10, ''], x: [16, '0x'], X: [16, '0X'], o: [8, '0o'], b: [2, '0b'] };
  if (s.type === 'c') return { neg: false, body: String.fromCodePoint(Number(v)) };
  const base = bases[s.type];
  if (!base) throw new ValueError(`Unknown format code '${s.type}' for object of type 'int'`);
  let body = a.toString(base[0]);
  if (s.type === 'X') body = body.toUpperCase();
  body = group(body, s.grouping, base[0] === 10 ? 3 : 4);
  return { neg, body: (s.alt ? base[1] : '') + body };
}

function pad(sign: string, body: string, s: Spec, defaultAlign: string): string {
  const align = s.align ?? defaultAlign;
  const len = [...sign].length + [...body].length;
  const n = Math.max(0, s.width - len);
  const fill = (k: number) => s.fill.repeat(k);
  if (align === '<') return sign + body + fill(n);
  if (align === '^') return fill(Math.floor(n / 2)) + sign + body + fill(n - Math.floor(n / 2));
  if (align === '=') return sign + fill(n) + body;
  return fill(n) + sign + body;
}

/** Python groups zero padding too (`format(7, '08,d')` is '0,000,007'): widen the digits, then regroup. */
function zeroPadGrouped(body: string, s: Spec, signLen: number): string {
  const m = /^(0[xob])?([0-9a-fA-F_,]+)(.*)$/su.exec(body);
  if (!m || !/^[0-9a-fA-F]/.test(m[2]!)) return body;
  const prefix = m[1] ?? '';
  const digits = m[2]!.replace(/[_,]/g, '');
  const every = s.type === 'x' || s.type === 'X' || s.type === 'o' || s.type === 'b' ? 4 : 3;
  const target = s.width - signLen - prefix.length - m[3]!.length;
  let k = digits.length;
  while (k + Math.floor((k - 1) / every) < target) k++;
  return prefix + group(digits.padStart(k, '0'), s.grouping, every) + m[3]!;
}

/** Formats one value with a Python format spec, as `format(value, spec)` does. */
export function formatValue(value: FormatValue, spec: string): string {
  const kind = typeof value === 'string' ? 'str' : typeof value === 'bigint' ? 'int' : 'float';
  const s = parseSpec(spec, kind);
  if (typeof value === 'string') {
    if (s.type !== '' && s.type !== 's') throw new ValueError(`Unknown format code '${s.type}' for object of type 'str'`);
    if (s.sign !== '-' || s.align === '=') throw new ValueError(`Sign not allowed in string format specifier`);
    const body = s.precision === null ? value : [...value].slice(0, s.precision).join('');
    return pad('', body, s, '<');
  }
  const r = typeof value === 'bigint' ? formatInt(value, s) : formatFloat(value, s);
  const sign = r.neg ? '-' : s.sign === '+' ? '+' : s.sign === ' ' ? ' ' : '';
  const body = s.grouping && s.fill === '0' && s.align === '=' ? zeroPadGrouped(r.body, s, sign.length) : r.body;
  return pad(sign, body, s, '>');
}

/**
 * Python's `'%.{digits}f' % x`: exact round-half-even, `-0` kept, `nan`/`inf` spelled as Python does.
 *
 * ```ts
 * formatFixed(0.03125, 4); // '0.0312'
 * formatFixed(2.5, 0);     // '2'
 * ```
 */
export function formatFixed(x: number, digits: number): string {
  return formatValue(x, `.${digits}f`);
}

/**
 * Python's `'%.{digits}e' % x`, with at least two exponent digits.
 *
 * ```ts
 * formatExp(1.234e-4, 4); // '1.2340e-04'
 * formatExp(0, 4);        // '0.0000e+00'
 * ```
 */
export function formatExp(x: number, digits: number): string {
  return formatValue(x, `.${digits}e`);
}

/**
 * Python's `'%{width}d' % x` for a float: truncation toward zero, then space padding (or zero
 * padding after the sign with `zeroPad`).
 *
 * ```ts
 * formatTruncated(7.9, 2, true); // '07'
 * ```
 */
export function formatTruncated(x: number, width = 0, zeroPad = false): string {
  return formatValue(BigInt(Math.trunc(x)), `${zeroPad ? '0' : ''}${width > 0 ? width : ''}d`);
}
