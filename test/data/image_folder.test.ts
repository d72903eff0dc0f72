import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as kiln from '../../src/index.js';
import { tempDir } from '../helpers/temp_dir.js';
import { flat, makeImageTree, writeJpeg, writePng } from './image_files.js';

const t = tempDir('kiln-image-folder-');
process.on('exit', () => t.cleanup());

// Three classes, created out of name order; image j of class k is a flat gray 4×4 of value 10k + j,
// so a pixel tells which file a batch row came from.
const tree = t.path('animals');
makeImageTree(tree, { zebra: 3, ant: 4, mole: 5 }, (k, j) => 10 * k + j);
// Ignored, as in Keras: a file outside the class folders, a non-image, a hidden file.
writeFileSync(join(tree, 'README.txt'), 'not a class');
writeFileSync(join(tree, 'ant', 'notes.txt'), 'not an image');
writeFileSync(join(tree, 'ant', '.hidden.png'), 'hidden');
// Nested folders inside a class count, and .jpg/.JPEG are images too.
writeJpeg(join(tree, 'mole', 'deep', 'x.JPEG'), 4, 4, flat(4, 4, 44));

const quiet = { verbose: false } as const;
/** The value each file was written with (zebra was class 0 when written, ant 1, mole 2). */
const written: Record<string, number> = { zebra: 0, ant: 1, mole: 2 };
function fileValue(path: string): number {
  if (basename(path) === 'x.JPEG') return 44;
  const cls = basename(dirname(path));
  return 10 * written[cls]! + Number(basename(path).slice(4, 7));
}
/** The first pixel of every row of a batch: which file each row is. */
function rowValues(x: kiln.Tensor): number[] {
  const per = x.size / x.shape[0]!;
  const v = x.dataSync();
  return Array.from({ length: x.shape[0]! }, (_, i) => Math.round(v[i * per]!));
}
function allRows(ds: kiln.data.ImageFolderDataset, pass: number): number[] {
  return [...ds.batches(pass)].flatMap((b) => rowValues(b.x as kiln.Tensor));
}

test('class names are the sorted sub-folders; files are listed class by class, nested ones included', () => {
  const ds = kiln.data.imageFolder(tree, { imageSize: [4, 4], shuffle: false, ...quiet });
  assert.deepEqual(ds.classNames, ['ant', 'mole', 'zebra']);
  assert.equal(ds.sampleCount, 13);
  assert.equal(ds.batchCount, 1);
  assert.deepEqual(Array.from(ds.labels), [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2]);
  assert.ok(ds.filePaths.some((p) => p.endsWith(join('mole', 'deep', 'x.JPEG'))));
  ds.filePaths.forEach((p, i) => assert.equal(basename(dirname(p.replace(/deep[\\/]/, ''))), ds.classNames[ds.labels[i]!]));
});

test("labels per labelMode: 'int' int32 [b], 'categorical' one-hot [b, k], 'binary' [b, 1], null none", () => {
  const batch = (labelMode: kiln.data.LabelMode) =>
    kiln.data.imageFolder(tree, { imageSize: [2, 2], shuffle: false, labelMode, batchSize: 13, ...quiet }).batch(0, 0);
  const int = batch('int').y as kiln.Tensor;
  assert.equal(int.dtype, 'int32');
  assert.deepEqual(int.shape, [13]);
  assert.deepEqual(Array.from(int.dataSync()), [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2]);
  const cat = batch('categorical').y as kiln.Tensor;
  assert.equal(cat.dtype, 'float32');
  assert.deepEqual(cat.shape, [13, 3]);
  // Rows 3 (the last ant) and 4 (the first mole).
  assert.deepEqual(Array.from(cat.dataSync()).slice(9, 15), [1, 0, 0, 0, 1, 0]);
  assert.equal(batch(null).y, undefined);
  assert.equal(kiln.data.imageFolder(tree, { labelMode: null, ...quiet }).labeled, false);

  const two = t.path('two');
  makeImageTree(two, { cat: 2, dog: 3 }, (k) => 100 * k);
  const bin = kiln.data.imageFolder(two, { imageSize: [4, 4], labelMode: 'binary', shuffle: false, ...quiet }).batch(0, 0).y as kiln.Tensor;
  assert.deepEqual(bin.shape, [5, 1]);
  assert.equal(bin.dtype, 'float32');
  assert.deepEqual(Array.from(bin.dataSync()), [0, 0, 1, 1, 1]);
  assert.throws(() => kiln.data.imageFolder(tree, { labelMode: 'binary', ...quiet }), (e: unknown) =>
    e instanceof kiln.errors.ValueError && /'binary' needs exactly 2 class folders.*has 3 \(ant, mole, zebra\)/.test(e.message));
});

