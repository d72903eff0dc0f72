// Shared by the dev-only Keras oracle scripts: run real Keras 3.16 (../shared/keras-oracle) on a
// model file and compare predictions.
import { execFileSync } from 'node:child_process';

export const RUN = process.env.KERAS_ORACLE ?? '/tmp/keras-oracle/run.sh';
export const LOAD = process.env.KERAS_ORACLE_LOAD ?? '/tmp/keras-oracle/load_predict.py';

/** The largest absolute difference between two nested arrays of numbers. */
export const maxAbs = (a, b) => (Array.isArray(a) ? a.reduce((m, v, i) => Math.max(m, maxAbs(v, b[i])), 0) : Math.abs(a - b));

/** Loads `file` with Keras (compiled or not) and predicts on `inputFile`: `{ ok, result }` or `{ ok: false, error }`. */
export function keras(file, inputFile, compile) {
  const args = [LOAD, file, inputFile];
  if (compile) args.push('compile');
  try {
    const text = execFileSync(RUN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
    return { ok: true, result: JSON.parse(text.trim().split('\n').at(-1)) };
  } catch (e) {
    const err = String(e.stderr ?? e.message).trim().split('\n').filter((l) => /Error|error/.test(l)).at(-1) ?? String(e.message).slice(0, 300);
    return { ok: false, error: err };
  }
}
