import type { Conv2DInfo, Pool2DInfo } from '../../core/backend.js';
import type { TypedArray } from '../../core/dtype.js';

/**
 * Convolution and pooling of the reference backend: the definitions, as direct loops over NHWC
 * arrays with float64 sums. Every faster kernel (im2col + GEMM, the SIMD pooling kernels) is
 * tested against these.
 */

/**
 * Visits every (output position, filter tap, input position) triple of a convolution that reads a
 * real input element (padding reads zero, so it contributes nothing): `visit(xIndex, yRow, kRow)`
 * where xIndex is the offset of x[n, ih, iw, 0], yRow of y[n, oh, ow, 0] and kRow of filter[i, j, 0, 0].
 */
function forEachTap(p: Conv2DInfo, visit: (xBase: number, yBase: number, kBase: number) => void): void {
  const cg = p.inC / p.groups;
  for (let n = 0; n < p.batch; n++) {
    for (let oh = 0; oh < p.outH; oh++) {
      for (let ow = 0; ow < p.outW; ow++) {
        const yBase = ((n * p.outH + oh) * p.outW + ow) * p.outC;
        for (let i = 0; i < p.kH; i++) {
          const ih = oh * p.strideH - p.padTop + i * p.dilationH;
          if (ih < 0 || ih >= p.inH) continue;
          for (let j = 0; j < p.kW; j++) {
            const iw = ow * p.strideW - p.padLeft + j * p.dilationW;
            if (iw < 0 || iw >= p.inW) continue;
            visit(((n * p.inH + ih) * p.inW + iw) * p.inC, yBase, (i * p.kW + j) * cg * p.outC);
          }
        }
      }
    }
  }
}

/** y[n, oh, ow, o] = Σ_{i, j, c in o's group} x[n, ih, iw, c] · w[i, j, c − group start, o]. */
export function conv2d(x: TypedArray, w: TypedArray, p: Conv2DInfo): Float32Array {
  const acc = new Float64Array(p.batch * p.outH * p.outW * p.outC);
  const cg = p.inC / p.groups;
  const og = p.outC / p.groups;
  forEachTap(p, (xb, yb, kb) => {
    for (let o = 0; o < p.outC; o++) {
      const c0 = Math.floor(o / og) * cg;
      let s = 0;
      for (let c = 0; c < cg; c++) s += x[xb + c0 + c]! * w[kb + c * p.outC + o]!;
      acc[yb + o]! += s;
    }
  });
  return Float32Array.from(acc);
}

/** dx[n, ih, iw, c] = Σ over the taps that read it of dy[n, oh, ow, o] · w[i, j, c − group start, o]. */
export function conv2dBackpropInput(dy: TypedArray, w: TypedArray, p: Conv2DInfo): Float32Array {
  const acc = new Float64Array(p.batch * p.inH * p.inW * p.inC);
  const cg = p.inC / p.groups;
  const og = p.outC / p.groups;
  forEachTap(p, (xb, yb, kb) => {
    for (let o = 0; o < p.outC; o++) {
      const c0 = Math.floor(o / og) * cg;
      const g = dy[yb + o]!;
      for (let c = 0; c < cg; c++) acc[xb + c0 + c]! += g * w[kb + c * p.outC + o]!;
    }
  });
  return Float32Array.from(acc);
}

/** dw[i, j, c, o] = Σ over output positions of x[n, ih, iw, group start + c] · dy[n, oh, ow, o]. */
export function conv2dBackpropFilter(x: TypedArray, dy: TypedArray, p: Conv2DInfo): Float32Array {
  const cg = p.inC / p.groups;
  const og = p.outC / p.groups;
  const acc = new Float64Array(p.kH * p.kW * cg * p.outC);
  forEachTap(p, (xb, yb, kb) => {
    for (let o = 0; o < p.outC; o++) {
      const c0 = Math.floor(o / og) * cg;
      const g = dy[yb + o]!;
      for (let c = 0; c < cg; c++) acc[kb + c * p.outC + o]! += x[xb + c0 + c]! * g;
    }
  });
  return Float32Array.from(acc);
}

