import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * `npm test` runs the dependency check (`npm run check:deps`: dependency-cruiser with the layers in
 * .dependency-cruiser.cjs) on the real tree before the suite. This test shows the check can fail:
 * on a copy of src/ with one planted import of each forbidden kind it must exit non-zero and name
 * the rule and the import; on the untouched copy it must pass.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const DEPCRUISE = join(root, 'node_modules', '.bin', 'depcruise');

function copyOfTree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-deps-'));
  cpSync(join(root, 'src'), join(dir, 'src'), { recursive: true });
  for (const f of ['tsconfig.json', '.dependency-cruiser.cjs', 'package.json']) cpSync(join(root, f), join(dir, f));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

function check(dir: string): { status: number | null; out: string } {
  const r = spawnSync(DEPCRUISE, ['src', '--config', '.dependency-cruiser.cjs'], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const PLANTED: { file: string; source: string; rule: RegExp; extra?: { file: string; source: string } }[] = [
  { file: 'src/core/planted.ts', source: "import type { Layer } from '../layers/layer.js';\nexport type X = Layer;\n", rule: /core-imports-only-lower-layers: src\/core\/planted\.ts → src\/layers\/layer\.ts/ },
  { file: 'src/io/planted.ts', source: "import { BackupAndRestore } from '../checkpoint/backup_and_restore.js';\nexport const X = BackupAndRestore;\n", rule: /io-imports-only-lower-layers: src\/io\/planted\.ts → src\/checkpoint\/backup_and_restore\.ts/ },
  { file: 'src/losses/planted.ts', source: "import { Mean } from '../metrics/index.js';\nexport const X = Mean;\n", rule: /losses-imports-only-lower-layers: src\/losses\/planted\.ts → src\/metrics\/index\.ts/ },
  { file: 'src/checkpoint/planted.ts', source: "import { readFileSync } from 'node:fs';\nexport const X = readFileSync;\n", rule: /checkpoint-fs-calls-go-through-checkpoint_fs: src\/checkpoint\/planted\.ts → (node:)?fs/ },
  { file: 'src/newfolder/planted.ts', source: "import { ValueError } from '../errors.js';\nexport const X = ValueError;\n", rule: /every-source-folder-has-a-layer: src\/newfolder\/planted\.ts/ },
  { file: 'src/utils/planted.ts', source: "import { X } from '../newfolder/leaf.js';\nexport const Y = X;\n", extra: { file: 'src/newfolder/leaf.ts', source: 'export const X = 1;\n' }, rule: /nothing-imports-an-unplaced-folder: src\/utils\/planted\.ts → src\/newfolder\/leaf\.ts/ },
];

test('the dependency check passes on the tree and fails on each planted forbidden import, naming it', { timeout: 120_000 }, () => {
  const dir = copyOfTree();
  try {
    const clean = check(dir);
    assert.equal(clean.status, 0, clean.out);
    assert.match(clean.out, /no dependency violations found/);
    for (const p of PLANTED) {
      mkdirSync(dirname(join(dir, p.file)), { recursive: true });
      writeFileSync(join(dir, p.file), p.source);
      if (p.extra) {
        mkdirSync(dirname(join(dir, p.extra.file)), { recursive: true });
        writeFileSync(join(dir, p.extra.file), p.extra.source);
      }
      const r = check(dir);
      assert.notEqual(r.status, 0, `${p.file}: the check should fail\n${r.out}`);
      assert.match(r.out, p.rule, p.file);
      rmSync(join(dir, p.file));
      if (p.extra) rmSync(join(dir, p.extra.file));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
