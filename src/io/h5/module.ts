/**
 * h5wasm (libhdf5 compiled to WebAssembly), loaded once, and the handful of its types kiln uses.
 * The reader (reader.ts) and writer (writer.ts) are the only users; every other io file goes through them.
 */

export type H5Module = typeof import('h5wasm/node');
export type H5File = InstanceType<H5Module['File']>;
export type H5Group = InstanceType<H5Module['Group']>;
export type H5Dataset = InstanceType<H5Module['Dataset']>;

let modulePromise: Promise<H5Module> | null = null;

/** Loads h5wasm once; HDF5 errors are made to throw instead of printing to stderr. */
export function h5(): Promise<H5Module> {
  modulePromise ??= (async () => {
    const mod = (await import('h5wasm/node')).default as unknown as H5Module;
    const wasm = await mod.ready;
    wasm.activate_throwing_error_handler();
    return mod;
  })();
  return modulePromise;
}

/** 'Group', 'Dataset', … (h5wasm's references have no type). */
export function kind(e: unknown): string | undefined {
  return (e as { type?: string } | null)?.type;
}

