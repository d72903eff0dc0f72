import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as kiln from '../../src/index.js';
import { tempDir } from '../helpers/temp_dir.js';
import { jpegBytes, pngBytes, rgba, writeJpeg, writePng } from './image_files.js';

const t = tempDir('kiln-load-image-');
process.on('exit', () => t.cleanup());

function values(x: kiln.Tensor): number[] {
  return Array.from(x.dataSync());
}

test('an RGB PNG loads as float32 [h, w, 3] with its exact 0–255 values', () => {
  const px = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [10, 20, 30], [200, 100, 50], [1, 2, 3]];
  const path = writePng(t.path('rgb.png'), 3, 2, rgba(px), 2);
  const img = kiln.data.loadImage(path);
  assert.deepEqual(img.shape, [2, 3, 3]);
  assert.equal(img.dtype, 'float32');
  assert.deepEqual(values(img), px.flat());
});

test('RGBA: rgba keeps alpha, rgb drops it (no compositing, as PIL and decode_png)', () => {
  const px = [[100, 150, 200, 0], [1, 2, 3, 128]];
  const path = writePng(t.path('rgba.png'), 2, 1, rgba(px), 6);
  assert.deepEqual(values(kiln.data.loadImage(path, { colorMode: 'rgba' })), px.flat());
  assert.deepEqual(values(kiln.data.loadImage(path, { colorMode: 'rgb' })), [100, 150, 200, 1, 2, 3]);
  assert.deepEqual(kiln.data.loadImage(path, { color_mode: 'rgba' }).shape, [1, 2, 4]);
});

test('a grayscale PNG: exact values as grayscale, replicated to 3 channels as rgb, alpha 255 as rgba', () => {
  const gray = [0, 17, 128, 255];
  const path = writePng(t.path('gray.png'), 2, 2, rgba(gray.map((g) => [g, g, g])), 0);
  const g = kiln.data.loadImage(path, { colorMode: 'grayscale' });
  assert.deepEqual(g.shape, [2, 2, 1]);
  assert.deepEqual(values(g), gray);
  assert.deepEqual(values(kiln.data.loadImage(path)), gray.flatMap((v) => [v, v, v]));
  assert.deepEqual(values(kiln.data.loadImage(path, { colorMode: 'rgba' })), gray.flatMap((v) => [v, v, v, 255]));
});

test("RGB to grayscale is PIL's convert('L') luma (red 76, green 150, blue 29)", () => {
  const path = writePng(t.path('primaries.png'), 5, 1, rgba([[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255], [0, 0, 0]]), 2);
  assert.deepEqual(values(kiln.data.loadImage(path, { colorMode: 'grayscale' })), [76, 150, 29, 255, 0]);
});

test('nearest resizing picks exact source pixels (upscale repeats, downscale takes floor((i + 0.5) * scale))', () => {
  const path = writePng(t.path('two.png'), 2, 2, rgba([[10, 10, 10], [20, 20, 20], [30, 30, 30], [40, 40, 40]]), 2);
  const up = kiln.data.loadImage(path, { imageSize: [4, 4], colorMode: 'grayscale' });
  assert.deepEqual(up.shape, [4, 4, 1]);
  assert.deepEqual(values(up), [10, 10, 20, 20, 10, 10, 20, 20, 30, 30, 40, 40, 30, 30, 40, 40]);
  const big = writePng(t.path('four.png'), 4, 4, rgba(Array.from({ length: 16 }, (_, i) => [i, i, i])), 2);
  // Rows and columns 1 and 3 of the 4×4 source.
  assert.deepEqual(values(kiln.data.loadImage(big, { imageSize: [2, 2], colorMode: 'grayscale' })), [5, 7, 13, 15]);
  // Non-square: 4×4 → 1×2 takes row 2, columns 1 and 3.
  assert.deepEqual(values(kiln.data.loadImage(big, { imageSize: [1, 2], colorMode: 'grayscale', interpolation: 'nearest' })), [9, 11]);
});

