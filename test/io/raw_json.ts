/**
 * Every number in a JSON text with the key it sits under (the nearest object key; list elements
 * inherit their list's key) and its text exactly as written — `JSON.parse` would lose `0.0` vs `0`.
 */
export interface RawNumber {
  key: string;
  text: string;
  path: string;
}

export function rawNumbers(json: string): RawNumber[] {
  const out: RawNumber[] = [];
  let i = 0;
  const ws = () => {
    while (i < json.length && ' \t\n\r'.includes(json[i]!)) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (json[i] !== '"') i += json[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(json.slice(start, i)) as string;
  };
  const value = (key: string, path: string): void => {
    ws();
    const c = json[i]!;
    if (c === '{') {
      i++;
      ws();
      if (json[i] === '}') return void i++;
      for (;;) {
        ws();
        const k = str();
        ws();
        i++; // ':'
        value(k, `${path}.${k}`);
        ws();
        if (json[i++] === '}') return;
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (json[i] === ']') return void i++;
      for (let n = 0; ; n++) {
        value(key, `${path}[${n}]`);
        ws();
        if (json[i++] === ']') return;
      }
    }
    if (c === '"') return void str();
    const m = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)/.exec(json.slice(i, i + 40));
    if (!m) throw new Error(`rawNumbers: unexpected '${c}' at ${i}`);
    i += m[0].length;
    if (/^-?\d/.test(m[0])) out.push({ key, text: m[0], path });
  };
  value('', '$');
  return out;
}

/** A JSON number's text is a float literal (has a fraction or an exponent). */
export function isFloatText(text: string): boolean {
  return /[.eE]/.test(text);
}