/** Visits each pooling window's valid input positions: `visit(yBase, xBase)` (offsets of channel 0). */
function forEachWindow(p: Pool2DInfo, start: (yBase: number) => void, visit: (yBase: number, xBase: number) => void, end: (yBase: number) => void): void {
  for (let n = 0; n < p.batch; n++) {
    for (let oh = 0; oh < p.outH; oh++) {
      for (let ow = 0; ow < p.outW; ow++) {
        const yBase = ((n * p.outH + oh) * p.outW + ow) * p.channels;
        start(yBase);
        for (let i = 0; i < p.poolH; i++) {
          const ih = oh * p.strideH - p.padTop + i;
          if (ih < 0 || ih >= p.inH) continue;
          for (let j = 0; j < p.poolW; j++) {
            const iw = ow * p.strideW - p.padLeft + j;
            if (iw < 0 || iw >= p.inW) continue;
            visit(yBase, ((n * p.inH + ih) * p.inW + iw) * p.channels);
          }
        }
        end(yBase);
      }
    }
  }
}

const outSize = (p: Pool2DInfo) => p.batch * p.outH * p.outW * p.channels;
const inSize = (p: Pool2DInfo) => p.batch * p.inH * p.inW * p.channels;

/** The largest valid input of each window, per channel (NaN wins, so a bad value shows). */
export function maxPool2d(x: TypedArray, p: Pool2DInfo): Float32Array {
  const y = new Float32Array(outSize(p)).fill(-Infinity);
  forEachWindow(p, () => {}, (yb, xb) => {
    for (let c = 0; c < p.channels; c++) {
      const v = x[xb + c]!;
      if (v > y[yb + c]! || Number.isNaN(v)) y[yb + c] = v;
    }
  }, () => {});
  return y;
}

/** The mean of each window's valid inputs, per channel. */
export function avgPool2d(x: TypedArray, p: Pool2DInfo): Float32Array {
  const acc = new Float64Array(outSize(p));
  let count = 0;
  forEachWindow(p, () => (count = 0), (yb, xb) => {
    count++;
    for (let c = 0; c < p.channels; c++) acc[yb + c]! += x[xb + c]!;
  }, (yb) => {
    for (let c = 0; c < p.channels; c++) acc[yb + c]! /= count;
  });
  return Float32Array.from(acc);
}

/** Each window's gradient goes to its largest input; the first in row-major window order on ties. */
export function maxPool2dGrad(x: TypedArray, dy: TypedArray, p: Pool2DInfo): Float32Array {
  const dx = new Float64Array(inSize(p));
  const best = new Float64Array(p.channels);
  const where = new Int32Array(p.channels);
  forEachWindow(p, () => {
    best.fill(-Infinity);
    where.fill(-1);
  }, (_yb, xb) => {
    for (let c = 0; c < p.channels; c++) {
      const v = x[xb + c]!;
      if (where[c] === -1 || v > best[c]! || (Number.isNaN(v) && !Number.isNaN(best[c]!))) {
        best[c] = v;
        where[c] = xb + c;
      }
    }
  }, (yb) => {
    for (let c = 0; c < p.channels; c++) if (where[c]! >= 0) dx[where[c]!]! += dy[yb + c]!;
  });
  return Float32Array.from(dx);
}

/** Each window's gradient, divided by its valid count, added to each of its valid inputs. */
export function avgPool2dGrad(dy: TypedArray, p: Pool2DInfo): Float32Array {
  const dx = new Float64Array(inSize(p));
  const members: number[] = [];
  forEachWindow(p, () => (members.length = 0), (_yb, xb) => members.push(xb), (yb) => {
    for (const xb of members) for (let c = 0; c < p.channels; c++) dx[xb + c]! += dy[yb + c]! / members.length;
  });
  return Float32Array.from(dx);
}
