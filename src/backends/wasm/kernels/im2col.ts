// Patch gathering for convolution as a matrix product (NHWC, the filter as a [kH·kW·cg, outC] matrix).
//
// im2col writes, for output positions m0 ≤ m < m1 (m = (n·outH + oh)·outW + ow), one row of
// kH·kW·cg values in filter order (i, j, c): the input channels [c0, c0 + cg) under each filter tap,
// zero where the tap falls in the padding. conv2d is then cols · W, its filter gradient colsᵀ · dy.
// col2im is the adjoint: it adds each row back onto the input positions it was read from (the
// input gradient is col2im(dy · Wᵀ)); the caller zeroes dx first, since taps overlap.
import { f4 } from './simd';

/** Adds n floats at src into dst (dst += src). */
@inline function addInto(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + f4(i), f32x4.add(v128.load(dst + f4(i)), v128.load(src + f4(i))));
  for (; i < n; i++) store<f32>(dst + f4(i), load<f32>(dst + f4(i)) + load<f32>(src + f4(i)));
}

// Patch runs are short (kW·channels floats: 5 for a 5×5 filter on one channel), and memory.copy /
// memory.fill of a run-time length leave compiled code for a runtime call in V8, which dominated
// convolution time. Plain vector loops are several times faster at these lengths.

/** Copies n floats from src to dst (no overlap). */
@inline function copyFloats(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + f4(i), v128.load(src + f4(i)));
  for (; i < n; i++) store<f32>(dst + f4(i), load<f32>(src + f4(i)));
}

/** Sets n floats at dst to 0. */
@inline function zeroFloats(dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + f4(i), f32x4.splat(0));
  for (; i < n; i++) store<f32>(dst + f4(i), 0);
}

export function im2col(
  x: usize, cols: usize, inH: i32, inW: i32, inC: i32, kH: i32, kW: i32, outH: i32, outW: i32,
  strideH: i32, strideW: i32, dilationH: i32, dilationW: i32, padTop: i32, padLeft: i32, c0: i32, cg: i32, m0: i32, m1: i32,
): void {
  const tap = f4(cg);
  const hw = outH * outW;
  // With every channel and no dilation, a filter row's kW taps are one contiguous run of the input.
  const wholeRows = cg == inC && dilationW == 1;
  let dst = cols;
  // (n, oh, ow) of row m, stepped along with m (no divisions per row).
  let n = m0 / hw;
  let oh = (m0 - n * hw) / outW;
  let ow = m0 - n * hw - oh * outW;
  for (let m = m0; m < m1; m++, ow++) {
    if (ow == outW) {
      ow = 0;
      if (++oh == outH) {
        oh = 0;
        n++;
      }
    }
    const ih0 = oh * strideH - padTop;
    const iw0 = ow * strideW - padLeft;
    const xn = x + f4(n * inH * inW * inC + c0);
    for (let i = 0; i < kH; i++) {
      const ih = ih0 + i * dilationH;
      if (ih < 0 || ih >= inH) {
        zeroFloats(dst, cg * kW);
        dst += tap * kW;
        continue;
      }
      const xrow = xn + f4(ih * inW * inC);
      if (wholeRows && iw0 >= 0 && iw0 + kW <= inW) {
        copyFloats(dst, xrow + f4(iw0 * inC), cg * kW);
        dst += tap * kW;
        continue;
      }
      for (let j = 0; j < kW; j++) {
        const iw = iw0 + j * dilationW;
        if (iw < 0 || iw >= inW) zeroFloats(dst, cg);
        else copyFloats(dst, xrow + f4(iw * inC), cg);
        dst += tap;
      }
    }
  }
}

export function col2im(
  cols: usize, dx: usize, inH: i32, inW: i32, inC: i32, kH: i32, kW: i32, outH: i32, outW: i32,
  strideH: i32, strideW: i32, dilationH: i32, dilationW: i32, padTop: i32, padLeft: i32, c0: i32, cg: i32, m0: i32, m1: i32,
): void {
  const tap = f4(cg);
  const hw = outH * outW;
  const wholeRows = cg == inC && dilationW == 1;
  let src = cols;
  // (n, oh, ow) of row m, stepped along with m (no divisions per row).
  let n = m0 / hw;
  let oh = (m0 - n * hw) / outW;
  let ow = m0 - n * hw - oh * outW;
  for (let m = m0; m < m1; m++, ow++) {
    if (ow == outW) {
      ow = 0;
      if (++oh == outH) {
        oh = 0;
        n++;
      }
    }
    const ih0 = oh * strideH - padTop;
    const iw0 = ow * strideW - padLeft;
    const xn = dx + f4(n * inH * inW * inC + c0);
    for (let i = 0; i < kH; i++) {
      const ih = ih0 + i * dilationH;
      if (ih < 0 || ih >= inH) {
        src += tap * kW;
        continue;
      }
      const xrow = xn + f4(ih * inW * inC);
      if (wholeRows && iw0 >= 0 && iw0 + kW <= inW) {
        addInto(xrow + f4(iw0 * inC), src, cg * kW);
        src += tap * kW;
        continue;
      }
      for (let j = 0; j < kW; j++) {
        const iw = iw0 + j * dilationW;
        if (iw >= 0 && iw < inW) addInto(xrow + f4(iw * inC), src, cg);
        src += tap;
      }
    }
  }
}
