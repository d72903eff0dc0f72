import type { Tensor } from '../core/tensor.js';
import { ValueError } from '../errors.js';
import type { CustomActivations, CustomNames, NamesOf, Spellings } from '../serialization/names.js';
import { NameTable } from '../serialization/names.js';
import * as F from './functions.js';

export * from './functions.js';

/** An activation: a named elementwise (or last-axis) function of a tensor. */
export interface Activation {
  /** The Keras name written to configs ('relu', 'softmax', …). */
  readonly name: string;
  readonly fn: (x: Tensor) => Tensor;
}

/**
 * Every built-in activation, looked up by Keras snake_case or tfjs camelCase ('log_softmax' ==
 * 'logSoftmax'). The first name of each entry is the one Keras 3 writes to configs; the others
 * are aliases Keras 3 (or Keras 2 / tfjs) also accepts.
 */
const BUILTIN_ACTIVATIONS = [
  [['linear', 'identity'], F.linear],
  [['relu'], F.relu],
  [['relu6'], F.relu6],
  [['leaky_relu'], (x) => F.leakyRelu(x)],
  [['elu'], (x) => F.elu(x)],
  [['selu'], F.selu],
  [['sigmoid'], F.sigmoid],
  [['hard_sigmoid'], F.hardSigmoid],
  // Keras 2's and tfjs's hard_sigmoid, clip(0.2·x + 0.5, 0, 1): what 'hard_sigmoid' means in their files.
  [['hard_sigmoid_keras2'], F.hardSigmoidKeras2],
  [['tanh'], F.tanh],
  [['softmax'], (x) => F.softmax(x)],
  [['log_softmax'], (x) => F.logSoftmax(x)],
  [['softplus'], F.softplus],
  [['softsign'], F.softsign],
  // Keras 3 registers the function `silu` and adds 'swish' as an alias, so configs say 'silu'.
  [['silu', 'swish'], F.silu],
  [['hard_silu', 'hard_swish'], F.hardSilu],
  [['gelu'], (x) => F.gelu(x, false)],
  // tfjs's name for the tanh-approximated GELU; Keras 3 has no string for it.
  [['gelu_new'], (x) => F.gelu(x, true)],
  [['exponential'], F.exponential],
  [['mish'], F.mish],
] as const satisfies readonly (readonly [readonly string[], (x: Tensor) => Tensor])[];

const table = new NameTable<Activation>('activation');
for (const [names, fn] of BUILTIN_ACTIVATIONS) table.add(names, { name: names[0], fn });

/** The built-in activation names, as Keras writes them ('relu', 'log_softmax', …). */
export type BuiltinActivationName = NamesOf<typeof BUILTIN_ACTIVATIONS>;

/**
 * An activation name: a built-in one in Keras snake_case, tfjs camelCase or PascalCase
 * ('log_softmax', 'logSoftmax'), or a custom one declared in `CustomActivations`. A typo such as
 * 'softmaxx' fails to compile.
 */
export type ActivationName = Spellings<BuiltinActivationName> | CustomNames<CustomActivations>;

/**
 * An activation as layer options take it: a known name, an `Activation`, a function, or Keras's
 * serialized function form. (`getActivation` also takes any string, as read from a file.)
 */
export type ActivationIdentifier =
  | ActivationName
  | Activation
  | ((x: Tensor) => Tensor)
  | { class_name: string; config: unknown }
  | null
  | undefined;

/**
 * Resolves an activation by Keras or tfjs name, passes an `Activation` through, or wraps a
 * function. `null`/`undefined` mean linear, as in Keras. Keras 3's serialized form of a function,
 * `{class_name: 'function', config: 'relu'}`, is accepted too.
 *
 * ```ts
 * kiln.activations.get('relu').fn(kiln.tensor([-1, 2])); // [0, 2]
 * kiln.activations.get('logSoftmax').name;               // 'log_softmax'
 * ```
 */
export function getActivation(identifier: ActivationIdentifier | string): Activation {
  if (identifier === null || identifier === undefined) return table.get('linear');
  if (typeof identifier === 'string') return table.get(identifier, 'activation');
  if (typeof identifier === 'function') return { name: identifier.name || 'custom', fn: identifier };
  if (typeof identifier === 'object') {
    if ('fn' in identifier && typeof identifier.fn === 'function' && typeof identifier.name === 'string') return identifier;
    if ('class_name' in identifier && typeof identifier.config === 'string') return table.get(identifier.config, 'activation');
  }
  throw new ValueError(`activation: expected a name, a function or {name, fn}, found ${JSON.stringify(identifier)?.slice(0, 200)}`);
}

/**
 * Makes a custom activation loadable by name (a model file never runs code, so a config that
 * names 'my_act' only loads after it is registered).
 *
 * ```ts
 * kiln.activations.register('square_plus', (x) => kiln.add(x, kiln.square(x)));
 * kiln.layers.dense({ units: 4, activation: 'square_plus' });
 * ```
 */
export function registerActivation(name: string, fn: (x: Tensor) => Tensor): Activation {
  if (!name || typeof name !== 'string') throw new ValueError(`registerActivation: expected a non-empty name, found ${JSON.stringify(name)}`);
  if (typeof fn !== 'function') throw new ValueError(`registerActivation '${name}': expected a function, found ${typeof fn}`);
  const a: Activation = { name, fn };
  table.add([name], a);
  return a;
}

/** The Keras names of every known activation (built-in and registered). */
export function activationNames(): string[] {
  return table.names();
}

/** The config form of an activation: its Keras name. */
export function serializeActivation(a: Activation): string {
  return a.name;
}

// Keras-style short names inside the namespace: `kiln.activations.get('relu')`.
export { getActivation as get, serializeActivation as serialize, registerActivation as register };
