import { readFileSync } from 'node:fs';
import type { Tensor } from '../core/tensor.js';
import { ImageFileError, ValueError } from '../errors.js';
import { fromValues } from '../ops/creation.js';
import { option } from '../utils/args.js';
import type { Spelled } from '../utils/options.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { decodeImage } from './image_decode.js';
import type { ColorMode, Interpolation } from './image_ops.js';
import { COLOR_MODES, INTERPOLATIONS, channelsOf, checkChoice, checkImageSize, resize, toChannels } from './image_ops.js';

export interface LoadImageArgs {
  /** `[height, width]` to resize to (default: the file's own size). */
  imageSize?: readonly [number, number];
  /** 'rgb' (default), 'grayscale' or 'rgba': the number of channels, whatever the file holds. */
  colorMode?: ColorMode;
  /** How to resize: 'nearest' (default, as Keras's load_img) or 'bilinear'. */
  interpolation?: Interpolation;
}

export type LoadImageOptions = Spelled<LoadImageArgs>;

export const LOAD_IMAGE_OPTIONS = optionNames<LoadImageArgs>({ imageSize: true, colorMode: true, interpolation: true });

/** An image's pixels as `[h, w, c]` float32 values 0–255, before they become a tensor. */
export interface Pixels {
  shape: [number, number, number];
  values: Float32Array;
}

/** Reads and decodes one file to pixels; every failure is an ImageFileError naming `path`. */
export function readPixels(
  path: string, colorMode: ColorMode, imageSize: [number, number] | null, interpolation: Interpolation,
): Pixels {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new ImageFileError(path, `cannot read the file (${why})`);
  }
  const image = decodeImage(bytes, path);
  const c = channelsOf(colorMode);
  const values = toChannels(image, colorMode);
  const [h, w] = imageSize ?? [image.height, image.width];
  return { shape: [h, w, c], values: resize(values, image.height, image.width, c, h, w, interpolation) };
}

/**
 * Loads a PNG or JPEG file as a float32 tensor `[h, w, c]` with values 0–255, as Keras's
 * `load_img` followed by `img_to_array`. A bad file throws an ImageFileError naming it.
 *
 * ```ts
 * const img = kiln.data.loadImage('cat.jpg', { imageSize: [64, 64] });   // [64, 64, 3]
 * const batch = kiln.expandDims(kiln.div(img, 255), 0);                  // [1, 64, 64, 3]
 * ```
 */
export function loadImage(path: string, args: LoadImageOptions = {}): Tensor {
  if (typeof path !== 'string' || path === '') throw new ValueError(`loadImage: path must be a non-empty string, found ${JSON.stringify(path)}`);
  checkOptions('loadImage', args, LOAD_IMAGE_OPTIONS);
  const colorMode = checkChoice(option(args, 'colorMode') ?? 'rgb', COLOR_MODES, 'colorMode', 'loadImage');
  const interpolation = checkChoice(option(args, 'interpolation') ?? 'nearest', INTERPOLATIONS, 'interpolation', 'loadImage');
  const size = option(args, 'imageSize');
  const imageSize = size === undefined || size === null ? null : checkImageSize(size, 'loadImage');
  const { shape, values } = readPixels(path, colorMode, imageSize, interpolation);
  return fromValues(values, shape, 'float32');
}
