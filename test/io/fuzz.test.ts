import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync, zipSync } from 'fflate';
import * as kiln from '../../src/index.js';
import { describeModelFile, loadModel } from '../../src/io/index.js';
import { KilnError } from '../../src/errors.js';
import { tempDir } from './helpers.js';
import { mulberry32 } from '../helpers/random.js';

/*
 * Fuzzing the model-file readers (issue 4's evidence): valid files — kiln-saved .keras and .h5 of a
 * small compiled model, plus ../shared/fixtures/keras when present — are mutated hundreds of times
 * (seeded, so every case can be replayed) and each mutant is loaded. A load must either succeed (and
 * `predict` then gives numbers of the right shape) or throw a KilnError whose message names the
 * file. Loads run in a child process (this same file, started with KILN_FUZZ_JOB set) so that an
 * abort inside libhdf5/wasm, an out-of-memory or an endless loop shows up as a reported crash or
 * hang of one named case instead of taking the test runner down.
 *
 * Replay one case: KILN_FUZZ_ONLY='<source name>#<case index>' node scripts/run-tests.mjs dist/test/io/fuzz
 */

const BASE_SEED = 0x6b696c6e; // 'kiln'
const CASES = Number(process.env.KILN_FUZZ_CASES ?? 320);
const FIXTURE_CASES = Number(process.env.KILN_FUZZ_FIXTURE_CASES ?? 100);
const CASE_TIMEOUT_MS = 20_000;
const SELF = fileURLToPath(import.meta.url);
const FIXTURES = join(SELF, '../../../../../shared/fixtures/keras');

// ── seeded randomness ────────────────────────────────────────────────────────────────────────────


function caseSeed(source: string, index: number): number {
  let h = BASE_SEED ^ index;
  for (const c of source) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  return h >>> 0;
}

interface Rng {
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
}

function rngFor(seed: number): Rng {
  const next = mulberry32(seed);
  return { int: (n) => Math.floor(next() * n), pick: (xs) => xs[Math.floor(next() * xs.length)]! };
}

// ── mutations ────────────────────────────────────────────────────────────────────────────────────

type Mutation = { bytes: Uint8Array; desc: string };

/** Values that stress size and offset fields: zero, all-ones, just past the end, huge. */
function extreme(r: Rng, len: number): number {
  return r.pick([0, 1, 0xff, 0xffff, 0xffffffff, 0x7fffffff, len, len + 1, r.int(len * 2), 1e9]);
}

function putLE(b: Uint8Array, at: number, width: number, value: number): void {
  let v = BigInt(Math.floor(value));
  for (let i = 0; i < width && at + i < b.length; i++, v >>= 8n) b[at + i] = Number(v & 0xffn);
}

/** Byte-level damage that applies to any file. */
function generic(src: Uint8Array, r: Rng): Mutation {
  const n = src.length;
  const b = src.slice();
  const at = r.int(n);
  const len = 1 + r.int(Math.min(512, n - at));
  switch (r.int(6)) {
    case 0:
      return { bytes: src.slice(0, at), desc: `truncate to ${at} bytes` };
    case 1: {
      const flips = 1 + r.int(8);
      const where: number[] = [];
      for (let i = 0; i < flips; i++) {
        const p = r.int(n);
        b[p]! ^= 1 << r.int(8);
        where.push(p);
      }
      return { bytes: b, desc: `flip bits at ${where.join(',')}` };
    }
    case 2:
      for (let i = 0; i < Math.min(len, 16); i++) b[at + i] = r.int(256);
      return { bytes: b, desc: `random bytes at ${at}..${at + Math.min(len, 16)}` };
    case 3:
      b.fill(0, at, at + len);
      return { bytes: b, desc: `zero ${at}..${at + len}` };
    case 4: {
      const to = r.int(n);
      const out = new Uint8Array(n + len);
      out.set(src.subarray(0, to));
      out.set(src.subarray(at, at + len), to);
      out.set(src.subarray(to), to + len);
      return { bytes: out, desc: `duplicate ${at}..${at + len} at ${to}` };
    }
    default: {
      const out = new Uint8Array(n - len);
      out.set(src.subarray(0, at));
      out.set(src.subarray(at + len), at);
      return { bytes: out, desc: `delete ${at}..${at + len}` };
    }
  }
}

