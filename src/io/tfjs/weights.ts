import type { Layer } from '../../layers/layer.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import type { Variable } from '../../core/tensor.js';
import { formatShape } from '../../core/shape.js';
import type { Model } from '../../models/model.js';
import { ModelFileError } from '../errors.js';
import type { H5Array } from '../h5/h5file.js';
import { checkShape, kerasWeightOrder } from '../keras/weights.js';

/**
 * tfjs weight manifests and binary shards (tfjs-core/src/io/types.ts `WeightsManifestConfig`):
 * each group lists shard `paths` and `weights` ({name, shape, dtype}); a group's weights are raw
 * little-endian arrays concatenated in manifest order across its shards, split at any byte.
 */

/** One weight of a manifest group. `group: 'optimizer'` marks optimizer state. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  group?: string;
  quantization?: unknown;
}
export interface ManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

/** tfjs's default shard size (tfjs-core/src/io/io_utils.ts: 4 MB). */
export const SHARD_BYTES = 4 * 1024 * 1024;
const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/**
 * The model's weights as one manifest group's specs and bytes, in kiln's Keras order (layer by
 * layer, trainable first); names are the variables' paths (`dense/kernel`), which tfjs matches
 * against its own `layerName/weightName`.
 */
export function encodeModelWeights(model: Model): { specs: WeightSpec[]; data: Uint8Array } {
  const named = model.layers.flatMap((l) => kerasWeightOrder(l).map((v) => ({ v, name: tfjsWeightName(l, v) })));
  const vars: Variable[] = named.map((n) => n.v);
  const specs = named.map(({ v, name }) => ({ name, shape: [...v.shape], dtype: v.dtype }));
  const chunks = vars.map((v) => {
    const d = v.dataSync();
    const typed = v.dtype === 'int32' ? Int32Array.from(d as Int32Array) : Float32Array.from(d as Float32Array);
    return new Uint8Array(typed.buffer);
  });
  const data = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) data.set(c, (at += c.length) - c.length);
  return { specs, data };
}

/** Splits bytes into `group1-shard{i}of{n}.bin` shards of at most `SHARD_BYTES` (at least one). */
export function shardBytes(data: Uint8Array, shardBytes = SHARD_BYTES): { name: string; bytes: Uint8Array }[] {
  const n = Math.max(1, Math.ceil(data.length / shardBytes));
  return Array.from({ length: n }, (_, i) => ({
    name: `group1-shard${i + 1}of${n}.bin`,
    bytes: data.subarray(i * shardBytes, Math.min(data.length, (i + 1) * shardBytes)),
  }));
}

function validSpec(w: unknown, where: string): WeightSpec {
  const s = w as WeightSpec;
  if (!s || typeof s.name !== 'string' || !Array.isArray(s.shape) || !s.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new ModelFileError(`${where}: a weight entry is not {name, shape, dtype}: ${JSON.stringify(w)?.slice(0, 120)}`);
  }
  if (s.quantization) throw new ModelFileError(`${where}: weight '${s.name}' is quantized; quantized tfjs weights are not supported`);
  if (!(s.dtype in BYTES)) {
    throw new ModelFileError(`${where}: weight '${s.name}' has unknown dtype '${String(s.dtype)}' (expected float32, int32 or bool)`);
  }
  return s;
}

/** A shard path inside the model's directory: relative, no `..` (a file never reads elsewhere). */
function shardPath(modelJson: string, p: unknown): string {
  if (typeof p !== 'string' || p.length === 0 || isAbsolute(p)) throw new ModelFileError(`weightsManifest: bad shard path ${JSON.stringify(p)}`);
  const rel = normalize(p);
  if (rel.startsWith('..') || rel.split(sep).includes('..')) throw new ModelFileError(`weightsManifest: shard path '${p}' leaves the model's directory`);
  return join(dirname(modelJson), rel);
}

/**
 * Reads every group's shards and returns each weight's values by name, checking first that the
 * shards exist and that their total size is exactly what the specs describe (before reading data).
 */
