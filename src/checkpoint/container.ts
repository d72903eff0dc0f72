import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { sha256Hex } from './checksum.js';
import { CorruptCheckpointError } from './errors.js';

/** Bumped when the layout changes; readers refuse newer versions instead of misreading them. */
export const CONTAINER_FORMAT_VERSION = 1;

/** `manifest.json`: what the archive holds, with each member's size and SHA-256. */
export interface Manifest {
  format: 'kiln-checkpoint';
  format_version: number;
  /** What the archive is ('backup'). */
  kind: string;
  created: string;
  members: Record<string, { size: number; sha256: string }>;
  /** Small facts worth reading without unpacking the rest (epoch, step…). */
  info: Record<string, unknown>;
}

/**
 * Packs members into a zip (stored, not deflated: float data barely compresses and stored members
 * can be bounds-checked on read) with a `manifest.json` listing every member's size and SHA-256.
 * A reader can then tell a torn or bit-flipped file from a good one before using any of it.
 */
export function packContainer(kind: string, members: Record<string, Uint8Array>, info: Record<string, unknown>): Uint8Array {
  const manifest: Manifest = {
    format: 'kiln-checkpoint',
    format_version: CONTAINER_FORMAT_VERSION,
    kind,
    created: new Date().toISOString(),
    members: Object.fromEntries(Object.entries(members).map(([name, b]) => [name, { size: b.length, sha256: sha256Hex(b) }])),
    info,
  };
  return zipSync({ 'manifest.json': strToU8(JSON.stringify(manifest, null, 1)), ...members }, { level: 0 });
}

/** Unpacks and verifies a container: every member the manifest names must be present, of its size and hash. */
export function unpackContainer(path: string, bytes: Uint8Array, kind: string): { manifest: Manifest; members: Record<string, Uint8Array> } {
  const corrupt = (what: string) => new CorruptCheckpointError(`'${path}': ${what}`);
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        // Members are stored, so no honest member unpacks to more than the file holds.
        if (f.originalSize > bytes.length) throw corrupt(`member '${f.name}' declares ${f.originalSize} bytes in a ${bytes.length}-byte file`);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof CorruptCheckpointError) throw e;
    throw corrupt(`is not a readable checkpoint archive (${(e as Error)?.message ?? e}); the file is truncated or damaged`);
  }
  const manifestBytes = files['manifest.json'];
  if (!manifestBytes) throw corrupt('has no manifest.json');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(strFromU8(manifestBytes)) as Manifest;
  } catch (e) {
    throw corrupt(`manifest.json is not valid JSON (${(e as Error).message})`);
  }
  if (manifest?.format !== 'kiln-checkpoint' || typeof manifest.members !== 'object' || manifest.members === null) {
    throw corrupt(`manifest.json does not describe a kiln checkpoint (format ${JSON.stringify(manifest?.format)})`);
  }
  if (manifest.kind !== kind) throw corrupt(`holds a '${manifest.kind}', expected a '${kind}'`);
  if (!(manifest.format_version <= CONTAINER_FORMAT_VERSION)) {
    throw corrupt(`was written in format version ${manifest.format_version}; this kiln reads up to ${CONTAINER_FORMAT_VERSION} (upgrade kiln)`);
  }
  const members: Record<string, Uint8Array> = {};
  for (const [name, { size, sha256 }] of Object.entries(manifest.members)) {
    const b = files[name];
    if (!b) throw corrupt(`member '${name}' listed in manifest.json is missing`);
    if (b.length !== size) throw corrupt(`member '${name}' has ${b.length} bytes, the manifest says ${size}`);
    const found = sha256Hex(b);
    if (found !== sha256) throw corrupt(`member '${name}' fails its checksum (sha256 ${found.slice(0, 12)}…, the manifest says ${String(sha256).slice(0, 12)}…)`);
    members[name] = b;
  }
  return { manifest, members };
}
