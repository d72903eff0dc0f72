#!/usr/bin/env node
// Prints the folder-level import graph of src/ (one line per folder: what it imports), and every
// pair of folders that import each other. The layering rule itself lives in .dependency-cruiser.cjs;
// this is the picture of it, for reviews and issue notes: `node scripts/folder-graph.mjs [rootDir]`.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = resolve(fileURLToPath(import.meta.url), '../..');
const root = resolve(process.argv[2] ?? here);
const depcruise = join(here, 'node_modules', '.bin', 'depcruise');
// No config: the raw graph (type-only imports included), so it also works on trees without one.
const r = spawnSync(depcruise, ['src', '--no-config', '--ts-pre-compilation-deps', '--output-type', 'json'], {
  cwd: root,
  encoding: 'utf8',
  maxBuffer: 256 * 1024 * 1024,
});
if (r.status !== 0) {
  process.stderr.write(r.stderr);
  process.exit(r.status ?? 1);
}
const folderOf = (path) => {
  const m = /^src\/([^/]+)/.exec(path);
  return m ? m[1] : null;
};
const edges = new Map();
for (const mod of JSON.parse(r.stdout).modules) {
  const from = folderOf(mod.source);
  if (!from) continue;
  if (!edges.has(from)) edges.set(from, new Set());
  for (const dep of mod.dependencies) {
    const to = folderOf(dep.resolved);
    if (to && to !== from) edges.get(from).add(to);
  }
}
const folders = [...edges.keys()].sort();
for (const f of folders) console.log(`${f.padEnd(14)} → ${[...edges.get(f)].sort().join(', ') || '(nothing)'}`);
const mutual = [];
for (const a of folders) for (const b of edges.get(a)) if (a < b && edges.get(b)?.has(a)) mutual.push(`${a} ↔ ${b}`);
console.log(mutual.length ? `\nfolders that import each other: ${mutual.join('; ')}` : '\nno two folders import each other');
