/**
 * CRC-32C (Castagnoli), the checksum TFRecord framing uses, and TensorFlow's "masked" form of it.
 *
 * TFRecord does not store the plain CRC: a CRC computed over data that itself contains CRCs is
 * weak, so TensorFlow rotates it and adds a constant first (tensorflow/core/lib/hash/crc32c.h,
 * `Mask`). Both readers and writers apply the mask to the length bytes and to the data.
 */

/** The reflected Castagnoli polynomial 0x1EDC6F41. */
const POLY = 0x82f63b78;

/** One entry per byte value: the CRC contribution of that byte, computed once on first use. */
let table: Uint32Array | null = null;

function buildTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

/**
 * The CRC-32C of `bytes`, as an unsigned 32-bit number.
 *
 * ```ts
 * crc32c(new TextEncoder().encode('123456789')); // 0xe3069283, the standard check value
 * ```
 */
export function crc32c(bytes: Uint8Array): number {
  table ??= buildTable();
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The constant TensorFlow adds after rotating (crc32c.h `kMaskDelta`). */
const MASK_DELTA = 0xa282ead8;

/**
 * The masked CRC-32C TFRecord stores: the CRC rotated right by 15 bits plus 0xa282ead8, mod 2^32.
 *
 * ```ts
 * maskedCrc32c(new TextEncoder().encode('\x1a\x11CRC test, one two')); // 0x5794d08a
 * ```
 */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}
