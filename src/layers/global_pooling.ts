import * as P from '../core/primitives.js';
import type { Tensor } from '../core/tensor.js';
import { max, mean } from '../ops/reduce.js';
import type { Config } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import type { Spelled } from '../utils/options.js';
import { optionNames } from '../utils/options.js';
import type { DataFormat } from './flatten.js';
import type { CallOptions, LayerArgs, SymbolicShape } from './layer.js';
import { LAYER_OPTIONS, Layer } from './layer.js';
import { checkRank, dataFormatOption } from './conv_options.js';
import { boolOption } from './validation.js';

export interface GlobalPoolingArgs extends LayerArgs {
  dataFormat?: DataFormat | null;
  /** Keep the pooled axes as size 1 (default false: [batch, channels]). */
  keepdims?: boolean;
}

const GLOBAL_POOLING_OPTIONS = optionNames<GlobalPoolingArgs>({ ...LAYER_OPTIONS, dataFormat: true, keepdims: true });

/** Mean or max over every spatial axis: a reduction, so its gradient is the reductions' rule. */
abstract class GlobalPooling extends Layer {
  readonly dataFormat: DataFormat;
  readonly keepdims: boolean;

  constructor(args: GlobalPoolingArgs, readonly rank: 1 | 2, readonly mode: 'max' | 'avg') {
    super(args);
    this.dataFormat = dataFormatOption(this, args);
    this.keepdims = boolOption(this, args, 'keepdims', false);
  }

  private axes(): number[] {
    const first = this.dataFormat === 'channels_last' ? 1 : 2;
    return Array.from({ length: this.rank }, (_, i) => first + i);
  }

  call(inputs: Tensor, _options: CallOptions): Tensor {
    checkRank(this, inputs.shape, this.rank + 2);
    const x = inputs.dtype === 'float32' ? inputs : P.cast(inputs, 'float32');
    return this.mode === 'max' ? max(x, this.axes(), this.keepdims) : mean(x, this.axes(), this.keepdims);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    checkRank(this, inputShape, this.rank + 2);
    const axes = this.axes();
    if (this.keepdims) return inputShape.map((d, i) => (axes.includes(i) ? 1 : d));
    return inputShape.filter((_, i) => !axes.includes(i));
  }

  override getConfig(): Config {
    return { ...super.getConfig(), data_format: this.dataFormat, keepdims: this.keepdims };
  }
}

/**
 * The mean of each channel over height and width: [batch, h, w, c] → [batch, c].
 *
 * ```ts
 * kiln.layers.globalAveragePooling2d();
 * ```
 */
export class GlobalAveragePooling2D extends GlobalPooling {
  static override readonly className = 'GlobalAveragePooling2D';
  static override readonly optionNames = GLOBAL_POOLING_OPTIONS;
  constructor(args: Spelled<GlobalPoolingArgs> = {}) {
    super(args as GlobalPoolingArgs, 2, 'avg');
  }
}

/** The largest value of each channel over height and width. */
export class GlobalMaxPooling2D extends GlobalPooling {
  static override readonly className = 'GlobalMaxPooling2D';
  static override readonly optionNames = GLOBAL_POOLING_OPTIONS;
  constructor(args: Spelled<GlobalPoolingArgs> = {}) {
    super(args as GlobalPoolingArgs, 2, 'max');
  }
}

/** The mean of each channel over the steps: [batch, steps, c] → [batch, c]. */
export class GlobalAveragePooling1D extends GlobalPooling {
  static override readonly className = 'GlobalAveragePooling1D';
  static override readonly optionNames = GLOBAL_POOLING_OPTIONS;
  constructor(args: Spelled<GlobalPoolingArgs> = {}) {
    super(args as GlobalPoolingArgs, 1, 'avg');
  }
}

/** The largest value of each channel over the steps. */
export class GlobalMaxPooling1D extends GlobalPooling {
  static override readonly className = 'GlobalMaxPooling1D';
  static override readonly optionNames = GLOBAL_POOLING_OPTIONS;
  constructor(args: Spelled<GlobalPoolingArgs> = {}) {
    super(args as GlobalPoolingArgs, 1, 'max');
  }
}

for (const cls of [GlobalAveragePooling2D, GlobalMaxPooling2D, GlobalAveragePooling1D, GlobalMaxPooling1D]) registerClass(cls, { module: 'keras.layers' });