test('images are resized to imageSize with the requested channels, values 0–255', () => {
  const ds = kiln.data.imageFolder(tree, { imageSize: [3, 5], colorMode: 'grayscale', shuffle: false, batchSize: 4, ...quiet });
  const { x } = ds.batch(0, 0);
  assert.deepEqual((x as kiln.Tensor).shape, [4, 3, 5, 1]);
  assert.deepEqual(rowValues(x as kiln.Tensor), ds.filePaths.slice(0, 4).map(fileValue));
  const rgb = kiln.data.imageFolder(tree, { imageSize: [2, 2], ...quiet }).batch(0, 0).x as kiln.Tensor;
  assert.deepEqual(rgb.shape, [13, 2, 2, 3]);
  const rgbaBatch = kiln.data.imageFolder(tree, { imageSize: [2, 2], colorMode: 'rgba', batchSize: 5, ...quiet });
  assert.deepEqual((rgbaBatch.batch(2, 0).x as kiln.Tensor).shape, [3, 2, 2, 4]);
  assert.equal(rgbaBatch.batchCount, 3);
});

test('validationSplit: training and validation are disjoint, cover every file, and depend only on the seed', () => {
  const opts = { imageSize: [2, 2] as [number, number], validationSplit: 0.3, seed: 11, ...quiet };
  const train = kiln.data.imageFolder(tree, { ...opts, subset: 'training' });
  const val = kiln.data.imageFolder(tree, { ...opts, subset: 'validation' });
  // Keras: the last int(0.3 * 13) = 3 files of the seeded shuffle are the validation subset.
  assert.equal(val.sampleCount, 3);
  assert.equal(train.sampleCount, 10);
  const a = new Set(train.filePaths);
  assert.ok(val.filePaths.every((p) => !a.has(p)), 'disjoint');
  assert.deepEqual([...train.filePaths, ...val.filePaths].sort(), [...kiln.data.imageFolder(tree, quiet).filePaths].sort());
  const [train2, val2] = kiln.data.imageFolder(tree, { ...opts, subset: 'both' });
  assert.deepEqual(train2.filePaths, train.filePaths);
  assert.deepEqual(val2.filePaths, val.filePaths);
  // Labels follow their files through the shuffle.
  train.filePaths.forEach((p, i) => assert.equal(basename(dirname(p.replace(/deep[\\/]/, ''))), train.classNames[train.labels[i]!]));
  const other = kiln.data.imageFolder(tree, { ...opts, seed: 12, subset: 'validation' });
  assert.notDeepEqual([...other.filePaths].sort(), [...val.filePaths].sort());
  // Without shuffling the split is the last files in listing order.
  const plain = kiln.data.imageFolder(tree, { ...opts, shuffle: false, subset: 'validation' });
  assert.deepEqual(plain.filePaths.map((p) => basename(p)), ['img_000.png', 'img_001.png', 'img_002.png']);
});

test('each pass is a full seeded permutation: reshuffled every pass, the same for the same (seed, pass)', () => {
  const ds = kiln.data.imageFolder(tree, { imageSize: [2, 2], batchSize: 4, seed: 5, ...quiet });
  const p0 = allRows(ds, 0);
  const p1 = allRows(ds, 1);
  const sorted = [...ds.filePaths.map(fileValue)].sort((a, b) => a - b);
  assert.deepEqual([...p0].sort((a, b) => a - b), sorted);
  assert.deepEqual([...p1].sort((a, b) => a - b), sorted);
  assert.notDeepEqual(p0, p1);
  // Pure in (seed, pass): a fresh dataset, passes asked in another order, gives the same batches.
  const again = kiln.data.imageFolder(tree, { imageSize: [2, 2], batchSize: 4, seed: 5, ...quiet });
  assert.deepEqual(rowValues(again.batch(2, 1).x as kiln.Tensor), p1.slice(8, 12));
  assert.deepEqual(allRows(again, 0), p0);
  assert.equal(again.fingerprint(), ds.fingerprint());
  assert.notEqual(kiln.data.imageFolder(tree, { imageSize: [2, 2], batchSize: 4, seed: 6, ...quiet }).fingerprint(), ds.fingerprint());
  // An unseeded folder draws its seed from kiln's seeded stream.
  kiln.setSeed(3);
  const u1 = allRows(kiln.data.imageFolder(tree, { imageSize: [2, 2], ...quiet }), 0);
  kiln.setSeed(3);
  assert.deepEqual(allRows(kiln.data.imageFolder(tree, { imageSize: [2, 2], ...quiet }), 0), u1);
});

test('streaming: nothing is decoded until a batch is asked for, then only that batch', () => {
  const ds = kiln.data.imageFolder(tree, { imageSize: [2, 2], batchSize: 5, ...quiet });
  assert.equal(ds.decodedCount, 0);
  ds.batch(1, 0);
  assert.equal(ds.decodedCount, 5);
  ds.batch(2, 0);
  assert.equal(ds.decodedCount, 8);
});

