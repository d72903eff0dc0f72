import assert from 'node:assert/strict';
import type { Tensor } from '../../src/core/tensor.js';
import type { Layer } from '../../src/layers/layer.js';
import type { Config, Serializable, SerializableClass } from '../../src/serialization/registry.js';
import { deserialize, getRegisteredClass, serialize } from '../../src/serialization/registry.js';

/**
 * The one serialization check every serializable class goes through (Keras's
 * `run_class_serialization_test`):
 * - the config is plain JSON (survives `JSON.stringify`/`parse` unchanged);
 * - `fromConfig(getConfig())` gives an instance of the same class with an identical config;
 * - the class is registered under its `className`, and `deserialize(serialize(obj))` (through JSON)
 *   gives the same config — so a saved model can find it;
 * - optionally, the config has exactly Keras's keys.
 * Returns the rebuilt object.
 *
 * ```ts
 * checkConfigRoundTrip(new kiln.layers.Dropout({ rate: 0.5 }), { expectedKeys: ['name', 'trainable', 'dtype', 'rate', 'seed', 'noise_shape'] });
 * ```
 */
export function checkConfigRoundTrip<T extends Serializable>(obj: T, options: { expectedKeys?: readonly string[] } = {}): T {
  const cls = obj.constructor as unknown as SerializableClass<T>;
  const label = cls.className ?? '<no className>';
  assert.equal(typeof cls.className, 'string', `${label}: the class needs a static className`);
  assert.ok(Object.hasOwn(cls, 'className'), `${label}: className must be declared on the class itself, not inherited`);
  assert.equal(typeof cls.fromConfig, 'function', `${label}: the class needs a static fromConfig`);

  const config = obj.getConfig();
  const json = JSON.parse(JSON.stringify(config)) as Config;
  assert.deepEqual(json, config, `${label}: getConfig() must be plain JSON (no undefined, functions, tensors or NaN)`);
  if (options.expectedKeys) {
    assert.deepEqual(Object.keys(config).sort(), [...options.expectedKeys].sort(), `${label}: config keys differ from Keras's`);
  }

  const clone = cls.fromConfig(json);
  assert.ok(clone instanceof (cls as unknown as new (...a: never[]) => T), `${label}: fromConfig returned another class`);
  assert.deepEqual(clone.getConfig(), config, `${label}: fromConfig(getConfig()).getConfig() differs`);

  assert.equal(getRegisteredClass(cls.className), cls, `${label}: not registered under its className (registerClass)`);
  const viaRegistry = deserialize<T>(JSON.parse(JSON.stringify(serialize(obj as T & { constructor: unknown }))));
  assert.ok(viaRegistry instanceof (cls as unknown as new (...a: never[]) => T), `${label}: deserialize returned another class`);
  assert.deepEqual(viaRegistry.getConfig(), config, `${label}: deserialize(serialize(obj)) changed the config`);
  return clone;
}

/**
 * `checkConfigRoundTrip` for a layer, plus behaviour: the layer is run on `input` first (so it is
 * built — some configs change at build, like LayerNormalization's axis), the rebuilt layer gets the
 * same weights, and both must then give bit-identical outputs, the same weight names, shapes and
 * trainability, and the same config once built. Returns the rebuilt layer.
 *
 * ```ts
 * checkLayerRoundTrip(kiln.layers.batchNormalization(), { input: kiln.randomNormal([4, 3]), training: true });
 * ```
 */
export function checkLayerRoundTrip<L extends Layer>(
  layer: L,
  options: { input?: Tensor; training?: boolean; expectedKeys?: readonly string[] } = {},
): L {
  const { input, training = false } = options;
  if (input) layer.apply(input, { training });
  const clone = checkConfigRoundTrip(layer, options);
  const label = `${(layer.constructor as typeof Layer).className} '${layer.name}'`;
  if (!input) return clone;

  clone.apply(input, { training });
  const describe = (l: Layer) => l.weights.map((w) => ({ name: w.name, shape: [...w.shape], trainable: w.trainable }));
  assert.deepEqual(describe(clone), describe(layer), `${label}: rebuilt layer has different weights`);
  assert.deepEqual(clone.getConfig(), layer.getConfig(), `${label}: rebuilt layer's config differs once built`);
  clone.setWeights(layer.getWeights());
  // A layer with several outputs (an RNN with returnState) returns a list: every output is compared.
  const list = (t: Tensor | Tensor[]) => (Array.isArray(t) ? t : [t]);
  const expected = list(layer.apply(input, { training }) as Tensor | Tensor[]);
  const actual = list(clone.apply(input, { training }) as Tensor | Tensor[]);
  assert.equal(actual.length, expected.length, `${label}: number of outputs differs`);
  actual.forEach((a, i) => {
    assert.deepEqual(a.shape, expected[i]!.shape, `${label}: output ${i} shapes differ`);
    assert.deepEqual(Array.from(a.dataSync()), Array.from(expected[i]!.dataSync()), `${label}: output ${i} differs with identical weights`);
  });
  assert.deepEqual(
    clone.getWeights().map((w) => Array.from(w.dataSync())),
    layer.getWeights().map((w) => Array.from(w.dataSync())),
    `${label}: weights (or state updates) diverged after one call`,
  );
  return clone;
}

/** The base keys every kiln layer writes (Keras 3's Layer.get_config). */
export const LAYER_BASE_KEYS = ['name', 'trainable', 'dtype'] as const;
