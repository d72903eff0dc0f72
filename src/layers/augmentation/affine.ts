import * as P from '../../core/primitives.js';
import type { Tensor } from '../../core/tensor.js';
import { fromValues } from '../../ops/creation.js';

export type FillMode = 'reflect' | 'wrap' | 'constant' | 'nearest';
export type Interpolation = 'bilinear' | 'nearest';
export const FILL_MODES: readonly FillMode[] = ['reflect', 'wrap', 'constant', 'nearest'];
export const INTERPOLATIONS: readonly Interpolation[] = ['bilinear', 'nearest'];

/**
 * One image's transform as Keras writes it, `[a0, a1, a2, b0, b1, b2]`: the output pixel at column
 * x, row y (pixel centres at integer coordinates) samples the input at
 * (a0·x + a1·y + a2, b0·x + b1·y + b2). It maps output to input, so every output pixel gets a value.
 */
export type AffineTransform = readonly [number, number, number, number, number, number];

/**
 * Where an integer pixel index outside [0, n) reads from, per fill mode (Keras's definitions), or
 * -1 for 'constant' (the fill value):
 * reflect `d c b a | a b c d | d c b a`, wrap `a b c d | a b c d | a b c d`,
 * nearest `a a a a | a b c d | d d d d`, constant `k k k k | a b c d | k k k k`.
 */
function fillIndex(i: number, n: number, mode: FillMode): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 'constant':
      return -1;
    case 'nearest':
      return i < 0 ? 0 : n - 1;
    case 'wrap':
      return ((i % n) + n) % n;
    case 'reflect': {
      const m = ((i % (2 * n)) + 2 * n) % (2 * n);
      return m < n ? m : 2 * n - 1 - m;
    }
  }
}

/**
 * Resamples a batch of NHWC images, image k through `transforms[k]`, keeping the size. The
 * transform is data-independent, so the work splits in two: the source pixels and weights of every
 * output pixel are worked out here on the CPU (at most four corners each), and the output is a
 * weighted sum of gathers of the input's pixel rows. The output is then an ordinary tensor of the
 * graph, and the gradient with respect to the input (a scatter-add of the weights) comes from the
 * primitives' rules. Bilinear interpolation reads the four neighbours of the sample point, each
 * extended past the border by the fill mode, so the image is interpolated as if it were infinite.
 */
export function affineTransform(
  x: Tensor,
  transforms: readonly AffineTransform[],
  interpolation: Interpolation,
  fillMode: FillMode,
  fillValue: number,
): Tensor {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const pixels = n * h * w;
  const corners = interpolation === 'bilinear' ? 4 : 1;
  const index = Array.from({ length: corners }, () => new Int32Array(pixels));
  const weight = Array.from({ length: corners }, () => new Float32Array(pixels));
  // The share of each output pixel that falls outside the image in 'constant' mode.
  const outside = new Float32Array(pixels);
  let p = 0;
  for (let img = 0; img < n; img++) {
    const [a0, a1, a2, b0, b1, b2] = transforms[img]!;
    const base = img * h * w;
    for (let y = 0; y < h; y++) {
      for (let xo = 0; xo < w; xo++, p++) {
        const sx = a0 * xo + a1 * y + a2;
        const sy = b0 * xo + b1 * y + b2;
        const put = (k: number, row: number, col: number, wt: number) => {
          const r = fillIndex(row, h, fillMode);
          const q = fillIndex(col, w, fillMode);
          if (r < 0 || q < 0) {
            // Index 0 with weight 0 keeps the gather in range; the fill value enters through `outside`.
            index[k]![p] = base;
            weight[k]![p] = 0;
            outside[p]! += wt;
          } else {
            index[k]![p] = base + r * w + q;
            weight[k]![p] = wt;
          }
        };
        if (corners === 1) {
          // Halves round up, as floor(v + 0.5).
          put(0, Math.floor(sy + 0.5), Math.floor(sx + 0.5), 1);
        } else {
          const y0 = Math.floor(sy);
          const x0 = Math.floor(sx);
          const fy = sy - y0;
          const fx = sx - x0;
          put(0, y0, x0, (1 - fy) * (1 - fx));
          put(1, y0, x0 + 1, (1 - fy) * fx);
          put(2, y0 + 1, x0, fy * (1 - fx));
          put(3, y0 + 1, x0 + 1, fy * fx);
        }
      }
    }
  }
  const rows = P.reshape(x, [pixels, c]);
  let out: Tensor | null = null;
  for (let k = 0; k < corners; k++) {
    const term = P.binary('mul', P.gather(rows, fromValues(index[k]!, [pixels]), 0, false), fromValues(weight[k]!, [pixels, 1]));
    out = out ? P.binary('add', out, term) : term;
  }
  if (fillMode === 'constant' && fillValue !== 0 && outside.some((v) => v > 0)) {
    out = P.binary('add', out!, fromValues(Float32Array.from(outside, (v) => v * fillValue), [pixels, 1]));
  }
  return P.reshape(out!, [n, h, w, c]);
}
