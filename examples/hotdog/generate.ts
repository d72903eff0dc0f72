/**
 * Writes the hot-dog example's image folder: `<dir>/hot_dog/*.png` and `<dir>/not_hot_dog/*.png`,
 * the layout `kiln.data.imageFolder` (like Keras's image_dataset_from_directory) reads.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { drawPicture, seededRandom } from './render.js';
import type { Picture } from './render.js';

/** PNG bytes of an RGB picture. */
export function encodePng(p: Picture): Buffer {
  const png = new PNG({ width: p.size, height: p.size, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  png.data = Buffer.from(p.pixels);
  return PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false });
}

export const CLASS_NAMES = ['hot_dog', 'not_hot_dog'] as const;

/** Draws `perClass` pictures of each class into `dir` (seeded: the same seed gives the same files). */
export function generateFolder(dir: string, perClass: number, size: number, seed: number): void {
  const r = seededRandom(seed);
  for (const cls of CLASS_NAMES) {
    mkdirSync(join(dir, cls), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      writeFileSync(join(dir, cls, `${cls}_${String(i).padStart(4, '0')}.png`), encodePng(drawPicture(r, cls === 'hot_dog', size)));
    }
  }
}
