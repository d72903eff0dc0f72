import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as kiln from '../../src/index.js';
import { ModelFileError, loadModel, loadWeights } from '../../src/io/index.js';
import { exportOnnx } from '../../src/io/onnx/index.js';
import { tempDir } from './helpers.js';

/**
 * Defect 6 (issue 9): `model.save('web/model.json')` failed when `web/` did not exist. Every writer
 * creates missing parent directories (as tfjs's file handler does), keeping the atomic
 * temp-and-rename write; a file in the way is a ModelFileError naming the path, with no temp file left.
 */

function model(): kiln.Sequential {
  kiln.setSeed(3);
  const m = kiln.sequential([kiln.layers.input({ shape: [3] }), new kiln.layers.Dense({ units: 2, activation: 'relu' })]);
  m.compile({ optimizer: 'adam', loss: 'mse' });
  return m;
}

/** Every file under `dir`, relative, recursively. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name).slice(dir.length + 1))
    .sort();
}

const WRITERS: { name: string; file: string; write: (m: kiln.Sequential, path: string) => Promise<void>; read?: (m: kiln.Sequential, path: string) => Promise<kiln.Model> }[] = [
  { name: '.keras', file: 'm.keras', write: (m, p) => m.save(p), read: (_m, p) => loadModel(p) },
  { name: '.h5', file: 'm.h5', write: (m, p) => m.save(p), read: (_m, p) => loadModel(p) },
  { name: '.hdf5', file: 'm.hdf5', write: (m, p) => m.save(p), read: (_m, p) => loadModel(p) },
  { name: 'tfjs model.json', file: 'model.json', write: (m, p) => m.save(p), read: (_m, p) => loadModel(p) },
  { name: 'ONNX', file: 'm.onnx', write: (m, p) => exportOnnx(m, p) },
  {
    name: '.weights.h5',
    file: 'm.weights.h5',
    write: (m, p) => m.saveWeights(p),
    read: async (m, p) => {
      const copy = model();
      copy.predict(kiln.zeros([1, 3]));
      await loadWeights(copy, p);
      return copy;
    },
  },
];

for (const w of WRITERS) {
  test(`${w.name}: saving into missing nested directories creates them; the file loads; no temporary file is left`, async () => {
    const t = tempDir();
    try {
      const m = model();
      const x = kiln.randomNormal([2, 3]);
      const target = join(t.dir, 'web', 'a', 'b', w.file);
      await w.write(m, target);
      assert.ok(existsSync(target));
      const written = files(t.dir);
      assert.ok(written.every((f) => f.startsWith(join('web', 'a', 'b') + '/') && !f.slice(6).startsWith('.') && !/\.tmp$/.test(f)), written.join(', '));
      if (w.file === 'model.json') assert.deepEqual(written, [join('web', 'a', 'b', 'group1-shard1of1.bin'), join('web', 'a', 'b', 'model.json')]);
      else assert.deepEqual(written, [join('web', 'a', 'b', w.file)]);
      if (w.read) assert.deepEqual((await w.read(m, target)).predict(x).arraySync(), m.predict(x).arraySync());
      await w.write(m, target); // into the now existing directory: replaces the file
      assert.equal(files(t.dir).length, written.length);
    } finally {
      t.cleanup();
    }
  });

  test(`${w.name}: a file where a directory should be is a ModelFileError naming the path; nothing is left behind`, async () => {
    const t = tempDir();
    try {
      const blocker = t.path('blocker');
      writeFileSync(blocker, 'not a directory');
      for (const target of [join(blocker, w.file), join(blocker, 'sub', 'dir', w.file)]) {
        await assert.rejects(w.write(model(), target), (e: Error) => {
          assert.ok(e instanceof ModelFileError, `${e.name}: ${e.message}`);
          assert.ok(e.message.startsWith(`'${target}'`), e.message);
          assert.match(e.message, new RegExp(`'${blocker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}' is a file, not a directory`));
          return true;
        });
        assert.deepEqual(files(t.dir), ['blocker']);
      }
    } finally {
      t.cleanup();
    }
  });
}
