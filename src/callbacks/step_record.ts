/**
 * What one training step tells the callbacks that watch inside it (`Callback.onTrainStep`): the
 * batch's own loss every step, and on the steps a callback asked to inspect, per-layer statistics
 * taken from that same step's forward and backward pass (no second pass).
 */
export interface StepRecord {
  /** 0-based global training step (batches since the start of the first epoch). */
  step: number;
  epoch: number;
  /** 0-based batch within the epoch. */
  batch: number;
  /** Rows in the batch. */
  batchSize: number;
  /** This batch's total loss (not the epoch's running mean the progress bar shows). */
  loss: number;
  /**
   * Per-layer statistics, in forward order; present on inspected steps, and on any step whose loss
   * is not finite (so the first layer where it appeared can be named).
   */
  layers?: LayerStepStats[];
}

export interface LayerStepStats {
  name: string;
  className: string;
  /** The layer's activation when it has one ('relu', 'softmax', …; a ReLU layer is 'relu'). */
  activation: string | null;
  /** L2 norm of this step's gradient over the layer's trainable weights (null: none). */
  gradNorm: number | null;
  /** L2 norm of the layer's trainable weights before this step's update (null: none). */
  weightNorm: number | null;
  /** Whether every weight was finite before the update. */
  weightsFinite: boolean;
  /** Whether every value of the layer's output in this step's forward pass was finite. */
  outputFinite: boolean;
  /**
   * For ReLU-like layers: per output unit (last axis), 1 when the unit was positive for at least
   * one sample of the batch. Dead-unit detection ORs these over an epoch.
   */
  activeUnits?: Uint8Array;
  /** The gradients' values per trainable weight, only when a callback asked for `{ gradients: true }`. */
  gradients?: { name: string; values: Float32Array }[];
}
