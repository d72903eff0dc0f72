import { KilnError } from '../errors.js';

/**
 * A report cannot be made: the run record is missing or malformed, or the report file cannot be
 * written. The message names the file (and the line, for a malformed record).
 *
 * ```ts
 * try { await kiln.report('runs/exp1', 'report.html'); }
 * catch (e) { if (e instanceof kiln.ReportError) console.error(e.message); }
 * ```
 */
export class ReportError extends KilnError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}
