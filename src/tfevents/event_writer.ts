import { closeSync, fsyncSync, ftruncateSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { EventFileError, ValueError } from '../errors.js';
import { encodeEvent } from './event.js';
import { histogramOf } from './histogram.js';
import { SessionStatus, type EventProto, type SummaryValueProto } from './proto.js';
import { encodeRecord } from './record.js';
import { graphDefBytes, histogramValue, scalarValue, textValue, type GraphSpec } from './summaries.js';

/** Options of {@link EventFileWriter}. */
export interface EventFileWriterOptions {
  /** Appended to the file name, as TensorFlow's `filename_suffix` (e.g. `'.v2'`). Default none. */
  filenameSuffix?: string;
}

/** The version string every event file starts with; TensorBoard checks the `brain.Event:` prefix. */
export const FILE_VERSION = 'brain.Event:2';

/**
 * Numbers the writers of this process, as TensorFlow's `_global_uid`: two writers opened on the
 * same directory in the same second still get different file names.
 */
let nextWriterId = 0;

const now = () => Date.now() / 1000;

/**
 * Writes one TensorBoard event file: `<dir>/events.out.tfevents.<10-digit seconds>.<hostname>.<pid>.<n>`.
 *
 * Every method appends whole records synchronously, so what it wrote is in the operating system
 * (and visible to TensorBoard) when it returns, and a file holds a partial record only after a
 * crash: a failed write is cut back to the last whole record. `flush()` additionally asks the disk
 * to keep it (fsync). Steps are integers (Event.step is an int64); `wallTime` is seconds since the
 * epoch and defaults to now.
 *
 * ```ts
 * const w = new EventFileWriter('logs/train');
 * w.addScalar('epoch_loss', 0.25, 0);
 * w.addHistogram('dense/kernel', kernel.dataSync(), 0);
 * w.close();
 * ```
 */
export class EventFileWriter {
  /** The event file's path. */
  readonly path: string;
  private fd: number | null;
  /** Bytes of whole records in the file: where a failed write is cut back to. */
  private size = 0;

  constructor(dir: string, options: EventFileWriterOptions = {}) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new EventFileError(`'${dir}': cannot create the event file directory (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    const secs = String(Math.floor(now())).padStart(10, '0');
    const stem = `events.out.tfevents.${secs}.${hostname()}.${process.pid}`;
    // 'ax': append, and fail rather than share a file that somehow already exists (another process
    // with the same host name and pid, as in containers); then the next number is tried.
    for (;;) {
      const path = join(dir, `${stem}.${nextWriterId++}${options.filenameSuffix ?? ''}`);
      try {
        this.fd = openSync(path, 'ax');
        this.path = path;
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw new EventFileError(`'${path}': cannot create the event file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      }
    }
    this.write({ wall_time: now(), file_version: FILE_VERSION });
    this.flush();
  }

  /** A scalar (loss, metric, learning rate…) at `step`, as TF2's `tf.summary.scalar` writes it. */
  addScalar(tag: string, value: number, step: number, wallTime?: number): void {
    if (typeof value !== 'number') throw new ValueError(`EventFileWriter.addScalar: value of '${tag}' must be a number, found ${typeof value}`);
    this.addValue(scalarValue(tag, value), step, wallTime);
  }

  /** The histogram of `values` (TensorFlow's default buckets; NaN and ±Infinity are left out). */
  addHistogram(tag: string, values: ArrayLike<number>, step: number, wallTime?: number): void {
    this.addValue(histogramValue(tag, histogramOf(values)), step, wallTime);
  }

  /** Text (Markdown in TensorBoard's text dashboard) at `step`. */
  addText(tag: string, text: string, step: number, wallTime?: number): void {
    this.addValue(textValue(tag, text), step, wallTime);
  }

  /** A graph for TensorBoard's graph dashboard (one GraphDef record, step 0). */
  addGraph(graph: GraphSpec, wallTime?: number): void {
    this.write({ wall_time: wallTime ?? now(), step: 0, graph_def: graphDefBytes(graph) });
  }

  /**
   * A SessionLog START at `step`. TensorBoard's EventAccumulator then discards the events of this
   * run with a step at or above it that were written before (by a run that crashed and restarted
   * from a checkpoint); kiln also filters such events itself (filterEventFile), since not every
   * TensorBoard loader purges.
   */
  addSessionStart(step: number, wallTime?: number): void {
    this.write({ wall_time: wallTime ?? now(), step: checkStep(step, 'addSessionStart'), session_log: { status: SessionStatus.START } });
  }

  /** Makes what was written durable (fsync): the records already reached the OS when written. */
  flush(): void {
    const fd = this.open('flush');
    try {
      fsyncSync(fd);
    } catch (e) {
      throw new EventFileError(`'${this.path}': cannot be flushed (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  }

  /** Flushes and closes the file; a second call does nothing. */
  close(): void {
    if (this.fd === null) return;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
      this.fd = null;
    }
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.fd === null;
  }

  private addValue(value: SummaryValueProto, step: number, wallTime: number | undefined): void {
    this.write({ wall_time: wallTime ?? now(), step: checkStep(step, 'add'), summary: { value: [value] } });
  }

  private open(method: string): number {
    if (this.fd === null) throw new EventFileError(`'${this.path}': EventFileWriter.${method} after close()`);
    return this.fd;
  }

  /** Appends one Event as one record; on failure the file is cut back so no partial record stays. */
  private write(event: EventProto): void {
    const fd = this.open('write');
    const record = encodeRecord(encodeEvent(event));
    try {
      let done = 0;
      while (done < record.length) done += writeSync(fd, record, done, record.length - done);
    } catch (e) {
      try {
        ftruncateSync(fd, this.size);
      } catch {
        // The write error below is the one to report.
      }
      throw new EventFileError(`'${this.path}': cannot be written (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    this.size += record.length;
  }
}

function checkStep(step: number, method: string): number {
  if (!Number.isSafeInteger(step)) throw new ValueError(`EventFileWriter.${method}: step must be an integer, found ${step}`);
  return step;
}