export function readManifest(modelJson: string, manifest: unknown): { spec: WeightSpec; value: H5Array }[] {
  if (!Array.isArray(manifest)) throw new ModelFileError(`weightsManifest must be a list of {paths, weights}, found ${JSON.stringify(manifest)?.slice(0, 80)}`);
  const out: { spec: WeightSpec; value: H5Array }[] = [];
  manifest.forEach((g: ManifestGroup, gi) => {
    const where = `weightsManifest group ${gi + 1}`;
    if (!g || !Array.isArray(g.paths) || !Array.isArray(g.weights)) throw new ModelFileError(`${where} is not {paths, weights}`);
    const specs = g.weights.map((w) => validSpec(w, where));
    const files = g.paths.map((p) => shardPath(modelJson, p));
    for (const [i, f] of files.entries()) {
      if (!existsSync(f) || !statSync(f).isFile()) throw new ModelFileError(`missing weight shard '${g.paths[i]}' (expected at '${f}')`);
    }
    const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * BYTES[s.dtype]!, 0);
    const found = files.reduce((n, f) => n + statSync(f).size, 0);
    if (found !== expected) {
      throw new ModelFileError(
        `${where}: the shards (${g.paths.join(', ')}) hold ${found} bytes, the manifest's weights need ${expected} bytes`,
      );
    }
    const bytes = new Uint8Array(expected);
    let at = 0;
    for (const f of files) {
      const b = readFileSync(f);
      bytes.set(b, at);
      at += b.length;
    }
    at = 0;
    for (const spec of specs) {
      const count = spec.shape.reduce((a, b) => a * b, 1);
      const size = count * BYTES[spec.dtype]!;
      const slice = bytes.slice(at, at + size).buffer;
      at += size;
      const values = spec.dtype === 'int32' ? new Int32Array(slice) : spec.dtype === 'bool' ? Float32Array.from(new Uint8Array(slice)) : new Float32Array(slice);
      out.push({ spec, value: { shape: spec.shape, dtype: spec.dtype === 'int32' ? 'int32' : 'float32', values } as H5Array });
    }
  });
  return out;
}

/**
 * Pairs each model variable with its stored value by name (`layer/weight`); a converter-style
 * prefix (`sequential/dense/kernel`) is accepted when the match is unique. Refuses missing and
 * extra weights and wrong shapes before anything is assigned.
 */
export function matchWeights(model: Model, stored: { spec: WeightSpec; value: H5Array }[]): { variable: Variable; value: H5Array }[] {
  const byName = new Map(stored.map((s) => [s.spec.name, s]));
  const used = new Set<string>();
  const pending = model.layers.flatMap((layer) =>
    kerasWeightOrder(layer).map((variable) => {
      const name = tfjsWeightName(layer, variable);
      let hit = byName.get(name);
      if (!hit) {
        const cands = stored.filter((s) => s.spec.name.endsWith(`/${name}`));
        if (cands.length === 1) hit = cands[0];
      }
      if (!hit) {
        throw new ModelFileError(`missing weights: layer '${layer.name}' needs '${name}' ${formatShape(variable.shape)}, which the weightsManifest does not list`);
      }
      used.add(hit.spec.name);
      checkShape(`layer '${layer.name}'`, variable, hit.value.shape, hit.spec.name);
      return { variable, value: hit.value };
    }),
  );
  const extra = stored.filter((s) => !used.has(s.spec.name)).map((s) => s.spec.name);
  if (extra.length > 0) throw new ModelFileError(`extra weights: the weightsManifest lists ${extra.join(', ')}, which no layer of the model has`);
  return pending;
}

/**
 * A variable's name in a tfjs weights manifest. Plain layers: the variable's path (`dense/kernel`).
 * Layers made of sublayers differ from Keras 3's paths: tfjs names a recurrent layer's weights
 * without the cell (`lstm/kernel`, not `lstm/lstm_cell/kernel`), a Bidirectional's under the
 * wrapper and the direction (`bidirectional/forward_lstm/kernel`), a TimeDistributed's under the
 * wrapper alone (`time_distributed/kernel`).
 */
export function tfjsWeightName(layer: Layer, v: Variable): string {
  if (!('kerasWeightGroups' in layer)) return v.name;
  const name = v.name.replace(/\/(simple_rnn|lstm|gru)_cell\//, '/');
  if (name.startsWith(`${layer.name}/`)) return name;
  if (/^(forward|backward)_/.test(name)) return `${layer.name}/${name}`;
  return `${layer.name}/${name.slice(name.lastIndexOf('/') + 1)}`;
}
