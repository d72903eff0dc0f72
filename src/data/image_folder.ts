import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { RandomStream, randomStream } from '../core/random.js';
import type { Tensor } from '../core/tensor.js';
import { DatasetError, ImageFileError, ValueError } from '../errors.js';
import { fromValues } from '../ops/creation.js';
import { option } from '../utils/args.js';
import type { Spelled } from '../utils/options.js';
import { checkOptions, optionNames } from '../utils/options.js';
import type { DatasetBatch } from './dataset.js';
import { Dataset, passOrder } from './dataset.js';
import { indexImageFolder } from './image_index.js';
import type { ColorMode, Interpolation } from './image_ops.js';
import { COLOR_MODES, INTERPOLATIONS, channelsOf, checkChoice, checkImageSize } from './image_ops.js';
import { readPixels } from './load_image.js';

/** Keras's label_mode: 'int' (class index), 'categorical' (one-hot), 'binary' (0/1 for two classes), or null (no labels). */
export type LabelMode = 'int' | 'categorical' | 'binary' | null;
export type Subset = 'training' | 'validation' | 'both';

export interface ImageFolderArgs {
  /** `[height, width]` every image is resized to (default [256, 256], as Keras). */
  imageSize?: readonly [number, number];
  /** 'int' (default), 'categorical', 'binary' or null. */
  labelMode?: LabelMode;
  /** Class folder names in the order of their labels (default: the sub-folders, sorted); must name every sub-folder. */
  classNames?: readonly string[];
  /** Default 32. */
  batchSize?: number;
  /** The fraction of files held out for validation (after the seeded shuffle of the file list). */
  validationSplit?: number;
  /** Which part to return when `validationSplit` is given; 'both' returns `[training, validation]`. */
  subset?: Subset;
  /** Seeds the split and the per-pass shuffles (default: drawn from kiln's seeded 'shuffle' stream). */
  seed?: number;
  /** Shuffle the files, again every pass (default true). */
  shuffle?: boolean;
  /** 'rgb' (default), 'grayscale' or 'rgba'. */
  colorMode?: ColorMode;
  /** How images are resized: 'bilinear' (default, as Keras) or 'nearest'. */
  interpolation?: Interpolation;
  /** An unreadable or corrupt image: 'skip' it with a warning naming it (default), or 'raise' an ImageFileError. */
  onError?: 'skip' | 'raise';
  /** Print "Found N files belonging to K classes." and the split sizes, as Keras does (default true). */
  verbose?: boolean;
}

export type ImageFolderOptions = Spelled<ImageFolderArgs>;

export const IMAGE_FOLDER_OPTIONS = optionNames<ImageFolderArgs>({
  imageSize: true, labelMode: true, classNames: true, batchSize: true, validationSplit: true, subset: true, seed: true,
  shuffle: true, colorMode: true, interpolation: true, onError: true, verbose: true,
});

interface FolderSettings {
  dir: string;
  classNames: string[];
  imageSize: [number, number];
  labelMode: LabelMode;
  batchSize: number;
  seed: number;
  shuffle: boolean;
  colorMode: ColorMode;
  interpolation: Interpolation;
  onError: 'skip' | 'raise';
  subset: 'training' | 'validation' | null;
}

/**
 * The images of a class-per-folder directory as a Dataset (see `imageFolder`). It holds file paths
 * and labels only; `batch(i, pass)` reads and decodes that batch's files, so memory stays one batch
 * whatever the folder's size.
 */
export class ImageFolderDataset extends Dataset {
  readonly batchCount: number;
  readonly sampleCount: number;
  readonly labeled: boolean;
  /** Files decoded so far (each decode of each batch counts). */
  decodedCount = 0;
  /** Files found unreadable and skipped (onError 'skip'), each listed once. */
  readonly skippedFiles: string[] = [];
  private cachedOrder: { pass: number; order: Int32Array } | null = null;
  private cachedFingerprint: string | null = null;

  /** @internal Made by `imageFolder`. */
  constructor(
    private readonly settings: FolderSettings,
    /** This subset's files, in index order (before the per-pass shuffle). */
    readonly filePaths: readonly string[],
    /** The class index of each file. */
    readonly labels: Int32Array,
  ) {
    super();
    this.sampleCount = filePaths.length;
    this.batchCount = Math.ceil(filePaths.length / settings.batchSize);
    this.labeled = settings.labelMode !== null;
  }

  get classNames(): readonly string[] {
    return this.settings.classNames;
  }
  get shuffle(): boolean {
    return this.settings.shuffle;
  }
  get batchSize(): number {
    return this.settings.batchSize;
  }
  get imageSize(): readonly [number, number] {
    return this.settings.imageSize;
  }
  get seed(): number {
    return this.settings.seed;
  }