/** Zip structure: the end record, central directory entries and local headers, by their signatures. */
function zipRecords(b: Uint8Array): { eocd: number; central: number[]; local: number[] } {
  const find = (sig: number[]) => {
    const at: number[] = [];
    for (let i = 0; i + 4 <= b.length; i++) if (b[i] === sig[0] && b[i + 1] === sig[1] && b[i + 2] === sig[2] && b[i + 3] === sig[3]) at.push(i);
    return at;
  };
  return { eocd: find([0x50, 0x4b, 5, 6]).at(-1) ?? b.length - 22, central: find([0x50, 0x4b, 1, 2]), local: find([0x50, 0x4b, 3, 4]) };
}

// Offsets and widths of the fields worth lying about (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16).
const LOCAL_FIELDS: [number, number, string][] = [[8, 2, 'method'], [14, 4, 'crc'], [18, 4, 'compressed size'], [22, 4, 'size'], [26, 2, 'name length'], [28, 2, 'extra length']];
const CENTRAL_FIELDS: [number, number, string][] = [[10, 2, 'method'], [20, 4, 'compressed size'], [24, 4, 'size'], [28, 2, 'name length'], [30, 2, 'extra length'], [42, 4, 'local offset']];
const EOCD_FIELDS: [number, number, string][] = [[8, 2, 'entries on disk'], [10, 2, 'entries'], [12, 4, 'directory size'], [16, 4, 'directory offset'], [20, 2, 'comment length']];

function zipMutation(src: Uint8Array, r: Rng): Mutation {
  const recs = zipRecords(src);
  const b = src.slice();
  const kind = r.int(5);
  if (kind <= 2) {
    const [list, fields, what] =
      kind === 0 ? [recs.central, CENTRAL_FIELDS, 'central directory'] : kind === 1 ? [recs.local, LOCAL_FIELDS, 'local header'] : [[recs.eocd], EOCD_FIELDS, 'end record'];
    const rec = r.pick(list);
    const [off, width, name] = r.pick(fields);
    const value = extreme(r, src.length);
    putLE(b, rec + off, width, value);
    return { bytes: b, desc: `${what} at ${rec}: ${name} := ${value}` };
  }
  // Member-level edits, re-zipped so the container itself is valid.
  const files = unzipSync(src);
  const names = Object.keys(files);
  if (kind === 3) {
    const [a, c] = [r.pick(names), r.pick(names)];
    [files[a], files[c]] = [files[c]!, files[a]!];
    if (r.int(3) === 0) delete files[r.pick(names)];
    return { bytes: zipSync(files), desc: `swap members ${a} <-> ${c} (maybe drop one)` };
  }
  const name = r.pick(names);
  const inner = name.endsWith('.h5') ? h5Mutation(files[name]!, r) : generic(files[name]!, r);
  files[name] = new Uint8Array(inner.bytes);
  return { bytes: zipSync(files), desc: `member ${name}: ${inner.desc}` };
}

/**
 * HDF5 structure: the superblock, group B-trees/heaps/symbol nodes (by signature) and object-header
 * messages — dataspace (shape), datatype, layout, attribute — found by their v1 message headers.
 */
function h5Mutation(src: Uint8Array, r: Rng): Mutation {
  const b = src.slice();
  const kind = r.int(4);
  if (kind === 0) {
    const at = 8 + r.int(88);
    b[at] = r.pick([0, 0xff, r.int(256), b[at]! ^ (1 << r.int(8))]);
    return { bytes: b, desc: `superblock byte ${at} := ${b[at]}` };
  }
  if (kind === 1) {
    const sigs = ['TREE', 'HEAP', 'SNOD', 'OHDR', 'GCOL'].map((s) => [...s].map((c) => c.charCodeAt(0)));
    const hits: number[] = [];
    for (let i = 0; i + 4 <= b.length; i++) if (sigs.some((s) => s.every((c, k) => b[i + k] === c))) hits.push(i);
    if (hits.length > 0) {
      const at = r.pick(hits) + r.int(48);
      putLE(b, at, r.pick([1, 2, 4, 8]), extreme(r, src.length));
      return { bytes: b, desc: `metadata node byte ${at} overwritten` };
    }
  }
  // v1 object-header message: type (2 bytes LE), size (2), flags (1), 3 reserved zero bytes.
  const messages: [number, number][] = [];
  for (let i = 0; i + 16 <= b.length; i += 1) {
    const type = b[i]! | (b[i + 1]! << 8);
    const size = b[i + 2]! | (b[i + 3]! << 8);
    if ([1, 3, 8, 12].includes(type) && size > 0 && size < 4096 && size % 8 === 0 && b[i + 5] === 0 && b[i + 6] === 0 && b[i + 7] === 0) messages.push([i, type]);
  }
  if (messages.length === 0) return generic(src, r);
  const [at, type] = r.pick(messages);
  const body = at + 8;
  if (type === 1 && kind !== 3) {
    // Dataspace v1: version, rank, flags, 5 reserved, then 8-byte dimensions — claim an absurd shape.
    const rank = b[body + 1]!;
    const dim = r.int(Math.max(rank, 1));
    const value = r.pick([0, 1e12, 2 ** 40, 0xffffffff, 3, r.int(1000)]);
    putLE(b, body + 8 + 8 * dim, 8, value);
    return { bytes: b, desc: `dataspace at ${at}: dim ${dim} := ${value}` };
  }
  const off = body + r.int(16);
  putLE(b, off, r.pick([1, 2, 4]), extreme(r, src.length));
  return { bytes: b, desc: `message type ${type} at ${at}: body byte ${off} overwritten` };
}

