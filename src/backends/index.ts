import { registerBackend } from './registry.js';
import { ReferenceBackend } from './reference/index.js';

/** Registers the built-in backends. Imported once by the package entry point. */
registerBackend('reference', () => new ReferenceBackend(), { isDefault: true });

export { setBackend, getBackend, listBackends } from './registry.js';
