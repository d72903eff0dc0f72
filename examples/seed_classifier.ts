/**
 * The Keras course's seed program in TypeScript: a 784→64→10 classifier on random data.
 * Run: npm run example:seed
 */
import * as kiln from '../src/index.js';

export async function main(): Promise<{ events: string[] }> {
  kiln.setSeed(42);
  const model = kiln.sequential([
    kiln.layers.dense({ units: 64, activation: 'relu', inputShape: [784] }),
    kiln.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  model.summary();

  const x = kiln.randomUniform([100, 784]);
  const y = kiln.randomInt([100, 1], 0, 10);
  const history = await model.fit(x, y, { epochs: 10, batchSize: 32 });

  const xTest = kiln.randomUniform([50, 784]);
  const yTest = kiln.randomInt([50, 1], 0, 10);
  const [testLoss, testAcc] = (await model.evaluate(xTest, yTest, { verbose: 2 })) as number[];
  const probs = model.predict(kiln.randomUniform([3, 784]));
  console.log(`final training loss ${(history.history.loss!.at(-1) as number).toFixed(4)}; test loss ${testLoss!.toFixed(4)}, test accuracy ${testAcc!.toFixed(4)}`);
  console.log('predicted class probabilities for 3 new rows, shape', probs.shape);
  console.log(((await probs.array()) as number[][]).map((row) => row.map((p) => p.toFixed(3)).join(' ')).join('\n'));
  return { events: history.events.map((e) => e.kind) };
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
