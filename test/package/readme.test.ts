import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/*
 * The README's examples are tested by running them (issue 9, defect 7). Every ```ts / ```js block
 * (also the ones indented inside a list) is type-checked against the package's published types
 * and then run with Node, as a user's program in a fresh project that installed kiln, so a stale
 * example fails here. A block that does not import kiln continues the block before it (the
 * README's checkpoint example goes on with the tour's `model`, `x` and `y`). ```sh blocks and
 * untagged output blocks are not run.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const README = join(root, 'README.md');

interface Block {
  line: number;
  code: string;
}

function codeBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(ts|typescript|js|javascript)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++) body.push(lines[j]!.slice(Math.min(indent, lines[j]!.search(/\S|$/))));
    assert.ok(j < lines.length, `README.md:${i + 1}: code block is never closed`);
    blocks.push({ line: i + 1, code: body.join('\n') });
    i = j;
  }
  return blocks;
}

/** Programs to run: each block that imports kiln starts one; a block that does not continues it. */
function programs(blocks: Block[]): Block[] {
  const out: Block[] = [];
  for (const b of blocks) {
    const starts = /from 'kiln'/.test(b.code);
    if (starts || out.length === 0) out.push({ line: b.line, code: starts ? b.code : `import * as kiln from 'kiln';\n${b.code}` });
    else out[out.length - 1]!.code += `\n// README.md:${b.line}\n${b.code}`;
  }
  return out;
}

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-readme-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'kiln'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'readme-examples', type: 'module', private: true }));
  return dir;
}

const blocks = codeBlocks(readFileSync(README, 'utf8'));

test('README.md has code examples to test', () => {
  assert.ok(blocks.length >= 2, `found ${blocks.length} ts/js blocks`);
});

test('every README code block type-checks against the package types', () => {
  const dir = project();
  try {
    const files = programs(blocks).map((p, i) => {
      const file = join(dir, `example_${i}.ts`);
      writeFileSync(file, `${p.code}\nexport {};\n`);
      return { file, line: p.line };
    });
    const program = ts.createProgram(files.map((f) => f.file), {
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [join(root, 'node_modules', '@types')],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = files.find((f) => f.file === d.file?.fileName);
      const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
      return `example from README.md:${where?.line ?? '?'} (its line ${at}): ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    assert.deepEqual(problems, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const p of programs(blocks)) {
  test(`the README example at line ${p.line} runs`, { timeout: 240_000 }, () => {
    const dir = project();
    try {
      const js = ts.transpileModule(p.code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
      writeFileSync(join(dir, 'example.mjs'), js);
      const r = spawnSync(process.execPath, ['example.mjs'], { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 0, `README.md:${p.line} exited with ${r.status}\n${r.stderr.slice(-3000)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
