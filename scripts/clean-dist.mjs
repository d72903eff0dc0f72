#!/usr/bin/env node
// Removes tsc's previous output before a build (the wasm build in dist/wasm stays). tsc never
// deletes the output of a moved or deleted source file, and a stale compiled test would still be
// collected and run by scripts/run-tests.mjs.
import { rmSync } from 'node:fs';

for (const dir of ['dist/src', 'dist/test', 'dist/examples', 'dist/bench']) rmSync(dir, { recursive: true, force: true });
