/**
 * A regression MLP on a smooth synthetic function (the course's "predict sales" shape of task):
 * 4 features → 64 → 64 → 1, mean squared error, Adam; reports R² on held-out rows.
 * Run: npm run example:regression
 */
import * as kiln from '../src/index.js';
import { makeRegressionData, r2Score, split } from './synthetic.js';

export async function main(): Promise<{ r2: number; events: string[] }> {
  kiln.setSeed(11);
  const { x, y } = makeRegressionData(1000, 4);
  const [xTrain, xTest] = split(x, 800);
  const [yTrain, yTest] = split(y, 800);
  const model = kiln.sequential([
    kiln.layers.dense({ units: 64, activation: 'tanh', inputShape: [4] }),
    kiln.layers.dense({ units: 64, activation: 'tanh' }),
    kiln.layers.dense({ units: 1 }),
  ]);
  model.compile({ optimizer: kiln.optimizers.adam({ learningRate: 0.01 }), loss: 'mse', metrics: ['mae'] });
  const history = await model.fit(xTrain, yTrain, { epochs: 40, batchSize: 32, validationSplit: 0.1, verbose: 2 });
  const r2 = r2Score(yTest, model.predict(xTest));
  console.log(`held-out R² ${r2.toFixed(4)}`);
  // The training-health monitor is on by default; a healthy run raises nothing.
  return { r2, events: history.events.map((e) => e.kind) };
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
