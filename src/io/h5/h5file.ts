/**
 * A thin, typed layer over h5wasm (libhdf5 compiled to WebAssembly): what kiln needs from HDF5 and
 * nothing more — groups, string/number attributes, and numeric datasets. Every failure becomes a
 * ModelFileError naming the file; libhdf5's own error printing is replaced by thrown errors.
 *
 * - scanner.ts: checks on the raw bytes before libhdf5 parses a file (signature, global heaps)
 * - reader.ts: `H5Reader` (read access; runs the scanner first)
 * - writer.ts: `H5Writer` (new files, written with the oldest format that holds them, as h5py does)
 * - module.ts: loading h5wasm once
 */
export { h5 } from './module.js';
export { checkGlobalHeaps, hasHdf5Signature, readHead } from './scanner.js';
export { H5Reader } from './reader.js';
export type { H5Array } from './reader.js';
export { H5Writer } from './writer.js';
