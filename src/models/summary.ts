/**
 * `model.summary()` text, byte for byte as Keras 2.15 prints it for Sequential models
 * (keras/utils/layer_utils.py at tag v2.15.0: `print_summary`, `count_params`,
 * `readable_memory_size`; the "not yet built" check is `Model.summary` in keras/engine/training.py).
 *
 * Keras 2.15 rather than Keras 3 because Keras 3 draws its table with `rich` box characters and
 * terminal-dependent widths, while the 2.15 layout is plain fixed-width ASCII that users know from
 * years of tutorials and that can be compared exactly.
 *
 * This module knows nothing of the Model class: a model hands it a plain {@link SummaryModel}.
 */
import { ValueError } from '../errors.js';

/** One row of the summary: what a layer reports about itself. */
export interface SummaryLayer {
  name: string;
  /** The Keras class name, e.g. 'Dense' (printed as `name (Dense)`). */
  className: string;
  /**
   * The output shape with `null` for the batch dimension; a list of shapes for a layer with several
   * outputs (and for a functional model's input layers, as Keras 2 prints them); `null` prints
   * `multiple`, as Keras does for a layer without one.
   */
  outputShape: (number | null)[] | (number | null)[][] | null;
  /** For functional models: the inbound `layer[node][tensor]` references ("Connected to"). */
  connectedTo?: string[];
  /** All weights of the layer, trainable or not (Keras `layer.count_params()`). */
  params: number;
  /** The part of `params` in trainable weights; the rest is counted as non-trainable. */
  trainableParams: number;
}

/** What a model hands to {@link formatSummary}. `built: false` makes it throw, as Keras does. */
export interface SummaryModel {
  name: string;
  layers: SummaryLayer[];
  built?: boolean;
  /**
   * A graph that is not a plain chain (a merge, a branch, a shared layer): Keras then prints the
   * wider table with a "Connected to" column.
   */
  withConnections?: boolean;
}

/** Layout options, as Keras's `line_length` and `positions` (relative when the last is <= 1). */
export interface SummaryOptions {
  lineLength?: number;
  positions?: number[];
}

/** Every weight in kiln is float32. */
const BYTES_PER_PARAM = 4;
const HEADERS = ['Layer (type)', 'Output Shape', 'Param #'];
const GRAPH_HEADERS = [...HEADERS, 'Connected to'];
// print_row breaks a cell early just after the end of a tuple/dict/list/string element.
const LINE_BREAKS = ['),', '},', '],', "',"];

/**
 * A shape as Python prints a tuple: `(None, 64)`, a 1-tuple as `(None,)`, `null` as `multiple`.
 *
 * ```ts
 * formatShape([null, 28, 28, 1]); // '(None, 28, 28, 1)'
 * ```
 */
