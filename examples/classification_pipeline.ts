/**
 * The course's classification pipeline: 1000 rows × 10 features, scaled to [0, 1], an 800/200
 * split, an MLP 10→64→64→1 trained 10 epochs with batch 32 and validated each epoch, then
 * accuracy, precision, recall and F1 on the held-out rows.
 * Run: npm run example:pipeline
 */
import * as kiln from '../src/index.js';
import { makeClassificationData, minMaxScale, split } from './synthetic.js';

export async function main(): Promise<{ valAccuracy: number; events: string[] }> {
  kiln.setSeed(7);
  const { x, y } = makeClassificationData(1000, 10);
  const [xTrainRaw, xTestRaw] = split(x, 800);
  const [yTrain, yTest] = split(y, 800);
  const xTrain = minMaxScale(xTrainRaw);
  const xTest = minMaxScale(xTestRaw, xTrainRaw);

  const model = kiln.sequential([
    kiln.layers.dense({ units: 64, activation: 'relu', inputShape: [10] }),
    kiln.layers.dense({ units: 64, activation: 'relu' }),
    kiln.layers.dense({ units: 1, activation: 'sigmoid' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy', 'precision', 'recall'] });
  const history = await model.fit(xTrain, yTrain, { epochs: 10, batchSize: 32, validationData: [xTest, yTest] });

  const [loss, accuracy, precision, recall] = (await model.evaluate(xTest, yTest, { verbose: 0 })) as number[];
  const f1 = (2 * precision! * recall!) / (precision! + recall! || 1);
  console.log(
    `held-out: loss ${loss!.toFixed(4)}  accuracy ${accuracy!.toFixed(4)}  precision ${precision!.toFixed(4)}  recall ${recall!.toFixed(4)}  F1 ${f1.toFixed(4)}`,
  );
  return { valAccuracy: history.history.val_accuracy!.at(-1) as number, events: history.events.map((e) => e.kind) };
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
