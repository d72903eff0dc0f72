import * as P from '../core/primitives.js';
import type { Tensor, Variable } from '../core/tensor.js';
import { ShapeError, ValueError } from '../errors.js';
import type { Initializer, InitializerIdentifier } from '../initializers/index.js';
import { getInitializer, serializeInitializer } from '../initializers/index.js';
import type { Regularizer, RegularizerIdentifier } from '../regularizers/index.js';
import { getRegularizer, serializeRegularizer } from '../regularizers/index.js';
import type { Config } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import { option } from '../utils/args.js';
import type { Spelled } from '../utils/options.js';
import { optionNames } from '../utils/options.js';
import type { CallOptions, LayerArgs, SymbolicShape } from './layer.js';
import { LAYER_OPTIONS, Layer } from './layer.js';
import { boolOption, layerLabel, rejectConstraints, resolveNamed, show } from './validation.js';

export interface EmbeddingArgs extends LayerArgs {
  /** Size of the vocabulary: indices must lie in [0, inputDim). */
  inputDim: number;
  /** Length of each embedding vector. */
  outputDim: number;
  embeddingsInitializer?: InitializerIdentifier | Initializer;
  embeddingsRegularizer?: RegularizerIdentifier | Regularizer | null;
  /** Only null: kiln has no weight constraints yet. */
  embeddingsConstraint?: null;
  /** Treat index 0 as padding: the layer emits a mask (index != 0) for the layers after it. */
  maskZero?: boolean;
}

/**
 * Turns integer indices into dense vectors: row `i` of an `[inputDim, outputDim]` table for each
 * index `i`. Indices may be int32 or integer-valued floats (what `kiln.tensor([[1, 2]])` makes);
 * the output has the input's shape plus `outputDim`. The forward pass is the `gather` primitive, so
 * the table's gradient is its `scatterAdd` (rows that were looked up twice get both gradients).
 *
 * ```ts
 * const emb = kiln.layers.embedding({ inputDim: 1000, outputDim: 16, maskZero: true });
 * emb.apply(kiln.tensor([[4, 20, 0]])); // [1, 3, 16]; its mask is [[1, 1, 0]]
 * ```
 */
export class Embedding extends Layer {
  static override readonly className = 'Embedding';
  static override readonly optionNames = optionNames<EmbeddingArgs>({
    ...LAYER_OPTIONS, inputDim: true, outputDim: true, embeddingsInitializer: true, embeddingsRegularizer: true, embeddingsConstraint: true, maskZero: true,
  });
  readonly inputDim: number;
  readonly outputDim: number;
  readonly maskZero: boolean;
  readonly embeddingsInitializer: Initializer;
  readonly embeddingsRegularizer: Regularizer | null;
  embeddings: Variable | null = null;

  constructor(args: Spelled<EmbeddingArgs>) {
    super(args);
    this.inputDim = this.positiveInt(option(args, 'inputDim'), 'input_dim');
    this.outputDim = this.positiveInt(option(args, 'outputDim'), 'output_dim');
    this.maskZero = boolOption(this, args, 'maskZero', false);
    this.embeddingsInitializer = resolveNamed(this, 'embeddingsInitializer', () => getInitializer(option(args, 'embeddingsInitializer') ?? 'uniform'));
    this.embeddingsRegularizer = resolveNamed(this, 'embeddingsRegularizer', () => getRegularizer(option(args, 'embeddingsRegularizer')));
    rejectConstraints(this, args, ['embeddingsConstraint']);
    // The output mask is only the input's "!= 0"; every other masking question is the next layer's.
    this.supportsMasking = this.maskZero;
  }

  private positiveInt(value: unknown, name: string): number {
    if (!Number.isInteger(value) || (value as number) <= 0) {
      throw new ValueError(`${layerLabel(this)}: ${name} must be a positive integer, found ${show(value)}`);
    }
    return value as number;
  }

  override build(inputShape: SymbolicShape): void {
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim], this.embeddingsInitializer, { regularizer: this.embeddingsRegularizer });
    super.build(inputShape);
  }

  call(x: Tensor, _options: CallOptions): Tensor {
    return P.gather(this.embeddings!, this.indices(x), 0, false);
  }

  /**
   * The input as checked int32 indices. The check runs here rather than in `gather` so the error
   * names this layer and its input_dim: "index 25 … out of range" alone is hard to place in a model.
   */
  private indices(x: Tensor): Tensor {
    const values = x.dataSync();
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isInteger(v) || v < 0 || v >= this.inputDim) {
        const why = Number.isInteger(v) ? `is out of range [0, ${this.inputDim}) (input_dim ${this.inputDim})` : 'is not an integer';
        throw new ValueError(`${layerLabel(this)}: index ${v} at flat position ${i} of the input ${why}`);
      }
    }
    return x.dtype === 'int32' ? x : P.cast(x, 'int32');
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape, this.outputDim];
  }

  /** With `maskZero`, 1 where the index is not 0 (the padding index), else no mask. */
  override computeMask(inputs: Tensor, _mask: Tensor | null): Tensor | null {
    return this.maskZero ? P.binary('notEqual', inputs, P.fill([], 0, inputs.dtype)) : null;
  }

  /** Any shape of indices works (sequence lengths may vary between calls), as long as it has a batch dimension. */
  override assertInputCompatible(shape: readonly number[]): void {
    if (shape.length < 1) throw new ShapeError(`${layerLabel(this)}: expected indices with a batch dimension, found a scalar`);
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      input_dim: this.inputDim,
      output_dim: this.outputDim,
      embeddings_initializer: serializeInitializer(this.embeddingsInitializer),
      embeddings_regularizer: serializeRegularizer(this.embeddingsRegularizer),
      activity_regularizer: serializeRegularizer(this.activityRegularizer),
      embeddings_constraint: null,
      mask_zero: this.maskZero,
    };
  }
}
registerClass(Embedding, { module: 'keras.layers' });
