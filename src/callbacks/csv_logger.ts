import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { ValueError } from '../errors.js';
import { option } from '../utils/args.js';
import type { Spelled } from '../utils/options.js';
import { checkOptions } from '../utils/options.js';
import { float32Repr, pythonFloatRepr } from '../utils/python_format.js';
import type { LogValue, Logs } from './callback.js';
import { Callback } from './callback.js';
import type { TrainingLoop } from './training_loop.js';
import { isResumedRun } from './training_loop.js';

/** Options of {@link CSVLogger}. */
export interface CSVLoggerArgs {
  /** Field separator (default `,`). */
  separator?: string;
  /** Append to an existing file instead of overwriting it (Keras's `append`, default false). */
  append?: boolean;
}

const CSV_OPTIONS = ['separator', 'append'] as const;

/**
 * Streams each epoch's logs to a CSV file exactly as Keras's CSVLogger does: the header is `epoch`
 * then the first epoch's keys sorted (with `val_` twins added when the first epoch had none, so a
 * later validation — validationFreq > 1 — has its columns), epochs are 0-based, a missing value is
 * `NA`, values are written as Python writes floats (`0.5`, `1e-05`, `nan`), a per-class array as
 * `"[0.1, 0.2]"` (quoted again by the CSV writer, as Python's csv module does), and lines end in
 * `\r\n` (Python's csv default). The file is flushed every epoch.
 *
 * Beyond Keras: a run resumed through backupAndRestore keeps the rows of the epochs it is not
 * redoing and appends, instead of overwriting the file.
 *
 * ```ts
 * await model.fit(x, y, { epochs: 3, callbacks: [kiln.callbacks.csvLogger('runs/log.csv')] });
 * // runs/log.csv:
 * // epoch,loss,val_loss
 * // 0,0.69...,NA
 * ```
 */
export class CSVLogger extends Callback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  private fd: number | null = null;
  private keys: string[] | null = null;
  private writeHeader = true;
  private loop: TrainingLoop | null = null;

  constructor(filename: string, args: Spelled<CSVLoggerArgs> = {}) {
    super();
    if (typeof filename !== 'string' || filename === '') throw new ValueError(`csvLogger: filename must be a non-empty string, found ${JSON.stringify(filename)}`);
    checkOptions('csvLogger', args, CSV_OPTIONS);
    const separator = option<unknown>(args, 'separator') ?? ',';
    if (typeof separator !== 'string' || separator.length !== 1 || separator === '"' || separator === '\n' || separator === '\r') {
      throw new ValueError(`csvLogger: separator must be one character other than a quote or a line break, found ${JSON.stringify(separator)}`);
    }
    const append = option<unknown>(args, 'append') ?? false;
    if (typeof append !== 'boolean') throw new ValueError(`csvLogger: append must be true or false, found ${JSON.stringify(append)}`);
    this.filename = resolve(filename);
    this.separator = separator;
    this.append = append;
  }

  override onTrainSetup(loop: TrainingLoop): void {
    this.loop = loop;
  }

  override onTrainBegin(): void {
    mkdirSync(dirname(this.filename), { recursive: true });
    this.close();
    this.keys = null;
    const loop = this.loop;
    const resumed = isResumedRun(loop);
    if (resumed && existsSync(this.filename)) {
      this.keys = this.keepRowsBefore(loop!.position.epoch);
      this.writeHeader = this.keys === null;
      this.fd = openSync(this.filename, 'a');
      return;
    }
    if (this.append) {
      // Keras: appending to a file that already has a first line writes no second header.
      this.writeHeader = !existsSync(this.filename) || readFileSync(this.filename).length === 0;
      this.fd = openSync(this.filename, 'a');
    } else {
      this.writeHeader = true;
      this.fd = openSync(this.filename, 'w');
    }
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    if (this.fd === null) return;
    if (this.keys === null) {
      this.keys = Object.keys(logs).sort();
      if (this.keys.length > 0 && !this.keys.some((k) => k.startsWith('val_'))) this.keys.push(...this.keys.map((k) => `val_${k}`));
    }
    const rows: string[][] = [];
    if (this.writeHeader) rows.push(['epoch', ...this.keys]);
    this.writeHeader = false;
    rows.push([String(epoch), ...this.keys.map((k) => cell(logs[k]))]);
    writeSync(this.fd, stringify(rows, { delimiter: this.separator, record_delimiter: 'windows', quote: '"', escape: '"' }));
  }

  override onTrainEnd(): void {
    this.close();
  }

  override onTrainAbort(): void {
    this.close();
  }

  /**
   * For a resumed run: rewrites the file (atomically) with its header and the rows of epochs before
   * `epoch`, the ones the resumed run does not redo; returns the header's keys (null: no header).
   */
  private keepRowsBefore(epoch: number): string[] | null {
    const lines = readFileSync(this.filename, 'utf8').split('\r\n').filter((l) => l !== '');
    if (lines.length === 0) return null;
    const [header, ...rows] = lines as [string, ...string[]];
    const kept = rows.filter((row) => Number(row.slice(0, row.indexOf(this.separator))) < epoch);
    const tmp = `${this.filename}.tmp-${process.pid}`;
    writeFileSync(tmp, [header, ...kept].map((l) => `${l}\r\n`).join(''));
    renameSync(tmp, this.filename);
    return header.split(this.separator).slice(1);
  }

  private close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** One value as Keras's CSVLogger writes it. */
function cell(v: LogValue | undefined): string {
  if (v === undefined) return 'NA';
  if (typeof v === 'number') return pythonFloatRepr(v);
  // Keras's handle_value: `"[a, b]"` with numpy's float32 str of each element.
  const items = (v as (number | number[])[]).map((e) => (Array.isArray(e) ? `[${e.map(float32Repr).join(' ')}]` : float32Repr(e)));
  return `"[${items.join(', ')}]"`;
}
