#!/usr/bin/env node
// Runs every compiled test file under dist/test with Node's built-in test runner.
// (Node 20's `node --test` takes no globs, so the file list is gathered here.)
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(collect(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

// The whole suite runs once per backend (the issue: it must pass on either). KILN_BACKEND pins one.
const backends = process.env.KILN_BACKEND ? [process.env.KILN_BACKEND] : ['wasm', 'reference'];
const filter = process.argv.slice(2);
let files = collect('dist/test').sort();
if (filter.length) files = files.filter((f) => filter.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error('run-tests: no test files found under dist/test (did the build run?)');
  process.exit(1);
}
let failed = 0;
for (const backend of backends) {
  console.log(`\n# ── test suite on the '${backend}' backend ──`);
  const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], {
    stdio: 'inherit',
    env: { ...process.env, KILN_BACKEND: backend },
  });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
