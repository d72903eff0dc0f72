import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kiln from '../../src/index.js';
import type { Tensor, Variable } from '../../src/index.js';
import type { Config } from '../../src/serialization/registry.js';
import { tempDir } from './helpers.js';

// A user layer made saveable with kiln.registerClass: it round-trips through every format that
// stores classes by name, weights and config included; loading it unregistered is refused.
class Scale extends kiln.layers.Layer {
  static override readonly className = 'Scale';
  readonly init: number;
  scale: Variable | null = null;
  constructor(args: { init?: number; name?: string } = {}) {
    super(args);
    this.init = args.init ?? 1;
  }
  override build(shape: (number | null)[]): void {
    this.scale = this.addWeight('scale', [shape[shape.length - 1]!], { class_name: 'Constant', config: { value: this.init } });
    super.build(shape);
  }
  override call(x: Tensor): Tensor {
    return kiln.mul(x, this.scale!);
  }
  override getConfig(): Config {
    return { ...super.getConfig(), init: this.init };
  }
  static override fromConfig(config: Config): Scale {
    return new Scale(config as { init?: number; name?: string });
  }
}
kiln.registerClass(Scale);

test('a registered custom layer saves and loads (.keras, .h5) with its config and weights', async () => {
  const t = tempDir();
  try {
    kiln.setSeed(5);
    const model = kiln.sequential([kiln.layers.dense({ units: 3, inputShape: [4] }), new Scale({ init: 2.5 })]);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    await model.fit(kiln.randomNormal([16, 4]), kiln.randomNormal([16, 3]), { epochs: 2, verbose: 0 });
    const x = kiln.randomNormal([5, 4]);
    const expected = model.predict(x).arraySync();
    for (const file of ['custom.keras', 'custom.h5']) {
      await model.save(t.path(file));
      const loaded = await kiln.loadModel(t.path(file));
      const scale = loaded.layers[1]!;
      assert.ok(scale instanceof Scale, `${file}: the layer comes back as the registered class`);
      assert.equal((scale as Scale).init, 2.5, `${file}: its config comes back`);
      assert.deepEqual(loaded.predict(x).arraySync(), expected, `${file}: identical predictions (trained weights included)`);
    }
  } finally {
    t.cleanup();
  }
});