function mutate(src: Uint8Array, format: 'keras' | 'h5', seed: number): Mutation {
  const r = rngFor(seed);
  if (r.int(2) === 0) return generic(src, r);
  return format === 'keras' ? zipMutation(src, r) : h5Mutation(src, r);
}

// ── the child: loads mutants, one line per case on stdout ────────────────────────────────────────

interface Job {
  source: string;
  format: 'keras' | 'h5';
  from: number;
  to: number;
  dir: string;
}

async function outcomeOf(path: string): Promise<string> {
  const named = (e: unknown, stage: string) => {
    if (!(e instanceof KilnError)) return `BAD ${stage} threw ${(e as Error)?.constructor?.name}: ${String((e as Error)?.message ?? e).slice(0, 300)}`;
    if (!e.message.includes(path)) return `BAD ${stage} ${e.constructor.name} does not name the file: ${e.message.slice(0, 300)}`;
    return `${stage}:${e.constructor.name}`;
  };
  try {
    await describeModelFile(path);
  } catch (e) {
    const o = named(e, 'describe');
    if (o.startsWith('BAD')) return o;
  }
  let model: kiln.Model;
  try {
    model = await loadModel(path);
  } catch (e) {
    return named(e, 'load');
  }
  try {
    const inShape = model.builtInputShape ?? model.batchInputShape;
    if (!inShape) return 'loaded:unbuilt';
    const x = kiln.randomNormal([2, ...inShape.slice(1).map((d) => d ?? 1)]);
    const y = model.predict(x) as kiln.Tensor;
    const expected = [2, ...(model.outputShape ?? []).slice(1)];
    if (JSON.stringify(y.shape) !== JSON.stringify(expected)) return `BAD predict shape ${JSON.stringify(y.shape)}, expected ${JSON.stringify(expected)}`;
    if (!Array.from(y.dataSync() as Float32Array).every((v) => typeof v === 'number')) return 'BAD predict returned non-numbers';
    return 'loaded';
  } catch (e) {
    if (e instanceof KilnError) return `predict:${e.constructor.name}`;
    return `BAD predict threw ${(e as Error)?.constructor?.name}: ${String((e as Error)?.message ?? e).slice(0, 300)}`;
  }
}

async function child(job: Job): Promise<void> {
  console.warn = () => {}; // "fresh optimizer state" warnings are expected for damaged optimizer groups
  const src = new Uint8Array(readFileSync(job.source));
  const name = job.source.split('/').at(-1)!;
  for (let i = job.from; i < job.to; i++) {
    const m = mutate(src, job.format, caseSeed(name, i));
    const path = join(job.dir, `case${i}.${job.format}`);
    writeFileSync(path, m.bytes);
    process.stdout.write(`@@begin ${i} ${JSON.stringify(m.desc)}\n`);
    const outcome = await outcomeOf(path);
    rmSync(path, { force: true });
    process.stdout.write(`@@end ${i} ${JSON.stringify(outcome)}\n`);
  }
}

const jobSpec = process.env.KILN_FUZZ_JOB;
if (jobSpec) {
  await child(JSON.parse(jobSpec) as Job);
  process.exit(0);
}

// ── the parent: runs jobs, restarting after a crash or hang ──────────────────────────────────────

interface Report {
  outcomes: Map<string, number>;
  failures: string[];
  cases: number;
}

