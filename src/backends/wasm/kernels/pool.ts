// 2-D max and average pooling (NHWC) and their gradients. A window is the rectangle of input rows
// [oh·strideH − padTop, … + poolH) clipped to the input (padding never takes part), and channels are
// contiguous, so each window is a few rows of `channels`-long vectors, four lanes at a time.
import { f4 } from './simd';

/** The window of output (oh, ow) clipped to the input: [hs, he) × [ws, we). */
@inline function clip(start: i32, size: i32, limit: i32): i64 {
  const s = start < 0 ? 0 : start;
  const e = start + size > limit ? limit : start + size;
  return (<i64>s << 32) | <i64>(<u32>e);
}
@inline function lo(r: i64): i32 { return <i32>(r >> 32); }
@inline function hi(r: i64): i32 { return <i32>(r & 0xffffffff); }

export function maxPool2d(
  x: usize, y: usize, batch: i32, inH: i32, inW: i32, C: i32, poolH: i32, poolW: i32, outH: i32, outW: i32,
  strideH: i32, strideW: i32, padTop: i32, padLeft: i32,
): void {
  let yp = y;
  for (let n = 0; n < batch; n++) {
    const xn = x + f4(n * inH * inW * C);
    for (let oh = 0; oh < outH; oh++) {
      const rh = clip(oh * strideH - padTop, poolH, inH);
      for (let ow = 0; ow < outW; ow++) {
        const rw = clip(ow * strideW - padLeft, poolW, inW);
        let c = 0;
        for (; c + 4 <= C; c += 4) {
          let best = f32x4.splat(-Infinity);
          for (let ih = lo(rh); ih < hi(rh); ih++) {
            for (let iw = lo(rw); iw < hi(rw); iw++) {
              // f32x4.max propagates NaN, as the reference does.
              best = f32x4.max(best, v128.load(xn + f4((ih * inW + iw) * C + c)));
            }
          }
          v128.store(yp + f4(c), best);
        }
        for (; c < C; c++) {
          let best: f32 = -Infinity;
          for (let ih = lo(rh); ih < hi(rh); ih++) {
            for (let iw = lo(rw); iw < hi(rw); iw++) {
              const v = load<f32>(xn + f4((ih * inW + iw) * C + c));
              if (v > best || v != v) best = v;
            }
          }
          store<f32>(yp + f4(c), best);
        }
        yp += f4(C);
      }
    }
  }
}

export function avgPool2d(
  x: usize, y: usize, batch: i32, inH: i32, inW: i32, C: i32, poolH: i32, poolW: i32, outH: i32, outW: i32,
  strideH: i32, strideW: i32, padTop: i32, padLeft: i32,
): void {
  let yp = y;
  for (let n = 0; n < batch; n++) {
    const xn = x + f4(n * inH * inW * C);
    for (let oh = 0; oh < outH; oh++) {
      const rh = clip(oh * strideH - padTop, poolH, inH);
      for (let ow = 0; ow < outW; ow++) {
        const rw = clip(ow * strideW - padLeft, poolW, inW);
        const inv: f32 = 1 / <f32>((hi(rh) - lo(rh)) * (hi(rw) - lo(rw)));
        let c = 0;
        for (; c + 4 <= C; c += 4) {
          let s = f32x4.splat(0);
          for (let ih = lo(rh); ih < hi(rh); ih++) {
            for (let iw = lo(rw); iw < hi(rw); iw++) s = f32x4.add(s, v128.load(xn + f4((ih * inW + iw) * C + c)));
          }
          v128.store(yp + f4(c), f32x4.mul(s, f32x4.splat(inv)));
        }
        for (; c < C; c++) {
          let s: f32 = 0;
          for (let ih = lo(rh); ih < hi(rh); ih++) {
            for (let iw = lo(rw); iw < hi(rw); iw++) s += load<f32>(xn + f4((ih * inW + iw) * C + c));
          }
          store<f32>(yp + f4(c), s * inv);
        }
        yp += f4(C);
      }
    }
  }
}

/**
 * dx (zeroed here) += dy of each window at its largest input: the first in row-major window order
 * on ties, and the first NaN if any (the rule of the reference backend).
 */
