import { RandomStream, randomStream } from '../../core/random.js';
import { ValueError } from '../../errors.js';
import { option } from '../../utils/args.js';
import type { Layer } from '../layer.js';
import { layerLabel, show } from '../validation.js';

/**
 * The `seed` option of the training-time random layers (noise and augmentation), read the same way
 * as Dropout's: without it the layer draws from kiln's seeded 'dropout' stream (so `kiln.setSeed`
 * makes it reproducible and weight initialization is unaffected); with it, the layer owns a stream
 * (Keras gives such a layer its own SeedGenerator), independent of the global seed.
 */
export class LayerRandom {
  readonly seed: number | null;
  private readonly own: RandomStream | null;

  constructor(layer: Layer, args: object | undefined, streamName: string) {
    const seed = option<unknown>(args, 'seed') ?? null;
    if (seed !== null && !Number.isInteger(seed)) throw new ValueError(`${layerLabel(layer)}: seed must be an integer or null, found ${show(seed)}`);
    this.seed = seed as number | null;
    this.own = this.seed === null ? null : new RandomStream(this.seed, streamName);
  }

  get stream(): RandomStream {
    return this.own ?? randomStream('dropout');
  }
}

/** Reads a rate in [0, 1) (1 would divide by zero in the rescaling); `required` refuses a missing one. */
export function rateOption(layer: Layer, args: object | undefined, name = 'rate'): number {
  const rate = option<unknown>(args, name);
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0 || rate >= 1) {
    throw new ValueError(`${layerLabel(layer)}: ${name} is required, a number in [0, 1), found ${show(rate)}`);
  }
  return rate;
}
