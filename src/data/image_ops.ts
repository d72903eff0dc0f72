import { ValueError } from '../errors.js';
import type { RgbaImage } from './image_decode.js';

/** Keras's color_mode: how many channels an image is given (1, 3 or 4). */
export type ColorMode = 'grayscale' | 'rgb' | 'rgba';
/** How an image is resized to `imageSize`. */
export type Interpolation = 'bilinear' | 'nearest';

export const COLOR_MODES: readonly ColorMode[] = ['grayscale', 'rgb', 'rgba'];
export const INTERPOLATIONS: readonly Interpolation[] = ['bilinear', 'nearest'];

export function channelsOf(mode: ColorMode): number {
  return mode === 'grayscale' ? 1 : mode === 'rgb' ? 3 : 4;
}

/**
 * RGBA pixels as `[h, w, c]` float32 values 0–255. Grayscale is PIL's `convert('L')` (what Keras's
 * load_img uses): ITU-R 601 luma in 16-bit fixed point, rounded, so a gray pixel stays exactly its
 * value. RGB drops alpha without compositing, as PIL and tf.io.decode_png(channels=3) do.
 */
export function toChannels(image: RgbaImage, mode: ColorMode): Float32Array {
  const { width, height, data } = image;
  const n = width * height;
  const c = channelsOf(mode);
  const out = new Float32Array(n * c);
  for (let p = 0; p < n; p++) {
    const s = p * 4;
    if (mode === 'grayscale') {
      out[p] = (data[s]! * 19595 + data[s + 1]! * 38470 + data[s + 2]! * 7471 + 0x8000) >>> 16;
    } else {
      for (let k = 0; k < c; k++) out[p * c + k] = data[s + k]!;
    }
  }
  return out;
}

/**
 * Resizes `[h, w, c]` pixels to `[outH, outW, c]` the way tf.image.resize does (half-pixel
 * centres, no antialiasing), which is what Keras's image_dataset_from_directory calls. Nearest picks
 * source pixel `floor((i + 0.5) * in / out)`; bilinear interpolates between the two source pixels
 * around `(i + 0.5) * in / out - 0.5`, clamped at the borders.
 */
export function resize(
  src: Float32Array, h: number, w: number, c: number, outH: number, outW: number, interpolation: Interpolation,
): Float32Array {
  if (outH === h && outW === w) return src;
  const out = new Float32Array(outH * outW * c);
  const sy = h / outH;
  const sx = w / outW;
  if (interpolation === 'nearest') {
    for (let y = 0; y < outH; y++) {
      const iy = Math.min(Math.floor((y + 0.5) * sy), h - 1);
      for (let x = 0; x < outW; x++) {
        const ix = Math.min(Math.floor((x + 0.5) * sx), w - 1);
        const from = (iy * w + ix) * c;
        const to = (y * outW + x) * c;
        for (let k = 0; k < c; k++) out[to + k] = src[from + k]!;
      }
    }
    return out;
  }
  const axis = (i: number, scale: number, size: number) => {
    const at = (i + 0.5) * scale - 0.5;
    const lo = Math.floor(at);
    return { lo: Math.max(lo, 0), hi: Math.min(lo + 1, size - 1), t: at - lo };
  };
  const xs = Array.from({ length: outW }, (_, x) => axis(x, sx, w));
  for (let y = 0; y < outH; y++) {
    const ay = axis(y, sy, h);
    for (let x = 0; x < outW; x++) {
      const ax = xs[x]!;
      const to = (y * outW + x) * c;
      for (let k = 0; k < c; k++) {
        const tl = src[(ay.lo * w + ax.lo) * c + k]!;
        const tr = src[(ay.lo * w + ax.hi) * c + k]!;
        const bl = src[(ay.hi * w + ax.lo) * c + k]!;
        const br = src[(ay.hi * w + ax.hi) * c + k]!;
        const top = tl + (tr - tl) * ax.t;
        const bottom = bl + (br - bl) * ax.t;
        out[to + k] = top + (bottom - top) * ay.t;
      }
    }
  }
  return out;
}

/** Checks an `imageSize` option: two positive integers `[height, width]`. */
export function checkImageSize(size: unknown, where: string): [number, number] {
  const ok = Array.isArray(size) && size.length === 2 && size.every((d) => Number.isInteger(d) && d > 0);
  if (!ok) throw new ValueError(`${where}: imageSize must be [height, width] with two positive integers, found ${JSON.stringify(size)}`);
  return [size[0], size[1]];
}

export function checkChoice<T extends string>(value: unknown, choices: readonly T[], name: string, where: string): T {
  if (!choices.includes(value as T)) {
    throw new ValueError(`${where}: ${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, found ${JSON.stringify(value)}`);
  }
  return value as T;
}
