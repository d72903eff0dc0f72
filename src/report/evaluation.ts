import type { Tensor } from '../core/tensor.js';
import { formatShape } from '../core/shape.js';
import { ShapeError, ValueError } from '../errors.js';
import type { View } from '../metrics/input.js';
import { argmaxRow, toView } from '../metrics/input.js';
import type { TensorLike } from '../ops/creation.js';
import type { DataLike } from '../training/data_adapter.js';
import { option } from '../utils/args.js';
import { checkOptions, optionNames } from '../utils/options.js';
import type { DescribableModel } from './history_record.js';

/** What the evaluation shows: a classifier's ROC/PR/confusion matrix, or a regressor's errors. */
export type ReportTask = 'binary' | 'multiclass' | 'regression';

/** Evaluation data given as labels and predictions. */
export interface ReportEvaluationArrays {
  /** True labels (class indices, one-hot rows, 0/1) or regression targets. */
  yTrue: TensorLike;
  /** Predictions: probabilities [n] / [n, 1] (binary), scores [n, classes], or regression outputs. */
  yPred: TensorLike;
  /** One name per class (binary: 2), shown in the tables and legends. */
  classNames?: string[];
  /** Default: inferred from the shapes and values (see {@link report}). */
  task?: ReportTask;
}

/** A model that predicts, as the report uses it (kiln's Model). */
export interface EvaluationModel extends DescribableModel {
  predict(x: DataLike): Tensor;
}

/** Evaluation data given as a model and inputs: the report calls `model.predict(x)`. */
export interface ReportEvaluationModel {
  model: EvaluationModel;
  x: DataLike;
  /** True labels or targets for `x`. */
  y: TensorLike;
  classNames?: string[];
  task?: ReportTask;
}

export type ReportEvaluation = ReportEvaluationArrays | ReportEvaluationModel;

const ARRAY_OPTIONS = optionNames<ReportEvaluationArrays>({ yTrue: true, yPred: true, classNames: true, task: true });
const MODEL_OPTIONS = optionNames<ReportEvaluationModel>({ model: true, x: true, y: true, classNames: true, task: true });

/** Evaluation data checked and flattened, ready for the computations. */
export type PreparedEvaluation =
  | { task: 'binary'; labels: number[]; scores: number[]; classNames: string[] }
  | { task: 'multiclass'; labels: number[]; scores: ArrayLike<number>; numClasses: number; classNames: string[] }
  | { task: 'regression'; actual: number[]; predicted: number[]; outputs: number };

const WHERE = 'report';

/**
 * Checks `options.evaluation`, runs the model when one is given, infers the task when it is not
 * said, and returns flat arrays. Task inference: predictions with a last dimension above 1 are
 * class scores (multiclass); one column (or rank 1) of values in [0, 1] against 0/1 labels is a
 * binary classifier; anything else is a regression.
 */