test('bilinear resizing uses half-pixel centres clamped at the borders, as tf.image.resize', () => {
  const path = writePng(t.path('ramp.png'), 2, 1, rgba([[0, 0, 0], [100, 100, 100]]), 2);
  const r = kiln.data.loadImage(path, { imageSize: [1, 4], colorMode: 'grayscale', interpolation: 'bilinear' });
  assert.deepEqual(values(r), [0, 25, 75, 100]);
  // A constant image stays constant at any size.
  const c = writePng(t.path('const.png'), 3, 3, rgba(Array.from({ length: 9 }, () => [7, 8, 9])), 2);
  assert.ok(values(kiln.data.loadImage(c, { imageSize: [5, 2], interpolation: 'bilinear' })).every((v, i) => v === [7, 8, 9][i % 3]));
});

test('a JPEG decodes to RGB close to what was encoded, and grayscale from it', () => {
  const px = Array.from({ length: 64 }, () => [200, 100, 50]);
  const path = writeJpeg(t.path('flat.jpg'), 8, 8, rgba(px), 100);
  const img = kiln.data.loadImage(path);
  assert.deepEqual(img.shape, [8, 8, 3]);
  const v = values(img);
  v.forEach((x, i) => assert.ok(Math.abs(x - [200, 100, 50][i % 3]!) <= 3, `channel value ${x} at ${i}`));
  const g = values(kiln.data.loadImage(path, { colorMode: 'grayscale', imageSize: [2, 2] }));
  // PIL luma of (200, 100, 50) is 124.
  g.forEach((x) => assert.ok(Math.abs(x - 124) <= 3, `gray ${x}`));
});

test('the format comes from the bytes: a PNG named .jpg still loads', () => {
  const path = t.path('really_png.jpg');
  writeFileSync(path, pngBytes(1, 1, rgba([[9, 8, 7]]), 2));
  assert.deepEqual(values(kiln.data.loadImage(path)), [9, 8, 7]);
});

test('bad files throw ImageFileError naming the file and what was wrong', () => {
  const cases: [string, Uint8Array | string, RegExp][] = [
    ['empty.png', new Uint8Array(0), /is empty/],
    ['text.png', 'definitely not an image', /not a PNG or JPEG/],
    ['anim.gif', 'GIF89a\u0001\u0000\u0001\u0000', /GIF images are not supported/],
    ['cut.png', pngBytes(8, 8, rgba(Array.from({ length: 64 }, (_, i) => [i, i, i])), 2).subarray(0, 60), /corrupt or truncated PNG/],
    ['cut.jpg', jpegBytes(16, 16, rgba(Array.from({ length: 256 }, (_, i) => [i, 255 - i, i]))).subarray(0, 200), /corrupt or truncated JPEG/],
  ];
  for (const [name, bytes, why] of cases) {
    const path = t.path(name);
    writeFileSync(path, bytes);
    assert.throws(() => kiln.data.loadImage(path), (e: unknown) => {
      assert.ok(e instanceof kiln.errors.ImageFileError, `${name}: ${e}`);
      assert.equal(e.path, path);
      assert.ok(e.message.includes(path), e.message);
      assert.match(e.message, why);
      return true;
    });
  }
  assert.throws(() => kiln.data.loadImage(t.path('missing.png')), /missing\.png.*no such file/);
  assert.throws(() => kiln.data.loadImage(t.dir), (e: unknown) => e instanceof kiln.errors.ImageFileError && /is a directory/.test(e.message));
});

test('bad options are ValueErrors that name the option', () => {
  const path = writePng(t.path('ok.png'), 1, 1, rgba([[1, 1, 1]]), 2);
  assert.throws(() => kiln.data.loadImage(path, { imageSize: [0, 3] as [number, number] }), (e: unknown) => e instanceof kiln.errors.ValueError && /imageSize/.test(e.message));
  assert.throws(() => kiln.data.loadImage(path, { colorMode: 'cmyk' as 'rgb' }), /colorMode must be one of 'grayscale', 'rgb', 'rgba'/);
  assert.throws(() => kiln.data.loadImage(path, { interpolation: 'bicubic' as 'nearest' }), /interpolation/);
  assert.throws(() => kiln.data.loadImage(path, { imagesize: [2, 2] } as object), /imagesize/);
});
