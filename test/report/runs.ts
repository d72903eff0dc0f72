import * as kiln from '../../src/index.js';
import { mulberry32 } from '../helpers/random.js';

/** Normal samples from a seeded generator (Box-Muller), so the data is the same on every backend. */
function normals(rand: () => number, n: number): number[] {
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));
}

export interface Split {
  x: number[][];
  y: number[];
}

/** Two features, label 1 when x0 + 0.5·x1 + noise > 0. */
export function binaryData(n: number, seed: number): Split {
  const r = mulberry32(seed);
  const x = Array.from({ length: n }, () => normals(r, 2));
  const noise = normals(r, n);
  return { x, y: x.map((row, i) => (row[0]! + 0.5 * row[1]! + 0.6 * noise[i]! > 0 ? 1 : 0)) };
}

/** Three features, three classes around three centres. */
export function multiclassData(n: number, seed: number): Split {
  const r = mulberry32(seed);
  const centres = [[1.5, 0, 0], [0, 1.5, 0], [0, 0, 1.5]];
  const y = Array.from({ length: n }, (_, i) => i % 3);
  return { x: y.map((c) => normals(r, 3).map((v, j) => v + centres[c]![j]!)), y };
}

/** y = 2·x0 − x1 + 0.5 + noise. */
export function regressionData(n: number, seed: number): Split {
  const r = mulberry32(seed);
  const x = Array.from({ length: n }, () => normals(r, 2));
  const noise = normals(r, n);
  return { x, y: x.map((row, i) => 2 * row[0]! - row[1]! + 0.5 + 0.3 * noise[i]!) };
}

/** A small MLP: [inputs] → dense(8, relu) → dense(outputs, activation). */
export function mlp(inputs: number, outputs: number, activation: 'sigmoid' | 'softmax' | 'linear'): kiln.Sequential {
  return kiln.sequential([
    kiln.layers.dense({ units: 8, activation: 'relu', inputShape: [inputs] }),
    kiln.layers.dense({ units: outputs, activation }),
  ]);
}
