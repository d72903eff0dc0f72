// Real TensorBoard reads kiln's event files. This needs Python's `tensorboard` package, which CI
// does not have: set KILN_TENSORBOARD_PYTHON to a python that has it (for example a venv with
// `pip install tensorboard`); without it the test is skipped and says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as kiln from '../../src/index.js';
import { tempDir } from '../helpers/temp_dir.js';

const python = process.env['KILN_TENSORBOARD_PYTHON'] ?? 'python3';
const hasTensorBoard = spawnSync(python, ['-c', 'import tensorboard'], { stdio: 'ignore' }).status === 0;

// TensorBoard's own loader (EventAccumulator, as its server uses it), answering in JSON.
const READ = `
import json, sys
from tensorboard.backend.event_processing import event_accumulator as ea
from tensorboard.util import tensor_util
out = {}
for run in ['train', 'validation']:
    acc = ea.EventAccumulator(sys.argv[1] + '/' + run, size_guidance={ea.TENSORS: 0, ea.HISTOGRAMS: 0})
    acc.Reload()
    tags = acc.Tags()
    out[run] = {
        'scalars': {t: [[e.step, float(tensor_util.make_ndarray(e.tensor_proto))] for e in acc.Tensors(t)] for t in tags['tensors']},
        'histograms': {t: [[e.step, e.histogram_value.num] for e in acc.Histograms(t)] for t in tags['histograms']},
        'graph': [n.name for n in acc.Graph().node] if tags['graph'] else None,
    }
print(json.dumps(out))
`;

test('TensorBoard itself reads kiln\'s scalars, histograms and graph', { skip: hasTensorBoard ? false : `no python with the tensorboard package (${python}); set KILN_TENSORBOARD_PYTHON` }, async () => {
  const t = tempDir('kiln-tb-read-');
  try {
    kiln.setSeed(1);
    const x = kiln.randomUniform([256, 4]);
    const y = kiln.randomUniform([256, 1]);
    const m = kiln.sequential([kiln.layers.dense({ units: 8, activation: 'relu', inputShape: [4], name: 'hidden' }), kiln.layers.dense({ units: 1, name: 'out' })]);
    m.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
    const h = await m.fit(x, y, {
      epochs: 3, batchSize: 32, validationSplit: 0.25, verbose: 0, monitor: false,
      callbacks: [kiln.callbacks.tensorBoard({ logDir: t.dir, updateFreq: 'batch', histogramFreq: 1, writeGraph: true })],
    });
    const r = spawnSync(python, ['-c', READ, t.dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const got = JSON.parse(r.stdout) as Record<string, { scalars: Record<string, [number, number][]>; histograms: Record<string, [number, number][]>; graph: string[] | null }>;
    const train = got['train']!;
    const val = got['validation']!;
    const loss = h.history['loss'] as number[];
    assert.deepEqual(train.scalars['epoch_loss']!.map(([s]) => s), [0, 1, 2]);
    train.scalars['epoch_loss']!.forEach(([, v], i) => assert.ok(Math.abs(v - loss[i]!) < 1e-6, `epoch_loss ${i}: ${v} vs ${loss[i]}`));
    assert.equal(train.scalars['batch_loss']!.length, 18, '6 batches × 3 epochs');
    assert.ok('epoch_learning_rate' in train.scalars);
    (h.history['val_loss'] as number[]).forEach((v, i) => assert.ok(Math.abs(val.scalars['epoch_loss']![i]![1] - v) < 1e-6));
    for (const w of ['hidden/kernel', 'hidden/bias', 'out/kernel', 'out/bias']) {
      const hist = train.histograms[`${w}/histogram`];
      assert.ok(hist && hist.length === 3, `${w}: ${JSON.stringify(Object.keys(train.histograms))}`);
    }
    assert.equal(train.histograms['hidden/kernel/histogram']![0]![1], 32, '4×8 kernel values counted');
    assert.deepEqual(train.graph, ['input', 'hidden', 'out']);
  } finally {
    t.cleanup();
  }
});