/** Runs cases [from, to) of one source in child processes; a dead or silent child costs one case. */
async function runJob(source: string, format: 'keras' | 'h5', from: number, to: number, dir: string): Promise<Report> {
  const report: Report = { outcomes: new Map(), failures: [], cases: 0 };
  const name = source.split('/').at(-1)!;
  let next = from;
  while (next < to) {
    const env = { ...process.env, KILN_FUZZ_JOB: JSON.stringify({ source, format, from: next, to, dir } satisfies Job) };
    const proc = spawn(process.execPath, [SELF], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let current: { i: number; desc: string } | null = null;
    let buffer = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    let hung = false;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => ((hung = true), proc.kill('SIGKILL')), CASE_TIMEOUT_MS);
    };
    arm();
    proc.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    proc.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const m = /^@@(begin|end) (\d+) (.*)$/.exec(line);
        if (!m) continue;
        const i = Number(m[2]);
        const text = JSON.parse(m[3]!) as string;
        arm();
        if (m[1] === 'begin') current = { i, desc: text };
        else {
          report.cases++;
          next = i + 1;
          if (text.startsWith('BAD')) report.failures.push(`${name}#${i} (seed ${caseSeed(name, i)}; ${current?.desc}): ${text}`);
          const key = text.startsWith('BAD') ? 'BAD' : text;
          report.outcomes.set(key, (report.outcomes.get(key) ?? 0) + 1);
          current = null;
        }
      }
    });
    const code = await new Promise<number | null>((resolve) => proc.on('close', (c, signal) => resolve(c ?? (signal ? -1 : null))));
    clearTimeout(timer);
    if (current !== null || (code !== 0 && next < to)) {
      const c = current as { i: number; desc: string } | null;
      const i = c?.i ?? next;
      const why = hung ? `hang (no answer in ${CASE_TIMEOUT_MS} ms)` : `child exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`;
      report.failures.push(`${name}#${i} (seed ${caseSeed(name, i)}; ${c?.desc ?? '?'}): ${why}`);
      report.outcomes.set(hung ? 'HANG' : 'CRASH', (report.outcomes.get(hung ? 'HANG' : 'CRASH') ?? 0) + 1);
      report.cases++;
      next = i + 1;
    }
  }
  return report;
}

async function sources(dir: string): Promise<{ path: string; format: 'keras' | 'h5'; cases: number }[]> {
  kiln.setSeed(5);
  const m = kiln.sequential([
    kiln.layers.input({ shape: [4] }),
    kiln.layers.dense({ units: 5, activation: 'relu' }),
    kiln.layers.batchNormalization(),
    kiln.layers.dense({ units: 3, activation: 'softmax' }),
  ]);
  m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  // One step of training so the saved optimizer state is complete (step counter and moments).
  await m.fit(kiln.randomNormal([8, 4]), kiln.tensor([0, 1, 2, 0, 1, 2, 0, 1]), { epochs: 1, batchSize: 8, verbose: 0 });
  await m.save(join(dir, 'small.keras'));
  await m.save(join(dir, 'small.h5'));
  const out: { path: string; format: 'keras' | 'h5'; cases: number }[] = [
    { path: join(dir, 'small.keras'), format: 'keras', cases: CASES },
    { path: join(dir, 'small.h5'), format: 'h5', cases: CASES },
  ];
  if (existsSync(FIXTURES)) {
    for (const f of readdirSync(FIXTURES).sort()) {
      if (f.endsWith('.keras')) out.push({ path: join(FIXTURES, f), format: 'keras', cases: FIXTURE_CASES });
      else if (f.endsWith('.h5')) out.push({ path: join(FIXTURES, f), format: 'h5', cases: FIXTURE_CASES });
    }
  }
  return out;
}