  batch(index: number, pass: number): DatasetBatch {
    if (!Number.isInteger(index) || index < 0 || index >= this.batchCount) {
      throw new ValueError(`imageFolder: batch index must be an integer in [0, ${this.batchCount}), found ${index}`);
    }
    const { batchSize, imageSize, colorMode, interpolation, onError } = this.settings;
    const order = this.orderOf(pass);
    const start = index * batchSize;
    const end = Math.min(this.sampleCount, start + batchSize);
    const [h, w] = imageSize;
    const per = h * w * channelsOf(colorMode);
    const pixels = new Float32Array((end - start) * per);
    const taken: number[] = [];
    for (let i = start; i < end; i++) {
      const id = order ? order[i]! : i;
      const path = this.filePaths[id]!;
      try {
        this.decodedCount++;
        pixels.set(readPixels(path, colorMode, imageSize, interpolation).values, taken.length * per);
        taken.push(id);
      } catch (e) {
        if (!(e instanceof ImageFileError) || onError === 'raise') throw e;
        if (!this.skippedFiles.includes(path)) {
          this.skippedFiles.push(path);
          console.warn(`kiln: imageFolder: skipping ${e.message}`);
        }
      }
    }
    const n = taken.length;
    const x = fromValues(n === end - start ? pixels : pixels.slice(0, n * per), [n, h, w, channelsOf(colorMode)], 'float32');
    const y = this.labelsOf(taken);
    return y ? { x, y } : { x };
  }

  fingerprint(): string {
    if (this.cachedFingerprint) return this.cachedFingerprint;
    const hash = createHash('sha256');
    const { dir: _dir, ...settings } = this.settings;
    hash.update(JSON.stringify(settings));
    // Paths, sizes and labels: a changed, added or removed file changes it, without reading every image.
    this.filePaths.forEach((p, i) => {
      let size = -1;
      try {
        size = statSync(p).size;
      } catch {
        // An unreadable file is part of what the data is; it hashes as size -1.
      }
      hash.update(`${p}\u0000${size}\u0000${this.labels[i]}\n`);
    });
    this.cachedFingerprint = hash.digest('hex');
    return this.cachedFingerprint;
  }

  /** The pass's order (null without shuffling); the last one is kept, as consecutive batches share it. */
  private orderOf(pass: number): Int32Array | null {
    if (!this.settings.shuffle) return null;
    if (this.cachedOrder?.pass !== pass) this.cachedOrder = { pass, order: passOrder(this.settings.seed, pass, this.sampleCount) };
    return this.cachedOrder.order;
  }

  private labelsOf(ids: readonly number[]): Tensor | null {
    const mode = this.settings.labelMode;
    const n = ids.length;
    if (mode === null) return null;
    if (mode === 'int') return fromValues(Int32Array.from(ids, (id) => this.labels[id]!), [n], 'int32');
    if (mode === 'binary') return fromValues(Float32Array.from(ids, (id) => this.labels[id]!), [n, 1], 'float32');
    const k = this.settings.classNames.length;
    const oneHot = new Float32Array(n * k);
    ids.forEach((id, i) => (oneHot[i * k + this.labels[id]!] = 1));
    return fromValues(oneHot, [n, k], 'float32');
  }
}

function checkSplit(args: ImageFolderOptions): { split: number; subset: Subset | null } {
  const split = option<number>(args, 'validationSplit') ?? 0;
  const subset = option<Subset | null>(args, 'subset') ?? null;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) throw new ValueError(`imageFolder: validationSplit must be in [0, 1), found ${JSON.stringify(split)}`);
  if (subset !== null) checkChoice(subset, ['training', 'validation', 'both'], 'subset', 'imageFolder');
  // Keras: one without the other is a mistake (a subset of nothing, or a split nobody asked for).
  if ((split > 0) !== (subset !== null)) {
    throw new ValueError(`imageFolder: give validationSplit and subset together (found validationSplit ${split}, subset ${JSON.stringify(subset)})`);
  }
  return { split, subset };
}

/**
 * Keras's `image_dataset_from_directory`: a Dataset of the images under `dir`, one sub-folder per
 * class (`dir/cat/*.jpg`, `dir/dog/*.png`). Class names are the sorted folder names (labels 0, 1,
 * …). With `validationSplit` the file list is shuffled with `seed` and its last fraction is the
 * validation subset, so two calls with the same seed give disjoint subsets that cover every file.
 * Images are decoded one batch at a time, resized to `imageSize`, as float32 0–255.
 *
 * Unlike Keras (a shuffle buffer of 8 batches), each pass is a full random permutation, drawn
 * from `(seed, pass)` so that a resumed run sees the same batches.
 *
 * ```ts
 * const [train, val] = kiln.data.imageFolder('photos', {
 *   imageSize: [64, 64], validationSplit: 0.2, subset: 'both', seed: 7,
 * });
 * await model.fit(train, undefined, { epochs: 10, validationData: val });
 * ```
 */
