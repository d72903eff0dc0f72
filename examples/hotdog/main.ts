/**
 * Hot dog or not hot dog, the course's image classifier. It draws its own two-class image folder
 * (see render.ts), trains a small CNN with augmentation on it through `kiln.data.imageFolder`
 * (streamed from disk, one batch at a time), reports accuracy on a freshly drawn held-out folder it
 * never trained on, saves the model as `.keras`, reloads it, and classifies new pictures — and an
 * image file given on the command line.
 *
 *   npm run example:hotdog                 # the full run
 *   npm run example:hotdog -- my_photo.png # also classifies that file
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as kiln from '../../src/index.js';
import { CLASS_NAMES, generateFolder } from './generate.js';

export interface HotdogOptions {
  /** Side of the square pictures (default 48). */
  size?: number;
  /** Training pictures per class (default 800); the held-out folder has a quarter as many. */
  perClass?: number;
  epochs?: number;
  /** Adam's learning rate (default 1e-3; a small, short run learns faster at 3e-3). */
  learningRate?: number;
  verbose?: 0 | 1 | 2;
  /** Where the folders and the saved model go (default: a new temporary directory, removed afterwards). */
  workDir?: string;
  /** Image files to classify with the reloaded model. */
  classify?: string[];
}

export interface HotdogResult {
  heldOutAccuracy: number;
  /** What the training-health monitor raised (none on a healthy run). */
  events: string[];
  heldOutImages: number;
  /** The reloaded model's predictions for the files in `classify`: label and probability. */
  predictions: { file: string; label: string; probability: number }[];
  modelPath: string;
}

/** The network: raw pixels in, P(not hot dog) out (classes are sorted: 'hot_dog' = 0, 'not_hot_dog' = 1). */
function buildModel(size: number): kiln.Sequential {
  return kiln.sequential([
    kiln.input({ shape: [size, size, 3] }),
    kiln.layers.rescaling({ scale: 1 / 255 }),
    kiln.layers.randomFlip({ mode: 'horizontal_and_vertical' }),
    kiln.layers.randomRotation({ factor: 0.1 }),
    kiln.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', padding: 'same' }),
    kiln.layers.maxPooling2d({ poolSize: 2 }),
    kiln.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', padding: 'same' }),
    kiln.layers.maxPooling2d({ poolSize: 2 }),
    kiln.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', padding: 'same' }),
    kiln.layers.globalAveragePooling2d(),
    kiln.layers.dense({ units: 32, activation: 'relu' }),
    kiln.layers.dense({ units: 1, activation: 'sigmoid' }),
  ]);
}

export async function main(options: HotdogOptions = {}): Promise<HotdogResult> {
  const size = options.size ?? 48;
  const perClass = options.perClass ?? 800;
  const verbose = options.verbose ?? 2;
  const log = (line: string) => { if (verbose) console.log(line); };
  const work = options.workDir ?? mkdtempSync(join(tmpdir(), 'kiln-hotdog-'));
  try {
    kiln.setSeed(1);
    // Training pictures, and a held-out set drawn from a different seed: pictures the model never sees.
    generateFolder(join(work, 'train'), perClass, size, 11);
    generateFolder(join(work, 'held_out'), Math.max(20, Math.round(perClass / 4)), size, 99);
    const [train, val] = kiln.data.imageFolder(join(work, 'train'), {
      imageSize: [size, size], labelMode: 'binary', batchSize: 32, validationSplit: 0.2, subset: 'both', seed: 7, verbose: verbose > 0,
    });
    log(`classes: ${train.classNames.join(', ')}`);
    const model = buildModel(size);
    model.compile({ optimizer: kiln.optimizers.adam({ learningRate: options.learningRate ?? 1e-3 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
    if (verbose) model.summary();
    // Validation loss is watched each epoch: the best epoch's weights are kept, and the rate halves on a plateau.
    const callbacks = [
      kiln.callbacks.earlyStopping({ monitor: 'val_loss', patience: 5, restoreBestWeights: true }),
      kiln.callbacks.reduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 2 }),
    ];
    const history = await model.fit(train, undefined, { epochs: options.epochs ?? 20, validationData: val, callbacks, verbose });

    const heldOut = kiln.data.imageFolder(join(work, 'held_out'), { imageSize: [size, size], labelMode: 'binary', batchSize: 64, shuffle: false, verbose: false });
    const modelPath = join(work, 'hotdog.keras');
    await model.save(modelPath);
    const reloaded = await kiln.loadModel(modelPath);
    const { accuracy } = await reloaded.evaluate(heldOut, undefined, { verbose: 0, returnDict: true });
    log(`held-out pictures: ${heldOut.sampleCount}, accuracy ${(accuracy as number).toFixed(4)} (reloaded from ${modelPath})`);

    const files = [...(options.classify ?? []), ...CLASS_NAMES.map((c) => join(work, 'held_out', c, `${c}_0000.png`))];
    const predictions = files.map((file) => {
      if (!existsSync(file)) throw new kiln.errors.ValueError(`hotdog: no image file at ${file}`);
      const image = kiln.data.loadImage(file, { imageSize: [size, size] });
      const pNot = reloaded.predict(kiln.reshape(image, [1, size, size, 3])).dataSync()[0]!;
      const hot = pNot < 0.5;
      const p = { file, label: hot ? 'hot dog' : 'not hot dog', probability: hot ? 1 - pNot : pNot };
      log(`${file}: ${p.label} (p=${p.probability.toFixed(3)})`);
      return p;
    });
    return { heldOutAccuracy: accuracy as number, events: history.events.map((e) => e.kind), heldOutImages: heldOut.sampleCount, predictions, modelPath };
  } finally {
    if (!options.workDir) rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main({ classify: process.argv.slice(2) });