test('mutated .keras and .h5 files load or throw a KilnError naming the file — never crash or hang', { timeout: 600_000 }, async (t) => {
  const tmp = tempDir();
  try {
    const started = Date.now();
    let list = await sources(tmp.dir);
    if (!existsSync(FIXTURES)) t.diagnostic(`${FIXTURES} is absent: fuzzing kiln-saved files only`);
    const only = process.env.KILN_FUZZ_ONLY; // '<name>#<index>'
    const jobs = list.flatMap((s) => {
      const name = s.path.split('/').at(-1)!;
      if (only) {
        const [n, i] = only.split('#');
        return n === name ? [{ ...s, from: Number(i), to: Number(i) + 1 }] : [];
      }
      return [{ ...s, from: 0, to: s.cases }];
    });
    list = [];
    // Two jobs at a time: one per core.
    const reports: Report[] = [];
    const queue = [...jobs];
    const workers = [0, 1].map(async () => {
      for (let job = queue.shift(); job; job = queue.shift()) reports.push(await runJob(job.path, job.format, job.from, job.to, tmp.dir));
    });
    await Promise.all(workers);
    const total = new Map<string, number>();
    for (const r of reports) for (const [k, v] of r.outcomes) total.set(k, (total.get(k) ?? 0) + v);
    const cases = reports.reduce((n, r) => n + r.cases, 0);
    t.diagnostic(`${cases} mutated files in ${((Date.now() - started) / 1000).toFixed(1)} s; outcomes: ${JSON.stringify(Object.fromEntries([...total].sort()))}`);
    const failures = reports.flatMap((r) => r.failures);
    assert.deepEqual(failures, [], `${failures.length} mutants broke the contract:\n${failures.join('\n')}`);
    if (!only) assert.ok(cases >= 2 * CASES, `expected at least ${2 * CASES} cases, ran ${cases}`);
  } finally {
    tmp.cleanup();
  }
});

// ── hostile files: refused quickly, before anything large is allocated ──────────────────────────

