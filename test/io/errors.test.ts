import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import * as kiln from '../../src/index.js';
import { ModelFileError, loadModel } from '../../src/io/index.js';
import { ZIP_LIMITS } from '../../src/io/keras/keras_zip.js';
import { tempDir } from './helpers.js';

const { ShapeError, UnknownNameError, ValueError } = kiln.errors;

function small(units = 3, extra = false): kiln.Sequential {
  kiln.setSeed(1);
  return kiln.sequential([
    kiln.layers.input({ shape: [4] }),
    kiln.layers.dense({ units, activation: 'relu' }),
    ...(extra ? [kiln.layers.dense({ units: 2 })] : []),
  ]);
}

/** Asserts `p` rejects with `cls` and a message naming `file` and matching `pattern`. */
async function rejects(p: Promise<unknown>, cls: new (...a: never[]) => Error, file: string, pattern: RegExp) {
  await assert.rejects(p, (e: Error) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${e.constructor.name}: ${e.message}`);
    assert.ok(e.message.includes(file), `message should name ${file}: ${e.message}`);
    assert.match(e.message, pattern);
    return true;
  });
}

/** Rewrites members of a .keras archive. */
function editArchive(src: string, dst: string, edit: (files: Record<string, Uint8Array>) => void) {
  const files = unzipSync(new Uint8Array(readFileSync(src)));
  edit(files);
  writeFileSync(dst, zipSync(files));
}

test('missing, empty, foreign and truncated files give a ModelFileError naming the file', async () => {
  const t = tempDir();
  try {
    await rejects(loadModel(t.path('nope.keras')), ModelFileError, 'nope.keras', /no such file/);
    writeFileSync(t.path('empty.h5'), '');
    await rejects(loadModel(t.path('empty.h5')), ModelFileError, 'empty.h5', /empty/);
    writeFileSync(t.path('text.h5'), 'just some text, not a model');
    await rejects(loadModel(t.path('text.h5')), ModelFileError, 'text.h5', /neither/);
    writeFileSync(t.path('web.json'), '{}');
    await rejects(loadModel(t.path('web.json')), ModelFileError, 'web.json', /no modelTopology/);
    await small().save(t.path('m.h5'));
    await small().save(t.path('m.keras'));
    for (const name of ['m.h5', 'm.keras']) {
      const bytes = readFileSync(t.path(name));
      for (const keep of [0.3, 0.9]) {
        writeFileSync(t.path(`cut.${name}`), bytes.subarray(0, Math.floor(bytes.length * keep)));
        await rejects(loadModel(t.path(`cut.${name}`)), ModelFileError, `cut.${name}`, /./);
      }
    }
  } finally {
    t.cleanup();
  }
});

test('.keras: no config.json, bad JSON, and zip-bomb limits are refused', async () => {
  const t = tempDir();
  try {
    await small().save(t.path('m.keras'));
    editArchive(t.path('m.keras'), t.path('noconfig.keras'), (f) => delete f['config.json']);
    await rejects(loadModel(t.path('noconfig.keras')), ModelFileError, 'noconfig.keras', /no config\.json/);
    editArchive(t.path('m.keras'), t.path('badjson.keras'), (f) => (f['config.json'] = strToU8('{"class_name": ')));
    await rejects(loadModel(t.path('badjson.keras')), ModelFileError, 'badjson.keras', /not valid JSON/);
    editArchive(t.path('m.keras'), t.path('noweights.keras'), (f) => delete f['model.weights.h5']);
    await rejects(loadModel(t.path('noweights.keras')), ModelFileError, 'noweights.keras', /no model\.weights\.h5/);
    // A config that inflates far beyond its compressed size: refused from the sizes in the zip directory.
    const bomb = strToU8(' '.repeat(200_000) + '{}');
    writeFileSync(t.path('bomb.keras'), zipSync({ 'config.json': [bomb, { level: 9 }] }));
    const saved = { ...ZIP_LIMITS };
    try {
      ZIP_LIMITS.jsonBytes = 100_000;
      await rejects(loadModel(t.path('bomb.keras')), ModelFileError, 'bomb.keras', /zip bomb/);
      ZIP_LIMITS.jsonBytes = saved.jsonBytes;
      ZIP_LIMITS.totalBytes = 1000;
      await rejects(loadModel(t.path('m.keras')), ModelFileError, 'm.keras', /zip bomb/);
    } finally {
      Object.assign(ZIP_LIMITS, saved);
    }
  } finally {
    t.cleanup();
  }
});

test('unknown layer classes are refused with UnknownNameError suggesting kiln.registerClass', async () => {
  const t = tempDir();
  try {
    await small().save(t.path('m.keras'));
    editArchive(t.path('m.keras'), t.path('alien.keras'), (f) => {
      f['config.json'] = strToU8(new TextDecoder().decode(f['config.json']).replace('"class_name": "Dense"', '"class_name": "AlienLayer"').replace('"class_name":"Dense"', '"class_name":"AlienLayer"'));
    });
    await rejects(loadModel(t.path('alien.keras')), UnknownNameError, 'alien.keras', /AlienLayer.*registerClass/s);
  } finally {
    t.cleanup();
  }
});

test('weights that disagree with the model: shape, missing, extra — in both formats', async () => {
  const t = tempDir();
  try {
    for (const ext of ['keras', 'h5']) {
      await small(3).save(t.path(`three.${ext}`));
      await small(3, true).save(t.path(`two_layers.${ext}`));
      await small(5).save(t.path(`five.${ext}`));
    }
    // Config says 3 units, weights are for 5: the .keras config and weights file disagree.
    const five = unzipSync(new Uint8Array(readFileSync(t.path('five.keras'))));
    editArchive(t.path('three.keras'), t.path('shape.keras'), (f) => (f['model.weights.h5'] = five['model.weights.h5']!));
    await rejects(loadModel(t.path('shape.keras')), ShapeError, 'shape.keras', /kernel.*\[4, ?3\].*\[4, ?5\]/);
    const two = unzipSync(new Uint8Array(readFileSync(t.path('two_layers.keras'))));
    editArchive(t.path('three.keras'), t.path('extra.keras'), (f) => (f['model.weights.h5'] = two['model.weights.h5']!));
    await rejects(loadModel(t.path('extra.keras')), ModelFileError, 'extra.keras', /extra weights/);
    const three = unzipSync(new Uint8Array(readFileSync(t.path('three.keras'))));
    editArchive(t.path('two_layers.keras'), t.path('missing.keras'), (f) => (f['model.weights.h5'] = three['model.weights.h5']!));
    await rejects(loadModel(t.path('missing.keras')), ModelFileError, 'missing.keras', /missing weights/);
    // Weights-only loads into a model of another shape.
    await rejects(small(5).loadWeights(t.path('three.h5')), ShapeError, 'three.h5', /kernel/);
    await rejects(small(3, true).loadWeights(t.path('three.h5')), ModelFileError, 'three.h5', /missing weights/);
    await rejects(small(3).loadWeights(t.path('two_layers.h5')), ModelFileError, 'two_layers.h5', /extra weights/);
    // A failed load changes nothing.
    const m = small(3, true);
    const before = m.getWeights().map((w) => Array.from(w.dataSync()));
    await assert.rejects(m.loadWeights(t.path('three.h5')));
    assert.deepEqual(m.getWeights().map((w) => Array.from(w.dataSync())), before);
  } finally {
    t.cleanup();
  }
});

class Unregistered extends kiln.layers.Layer {
  static override readonly className = 'UnregisteredScale';
  call(x: kiln.Tensor) {
    return x;
  }
}

/** Registered, but its weights cannot be read at save time: the save fails midway through writing. */
class Brittle extends kiln.layers.Layer {
  static override readonly className = 'BrittleLayer';
  static failing = false;
  override build(shape: (number | null)[]) {
    this.addWeight('w', [shape.at(-1)!], 'ones');
    super.build(shape);
  }
  call(x: kiln.Tensor) {
    return kiln.mul(x, this.weights[0]!);
  }
  override get weights(): kiln.Variable[] {
    if (Brittle.failing) throw new Error('disk full (simulated)');
    return super.weights;
  }
  static override fromConfig(config: Record<string, unknown>) {
    return new Brittle(config);
  }
}
kiln.registerClass(Brittle);

test('a failed save leaves neither the target nor a temporary file (and keeps an existing target)', async () => {
  const t = tempDir();
  try {
    const bad = kiln.sequential([kiln.layers.input({ shape: [2] }), new Unregistered()]);
    await rejects(bad.save(t.path('u.keras')), ValueError, 'u.keras', /registerClass/);
    assert.deepEqual(readdirSync(t.dir), []);
    await rejects(small().save(t.path('m.txt')), ValueError, 'm.txt', /\.keras.*\.h5/);
    const brittle = kiln.sequential([kiln.layers.input({ shape: [2] }), new Brittle({})]);
    writeFileSync(t.path('old.h5'), 'previous contents');
    Brittle.failing = true;
    try {
      for (const name of ['b.keras', 'b.h5', 'old.h5']) {
        await rejects(brittle.save(t.path(name)), ModelFileError, name, /disk full/);
      }
    } finally {
      Brittle.failing = false;
    }
    assert.deepEqual(readdirSync(t.dir), ['old.h5']);
    assert.equal(readFileSync(t.path('old.h5'), 'utf8'), 'previous contents');
  } finally {
    t.cleanup();
  }
});
