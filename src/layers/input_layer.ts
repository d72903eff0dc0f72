import type { DType } from '../core/dtype.js';
import * as P from '../core/primitives.js';
import type { Tensor } from '../core/tensor.js';
import { DTypeError, NotImplementedError, ValueError } from '../errors.js';
import type { Config } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import { option } from '../utils/args.js';
import type { Spelled } from '../utils/options.js';
import { optionNames } from '../utils/options.js';
import type { CallOptions, SymbolicShape } from './layer.js';
import { Layer, checkLayerOptions } from './layer.js';
import { layerLabel, show } from './validation.js';
import { KerasTensor } from './keras_tensor.js';
import { Node } from './node.js';

/**
 * Options of an input layer. Give the shape of one sample (`shape`, or tfjs's `inputShape`) or the
 * full shape with the batch dimension (`batchShape`, or tfjs's `batchInputShape`); `null` marks a
 * dimension of unknown size.
 */
export interface InputLayerArgs {
  shape?: readonly (number | null)[];
  batchShape?: readonly (number | null)[];
  batchSize?: number | null;
  /** tfjs spelling of `shape`. */
  inputShape?: readonly (number | null)[];
  /** tfjs / Keras 2 spelling of `batchShape`. */
  batchInputShape?: readonly (number | null)[];
  dtype?: DType | null;
  /** kiln has dense tensors only; `true` is refused. */
  sparse?: boolean | null;
  /** kiln has dense tensors only; `true` is refused. */
  ragged?: boolean | null;
  /** Accepted for Keras configs; a Sequential input is never optional. */
  optional?: boolean;
  name?: string;
}

const DTYPES: readonly DType[] = ['float32', 'int32'];

/**
 * The entry point of a model: declares the shape (and dtype) of the inputs. It has no weights; in a
 * model it passes its input through, converted to its dtype. Keras writes it as the first layer of
 * every saved Sequential model.
 *
 * ```ts
 * const inp = new kiln.layers.InputLayer({ shape: [784] });
 * inp.batchShape; // [null, 784]
 * ```
 */
export class InputLayer extends Layer {
  static override readonly className = 'InputLayer';
  static override readonly optionNames = optionNames<InputLayerArgs>({
    shape: true, batchShape: true, batchSize: true, inputShape: true, batchInputShape: true, dtype: true,
    sparse: true, ragged: true, optional: true, name: true,
  });
  /** The full input shape, batch dimension first (`null` where unknown). */
  readonly batchShape: SymbolicShape;
  readonly sparse = false;
  /** The symbolic tensor this layer feeds into a model (what `kiln.input` returns). */
  readonly output: KerasTensor;

  constructor(args: Spelled<InputLayerArgs>) {
    // Its base gets a new object (name and dtype only), so the check is made here.
    checkLayerOptions(InputLayer, args, InputLayer.optionNames);
    const dtype = option<DType | null>(args, 'dtype') ?? 'float32';
    super({ name: option<string>(args, 'name'), dtype });
    if (!DTYPES.includes(dtype)) {
      throw new DTypeError(`${layerLabel(this)}: dtype must be one of ${DTYPES.join(', ')}, found ${show(dtype)}`);
    }
    for (const flag of ['sparse', 'ragged'] as const) {
      if (option(args, flag)) throw new NotImplementedError(`${layerLabel(this)}: ${flag}=true is not supported (kiln tensors are dense)`);
    }
    this.batchShape = this.resolveBatchShape(args ?? {});
    this.batchInputShape = [...this.batchShape];
    // Built from the start (as in Keras): there is nothing to create, and `apply` then checks
    // every input against the declared shape, batch size included.
    this.builtInputShape = [...this.batchShape];
    this.built = true;
    this.output = new KerasTensor(this.batchShape, dtype, { layer: this, nodeIndex: 0, tensorIndex: 0 });
    this.inboundNodes.push(new Node(this, [], [this.output], false));
  }

  private resolveBatchShape(args: Spelled<InputLayerArgs>): SymbolicShape {
    // `?? undefined` folds an explicit null (as configs may carry) into "not given".
    const shape = option<readonly (number | null)[] | null>(args, 'shape') ?? option<readonly (number | null)[] | null>(args, 'inputShape') ?? undefined;
    const batchShape =
      option<readonly (number | null)[] | null>(args, 'batchShape') ?? option<readonly (number | null)[] | null>(args, 'batchInputShape') ?? undefined;
    const batchSize = option<number | null>(args, 'batchSize') ?? null;
    if (batchSize !== null && !(Number.isInteger(batchSize) && batchSize > 0)) {
      throw new ValueError(`${layerLabel(this)}: batch_size must be a positive integer or null, found ${show(batchSize)}`);
    }
    if (shape !== undefined && batchShape !== undefined) {
      throw new ValueError(`${layerLabel(this)}: pass either shape or batch_shape, not both (found shape=${show(shape)}, batch_shape=${show(batchShape)})`);
    }
    if (batchShape !== undefined && batchSize !== null) {
      throw new ValueError(`${layerLabel(this)}: pass either batch_size or batch_shape, not both`);
    }
    if (shape === undefined && batchShape === undefined) {
      throw new ValueError(`${layerLabel(this)}: a shape is required, e.g. { shape: [784] } (found neither shape nor batch_shape)`);
    }
    const full = batchShape !== undefined ? this.checkDims('batch_shape', batchShape) : [batchSize, ...this.checkDims('shape', shape!)];
    if (batchShape !== undefined && full.length === 0) {
      throw new ValueError(`${layerLabel(this)}: batch_shape needs at least the batch dimension, found []`);
    }
    return full;
  }

  private checkDims(arg: string, dims: unknown): SymbolicShape {
    const ok = Array.isArray(dims) && dims.every((d) => d === null || (Number.isInteger(d) && d >= 0));
    if (!ok) throw new ValueError(`${layerLabel(this)}: ${arg} must be a list of non-negative integers or null, found ${show(dims)}`);
    return [...(dims as (number | null)[])];
  }

  /** Passes the input through, converted to the declared dtype (Keras converts model inputs likewise). */
  call(x: Tensor, _options: CallOptions): Tensor {
    return x.dtype === this.dtype ? x : P.cast(x, this.dtype);
  }

  /**
   * Keras 3's InputLayer config: no `trainable`, the shape as `batch_shape`. Newer Keras (3.9+ and 3.13+) also
   * writes `ragged` and `optional`, which Keras 3.0 refuses; both are always false here, so they are
   * read but not written, and the file loads in every Keras 3.
   */
  override getConfig(): Config {
    return { batch_shape: [...this.batchShape], dtype: this.dtype, sparse: this.sparse, name: this.name };
  }
}
registerClass(InputLayer, { module: 'keras.layers' });

/** Options of `kiln.input`: the same as InputLayer's. */
export type InputArgs = Spelled<InputLayerArgs>;

/**
 * Declares a model's input, like `keras.Input`: a symbolic tensor to apply layers to and build a
 * functional model from, or to put first in a Sequential model instead of giving the first layer
 * an `inputShape`.
 *
 * ```ts
 * const inp = kiln.input({ shape: [784], name: 'pixels' });
 * const out = kiln.layers.dense({ units: 10, activation: 'softmax' }).apply(inp);
 * const model = kiln.model({ inputs: inp, outputs: out });
 * const same = kiln.sequential([kiln.input({ shape: [784] }), kiln.layers.dense({ units: 10 })]);
 * ```
 */
export function input(args: InputArgs): KerasTensor {
  return new InputLayer(args).output;
}