export function prepareEvaluation(evaluation: ReportEvaluation): PreparedEvaluation {
  if (typeof evaluation !== 'object' || evaluation === null || Array.isArray(evaluation)) {
    throw new ValueError(`${WHERE}: evaluation must be { yTrue, yPred } or { model, x, y }, found ${evaluation === null ? 'null' : typeof evaluation}`);
  }
  let trueView: View;
  let predView: View;
  if ('model' in evaluation) {
    checkOptions('report evaluation', evaluation, MODEL_OPTIONS);
    if (typeof evaluation.model?.predict !== 'function') throw new ValueError(`${WHERE}: evaluation.model must have a predict(x) method`);
    trueView = toView(evaluation.y, 'evaluation.y', WHERE);
    predView = toView(evaluation.model.predict(evaluation.x), 'evaluation.model.predict(x)', WHERE);
  } else {
    checkOptions('report evaluation', evaluation, ARRAY_OPTIONS);
    const yTrue = option<TensorLike>(evaluation, 'yTrue');
    const yPred = option<TensorLike>(evaluation, 'yPred');
    if (yTrue === undefined || yPred === undefined) throw new ValueError(`${WHERE}: evaluation needs both yTrue and yPred (or model, x and y)`);
    trueView = toView(yTrue, 'evaluation.yTrue', WHERE);
    predView = toView(yPred, 'evaluation.yPred', WHERE);
  }
  const names = 'model' in evaluation ? { t: 'evaluation.y', p: 'evaluation.model.predict(x)' } : { t: 'evaluation.yTrue', p: 'evaluation.yPred' };
  const task = evaluation.task;
  if (task !== undefined && task !== 'binary' && task !== 'multiclass' && task !== 'regression') {
    throw new ValueError(`${WHERE}: evaluation.task must be 'binary', 'multiclass' or 'regression', found ${JSON.stringify(task)}`);
  }
  const classNames = option<string[]>(evaluation, 'classNames');
  if (classNames !== undefined && (!Array.isArray(classNames) || classNames.some((c) => typeof c !== 'string'))) {
    throw new ValueError(`${WHERE}: evaluation.classNames must be an array of strings`);
  }
  const t = trueView;
  const p = predView;
  if (p.shape.length === 0 || p.shape.length > 2) throw new ShapeError(`${WHERE}: ${names.p} must be [samples] or [samples, outputs], found ${formatShape(p.shape)}`);
  if (t.shape.length === 0 || t.shape.length > 2) throw new ShapeError(`${WHERE}: ${names.t} must be [samples] or [samples, columns], found ${formatShape(t.shape)}`);
  const n = p.shape[0]!;
  if (t.shape[0] !== n) throw new ShapeError(`${WHERE}: ${names.t} must have one row per prediction: expected ${n} rows (${names.p} is ${formatShape(p.shape)}), found ${formatShape(t.shape)}`);
  if (n === 0) throw new ValueError(`${WHERE}: ${names.p} holds no samples`);
  const cols = p.shape.length === 2 ? p.shape[1]! : 1;

  const resolved = task ?? inferTask(t, p, cols);
  if (resolved === 'regression') {
    const tcols = t.shape.length === 2 ? t.shape[1]! : 1;
    if (tcols !== cols) throw new ShapeError(`${WHERE}: ${names.t} must have the shape of ${names.p} for a regression: expected ${formatShape(p.shape)}, found ${formatShape(t.shape)}`);
    return { task: 'regression', actual: finite(t, names.t), predicted: finite(p, names.p), outputs: cols };
  }
  if (resolved === 'binary') {
    // A two-column softmax output said to be binary: the positive class is column 1.
    if (cols > 2) throw new ShapeError(`${WHERE}: ${names.p} of a binary classifier must be [samples] or [samples, 1] (or [samples, 2]), found ${formatShape(p.shape)}`);
    const scores = Array.from({ length: n }, (_, i) => p.data[i * cols + cols - 1]!);
    scores.forEach((s, i) => {
      if (!(s >= 0 && s <= 1)) throw new ValueError(`${WHERE}: ${names.p} of a binary classifier must be probabilities in [0, 1], found ${s} at row ${i} (apply a sigmoid to logits, or say task: 'regression')`);
    });
    const labels = classLabels(t, 2, names.t);
    return { task: 'binary', labels, scores, classNames: checkNames(classNames, 2) };
  }
  if (cols < 2) throw new ShapeError(`${WHERE}: ${names.p} of a multiclass classifier must be [samples, classes] scores, found ${formatShape(p.shape)}`);
  for (let i = 0; i < p.data.length; i++) {
    if (!Number.isFinite(p.data[i]!)) throw new ValueError(`${WHERE}: ${names.p} must be finite, found ${p.data[i]} at row ${Math.floor(i / cols)}`);
  }
  return { task: 'multiclass', labels: classLabels(t, cols, names.t), scores: p.data, numClasses: cols, classNames: checkNames(classNames, cols) };
}

function inferTask(t: View, p: View, cols: number): ReportTask {
  if (cols > 1) return 'multiclass';
  const tcols = t.shape.length === 2 ? t.shape[1]! : 1;
  if (tcols !== 1) return 'regression';
  let binary = true;
  for (let i = 0; i < p.data.length && binary; i++) binary = p.data[i]! >= 0 && p.data[i]! <= 1;
  for (let i = 0; i < t.data.length && binary; i++) binary = t.data[i] === 0 || t.data[i] === 1;
  return binary ? 'binary' : 'regression';
}

/** Class indices from [n] / [n, 1] integer labels or [n, classes] one-hot rows (argmax). */
function classLabels(t: View, numClasses: number, name: string): number[] {
  const n = t.shape[0]!;
  const tcols = t.shape.length === 2 ? t.shape[1]! : 1;
  if (tcols === numClasses && numClasses > 1) return Array.from({ length: n }, (_, r) => argmaxRow(t.data, r * tcols, tcols));
  if (tcols !== 1) {
    throw new ShapeError(`${WHERE}: ${name} must be class indices [${n}] or [${n}, 1], or one-hot rows [${n}, ${numClasses}], found ${formatShape(t.shape)} (for multi-output regression say task: 'regression')`);
  }
  return Array.from({ length: n }, (_, i) => {
    const c = t.data[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= numClasses) {
      throw new ValueError(`${WHERE}: ${name} must hold class indices in [0, ${numClasses}), found ${c} at row ${i}`);
    }
    return c;
  });
}

function checkNames(classNames: string[] | undefined, numClasses: number): string[] {
  if (classNames === undefined) return Array.from({ length: numClasses }, (_, i) => `class ${i}`);
  if (classNames.length !== numClasses) {
    throw new ValueError(`${WHERE}: evaluation.classNames must name each of the ${numClasses} classes, found ${classNames.length} names`);
  }
  return [...classNames];
}

function finite(v: View, name: string): number[] {
  const out = Array.from(v.data);
  out.forEach((x, i) => {
    if (!Number.isFinite(x)) throw new ValueError(`${WHERE}: ${name} must be finite, found ${x} at position ${i}`);
  });
  return out;
}
