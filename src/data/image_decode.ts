import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { ImageFileError } from '../errors.js';

/** Decoded pixels: 8-bit RGBA, row-major, `width * height * 4` bytes. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** The image formats kiln decodes, by file extension (lower case, with the dot). */
export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg'];

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/** A name for formats we recognise but do not decode, so the error says what the file is. */
function otherFormat(bytes: Uint8Array): string | null {
  const ascii = String.fromCharCode(...bytes.subarray(0, 12));
  if (ascii.startsWith('GIF8')) return 'GIF';
  if (ascii.startsWith('BM')) return 'BMP';
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') return 'WebP';
  return null;
}

// jpeg-js refuses images above these sizes instead of allocating without bound; a 100-megapixel
// photo is far beyond any training image, and a forged header cannot make it allocate gigabytes.
const JPEG_LIMITS = { maxResolutionInMP: 100, maxMemoryUsageInMB: 1024 };

/**
 * Decodes PNG or JPEG bytes to RGBA. The format is taken from the bytes, not the file name (as
 * tf.io.decode_image does), so a PNG named `.jpg` still decodes. Every decoder failure becomes an
 * ImageFileError naming `path` and the decoder's reason.
 */
export function decodeImage(bytes: Uint8Array, path: string): RgbaImage {
  if (bytes.length === 0) throw new ImageFileError(path, 'the file is empty');
  const isPng = startsWith(bytes, PNG_SIGNATURE);
  const isJpeg = startsWith(bytes, [0xff, 0xd8, 0xff]);
  if (!isPng && !isJpeg) {
    const other = otherFormat(bytes);
    throw new ImageFileError(path, other ? `${other} images are not supported (kiln decodes PNG and JPEG)` : 'not a PNG or JPEG file (unrecognised header)');
  }
  let image: RgbaImage;
  try {
    if (isPng) {
      // pngjs expands palette, grayscale and 16-bit images to 8-bit RGBA.
      const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      image = { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    } else {
      // Strict decoding: a truncated or damaged JPEG is an error, not a silently grey picture.
      image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, tolerantDecoding: false, ...JPEG_LIMITS });
    }
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new ImageFileError(path, `corrupt or truncated ${isPng ? 'PNG' : 'JPEG'} data (${why})`);
  }
  if (image.width <= 0 || image.height <= 0 || image.data.length < image.width * image.height * 4) {
    throw new ImageFileError(path, `corrupt ${isPng ? 'PNG' : 'JPEG'}: decoded to ${image.width}x${image.height} with ${image.data.length} bytes`);
  }
  return image;
}
