import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as kiln from '../../src/index.js';

// Evidence 5: the same seed gives bit-identical weights, in this process and in a fresh one.
export async function trainedWeightsHex(): Promise<string> {
  kiln.setSeed(1234);
  const model = kiln.sequential([
    kiln.layers.dense({ units: 16, activation: 'relu', inputShape: [8] }),
    kiln.layers.dropout({ rate: 0.3 }),
    kiln.layers.dense({ units: 3, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const x = kiln.randomNormal([64, 8]);
  const y = kiln.randomInt([64], 0, 3);
  await model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0, validationSplit: 0.25 });
  return model
    .getWeights()
    .map((w) => Buffer.from(new Uint8Array(w.dataSync().buffer)).toString('hex'))
    .join('|');
}

if (process.argv[2] === '--child') {
  process.stdout.write(await trainedWeightsHex());
} else {
  test('two runs with the same seed give identical weights (same process)', async () => {
    const a = await trainedWeightsHex();
    const b = await trainedWeightsHex();
    assert.equal(a, b);
  });

  test('the same seed gives identical weights in a fresh process', async () => {
    const here = await trainedWeightsHex();
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child'], { encoding: 'utf8' });
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout, here);
  });

  test('a different seed gives different weights', async () => {
    const a = await trainedWeightsHex();
    kiln.setSeed(99);
    const m = kiln.sequential([kiln.layers.dense({ units: 16, inputShape: [8] })]);
    assert.notEqual(Buffer.from(new Uint8Array(m.getWeights()[0]!.dataSync().buffer)).toString('hex'), a.split('|')[0]);
  });
}
