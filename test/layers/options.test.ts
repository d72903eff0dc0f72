// Issue 9, item 4: layer, callback, checkpoint-callback and summary options refuse unknown keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import { ValueError } from '../../src/errors.js';

function refuses(fn: () => unknown, key: string, hint: string) {
  assert.throws(fn, (e: Error) => {
    assert.ok(e instanceof ValueError, `${e.constructor.name}: ${e.message}`);
    assert.ok(e.message.includes(`'${key}'`), e.message);
    assert.ok(e.message.includes(`did you mean '${hint}'?`), e.message);
    return true;
  });
}

test("a layer refuses an unknown option: dense({ unit: 3 }) → did you mean 'units'?", () => {
  refuses(() => kiln.layers.dense({ unit: 3 } as never), 'unit', 'units');
  refuses(() => new kiln.layers.Dense({ units: 3, use_bais: false } as never), 'use_bais', 'use_bias');
  refuses(() => kiln.layers.dropout({ rate: 0.1, sed: 1 } as never), 'sed', 'seed');
  refuses(() => kiln.layers.input({ shap: [3] } as never), 'shap', 'shape');
  refuses(() => kiln.layers.batchNormalization({ momentun: 0.9 } as never), 'momentun', 'momentum');
  // Both spellings still work, and the common LayerArgs are known to every layer.
  assert.equal(kiln.layers.dense({ units: 2, use_bias: false, input_shape: [3], name: 'd' }).useBias, false);
  assert.equal(kiln.layers.leakyReLU({ negative_slope: 0.2 }).negativeSlope, 0.2);
});

test('a layer loaded from a Keras config keeps tolerating keys kiln does not model', () => {
  const layer = kiln.layers.Dense.fromConfig({ name: 'd', units: 2, kernel_constraint: null, bias_constraint: null, lora_rank: null });
  assert.ok(layer instanceof kiln.layers.Dense);
  assert.equal(layer.units, 2);
});

test('a user layer subclass without its own optionNames is not checked', () => {
  class Scale extends kiln.layers.Layer {
    static override className = 'ScaleOpts';
    constructor(args: kiln.layers.LayerArgs & { factor?: number }) {
      super(args);
    }
    override call(x: kiln.Tensor) {
      return x;
    }
  }
  assert.doesNotThrow(() => new Scale({ factor: 2 }));
});

test("a callback refuses an unknown option: earlyStopping({ patiense: 2 }) → did you mean 'patience'?", () => {
  refuses(() => kiln.callbacks.earlyStopping({ patiense: 2 } as never), 'patiense', 'patience');
  refuses(() => kiln.callbacks.reduceLROnPlateau({ min_lr_: 0.1 } as never), 'min_lr_', 'min_lr');
  refuses(() => kiln.callbacks.terminateOnNaN({ raiseErorr: true } as never), 'raiseErorr', 'raiseError');
  refuses(() => kiln.callbacks.learningRateScheduler({ schedule: (_e: number, lr: number) => lr, verbos: 1 } as never), 'verbos', 'verbose');
  refuses(() => kiln.callbacks.lambdaCallback({ onEpochEnds: () => {} } as never), 'onEpochEnds', 'onEpochEnd');
  refuses(() => new kiln.callbacks.ProgbarLogger({ streem: process.stdout } as never), 'streem', 'stream');
  // Snake spellings are accepted.
  assert.equal(kiln.callbacks.earlyStopping({ restore_best_weights: true, min_delta: 0.1 }).restoreBestWeights, true);
});

test("a checkpoint callback refuses an unknown option: modelCheckpoint({ saveBestOnlly }) → did you mean 'saveBestOnly'?", () => {
  refuses(() => kiln.callbacks.modelCheckpoint({ filepath: 'm.keras', saveBestOnlly: true } as never), 'saveBestOnlly', 'saveBestOnly');
  refuses(() => kiln.callbacks.backupAndRestore({ backupDir: 'b', save_freqq: 2 } as never), 'save_freqq', 'save_freq');
  refuses(() => kiln.checkpointManager('dir', { maxToKep: 2 } as never), 'maxToKep', 'maxToKeep');
  assert.doesNotThrow(() => kiln.callbacks.backupAndRestore({ backup_dir: 'b', save_freq: 2 }));
});

test("summary refuses an unknown option and takes printFn or print_fn", () => {
  const model = kiln.sequential([kiln.layers.dense({ units: 2, inputShape: [3] })]);
  refuses(() => model.summary({ printFun: () => {} } as never), 'printFun', 'printFn');
  const lines: string[] = [];
  model.summary({ print_fn: (l) => void lines.push(l) });
  model.summary((l) => void lines.push(l));
  assert.ok(lines.length > 4);
});
