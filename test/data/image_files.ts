import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';

/**
 * Writes real image files for the data tests, encoded with the same libraries kiln decodes with
 * (pngjs, jpeg-js), so no fixture files or network are needed.
 */

/** PNG colour types: 0 gray, 2 RGB, 4 gray + alpha, 6 RGBA. pngjs takes RGBA input for all of them. */
export type PngColorType = 0 | 2 | 4 | 6;

export function pngBytes(width: number, height: number, rgba: Uint8Array, colorType: PngColorType = 6): Buffer {
  const png = new pngjs.PNG({ width, height });
  png.data = Buffer.from(rgba);
  return pngjs.PNG.sync.write(png, { colorType });
}

export function writePng(path: string, width: number, height: number, rgba: Uint8Array, colorType: PngColorType = 6): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, pngBytes(width, height, rgba, colorType));
  return path;
}

export function jpegBytes(width: number, height: number, rgba: Uint8Array, quality = 100): Buffer {
  return jpeg.encode({ width, height, data: Buffer.from(rgba) }, quality).data;
}

export function writeJpeg(path: string, width: number, height: number, rgba: Uint8Array, quality = 100): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, jpegBytes(width, height, rgba, quality));
  return path;
}

/** RGBA pixels from a list of [r, g, b] or [r, g, b, a] (alpha 255 when left out), row-major. */
export function rgba(pixels: readonly (readonly number[])[]): Uint8Array {
  const out = new Uint8Array(pixels.length * 4);
  pixels.forEach((p, i) => out.set([p[0]!, p[1]!, p[2]!, p[3] ?? 255], i * 4));
  return out;
}

/** A `width × height` image of one gray value (opaque). */
export function flat(width: number, height: number, value: number): Uint8Array {
  const out = new Uint8Array(width * height * 4).fill(value);
  for (let i = 3; i < out.length; i += 4) out[i] = 255;
  return out;
}

/**
 * A class-per-folder tree under `root`: `counts[name]` images in `root/name/`, each a gray
 * `size × size` PNG named `img_000.png`…; `values(className index, image index)` gives its one
 * gray value (a flat image) or its RGBA pixels (with R = G = B).
 */
export function makeImageTree(
  root: string, counts: Record<string, number>, values: (classIndex: number, i: number) => number | Uint8Array, size = 4,
): string[] {
  const written: string[] = [];
  Object.entries(counts).forEach(([name, n], k) => {
    for (let i = 0; i < n; i++) {
      const v = values(k, i);
      const pixels = typeof v === 'number' ? flat(size, size, v) : v;
      written.push(writePng(join(root, name, `img_${String(i).padStart(3, '0')}.png`), size, size, pixels, 0));
    }
  });
  return written;
}

/** A gray `size × size` image bright on its left half (or right half), dim on the other, `offset` added. */
export function halves(size: number, brightLeft: boolean, offset: number): Uint8Array {
  const px: number[][] = [];
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const v = (c < size / 2) === brightLeft ? 180 + offset : 40 + offset;
      px.push([v, v, v]);
    }
  }
  return rgba(px);
}
