import { ValueError } from '../errors.js';
import type { CustomInitializers, CustomNames, NamesOf, Spellings } from '../serialization/names.js';
import { NameTable } from '../serialization/names.js';
import type { Config, SerializedObject } from '../serialization/registry.js';
import { deserialize, serialize } from '../serialization/registry.js';
import { construct } from '../serialization/construct.js';
import { Constant, Identity, Ones, Zeros } from './constant.js';
import type { SeedArgs } from './initializer.js';
import { Initializer } from './initializer.js';
import { Orthogonal } from './orthogonal.js';
import type { OrthogonalArgs } from './orthogonal.js';
import { RandomNormal, RandomUniform, TruncatedNormal } from './random.js';
import type { RandomNormalArgs, RandomUniformArgs } from './random.js';
import {
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  VarianceScaling,
} from './variance_scaling.js';
import type { VarianceScalingArgs } from './variance_scaling.js';

export { Initializer, RandomInitializer } from './initializer.js';
export type { SeedArgs } from './initializer.js';
export { Constant, Identity, Ones, Zeros } from './constant.js';
export { RandomNormal, RandomUniform, TruncatedNormal } from './random.js';
export type { RandomNormalArgs, RandomUniformArgs } from './random.js';
export {
  computeFans,
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  TRUNCATED_STDDEV_FACTOR,
  VarianceScaling,
} from './variance_scaling.js';
export type { FanMode, ScalingDistribution, VarianceScalingArgs } from './variance_scaling.js';
export { Orthogonal } from './orthogonal.js';
export type { OrthogonalArgs } from './orthogonal.js';

interface InitializerClass {
  readonly className: string;
  fromConfig(config: Config): Initializer;
}

/**
 * The built-in initializers by Keras class name, Keras function name and tfjs name
 * ('GlorotUniform' == 'glorot_uniform' == 'glorotUniform'), plus Keras's aliases. Configs are
 * resolved here before the global registry, the way Keras looks in its module's objects first, so
 * a layer class that shares a name (Keras's `Identity` layer) cannot shadow an initializer.
 */
const BUILTIN_INITIALIZERS = [
  [['zeros', 'zero'], Zeros],
  [['ones', 'one'], Ones],
  [['constant'], Constant],
  [['identity', 'IdentityInitializer'], Identity],
  [['random_uniform', 'uniform'], RandomUniform],
  [['random_normal', 'normal'], RandomNormal],
  [['truncated_normal'], TruncatedNormal],
  [['variance_scaling'], VarianceScaling],
  [['glorot_uniform'], GlorotUniform],
  [['glorot_normal'], GlorotNormal],
  [['he_normal'], HeNormal],
  [['he_uniform'], HeUniform],
  [['lecun_normal'], LecunNormal],
  [['lecun_uniform'], LecunUniform],
  [['orthogonal', 'OrthogonalInitializer'], Orthogonal],
] as const;

const table = new NameTable<InitializerClass>('initializer');
for (const [names, value] of BUILTIN_INITIALIZERS) table.add(names, value);

/** The built-in initializer names (Keras function names, their aliases, and two Keras 2 class names). */
export type BuiltinInitializerName = NamesOf<typeof BUILTIN_INITIALIZERS>;

/** An initializer name: a built-in one ('he_normal', 'heNormal', 'HeNormal') or one declared in `CustomInitializers`. */
export type InitializerName = Spellings<BuiltinInitializerName> | CustomNames<CustomInitializers>;

/** An initializer as options take it: a name, an instance, or a `{class_name, config}` object (`getInitializer` also takes any string). */
export type InitializerIdentifier = InitializerName | Initializer | SerializedObject;

/**
 * Resolves an initializer by Keras or tfjs name (with default options), passes an instance
 * through, or builds one from `{class_name, config}` (tfjs's `{className, config}` too). Custom
 * classes are found in the registry once registered with `kiln.registerClass`.
 *
 * ```ts
 * kiln.initializers.get('he_normal');
 * kiln.initializers.get({ class_name: 'RandomNormal', config: { stddev: 0.02, seed: null } });
 * ```
 */
export function getInitializer(identifier: InitializerIdentifier | string): Initializer {
  if (identifier instanceof Initializer) return identifier;
  if (typeof identifier === 'string') return table.get(identifier, 'initializer').fromConfig({});
  if (identifier && typeof identifier === 'object') {
    const spec = identifier as Partial<SerializedObject> & { className?: string };
    const className = spec.class_name ?? spec.className;
    if (typeof className === 'string') {
      const config = (spec.config ?? {}) as Config;
      if (table.has(className)) return table.get(className).fromConfig(config);
      const obj = deserialize({ ...spec, class_name: className, config }, 'initializer', 'keras.initializers');
      if (obj instanceof Initializer) return obj;
      throw new ValueError(`initializer: class '${className}' is registered but is not an Initializer`);
    }
  }
  throw new ValueError(
    `initializer: expected a name, an Initializer or {class_name, config}, found ${JSON.stringify(identifier)?.slice(0, 200)}`,
  );
}

/** The config form: `{ class_name, config }` like Keras. */
export function serializeInitializer(identifier: InitializerIdentifier | string): SerializedObject {
  return serialize(getInitializer(identifier));
}

/** Keras names of the built-in initializers. */
export function initializerNames(): string[] {
  return table.names();
}

// Factories in tfjs's style: `kiln.initializers.glorotUniform({ seed: 1 })`.
export const zeros = (): Initializer => new Zeros();
export const ones = (): Initializer => new Ones();
export const constant = (args: { value?: number } = {}): Initializer => construct(Constant, args);
export const identity = (args: { gain?: number } = {}): Initializer => construct(Identity, args);
export const randomUniform = (args: RandomUniformArgs = {}): Initializer => construct(RandomUniform, args);
export const randomNormal = (args: RandomNormalArgs = {}): Initializer => construct(RandomNormal, args);
export const truncatedNormal = (args: RandomNormalArgs = {}): Initializer => construct(TruncatedNormal, args);
export const varianceScaling = (args: VarianceScalingArgs = {}): Initializer => construct(VarianceScaling, args);
export const glorotUniform = (args: SeedArgs = {}): Initializer => construct(GlorotUniform, args);
export const glorotNormal = (args: SeedArgs = {}): Initializer => construct(GlorotNormal, args);
export const heNormal = (args: SeedArgs = {}): Initializer => construct(HeNormal, args);
export const heUniform = (args: SeedArgs = {}): Initializer => construct(HeUniform, args);
export const lecunNormal = (args: SeedArgs = {}): Initializer => construct(LecunNormal, args);
export const lecunUniform = (args: SeedArgs = {}): Initializer => construct(LecunUniform, args);
export const orthogonal = (args: OrthogonalArgs = {}): Initializer => construct(Orthogonal, args);

// Keras-style short names inside the namespace: `kiln.initializers.get('he_normal')`.
export { getInitializer as get, serializeInitializer as serialize };