/** Asserts `p` rejects within `ms` with a KilnError of class `cls` naming `file` and matching `pattern`. */
async function refused(p: () => Promise<unknown>, cls: new (...a: never[]) => Error, file: string, pattern: RegExp, ms = 3000) {
  const started = Date.now();
  await assert.rejects(p(), (e: Error) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${e.constructor.name}: ${e.message}`);
    assert.ok(e.message.includes(file), `message should name ${file}: ${e.message}`);
    assert.match(e.message, pattern);
    return true;
  });
  const took = Date.now() - started;
  assert.ok(took < ms, `refusing ${file} took ${took} ms`);
}

/** A Keras 3 archive holding `config` (and the weights of `weightsFrom`, when given). */
function archive(path: string, config: string, weightsFrom?: string): void {
  const files: Record<string, Uint8Array> = { 'config.json': new TextEncoder().encode(config) };
  if (weightsFrom) files['model.weights.h5'] = unzipSync(new Uint8Array(readFileSync(weightsFrom)))['model.weights.h5']!;
  writeFileSync(path, zipSync(files, { level: 0 }));
}

/** Rewrites every v1 dataspace whose dimensions are `from` (HDF5 spec IV.A.2.b) to claim `to`. */
function claimShape(bytes: Uint8Array, from: number[], to: number[]): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let hits = 0;
  for (let i = 0; i + 8 + 16 * from.length <= bytes.length; i++) {
    if (bytes[i] !== 1 || bytes[i + 1] !== from.length) continue;
    if (!from.every((d, k) => dv.getBigUint64(i + 8 + 8 * k, true) === BigInt(d))) continue;
    const hasMax = (bytes[i + 2]! & 1) === 1;
    to.forEach((d, k) => {
      dv.setBigUint64(i + 8 + 8 * k, BigInt(d), true);
      if (hasMax) dv.setBigUint64(i + 8 + 8 * (from.length + k), BigInt(d), true);
    });
    hits++;
  }
  return hits;
}

const { ValueError, ShapeError } = kiln.errors;

test('hostile: a weight claiming 1e12 elements is refused before it is read', async () => {
  const t = tempDir();
  try {
    kiln.setSeed(1);
    const m = kiln.sequential([kiln.layers.input({ shape: [4] }), kiln.layers.dense({ units: 5 })]);
    await m.save(t.path('m.h5'));
    const bytes = new Uint8Array(readFileSync(t.path('m.h5')));
    assert.ok(claimShape(bytes, [4, 5], [1e6, 1e6]) >= 1, 'the kernel dataspace was not found');
    writeFileSync(t.path('huge.h5'), bytes);
    // libhdf5 already compares a contiguous dataset's shape with its stored size when it opens it;
    // H5Reader.read also refuses counts no file of this size could hold (chunked layouts), and
    // weights are shape-checked against the model before they are read.
    for (const op of [() => loadModel(t.path('huge.h5')), () => kiln.describeModelFile(t.path('huge.h5'))]) {
      const started = Date.now();
      await assert.rejects(op(), (e: Error) => {
        assert.ok(e instanceof kiln.ModelFileError || e instanceof ShapeError, `${e.constructor.name}: ${e.message}`);
        assert.match(e.message, /huge\.h5.*(corrupt|1000000)/s);
        return true;
      });
      assert.ok(Date.now() - started < 3000);
    }
  } finally {
    t.cleanup();
  }
});

test('hostile configs: 1e12 / 3e8 units, 10,000-deep nesting, a million layers — ValueError, fast', async () => {
  const t = tempDir();
  try {
    kiln.setSeed(1);
    const m = kiln.sequential([kiln.layers.input({ shape: [4] }), kiln.layers.dense({ units: 3 })]);
    await m.save(t.path('m.keras'));
    const config = new TextDecoder().decode(unzipSync(new Uint8Array(readFileSync(t.path('m.keras'))))['config.json']);
    for (const units of ['1e12', '300000000']) {
      archive(t.path('units.keras'), config.replace(/"units": ?3/, `"units": ${units}`), t.path('m.keras'));
      await refused(() => loadModel(t.path('units.keras')), ValueError, 'units.keras', /would create weight 'kernel'.*limit/);
    }
    const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    archive(t.path('deep.keras'), config.replace(/"units": ?3/, `"units": 3, "deep": ${deep}`), t.path('m.keras'));
    await refused(() => loadModel(t.path('deep.keras')), ValueError, 'deep.keras', /nests deeper/);
    const layers = new Array(1_000_000).fill('{"class_name":"Flatten"}').join(',');
    archive(t.path('many.keras'), `{"class_name":"Sequential","config":{"name":"s","layers":[${layers}]}}`);
    await refused(() => loadModel(t.path('many.keras')), ValueError, 'many.keras', /1000000 layers/, 5000);
    assert.throws(() => kiln.modelFromJson({ class_name: 'Sequential', config: { layers: new Array(1_000_000).fill({ class_name: 'Flatten' }) } }), ValueError);
  } finally {
    t.cleanup();
  }
});

test('hostile archives: a config.json declaring 200 MB, a weights member declaring 3.9 GB — refused from the zip directory', async () => {
  const t = tempDir();
  try {
    kiln.setSeed(1);
    await kiln.sequential([kiln.layers.input({ shape: [4] }), kiln.layers.dense({ units: 3 })]).save(t.path('m.keras'));
    const src = new Uint8Array(readFileSync(t.path('m.keras')));
    for (const [member, size, pattern] of [
      ['config.json', 200_000_000, /config\.json' would unpack to 200000000 bytes.*zip bomb/],
      ['model.weights.h5', 3_900_000_000, /model\.weights\.h5' declares 3900000000 bytes.*zip bomb/],
    ] as const) {
      const b = src.slice();
      const dv = new DataView(b.buffer);
      const recs = zipRecords(b);
      // Both copies of the size: the central directory's (what readers trust) and the local header's.
      for (const at of recs.central) if (new TextDecoder().decode(b.subarray(at + 46, at + 46 + dv.getUint16(at + 28, true))) === member) dv.setUint32(at + 24, size, true);
      for (const at of recs.local) if (new TextDecoder().decode(b.subarray(at + 30, at + 30 + dv.getUint16(at + 26, true))) === member) dv.setUint32(at + 22, size, true);
      writeFileSync(t.path('bomb.keras'), b);
      await refused(() => loadModel(t.path('bomb.keras')), kiln.ModelFileError, 'bomb.keras', pattern, 1000);
    }
  } finally {
    t.cleanup();
  }
});

test('regression: a zeroed HDF5 global heap object (libhdf5 loops forever on it) is refused', async () => {
  // Found by the fuzzer (small.h5, 'zero 5059..5412'): a zeroed object in the global heap that
  // holds the variable-length string attributes made H5HG's reader spin without advancing.
  const t = tempDir();
  try {
    kiln.setSeed(1);
    await kiln.sequential([kiln.layers.input({ shape: [4] }), kiln.layers.dense({ units: 3 })]).save(t.path('m.h5'));
    const b = new Uint8Array(readFileSync(t.path('m.h5')));
    const gcol = Buffer.from(b).indexOf('GCOL');
    assert.ok(gcol > 0);
    // Zero the header of the collection's second object: index 0, size 0.
    const first = gcol + 16;
    const second = first + 16 + Math.ceil(Number(new DataView(b.buffer).getBigUint64(first + 8, true)) / 8) * 8;
    b.fill(0, second, second + 16);
    writeFileSync(t.path('heap.h5'), b);
    await refused(() => loadModel(t.path('heap.h5')), kiln.ModelFileError, 'heap.h5', /global heap/);
    await refused(() => kiln.describeModelFile(t.path('heap.h5')), kiln.ModelFileError, 'heap.h5', /global heap/);
  } finally {
    t.cleanup();
  }
});
