/**
 * The HTML report of a training run (`kiln.report`): it reads a History or a JSONL run record,
 * evaluates held-out predictions with src/metrics' curve and summary functions, and writes one
 * self-contained page whose charts Chart.js draws offline. It sits above checkpoint, below api:
 * it reads what callbacks and training produce and writes through io, and nothing below uses it.
 */
export { report } from './report.js';
export type { ReportOptions } from './report.js';
export { readRunRecord } from './run_record.js';
export type { RunRecord, RunStatus, RunRecordModel, EpochRecord, BatchRecord, RecordValue } from './run_record.js';
export type { ReportEvaluation, ReportEvaluationArrays, ReportEvaluationModel, ReportTask } from './evaluation.js';
export { ReportError } from './errors.js';
