/**
 * A float64 reference of the Keras 3 recurrent cells, written from the equations (Keras's
 * documentation of LSTMCell, GRUCell with reset_after true/false, SimpleRNNCell), for the cases
 * tfjs cannot express (GRU reset_after: true, masks) and as a second check of the others.
 * Activations are tanh and sigmoid. Weights are row-major flat arrays in Keras's layout.
 */

export type CellKind = 'simple' | 'lstm' | 'gru' | 'gru_before';

export interface ReferenceOptions {
  units: number;
  kernel: ArrayLike<number>; // [in, units·gates]
  recurrentKernel: ArrayLike<number>; // [units, units·gates]
  bias: ArrayLike<number>; // [units·gates] or, for 'gru', [2, 3·units]
  returnSequences?: boolean;
  goBackwards?: boolean;
  /** [batch][time] 1/0. */
  mask?: number[][];
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

const GATES: Record<CellKind, number> = { simple: 1, lstm: 4, gru: 3, gru_before: 3 };

/** x is [batch][time][features]; returns the output ([batch][units] or [batch][time][units]) and final states. */
export function rnnReference(kind: CellKind, x: number[][][], o: ReferenceOptions): { output: number[][] | number[][][]; states: number[][][] } {
  const u = o.units;
  const g = GATES[kind];
  const width = u * g;
  const features = x[0]![0]!.length;
  const dot = (v: number[], m: ArrayLike<number>, rows: number, col0: number, cols: number) => {
    const out = new Array<number>(cols).fill(0);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c]! += v[r]! * m[r * width + col0 + c]!;
    return out;
  };
  const outputs: number[][][] = [];
  const finals: number[][][] = [];
  for (const seq of x) {
    let h = new Array<number>(u).fill(0);
    let c = new Array<number>(u).fill(0);
    let last = new Array<number>(u).fill(0);
    const seqOut: number[][] = [];
    const steps = seq.length;
    for (let s = 0; s < steps; s++) {
      const t = o.goBackwards ? steps - 1 - s : s;
      const xt = seq[t]!;
      const b = x.indexOf(seq);
      const keep = o.mask ? o.mask[b]![t]! !== 0 : true;
      const xp = dot(xt, o.kernel, features, 0, width);
      let hNext: number[];
      let cNext = c;
      if (kind === 'simple') {
        const r = dot(h, o.recurrentKernel, u, 0, u);
        hNext = xp.map((v, j) => Math.tanh(v + r[j]! + o.bias[j]!));
      } else if (kind === 'lstm') {
        const r = dot(h, o.recurrentKernel, u, 0, width);
        const z = xp.map((v, j) => v + r[j]! + o.bias[j]!);
        const i = z.slice(0, u).map(sigmoid);
        const f = z.slice(u, 2 * u).map(sigmoid);
        const cc = z.slice(2 * u, 3 * u).map(Math.tanh);
        const og = z.slice(3 * u).map(sigmoid);
        cNext = c.map((cv, j) => f[j]! * cv + i[j]! * cc[j]!);
        hNext = cNext.map((cv, j) => og[j]! * Math.tanh(cv));
      } else if (kind === 'gru') {
        const bi = Array.from(o.bias).slice(0, width);
        const br = Array.from(o.bias).slice(width);
        const xb = xp.map((v, j) => v + bi[j]!);
        const r0 = dot(h, o.recurrentKernel, u, 0, width).map((v, j) => v + br[j]!);
        const z = xb.slice(0, u).map((v, j) => sigmoid(v + r0[j]!));
        const r = xb.slice(u, 2 * u).map((v, j) => sigmoid(v + r0[u + j]!));
        const hh = xb.slice(2 * u).map((v, j) => Math.tanh(v + r[j]! * r0[2 * u + j]!));
        hNext = h.map((hv, j) => z[j]! * hv + (1 - z[j]!) * hh[j]!);
      } else {
        const xb = xp.map((v, j) => v + o.bias[j]!);
        const rzr = dot(h, o.recurrentKernel, u, 0, 2 * u);
        const z = xb.slice(0, u).map((v, j) => sigmoid(v + rzr[j]!));
        const r = xb.slice(u, 2 * u).map((v, j) => sigmoid(v + rzr[u + j]!));
        const rh = dot(h.map((hv, j) => r[j]! * hv), o.recurrentKernel, u, 2 * u, u);
        const hh = xb.slice(2 * u).map((v, j) => Math.tanh(v + rh[j]!));
        hNext = h.map((hv, j) => z[j]! * hv + (1 - z[j]!) * hh[j]!);
      }
      if (keep) {
        h = hNext;
        c = cNext;
        last = hNext;
      }
      seqOut.push([...last]);
    }
    outputs.push(seqOut);
    finals.push(kind === 'lstm' ? [h, c] : [h]);
  }
  const states = finals[0]!.map((_, k) => finals.map((f) => f[k]!));
  return { output: o.returnSequences ? outputs : outputs.map((s) => s[s.length - 1]!), states };
}
