import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { History } from '../callbacks/history.js';
import { ValueError } from '../errors.js';
import { atomicWrite } from '../io/atomic.js';
import { ModelFileError } from '../io/errors.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { ReportError } from './errors.js';
import type { ReportEvaluation } from './evaluation.js';
import { prepareEvaluation } from './evaluation.js';
import { evaluate } from './evaluation_results.js';
import { evaluationSection } from './evaluation_section.js';
import { describeModel, runRecordFromHistory } from './history_record.js';
import { renderHtml } from './html.js';
import { pageModel } from './page_model.js';
import type { RunRecord } from './run_record.js';
import { readRunRecord } from './run_record.js';

/** Options of {@link report}. */
export interface ReportOptions {
  /** The page's title (default: "Training report: <model name>"). */
  title?: string;
  /**
   * Held-out data to evaluate: `{ yTrue, yPred }`, or `{ model, x, y }` (the report predicts).
   * Classifiers get a confusion matrix, per-class precision/recall/F1, ROC and PR curves;
   * regressors get predicted-against-actual and residual charts.
   */
  evaluation?: ReportEvaluation;
  /** The model summary text (default: the one the run record or the model gives). */
  summary?: string;
}

const REPORT_OPTIONS = optionNames<ReportOptions>({ title: true, evaluation: true, summary: true });

/**
 * Writes one self-contained HTML report of a training run and returns its absolute path: loss
 * and metric curves (train against validation), the learning rate, the training-health monitor's
 * events marked on the loss curve and listed, the model summary and the run's settings, and,
 * with `evaluation`, a classifier's confusion matrix, per-class scores, ROC and PR curves or a
 * regressor's predicted-against-actual and residual charts. The file embeds Chart.js and its data
 * and makes no network request, so it opens offline and can be mailed as is.
 *
 * `source` is the History `fit` returned, a run directory holding `run.jsonl` (or the `.jsonl`
 * file) written by `callbacks.jsonlLogger`, or a RunRecord. A run still being written can be
 * reported at any time; the file is replaced atomically, so a reader never sees half a report.
 *
 * Without `task`, evaluation data is read as: predictions with more than one column are class
 * scores (labels are class indices or one-hot rows); one column of probabilities against 0/1
 * labels is a binary classifier (class 1 above 0.5); anything else is a regression.
 *
 * ```ts
 * const history = await model.fit(x, y, { epochs: 20, validationSplit: 0.2 });
 * const path = await kiln.report(history, 'reports/run1.html', {
 *   evaluation: { model, x: xTest, y: yTest, classNames: ['cat', 'dog'] },
 * });
 * await kiln.report('runs/exp1', 'runs/exp1/report.html'); // from a run record, even mid-run
 * ```
 */
export async function report(source: History | string | RunRecord, outPath: string, options: ReportOptions = {}): Promise<string> {
  checkOptions('report', options, REPORT_OPTIONS);
  if (typeof outPath !== 'string' || outPath === '') throw new ValueError(`report: outPath must be a non-empty file path, found ${JSON.stringify(outPath)}`);
  if (options.title !== undefined && typeof options.title !== 'string') throw new ValueError(`report: title must be a string, found ${typeof options.title}`);
  if (options.summary !== undefined && typeof options.summary !== 'string') throw new ValueError(`report: summary must be a string, found ${typeof options.summary}`);
  let run = await runOf(source);
  const evaluation = options.evaluation === undefined ? null : evaluationSection(evaluate(prepareEvaluation(options.evaluation)));
  if (run.model === null && options.evaluation !== undefined && 'model' in options.evaluation) {
    run = { ...run, model: describeModel(options.evaluation.model) };
  }
  const page = pageModel({
    run, evaluation, now: new Date(),
    ...(options.title !== undefined ? { title: options.title } : {}),
    ...(options.summary !== undefined ? { summary: options.summary } : {}),
  });
  const html = renderHtml(page, chartJsSource());
  const target = resolve(outPath);
  try {
    await atomicWrite(target, (tmp) => writeFileSync(tmp, html), { makeParents: true });
  } catch (e) {
    if (e instanceof ModelFileError) throw new ReportError(`report: ${e.message}`, { cause: e });
    throw new ReportError(`report: cannot write '${target}' (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { cause: e });
  }
  return target;
}

async function runOf(source: History | string | RunRecord): Promise<RunRecord> {
  if (typeof source === 'string') return readRunRecord(source);
  if (source instanceof History) return runRecordFromHistory(source);
  if (typeof source === 'object' && source !== null && Array.isArray((source as RunRecord).epochs) && Array.isArray((source as RunRecord).events)) return source;
  throw new ValueError(`report: source must be a History, a run directory or .jsonl path, or a RunRecord, found ${source === null ? 'null' : typeof source}`);
}

let chartJs: string | null = null;

/**
 * Chart.js's UMD build, which defines `window.Chart` from a plain <script>. The package's exports
 * map does not list `dist/chart.umd.min.js`, so it is found beside the entry point `chart.js`
 * resolves to (`dist/chart.cjs`).
 */
function chartJsSource(): string {
  if (chartJs === null) {
    const entry = createRequire(import.meta.url).resolve('chart.js');
    chartJs = readFileSync(join(dirname(entry), 'chart.umd.min.js'), 'utf8');
  }
  return chartJs;
}
