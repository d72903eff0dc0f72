import { ValueError } from '../errors.js';
import type { FormatValue } from '../utils/python_format.js';
import { formatValue } from '../utils/python_format.js';

export type { FormatValue };
export { formatValue };

/**
 * Python's `template.format(**values)` for file paths: `{name}`, `{name:spec}`, `{name!r}` and the
 * `{{`/`}}` escapes. A name missing from `values` is a ValueError naming it and the keys there are.
 *
 * ```ts
 * formatPython('model.{epoch:02d}-{val_loss:.4f}.keras', { epoch: 3n, val_loss: 0.123456 });
 * // 'model.03-0.1235.keras'
 * ```
 */
export function formatPython(template: string, values: Record<string, FormatValue>): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === '}') {
      if (template[i + 1] !== '}') throw new ValueError(`Single '}' encountered in format string ${JSON.stringify(template)}`);
      out += '}';
      i++;
      continue;
    }
    if (c !== '{') { out += c; continue; }
    if (template[i + 1] === '{') { out += '{'; i++; continue; }
    const close = template.indexOf('}', i);
    const field = close < 0 ? '' : template.slice(i + 1, close);
    if (close < 0 || field.includes('{')) {
      throw new ValueError(`Unmatched '{' (or a nested field, which kiln does not support) in format string ${JSON.stringify(template)}`);
    }
    const m = /^([^!:]*)(?:!([rsa]))?(?::(.*))?$/su.exec(field);
    if (!m) throw new ValueError(`Bad field {${field}} in format string ${JSON.stringify(template)}`);
    const name = m[1]!;
    if (name === '' || /^\d+$/.test(name) || /[.[]/.test(name)) {
      throw new ValueError(`Field {${field}} in ${JSON.stringify(template)}: only named fields are supported (no positional fields, attributes or indexes)`);
    }
    if (!Object.prototype.hasOwnProperty.call(values, name)) {
      throw new ValueError(`No value for {${name}} in format string ${JSON.stringify(template)}; available keys: ${Object.keys(values).join(', ') || '(none)'}`);
    }
    let v = values[name]!;
    // str() and repr() of an int or float are the same text in Python 3.
    if (m[2] !== undefined && typeof v !== 'string') v = formatValue(v, '');
    else if (m[2] === 'r' || m[2] === 'a') v = `'${v as string}'`;
    out += formatValue(v, m[3] ?? '');
    i = close;
  }
  return out;
}
