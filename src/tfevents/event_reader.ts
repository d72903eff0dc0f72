import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { EventFileError } from '../errors.js';
import { decodeEvent, type DecodedEvent } from './event.js';
import { collectEvents, emptyEventData, type EventData } from './event_data.js';
import { decodeRecords } from './record.js';

/** The events of one file, and a warning if its last record was cut off. */
export interface EventFileContents {
  events: DecodedEvent[];
  /** Byte offset and size of each event's record, for rewriting (filterEventFile). */
  records: { offset: number; size: number }[];
  warning: string | null;
  bytes: Uint8Array;
}

/**
 * Reads and decodes every record of one event file, checking both CRCs of each (see decodeRecords
 * for which failures are a truncation warning and which an EventFileError).
 */
export function readEventFile(file: string): EventFileContents {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new EventFileError(`'${file}': cannot be read${code === 'ENOENT' ? ': no such file' : ` (${code ?? String(e)})`}`);
  }
  const { records, truncated } = decodeRecords(bytes, file);
  const events = records.map((r) => decodeEvent(r.data, file, r.offset));
  const warning = truncated
    ? `'${file}': truncated record at byte ${truncated.offset} skipped (${truncated.reason}); the writer was probably interrupted`
    : null;
  return { events, records: records.map(({ offset, size }) => ({ offset, size })), warning, bytes };
}

/** TensorBoard's test for an event file: `tfevents` anywhere in the name. */
export const isEventFileName = (name: string): boolean => name.includes('tfevents');

/**
 * Reads TensorBoard event files: one file, or a log directory. For a directory, the event files
 * directly inside it (every file whose name contains `tfevents`, in name order) are merged into the
 * result, and each subdirectory holding event files, at any depth, becomes an entry of `runs` keyed
 * by its relative path — so a Keras log directory gives `runs.train` and `runs.validation`.
 *
 * Every record's CRCs are checked. A last record cut short (what a crashed writer leaves) is
 * skipped with a line in `warnings` naming the file and offset; a damaged record in the middle of a
 * file, a file that is not an event file, or a missing path is an EventFileError.
 *
 * ```ts
 * const logs = kiln.readEvents('logs');
 * const losses = logs.runs.train!.scalars['epoch_loss']!.map((p) => p.value);
 * ```
 */
export function readEvents(path: string): EventData {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new EventFileError(`'${path}': no such file or directory`);
  }
  if (!isDir) {
    const data = emptyEventData();
    addFile(data, path, new Map());
    return data;
  }
  const top = readRun(path);
  collectRuns(path, path, top.runs, new Set([realpathSync(path)]));
  if (top.files.length === 0 && Object.keys(top.runs).length === 0) top.warnings.push(`'${path}': no event files (names containing 'tfevents') found`);
  return top;
}

function addFile(data: EventData, file: string, plugins: Map<string, string>): void {
  const contents = readEventFile(file);
  collectEvents(data, file, contents.events, plugins);
  if (contents.warning) data.warnings.push(contents.warning);
  if (contents.events.length > 0 && contents.events[0]!.fileVersion === undefined) {
    data.warnings.push(`'${file}': its first record is not a file_version record`);
  }
}

/** The event files directly inside `dir`, merged (name order), with no runs. */
function readRun(dir: string): EventData {
  const data = emptyEventData();
  const plugins = new Map<string, string>();
  for (const name of listDir(dir).sort()) {
    const file = join(dir, name);
    if (isEventFileName(name) && isFile(file)) addFile(data, file, plugins);
  }
  return data;
}

/**
 * Adds a run for every subdirectory of `dir` (recursively) that holds event files. `seen` holds the
 * real paths visited, so a symbolic link back up the tree is not followed round in circles.
 */
function collectRuns(root: string, dir: string, runs: Record<string, EventData>, seen: Set<string>): void {
  for (const name of listDir(dir).sort()) {
    const sub = join(dir, name);
    if (!isDirectory(sub)) continue;
    const real = realpathSync(sub);
    if (seen.has(real)) continue;
    seen.add(real);
    const run = readRun(sub);
    if (run.files.length > 0) runs[relative(root, sub).split(sep).join('/')] = run;
    collectRuns(root, sub, runs, seen);
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (e) {
    throw new EventFileError(`'${dir}': cannot be listed (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

// Symbolic links are followed (statSync), as TensorBoard follows them; a broken one is skipped.
function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