export function imageFolder(dir: string, args: ImageFolderOptions & { subset: 'both' }): [ImageFolderDataset, ImageFolderDataset];
export function imageFolder(dir: string, args?: ImageFolderOptions & { subset?: 'training' | 'validation' | null }): ImageFolderDataset;
export function imageFolder(dir: string, args?: ImageFolderOptions): ImageFolderDataset | [ImageFolderDataset, ImageFolderDataset];
export function imageFolder(dir: string, args: ImageFolderOptions = {}): ImageFolderDataset | [ImageFolderDataset, ImageFolderDataset] {
  if (typeof dir !== 'string' || dir === '') throw new ValueError(`imageFolder: dir must be a non-empty string, found ${JSON.stringify(dir)}`);
  checkOptions('imageFolder', args, IMAGE_FOLDER_OPTIONS);
  const imageSize = checkImageSize(option(args, 'imageSize') ?? [256, 256], 'imageFolder');
  const labelMode = option<LabelMode>(args, 'labelMode') === undefined ? 'int' : option<LabelMode>(args, 'labelMode')!;
  if (labelMode !== null) checkChoice(labelMode, ['int', 'categorical', 'binary'], 'labelMode', 'imageFolder');
  const batchSize = option<number>(args, 'batchSize') ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError(`imageFolder: batchSize must be a positive integer, found ${JSON.stringify(batchSize)}`);
  const shuffle = option<boolean>(args, 'shuffle') ?? true;
  const colorMode = checkChoice(option(args, 'colorMode') ?? 'rgb', COLOR_MODES, 'colorMode', 'imageFolder');
  const interpolation = checkChoice(option(args, 'interpolation') ?? 'bilinear', INTERPOLATIONS, 'interpolation', 'imageFolder');
  const onError = checkChoice(option(args, 'onError') ?? 'skip', ['skip', 'raise'], 'onError', 'imageFolder');
  const { split, subset } = checkSplit(args);
  let seed = option<number>(args, 'seed');
  if (seed !== undefined && !Number.isInteger(seed)) throw new ValueError(`imageFolder: seed must be an integer, found ${JSON.stringify(seed)}`);
  if (split > 0 && shuffle && seed === undefined) {
    throw new ValueError('imageFolder: give a seed with validationSplit and shuffle, so that the training and validation subsets do not overlap');
  }
  // From kiln's seeded stream, so kiln.setSeed makes an unseeded folder's shuffles reproducible too.
  seed ??= randomStream('shuffle').nextUint32() | 0;

  const index = indexImageFolder(dir, option<readonly string[]>(args, 'classNames'));
  const { classNames } = index;
  if (labelMode === 'binary' && classNames.length !== 2) {
    throw new ValueError(`imageFolder: labelMode 'binary' needs exactly 2 class folders; '${dir}' has ${classNames.length} (${classNames.join(', ')}); use 'int' or 'categorical'`);
  }
  let order = Array.from(index.files.keys());
  if (shuffle) order = Array.from(new RandomStream(seed, 'kiln.data.split').permutation(order.length));
  const verbose = option<boolean>(args, 'verbose') ?? true;
  if (verbose) console.log(`Found ${index.files.length} files belonging to ${classNames.length} classes.`);

  const make = (ids: number[], part: 'training' | 'validation' | null) =>
    new ImageFolderDataset(
      { dir, classNames, imageSize, labelMode, batchSize, seed: seed!, shuffle, colorMode, interpolation, onError, subset: part },
      ids.map((i) => index.files[i]!),
      Int32Array.from(ids, (i) => index.labels[i]!),
    );
  if (split === 0) return make(order, null);
  // Keras: the last int(split * n) files of the shuffled list are the validation subset.
  const numVal = Math.floor(split * order.length);
  const train = order.slice(0, order.length - numVal);
  const val = order.slice(order.length - numVal);
  if (numVal === 0 || train.length === 0) {
    throw new DatasetError(`imageFolder: validationSplit ${split} of ${order.length} files leaves no ${numVal === 0 ? 'validation' : 'training'} files`);
  }
  if (verbose && subset !== 'validation') console.log(`Using ${train.length} files for training.`);
  if (verbose && subset !== 'training') console.log(`Using ${val.length} files for validation.`);
  if (subset === 'both') return [make(train, 'training'), make(val, 'validation')];
  return subset === 'training' ? make(train, 'training') : make(val, 'validation');
}