export function formatShape(shape: readonly (number | null)[] | readonly (readonly (number | null)[])[] | null): string {
  if (shape === null) return 'multiple';
  if (shape.length > 0 && Array.isArray(shape[0])) return `[${(shape as (number | null)[][]).map((s) => formatShape(s)).join(', ')}]`;
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

/**
 * A byte count as Keras's `readable_memory_size`: two decimals, units of 1024, Python rounding
 * (half to even on exact ties, so 1152 bytes is `1.12 KB`).
 *
 * ```ts
 * readableMemorySize(203560); // '198.79 KB'
 * ```
 */
export function readableMemorySize(bytes: number): string {
  // Any integer-valued double converts to BigInt exactly, so even 2**60 bytes is handled.
  if (!Number.isInteger(bytes) || bytes < 0) {
    throw new ValueError(`readableMemorySize: bytes must be a non-negative integer, found ${bytes}`);
  }
  const units = ['Byte', 'KB', 'MB', 'GB', 'TB', 'PB'];
  const exact = BigInt(bytes);
  for (let k = 0; k < units.length; k++) {
    if (exact < 1024n ** BigInt(k + 1)) return `${fixed2(exact, 1024n ** BigInt(k))} ${units[k]}`;
  }
  // Keras's loop divides once more before falling through, so 2**60 bytes prints as '1.00 PB'.
  return `${fixed2(exact, 1024n ** 6n)} PB`;
}

/** num/den to two decimals, correctly rounded with ties to even, like Python's '{:.2f}'. */
function fixed2(num: bigint, den: bigint): string {
  let q = (num * 100n) / den;
  const twiceRem = ((num * 100n) % den) * 2n;
  if (twiceRem > den || (twiceRem === den && q % 2n === 1n)) q += 1n;
  return `${q / 100n}.${String(q % 100n).padStart(2, '0')}`;
}

/**
 * The lines of Keras 2.15's `model.summary()` for a Sequential model (without trailing newlines).
 * Throws a `ValueError` when `model.built` is false.
 *
 * ```ts
 * const lines = formatSummary({ name: 'sequential', layers: [
 *   { name: 'dense', className: 'Dense', outputShape: [null, 64], params: 50240, trainableParams: 50240 },
 * ] });
 * console.log(lines.join('\n'));
 * ```
 */
export function formatSummary(model: SummaryModel, options: SummaryOptions = {}): string[] {
  if (model.built === false) {
    throw new ValueError(
      `This model ('${model.name}') has not yet been built. Build the model first by calling ` +
        '`build()` or by calling the model on a batch of data, or give its first layer an ' +
        '`inputShape` (e.g. `dense({ units: 64, inputShape: [784] })`).',
    );
  }
  const graph = model.withConnections === true;
  const headers = graph ? GRAPH_HEADERS : HEADERS;
  // Keras 2.15's print_summary: 98 columns at [.33, .55, .67, 1] for graphs, else 65 at [.45, .85, 1].
  const lineLength = options.lineLength ?? (graph ? 98 : 65);
  if (!Number.isInteger(lineLength) || lineLength < 1) {
    throw new ValueError(`summary: lineLength must be a positive integer, found ${lineLength}`);
  }
  const positions = resolvePositions(options.positions, lineLength, headers, graph ? [0.33, 0.55, 0.67, 1.0] : [0.45, 0.85, 1.0]);
  let trainable = 0;
  let total = 0;
  for (const layer of model.layers) {
    checkLayer(layer);
    trainable += layer.trainableParams;
    total += layer.params;
  }
  const nonTrainable = total - trainable;

  const lines: string[] = [`Model: "${model.name}"`, '_'.repeat(lineLength)];
  lines.push(...formatRow(headers, positions), '='.repeat(lineLength));
  for (const layer of model.layers) {
    const fields = [`${layer.name} (${layer.className})`, formatShape(layer.outputShape), String(layer.params)];
    // Python's str() of the list of references: ['dense[0][0]', 'extra[0][0]'], broken after each "',".
    if (graph) fields.push(`[${(layer.connectedTo ?? []).map((c) => `'${c}'`).join(', ')}]`);
    // Keras 2.15 follows every top-level row, the last one included, with a blank-padded line.
    lines.push(...formatRow(fields, positions), ' '.repeat(lineLength));
  }
  lines.push('='.repeat(lineLength));
  lines.push(`Total params: ${total} (${readableMemorySize(total * BYTES_PER_PARAM)})`);
  lines.push(`Trainable params: ${trainable} (${readableMemorySize(trainable * BYTES_PER_PARAM)})`);
  lines.push(`Non-trainable params: ${nonTrainable} (${readableMemorySize(nonTrainable * BYTES_PER_PARAM)})`);
  lines.push('_'.repeat(lineLength));
  return lines;
}

/** Keras: default [0.45, 0.85, 1.0]; fractions of lineLength (truncated) when the last is <= 1. */
function resolvePositions(given: number[] | undefined, lineLength: number, headers: readonly string[], defaults: number[]): number[] {
  let positions = given && given.length > 0 ? [...given] : defaults;
  if (positions.length < headers.length) {
    throw new ValueError(`summary: positions needs ${headers.length} entries (one per column), found [${positions.join(', ')}]`);
  }
  if (positions[positions.length - 1]! <= 1) positions = positions.map((p) => Math.trunc(lineLength * p));
  for (let col = 0; col < headers.length; col++) {
    // A column with no room would make Keras's print_row loop forever; refuse it instead.
    if (!Number.isInteger(positions[col]) || cellWidth(positions, col) < 1) {
      throw new ValueError(
        `summary: positions [${given?.join(', ')}] leave no room for column ${col + 1} ` +
          `('${headers[col]}') with lineLength ${lineLength}; positions must increase by at least 4`,
      );
    }
  }
  return positions;
}

/** print_row's cutoff: the column's span less two separating spaces and one for alignment (none on the last). */
function cellWidth(positions: number[], col: number): number {
  const start = col > 0 ? positions[col - 1]! : 0;
  const last = col === positions.length - 1;
  return positions[col]! - start - (last ? 0 : 3);
}

/**
 * Keras 2.15's `print_row` at nesting level 0: each cell is cut to its column width, breaking
 * early after '),' and the like, and what is left goes on the next line until every cell is empty.
 * Cells are handled as code points because Python slices strings by code point.
 */
function formatRow(fields: string[], positions: number[]): string[] {
  const left = fields.map((f) => Array.from(f));
  const lines: string[] = [];
  while (left.some((cell) => cell.length > 0)) {
    let line = '';
    for (let col = 0; col < left.length; col++) {
      const cell = left[col]!;
      const space = col !== positions.length - 1 ? 2 : 0;
      let cutoff = cellWidth(positions, col);
      let fit = cell.slice(0, cutoff);
      const breaks = LINE_BREAKS.map((b) => findIn(fit, b)).filter((i) => i >= 0).map((i) => i + 2);
      if (breaks.length > 0) {
        cutoff = Math.min(...breaks);
        fit = fit.slice(0, cutoff);
      }
      if (col === 0) line += ' ';
      line += fit.join('') + ' '.repeat(space);
      left[col] = cell.slice(cutoff);
      line += ' '.repeat(Math.max(0, positions[col]! - Array.from(line).length));
    }
    lines.push(line);
  }
  return lines;
}

/** Python's str.find for a two-character pattern over code points. */
function findIn(chars: string[], pattern: string): number {
  for (let i = 0; i + 1 < chars.length; i++) {
    if (chars[i] === pattern[0] && chars[i + 1] === pattern[1]) return i;
  }
  return -1;
}

function checkLayer(layer: SummaryLayer): void {
  const { name, params, trainableParams } = layer;
  if (!Number.isSafeInteger(params) || params < 0) {
    throw new ValueError(`summary: layer '${name}' params must be a non-negative integer, found ${params}`);
  }
  if (!Number.isSafeInteger(trainableParams) || trainableParams < 0 || trainableParams > params) {
    throw new ValueError(
      `summary: layer '${name}' trainableParams must be an integer in [0, ${params}], found ${trainableParams}`,
    );
  }
}
