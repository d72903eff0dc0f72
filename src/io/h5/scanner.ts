import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { ModelFileError, fileMessage } from '../errors.js';

/**
 * Checks that run on a file's raw bytes before libhdf5 sees it: the HDF5 signature, and the global
 * heaps that a hostile or damaged file could use to hang libhdf5. Nothing here parses HDF5 otherwise.
 */

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** True when the file starts with the HDF5 signature (at 0, or after a 512·2^k user block). */
export function hasHdf5Signature(bytes: Uint8Array): boolean {
  for (let off = 0; off + 8 <= bytes.length; off = off === 0 ? 512 : off * 2) {
    if (SIGNATURE.every((b, i) => bytes[off + i] === b)) return true;
  }
  return false;
}

/** Reads the first bytes of a file (enough to recognise zip or HDF5), or throws a ModelFileError. */
export function readHead(path: string, n = 4096): Uint8Array {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new ModelFileError(fileMessage(path, 'is not a file'));
    size = st.size;
  } catch (e) {
    if (e instanceof ModelFileError) throw e;
    throw new ModelFileError(fileMessage(path, 'no such file'));
  }
  if (size === 0) throw new ModelFileError(fileMessage(path, 'the file is empty'));
  const buf = new Uint8Array(Math.min(n, size));
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
  return buf;
}

const GCOL = [0x47, 0x43, 0x4f, 0x4c]; // 'GCOL'

/**
 * Checks every global heap collection (where HDF5 keeps variable-length strings — Keras's
 * `model_config`, `layer_names`, `weight_names`) before libhdf5 parses it. libhdf5 1.14's heap
 * reader (H5HG__cache_heap_deserialize) advances by each object's declared size and so loops
 * forever on a zeroed object (index 0, size 0) and walks backwards on sizes that wrap its 32-bit
 * wasm pointers: a damaged `.h5` would hang the process. A collection is recognised by its
 * signature, version 1 and reserved zero bytes; its objects must tile it exactly as libhdf5 expects.
 * Read in chunks so a large file is never held in memory whole.
 */
export function checkGlobalHeaps(path: string): void {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const chunk = new Uint8Array(1 << 20);
    for (let base = 0; base < size; base += chunk.length - 3) {
      const n = readSync(fd, chunk, 0, chunk.length, base);
      for (let i = 0; i + 4 <= n; i++) {
        if (chunk[i] === GCOL[0] && chunk[i + 1] === GCOL[1] && chunk[i + 2] === GCOL[2] && chunk[i + 3] === GCOL[3]) checkCollection(path, fd, size, base + i);
      }
      if (n < chunk.length) break;
    }
  } finally {
    closeSync(fd);
  }
}

/** Walks one collection's objects (HDF5 spec III.E: 16-byte header, objects with 16-byte headers, 8-aligned). */
function checkCollection(path: string, fd: number, fileSize: number, at: number): void {
  const header = new Uint8Array(16);
  if (readSync(fd, header, 0, 16, at) < 16) return;
  if (header[4] !== 1 || header[5] !== 0 || header[6] !== 0 || header[7] !== 0) return; // not a collection (or one libhdf5 refuses itself)
  const view = new DataView(header.buffer);
  const collectionSize = Number(view.getBigUint64(8, true));
  const bad = (why: string) => new ModelFileError(fileMessage(path, `is damaged: the HDF5 global heap at byte ${at} ${why}`));
  if (collectionSize < 16 || at + collectionSize > fileSize) throw bad(`declares ${collectionSize} bytes (the file has ${fileSize - at} from there)`);
  const heap = new Uint8Array(collectionSize);
  readSync(fd, heap, 0, collectionSize, at);
  const hv = new DataView(heap.buffer);
  for (let p = 16; p < collectionSize; ) {
    if (p + 16 > collectionSize) break; // a tail too small for an object header is free space
    const index = hv.getUint16(p, true);
    const objectSize = Number(hv.getBigUint64(p + 8, true));
    const need = index === 0 ? objectSize : 16 + Math.ceil(objectSize / 8) * 8;
    if (index === 0 && need < 16) throw bad(`has a free-space object of ${objectSize} bytes at offset ${p}`);
    if (p + need > collectionSize) throw bad(`has object ${index} of ${objectSize} bytes at offset ${p}, past its end (${collectionSize})`);
    p += need;
  }
}