test("a corrupt image is skipped with a warning naming it (onError 'skip'), or raises an ImageFileError ('raise')", () => {
  const dir = t.path('corrupt');
  makeImageTree(dir, { a: 3, b: 3 }, (k, j) => 10 * k + j);
  const bad = join(dir, 'b', 'broken.png');
  writeFileSync(bad, 'this is not a png');
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (m: string) => void warnings.push(m);
  try {
    const ds = kiln.data.imageFolder(dir, { imageSize: [4, 4], shuffle: false, batchSize: 7, ...quiet });
    assert.equal(ds.sampleCount, 7);
    const { x, y } = ds.batch(0, 0);
    assert.deepEqual((x as kiln.Tensor).shape, [6, 4, 4, 3]);
    assert.deepEqual(Array.from((y as kiln.Tensor).dataSync()), [0, 0, 0, 1, 1, 1]);
    ds.batch(0, 1);
    assert.equal(warnings.length, 1, 'warned once per file');
    assert.ok(warnings[0]!.includes(bad), warnings[0]);
    assert.deepEqual(ds.skippedFiles, [bad]);
  } finally {
    console.warn = warn;
  }
  const strict = kiln.data.imageFolder(dir, { imageSize: [4, 4], shuffle: false, batchSize: 7, onError: 'raise', ...quiet });
  assert.throws(() => strict.batch(0, 0), (e: unknown) => e instanceof kiln.errors.ImageFileError && e.path === bad && e.message.includes(bad));
});

test('bad folders and options give clear errors', () => {
  const isDatasetError = (re: RegExp) => (e: unknown) => e instanceof kiln.errors.DatasetError && re.test(e.message);
  assert.throws(() => kiln.data.imageFolder(t.path('nope'), quiet), isDatasetError(/nope' does not exist/));
  const empty = t.path('empty');
  mkdirSync(empty);
  assert.throws(() => kiln.data.imageFolder(empty, quiet), isDatasetError(/no class folders.*the directory is empty/));
  const flatDir = t.path('flat');
  writePng(join(flatDir, 'a.png'), 1, 1, flat(1, 1, 0));
  assert.throws(() => kiln.data.imageFolder(flatDir, quiet), isDatasetError(/no class folders.*found 1 file/));
  const gifs = t.path('gifs');
  mkdirSync(join(gifs, 'x'), { recursive: true });
  writeFileSync(join(gifs, 'x', 'a.gif'), 'GIF89a');
  writeFileSync(join(gifs, 'x', 'b.bmp'), 'BM');
  assert.throws(() => kiln.data.imageFolder(gifs, quiet), isDatasetError(/no image files.*1 \.gif, 1 \.bmp.*supported: \.png, \.jpg, \.jpeg/));
  const hollow = t.path('hollow');
  mkdirSync(join(hollow, 'a'), { recursive: true });
  assert.throws(() => kiln.data.imageFolder(hollow, quiet), isDatasetError(/no image files.*they are empty/));
  assert.throws(() => kiln.data.imageFolder(tree, { validationSplit: 0.2, subset: 'training', ...quiet }), /give a seed/);
  assert.throws(() => kiln.data.imageFolder(tree, { subset: 'training', ...quiet }), /validationSplit and subset together/);
  assert.throws(() => kiln.data.imageFolder(tree, { validationSplit: 0.2, seed: 1, ...quiet }), /validationSplit and subset together/);
  assert.throws(() => kiln.data.imageFolder(tree, { validationSplit: 1.5, seed: 1, subset: 'both', ...quiet }), /validationSplit must be in \[0, 1\)/);
  assert.throws(() => kiln.data.imageFolder(tree, { validationSplit: 0.01, seed: 1, subset: 'both', ...quiet }), isDatasetError(/leaves no validation files/));
  assert.throws(() => kiln.data.imageFolder(tree, { classNames: ['ant', 'mole'], ...quiet }), isDatasetError(/do not match the sub-folders/));
  assert.deepEqual(kiln.data.imageFolder(tree, { classNames: ['zebra', 'ant', 'mole'], ...quiet }).classNames, ['zebra', 'ant', 'mole']);
  assert.throws(() => kiln.data.imageFolder(tree, { batchSize: 0, ...quiet }), /batchSize must be a positive integer/);
  assert.throws(() => kiln.data.imageFolder(tree, { labelMode: 'sparse' as 'int', ...quiet }), /labelMode must be one of/);
  assert.throws(() => kiln.data.imageFolder(tree, { onError: 'ignore' as 'skip', ...quiet }), /onError must be one of 'skip', 'raise'/);
  assert.throws(() => kiln.data.imageFolder(tree, { image_size: [2, 2], batchsize: 3 } as object), /batchsize/);
  const ds = kiln.data.imageFolder(tree, quiet);
  assert.throws(() => ds.batch(1, 0), /batch index must be an integer in \[0, 1\)/);
});

test("verbose (default) prints Keras's counts", () => {
  const lines: string[] = [];
  const log = console.log;
  console.log = (m: string) => void lines.push(m);
  try {
    kiln.data.imageFolder(tree, { validationSplit: 0.25, subset: 'both', seed: 1 });
  } finally {
    console.log = log;
  }
  assert.deepEqual(lines, ['Found 13 files belonging to 3 classes.', 'Using 10 files for training.', 'Using 3 files for validation.']);
});
