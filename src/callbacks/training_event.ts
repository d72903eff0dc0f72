/**
 * What the training-health monitor raises: one strange occurrence, with where it happened, the
 * numbers it saw and what to do. Events go into `history.events`, print under the progress bar,
 * and are written by the JSONL logger (the run record the report and the CLI read).
 */
export interface TrainingEvent {
  /** What was seen, e.g. `'non_finite'`, `'overfitting'`, `'dead_relu'` (see {@link TrainingEventKind}). */
  kind: TrainingEventKind;
  /** 'error' when training is broken (NaN, divergence), 'warning' when it is likely wrong. */
  severity: 'error' | 'warning';
  /** 0-based epoch it was seen in (`-1`: before training, for the data checks when fit starts). */
  epoch: number;
  /** 0-based global training step (batches since the first epoch), or null for epoch-level checks. */
  step: number | null;
  /** The layer it concerns, where it concerns one. */
  layer?: string;
  /** One line saying what was seen. */
  message: string;
  /** The numbers behind it (a loss, a norm, a share of units, column indices, …). */
  evidence: Record<string, number | string | boolean | number[] | string[] | null>;
  /** One line saying what to do about it. */
  remedy: string;
}

export type TrainingEventKind =
  | 'non_finite'
  | 'loss_spike'
  | 'divergence'
  | 'exploding_gradients'
  | 'vanishing_gradients'
  | 'dead_relu'
  | 'plateau'
  | 'lr_too_high'
  | 'lr_too_low'
  | 'overfitting'
  | 'class_imbalance'
  | 'constant_feature'
  | 'feature_scale'
  | 'target_leak'
  | 'train_val_overlap'
  | 'validation_missing_class';

/** An event as one line of text, as it prints under the progress bar. */
export function formatTrainingEvent(e: TrainingEvent): string {
  const where = e.epoch < 0 ? 'before training' : `epoch ${e.epoch + 1}${e.step === null ? '' : `, step ${e.step + 1}`}`;
  const layer = e.layer ? ` [${e.layer}]` : '';
  return `kiln monitor ${e.severity} (${e.kind}, ${where})${layer}: ${e.message} — ${e.remedy}`;
}
