// How the report writes numbers, times and settings as text.

/** 4 significant digits, exponent notation for very small or large magnitudes; null is a non-finite value. */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined) return 'non-finite';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

/** `1h 02m 03s`, `2m 05s`, `4.2s`. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m ${rest}s` : `${m}m ${rest}s`;
}

/** `2025-06-01 14:03:07 UTC` (UTC, so a report reads the same wherever it is opened). */
export function formatDate(d: Date): string {
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A settings value as one cell: strings as they are, numbers formatted, the rest as compact JSON. */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v.map((x) => (typeof x === 'number' ? formatNumber(x) : x)).join(', ');
  return JSON.stringify(v);
}

/** Nested settings as rows of `a.b.c` paths and values (arrays of scalars stay in one cell). */
export function flattenSettings(obj: Record<string, unknown>, prefix = ''): [string, string][] {
  const rows: [string, string][] = [];
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0) rows.push(...flattenSettings(v as Record<string, unknown>, key));
    else rows.push([key, formatValue(v)]);
  }
  return rows;
}

/** Splits text into lines of at most `width` characters at spaces (tooltips do not wrap by themselves). */
export function wrap(text: string, width = 72): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    if (word === '') continue;
    if (current !== '' && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current === '' ? word : `${current} ${word}`;
  }
  if (current !== '') lines.push(current);
  return lines;
}
