import { EventFileError } from '../errors.js';
import { maskedCrc32c } from './crc32c.js';

/**
 * TFRecord framing, the container of every event file (tensorflow/core/lib/io/record_writer.cc):
 *
 *     u64 length (little-endian) | u32 masked_crc32c(the 8 length bytes) | data | u32 masked_crc32c(data)
 *
 * The length has its own CRC so that a reader can trust it before reading `length` bytes.
 */

/** Bytes before the data: the length and its CRC. */
export const HEADER_BYTES = 12;
/** Bytes after the data: its CRC. */
export const FOOTER_BYTES = 4;

/**
 * One framed record, ready to append to a file.
 *
 * ```ts
 * appendFileSync(path, encodeRecord(eventBytes));
 * ```
 */
export function encodeRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + data.length + FOOTER_BYTES);
  const view = new DataView(out.buffer);
  // A JavaScript array holds < 2^32 bytes, so the high word of the u64 is always 0.
  view.setUint32(0, data.length, true);
  view.setUint32(4, 0, true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, HEADER_BYTES);
  view.setUint32(HEADER_BYTES + data.length, maskedCrc32c(data), true);
  return out;
}

/** A record found in a file: its data and where its framing starts. */
export interface RawRecord {
  /** Byte offset of the record's length field in the file. */
  readonly offset: number;
  /** Byte length of the whole framed record (header, data and footer). */
  readonly size: number;
  /** The record's data (a view into the file's buffer, not a copy). */
  readonly data: Uint8Array;
}

/** What {@link decodeRecords} found: every intact record, and the cut-off tail if there was one. */
export interface DecodedRecords {
  readonly records: RawRecord[];
  /** The last record was incomplete or damaged at the end of the file: where it starts and why it was skipped. */
  readonly truncated: { readonly offset: number; readonly reason: string } | null;
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

/**
 * Splits a whole file's bytes into records, checking both CRCs of each.
 *
 * The rule separates a crash from corruption. A writer that appends whole records can only be cut
 * off inside its last record, so an incomplete last record (too few bytes for its header, its data
 * or its trailing CRC — including a length larger than what is left of the file, which is never
 * allocated) is reported in `truncated` and skipped. So is a last record whose data CRC fails, and
 * a tail of zero bytes (what a file system leaves when the size reached the disk but the data did
 * not). A length CRC that fails, or a data CRC that fails with more records after it, cannot come
 * from a crash: that is an EventFileError naming `file`, the offset and the CRCs expected and found.
 *
 * ```ts
 * const { records, truncated } = decodeRecords(readFileSync(path), path);
 * ```
 */
export function decodeRecords(bytes: Uint8Array, file: string): DecodedRecords {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: RawRecord[] = [];
  let pos = 0;
  const cut = (reason: string): DecodedRecords => {
    // With nothing verified yet there is no evidence this is a TFRecord file at all.
    if (records.length === 0 && bytes.length - pos < HEADER_BYTES) {
      throw new EventFileError(`'${file}': not a TFRecord event file: ${bytes.length} bytes, too short for one record header`);
    }
    return { records, truncated: { offset: pos, reason } };
  };
  while (pos < bytes.length) {
    const left = bytes.length - pos;
    if (left < HEADER_BYTES) return cut(`only ${left} of the ${HEADER_BYTES} header bytes are present`);
    const lengthCrc = view.getUint32(pos + 8, true);
    const expectedLengthCrc = maskedCrc32c(bytes.subarray(pos, pos + 8));
    if (lengthCrc !== expectedLengthCrc) {
      if (records.length > 0 && isAllZero(bytes, pos)) return cut(`the last ${left} bytes are all zero (data lost in a crash)`);
      const what = records.length === 0 ? 'not a TFRecord event file: ' : '';
      throw new EventFileError(
        `'${file}': ${what}record at byte ${pos}: length CRC mismatch (expected ${hex(expectedLengthCrc)}, found ${hex(lengthCrc)})`,
      );
    }
    // Exact up to 2^53; anything larger is far beyond the file's end either way.
    const length = view.getUint32(pos, true) + view.getUint32(pos + 4, true) * 2 ** 32;
    const need = HEADER_BYTES + length + FOOTER_BYTES;
    if (need > left) {
      const have = left - HEADER_BYTES;
      return cut(
        have >= length
          ? `its trailing data CRC is missing (${have - length} of ${FOOTER_BYTES} bytes present)`
          : `its header says ${length} data bytes but only ${have} are present`,
      );
    }
    const data = bytes.subarray(pos + HEADER_BYTES, pos + HEADER_BYTES + length);
    const dataCrc = view.getUint32(pos + HEADER_BYTES + length, true);
    const expectedDataCrc = maskedCrc32c(data);
    if (dataCrc !== expectedDataCrc) {
      const message = `data CRC mismatch (expected ${hex(expectedDataCrc)}, found ${hex(dataCrc)})`;
      if (pos + need === bytes.length) return cut(message);
      throw new EventFileError(`'${file}': record at byte ${pos} (${length} data bytes): ${message}; more records follow, so the file is corrupt, not cut short`);
    }
    records.push({ offset: pos, size: need, data });
    pos += need;
  }
  return { records, truncated: null };
}

function isAllZero(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}
