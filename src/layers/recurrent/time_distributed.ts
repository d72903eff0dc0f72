import * as P from '../../core/primitives.js';
import { formatShape } from '../../core/shape.js';
import type { Tensor, Variable } from '../../core/tensor.js';
import { ShapeError, ValueError } from '../../errors.js';
import type { Config, SerializedObject } from '../../serialization/registry.js';
import { deserialize, registerClass, serialize } from '../../serialization/registry.js';
import { option } from '../../utils/args.js';
import type { Spelled } from '../../utils/options.js';
import { optionNames } from '../../utils/options.js';
import type { CallOptions, LayerArgs, SymbolicShape } from '../layer.js';
import { LAYER_OPTIONS, Layer } from '../layer.js';
import { layerLabel, show } from '../validation.js';
import type { WeightGroup } from '../weight_groups.js';
import { weightGroupsOf } from '../weight_groups.js';

export interface TimeDistributedArgs extends LayerArgs {
  /** The layer applied to every timestep (the same weights each time), or its config. */
  layer: Layer | SerializedObject;
}

/**
 * Applies a layer to every timestep of [batch, time, …] independently, with shared weights, as
 * Keras's TimeDistributed. The timesteps are folded into the batch ([batch·time, …]) so the inner
 * layer runs once, then the time axis is restored.
 *
 * ```ts
 * kiln.layers.timeDistributed({ layer: kiln.layers.dense({ units: 4 }) }); // [b, t, f] → [b, t, 4]
 * ```
 */
export class TimeDistributed extends Layer {
  static override readonly className = 'TimeDistributed';
  static override readonly optionNames = optionNames<TimeDistributedArgs>({ ...LAYER_OPTIONS, layer: true });
  // Keras 3.16's TimeDistributed has supports_masking = False: the layers after it see no mask
  // (it hands each timestep's mask slice to an inner layer that takes one, which no per-step
  // kiln layer does). Matching it keeps Keras models predicting the same in kiln.
  override supportsMasking = false;
  readonly layer: Layer;

  constructor(args: Spelled<TimeDistributedArgs>) {
    super(args);
    const layer = option<unknown>(args, 'layer');
    if (layer instanceof Layer) this.layer = layer;
    else if (layer && typeof layer === 'object' && typeof (layer as SerializedObject).class_name === 'string') {
      this.layer = deserialize<Layer>(layer as SerializedObject, layerLabel(this), 'keras.layers');
    } else throw new ValueError(`${layerLabel(this)}: layer must be a layer (e.g. kiln.layers.dense({...})), found ${show(layer)}`);
  }

  private check(shape: readonly (number | null)[]): void {
    if (shape.length < 3) {
      throw new ShapeError(`${layerLabel(this)}: expected an input of rank >= 3 [batch, timesteps, …], found shape ${formatShape(shape)}`);
    }
  }

  override build(inputShape: SymbolicShape): void {
    this.check(inputShape);
    this.layer.ensureBuilt([null, ...inputShape.slice(2)]);
    super.build(inputShape);
  }

  override assertInputCompatible(shape: readonly number[]): void {
    this.check(shape);
    this.layer.assertInputCompatible([shape[0]! * shape[1]!, ...shape.slice(2)]);
  }

  override get weights(): Variable[] {
    return this.layer.weights;
  }

  override regularizationLosses(): Tensor[] {
    return [...this.layer.regularizationLosses(), ...this.activityLosses];
  }

  override setTrainable(trainable: boolean): void {
    super.setTrainable(trainable);
    this.layer.setTrainable(trainable);
  }

  call(x: Tensor, options: CallOptions): Tensor {
    const [batch, steps] = x.shape as [number, number];
    const folded = P.reshape(x, [batch * steps, ...x.shape.slice(2)]);
    const y = this.layer.apply(folded, { training: options.training });
    return P.reshape(y, [batch, steps, ...y.shape.slice(1)]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const inner = this.layer.outputShapeFor([null, ...inputShape.slice(2)]);
    return [inputShape[0] ?? null, inputShape[1] ?? null, ...inner.slice(1)];
  }

  /** Keras 3 keeps the inner layer's variables under `<layer>/layer/vars`. */
  kerasWeightGroups(): WeightGroup[] {
    return [{ path: '', variables: [] }, ...weightGroupsOf(this.layer).map((g) => ({ path: g.path ? `layer/${g.path}` : 'layer', variables: g.variables }))];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), layer: serialize(this.layer) };
  }
}
registerClass(TimeDistributed, { module: 'keras.layers' });
