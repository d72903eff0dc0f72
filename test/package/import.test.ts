import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// `import * as kiln from 'kiln'` must work from the package directory (self-reference through
// package.json "exports") and from a project that installed it (node_modules/kiln, as
// `npm install ../kiln` makes it: a link to the package folder).
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const program = `
import * as kiln from 'kiln';
kiln.setSeed(1);
const m = kiln.sequential([kiln.layers.dense({ units: 2, activation: 'softmax', inputShape: [3] })]);
m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
await m.fit(kiln.randomNormal([8, 3]), kiln.randomInt([8], 0, 2), { epochs: 1, verbose: 0 });
console.log(JSON.stringify(m.predict(kiln.zeros([1, 3])).shape));
`;

function run(cwd: string) {
  return spawnSync(process.execPath, ['--input-type=module', '-e', program], { cwd, encoding: 'utf8' });
}

test("import * as kiln from 'kiln' works inside the package directory", () => {
  const r = run(root);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '[1,2]');
});

test("import * as kiln from 'kiln' works from a project that installed it", () => {
  const project = mkdtempSync(join(tmpdir(), 'kiln-user-'));
  try {
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(root, join(project, 'node_modules', 'kiln'), 'dir');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', type: 'module', private: true }));
    const r = run(project);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '[1,2]');
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
});