export function maxPool2dGrad(
  x: usize, dy: usize, dx: usize, batch: i32, inH: i32, inW: i32, C: i32, poolH: i32, poolW: i32, outH: i32, outW: i32,
  strideH: i32, strideW: i32, padTop: i32, padLeft: i32,
): void {
  memory.fill(dx, 0, f4(batch * inH * inW * C));
  let gp = dy;
  for (let n = 0; n < batch; n++) {
    const base = n * inH * inW * C;
    for (let oh = 0; oh < outH; oh++) {
      const rh = clip(oh * strideH - padTop, poolH, inH);
      for (let ow = 0; ow < outW; ow++) {
        const rw = clip(ow * strideW - padLeft, poolW, inW);
        const first = base + (lo(rh) * inW + lo(rw)) * C;
        let c = 0;
        for (; c + 4 <= C; c += 4) {
          let best = v128.load(x + f4(first + c));
          let at = i32x4.add(i32x4.splat(first + c), v128(0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0));
          for (let ih = lo(rh); ih < hi(rh); ih++) {
            for (let iw = lo(rw); iw < hi(rw); iw++) {
              const o = base + (ih * inW + iw) * C + c;
              const v = v128.load(x + f4(o));
              const take = v128.or(f32x4.gt(v, best), v128.and(f32x4.ne(v, v), f32x4.eq(best, best)));
              best = v128.bitselect(v, best, take);
              at = v128.bitselect(i32x4.add(i32x4.splat(o), v128(0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0)), at, take);
            }
          }
          const g = v128.load(gp + f4(c));
          const p0 = dx + f4(i32x4.extract_lane(at, 0)); store<f32>(p0, load<f32>(p0) + f32x4.extract_lane(g, 0));
          const p1 = dx + f4(i32x4.extract_lane(at, 1)); store<f32>(p1, load<f32>(p1) + f32x4.extract_lane(g, 1));
          const p2 = dx + f4(i32x4.extract_lane(at, 2)); store<f32>(p2, load<f32>(p2) + f32x4.extract_lane(g, 2));
          const p3 = dx + f4(i32x4.extract_lane(at, 3)); store<f32>(p3, load<f32>(p3) + f32x4.extract_lane(g, 3));
        }
        for (; c < C; c++) {
          let best = load<f32>(x + f4(first + c));
          let at = first + c;
          for (let ih = lo(rh); ih < hi(rh); ih++) {
            for (let iw = lo(rw); iw < hi(rw); iw++) {
              const o = base + (ih * inW + iw) * C + c;
              const v = load<f32>(x + f4(o));
              if (v > best || (v != v && best == best)) {
                best = v;
                at = o;
              }
            }
          }
          const p = dx + f4(at);
          store<f32>(p, load<f32>(p) + load<f32>(gp + f4(c)));
        }
        gp += f4(C);
      }
    }
  }
}

/** dx (zeroed here) += dy of each window / its valid count, at each of its valid inputs. */
export function avgPool2dGrad(
  dy: usize, dx: usize, batch: i32, inH: i32, inW: i32, C: i32, poolH: i32, poolW: i32, outH: i32, outW: i32,
  strideH: i32, strideW: i32, padTop: i32, padLeft: i32,
): void {
  memory.fill(dx, 0, f4(batch * inH * inW * C));
  let gp = dy;
  for (let n = 0; n < batch; n++) {
    const xn = dx + f4(n * inH * inW * C);
    for (let oh = 0; oh < outH; oh++) {
      const rh = clip(oh * strideH - padTop, poolH, inH);
      for (let ow = 0; ow < outW; ow++) {
        const rw = clip(ow * strideW - padLeft, poolW, inW);
        const inv: f32 = 1 / <f32>((hi(rh) - lo(rh)) * (hi(rw) - lo(rw)));
        for (let ih = lo(rh); ih < hi(rh); ih++) {
          for (let iw = lo(rw); iw < hi(rw); iw++) {
            const p = xn + f4((ih * inW + iw) * C);
            let c = 0;
            for (; c + 4 <= C; c += 4) v128.store(p + f4(c), f32x4.add(v128.load(p + f4(c)), f32x4.mul(v128.load(gp + f4(c)), f32x4.splat(inv))));
            for (; c < C; c++) store<f32>(p + f4(c), load<f32>(p + f4(c)) + load<f32>(gp + f4(c)) * inv);
          }
        }
        gp += f4(C);
      }
    }
  }
}
