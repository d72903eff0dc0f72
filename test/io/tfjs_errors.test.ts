import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as kiln from '../../src/index.js';
import { ModelFileError, loadModel } from '../../src/io/index.js';
import { tempDir } from './helpers.js';

/** Saves a small model.json, lets `edit` change the parsed JSON (or return false: files only; {raw}: new text), and expects a ModelFileError matching `pattern`. */
async function expectBroken(edit: (mj: Record<string, any>, path: (n: string) => string) => unknown, pattern: RegExp): Promise<void> {
  const t = tempDir();
  try {
    const m = kiln.sequential([kiln.layers.input({ shape: [3] }), kiln.layers.dense({ units: 2 }), kiln.layers.batchNormalization()]);
    await m.save(t.path('model.json'));
    const mj = JSON.parse(readFileSync(t.path('model.json'), 'utf8'));
    const replaced = edit(mj, t.path);
    if (replaced !== false) writeFileSync(t.path('model.json'), (replaced as { raw?: string })?.raw ?? JSON.stringify(mj));
    await assert.rejects(loadModel(t.path('model.json')), (e: Error) => {
      assert.ok(e instanceof ModelFileError, `expected ModelFileError, got ${e.constructor.name}: ${e.message}`);
      assert.ok(e.message.includes(t.path('model.json')), `names the file: ${e.message}`);
      assert.match(e.message, pattern);
      return true;
    });
  } finally {
    t.cleanup();
  }
}

test('a missing shard names the shard', () => expectBroken((_, p) => (rmSync(p('group1-shard1of1.bin')), false), /missing weight shard 'group1-shard1of1\.bin'/));

test('a shard whose size disagrees with the manifest is refused before reading', () =>
  expectBroken((_, p) => (writeFileSync(p('group1-shard1of1.bin'), new Uint8Array(12)), false), /hold 12 bytes.*need 64 bytes/));

test('an absurd shape cannot allocate: it disagrees with the shard size', () =>
  expectBroken((mj) => (mj.weightsManifest[0].weights[0].shape = [1e9, 1e9]), /need .* bytes/));

test('an unknown dtype is named', () => expectBroken((mj) => (mj.weightsManifest[0].weights[0].dtype = 'complex64'), /unknown dtype 'complex64'/));

test('bad JSON, a missing modelTopology and a graph model are named', async () => {
  await expectBroken(() => ({ raw: '{"format": "layers-model", ' }), /not valid JSON/);
  await expectBroken((mj) => delete mj.modelTopology, /no modelTopology/);
  await expectBroken((mj) => (mj.format = 'graph-model'), /graph model/);
  await expectBroken((mj) => delete mj.weightsManifest, /no weightsManifest/);
});

test('shard paths may not leave the model directory', () => expectBroken((mj) => (mj.weightsManifest[0].paths = ['../../etc/passwd']), /leaves the model's directory/));

test('missing and extra weights are named', async () => {
  await expectBroken((mj) => (mj.weightsManifest[0].weights[1].name = 'dense/typo'), /missing weights.*dense(_\d+)?\/bias/);
  await expectBroken((mj) => (mj.modelTopology.config.layers.pop()), /extra weights.*batch_normalization(_\d+)?\/gamma/);
});
