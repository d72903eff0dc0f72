#!/usr/bin/env node
// kiln's benchmark against TensorFlow.js (cpu, wasm) and PyTorch (CPU), issue 3's workloads W1–W4.
// Every engine runs in a process of its own, one after another (never two at once: they would
// share the cores). See bench/README.md for what is measured and how to read the table.
//
//   npm run bench                      # builds, then the full run (under ~10 minutes)
//   node bench/run.mjs --quick         # fewer and shorter repetitions: a smoke run
//   node bench/run.mjs --only W1,W3 --backends reference,wasm --peers tfjs-wasm,torch
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative } from 'node:path';
import { findTorchPython, machineInfo, threadEnv } from './lib/env.mjs';
import { median, summarize, timingPlan } from './lib/measure.mjs';
import { formatGemm, formatGoals, formatReport } from './lib/table.mjs';
import { ADAM, ALL_WORKLOADS, FLOPS_FORMULA, PIPELINE, PREDICT, TRAIN, gemmShapes } from './workloads/spec.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const PEERS = ['tfjs-cpu', 'tfjs-wasm', 'torch'];
// GEMM: GFLOP/s of the single products of W1 and W2 (kiln's kernels via bench/gemm.mjs, and torch.mm).
const SECTIONS = [...ALL_WORKLOADS, 'GEMM'];
const USAGE = `usage: node bench/run.mjs [--quick] [--only W1,W2,W3,W4,GEMM] [--backends reference,wasm] [--peers ${PEERS.join(',')}|none] [--out FILE]`;

function parseArgs(argv) {
  const opts = { quick: false, only: SECTIONS, backends: null, peers: PEERS, out: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === '--quick') opts.quick = true;
    else if (a === '--only') opts.only = value().toUpperCase().split(',');
    else if (a === '--backends') opts.backends = value().split(',');
    else if (a === '--peers') {
      const v = value();
      opts.peers = v === 'none' ? [] : v.split(',');
    }
    else if (a === '--out') opts.out = value();
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  for (const w of opts.only) if (!SECTIONS.includes(w)) throw new Error(`--only: unknown workload ${w}; known: ${SECTIONS.join(', ')}`);
  for (const p of opts.peers) if (!PEERS.includes(p)) throw new Error(`--peers: unknown peer ${p}; known: ${PEERS.join(', ')}, or none`);
  return opts;
}

function lastJsonLine(text) {
  const line = text.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  return line ? JSON.parse(line) : null;
}

/** W1, W2, W4 of one JavaScript engine, in a child process. */
function runInProcessJs(engine, workloads, opts) {
  const out = join(os.tmpdir(), `kiln-bench-${process.pid}-${engine.framework}-${engine.backend}.json`);
  const args = [join(here, 'workloads/child.mjs'), '--framework', engine.framework, '--backend', engine.backendArg ?? engine.backend, '--workloads', workloads.join(','), '--out', out];
  if (opts.quick) args.push('--quick');
  const r = spawnSync(process.execPath, [...(engine.nodeArgs ?? []), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', timeout: 300000 });
  if (r.status !== 0 || !existsSync(out)) throw new Error(`child failed (${r.error?.code ?? `exit ${r.status}`})${r.stdout ? ': ' + r.stdout.trim().split('\n').slice(-3).join(' | ') : ''}`);
  const data = JSON.parse(readFileSync(out, 'utf8'));
  rmSync(out);
  return data;
}

/** W1, W2, W4 of PyTorch with n threads. */
function runInProcessTorch(engine, workloads, opts, torchPy) {
  const config = { train: TRAIN, predict: PREDICT, adam: ADAM, plan: timingPlan(opts.quick), workloads };
  const r = spawnSync(torchPy, [join(here, 'torch_bench.py'), 'inproc', '--threads', String(engine.threads), '--config', JSON.stringify(config)], {
    cwd: root, env: threadEnv(engine.threads), encoding: 'utf8', timeout: 300000, stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`torch_bench.py failed (${r.error?.code ?? `exit ${r.status}`})`);
  const data = lastJsonLine(r.stdout);
  for (const res of data.results) {
    const msg = res.unit === 'samples/s' ? `${Math.round(res.median)} samples/s, ${res.gflops.toFixed(2)} GFLOP/s` : `${res.median.toFixed(1)} µs per call`;
    process.stderr.write(`  [${engine.label}] ${res.workload} ${res.mode}: ${msg}\n`);
  }
  return data;
}

/** The command that runs W3 as a user's whole program, for one engine. */
function pipelineCommand(engine, torchPy) {
  if (engine.framework === 'kiln') return { cmd: process.execPath, args: [...(engine.nodeArgs ?? []), join(here, 'workloads/kiln_pipeline.mjs'), engine.backendArg ?? engine.backend], env: process.env };
  if (engine.framework === 'tfjs') return { cmd: process.execPath, args: [join(here, 'workloads/tfjs_pipeline.mjs'), engine.backend], env: process.env };
  const config = { pipeline: PIPELINE, adam: ADAM };
  return { cmd: torchPy, args: [join(here, 'torch_bench.py'), 'pipeline', '--threads', String(engine.threads), '--config', JSON.stringify(config)], env: threadEnv(engine.threads) };
}

/** W3: wall time of fresh processes, spawn to exit; one untimed run first (it warms the file cache). */
function runPipeline(engine, opts, torchPy) {
  const { cmd, args, env } = pipelineCommand(engine, torchPy);
  const times = [];
  const reports = [];
  for (let i = 0; i <= timingPlan(opts.quick).pipelineReps; i++) {
    const t = performance.now();
    const r = spawnSync(cmd, args, { cwd: root, env, encoding: 'utf8', timeout: 120000, stdio: ['ignore', 'pipe', 'pipe'] });
    const wall = (performance.now() - t) / 1000;
    if (r.status !== 0) throw new Error(`pipeline process failed (${r.error?.code ?? `exit ${r.status}`}): ${(r.stderr ?? '').trim().split('\n').slice(-2).join(' | ')}`);
    if (i === 0) continue;
    times.push(wall);
    reports.push(lastJsonLine(r.stdout) ?? {});
  }
  const breakdown = {};
  for (const k of ['startup_s', 'import_s', 'data_model_s', 'fit_s']) {
    const vs = reports.map((x) => x[k]).filter((v) => typeof v === 'number');
    if (vs.length) breakdown[k] = median(vs);
  }
  const valAccuracy = median(reports.map((x) => x.val_accuracy ?? NaN));
  process.stderr.write(`  [${engine.label}] W3: ${median(times).toFixed(3)} s per process (val accuracy ${valAccuracy.toFixed(3)})\n`);
  return { workload: 'W3', mode: 'process', unit: 's', ...summarize(times), valAccuracy, breakdown };
}

/**
 * GEMM GFLOP/s: kiln's WebAssembly kernels through bench/gemm.mjs (its JSON), and torch.mm with one
 * thread. Either side is left out, with a note, when it cannot run (no kernels built, no torch).
 */
function runGemm(opts, torchPy, notes) {
  process.stderr.write('GEMM…\n');
  const shapes = gemmShapes();
  let kiln = [];
  const script = join(here, 'gemm.mjs');
  if (existsSync(script)) {
    const out = join(os.tmpdir(), `kiln-bench-${process.pid}-gemm.json`);
    const r = spawnSync(process.execPath, [script, ...(opts.quick ? ['--quick'] : []), '--json', out], { cwd: root, encoding: 'utf8', timeout: 300000, stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.status === 0 && existsSync(out)) {
      kiln = JSON.parse(readFileSync(out, 'utf8')).results ?? [];
      rmSync(out);
    } else notes.push(`kiln GEMM left out: bench/gemm.mjs failed (${r.error?.code ?? `exit ${r.status}`}): ${(r.stderr ?? '').trim().split('\n').at(-1)}`);
  } else notes.push('kiln GEMM left out: bench/gemm.mjs is not there');
  let torch = [];
  if (torchPy) {
    const config = { shapes, plan: timingPlan(opts.quick) };
    const r = spawnSync(torchPy, [join(here, 'torch_bench.py'), 'gemm', '--threads', '1', '--config', JSON.stringify(config)], { cwd: root, env: threadEnv(1), encoding: 'utf8', timeout: 300000, stdio: ['ignore', 'pipe', 'inherit'] });
    if (r.status === 0) torch = lastJsonLine(r.stdout).results;
    else notes.push(`torch GEMM left out: torch_bench.py gemm failed (${r.error?.code ?? `exit ${r.status}`})`);
  }
  return { shapes, kiln, torch };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(join(root, 'dist/src/index.js'))) throw new Error('dist/src/index.js is missing: run `npm run build` first (or use `npm run bench`, which builds)');
  const kiln = await import('../dist/src/index.js');
  const available = kiln.listBackends();
  const kilnBackends = opts.backends ?? available;
  for (const b of kilnBackends) if (!available.includes(b)) throw new Error(`--backends: kiln has no backend '${b}'; it has ${available.join(', ')}`);

  const notes = [];
  const machine = machineInfo();
  const engines = kilnBackends.map((b) => ({ label: `kiln ${b}`, framework: 'kiln', backend: b }));
  // Node 20 runs kiln's relaxed-SIMD (FMA) kernels only with a flag (Node 22 has them on): measure
  // that configuration too, as a separate column, so both what a user gets by default and with the flag are shown.
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (kilnBackends.includes('wasm') && nodeMajor < 22) {
    engines.splice(kilnBackends.indexOf('wasm') + 1, 0, { label: 'kiln wasm+fma', framework: 'kiln', backend: 'wasm+fma', backendArg: 'wasm', nodeArgs: ['--experimental-wasm-relaxed-simd'] });
  }
  if (opts.peers.includes('tfjs-cpu')) engines.push({ label: 'tfjs cpu', framework: 'tfjs', backend: 'cpu' });
  if (opts.peers.includes('tfjs-wasm')) engines.push({ label: 'tfjs wasm', framework: 'tfjs', backend: 'wasm' });
  let torchPy = null;
  if (opts.peers.includes('torch')) {
    const found = findTorchPython();
    if (found.python) {
      torchPy = found.python;
      for (const n of [1, 2]) engines.push({ label: `torch ${n} thread${n > 1 ? 's' : ''}`, framework: 'torch', backend: 'cpu', threads: n });
    } else notes.push(`PyTorch skipped: ${found.reason}`);
  }

  const plan = timingPlan(opts.quick);
  console.log(`kiln benchmark — ${opts.quick ? 'quick (smoke) run' : 'full run'}; workloads ${opts.only.join(', ')}; engines: ${engines.map((e) => e.label).join(', ')}`);
  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load average ${machine.loadAverage.join(' ')}`);
  if (machine.loadAverage[0] > machine.cores * 0.5) {
    notes.push(`the load average was ${machine.loadAverage[0]} on ${machine.cores} cores when the run began: other processes shared the CPU, so numbers are low and noisy; multi-threaded engines (torch 2 threads) suffer most, as threads that spin at each barrier wait for a descheduled one`);
  }
  for (const n of notes) console.log(`note: ${n}`);

  const started = performance.now();
  const results = [];
  const infos = {};
  const inProcess = opts.only.filter((w) => w !== 'W3' && w !== 'GEMM');
  for (const engine of opts.only.some((w) => w !== 'GEMM') ? engines : []) {
    const tag = { engine: engine.label, framework: engine.framework, backend: engine.backend, ...(engine.threads ? { threads: engine.threads } : {}) };
    process.stderr.write(`${engine.label}…\n`);
    if (inProcess.length) {
      try {
        const data = engine.framework === 'torch' ? runInProcessTorch(engine, inProcess, opts, torchPy) : runInProcessJs(engine, inProcess, opts);
        infos[engine.label] = data.info;
        if (/\/blas\/libblas\.so/.test(data.info?.blas ?? '') && !notes.some((n) => n.includes('reference BLAS'))) {
          notes.push(`${engine.label} runs on the netlib reference BLAS (${data.info.blas}), ~20× slower than OpenBLAS: install libopenblas0-pthread for a fair PyTorch number`);
        }
        for (const r of data.results) results.push({ ...tag, ...r });
      } catch (e) {
        for (const w of inProcess) results.push({ ...tag, workload: w, mode: '', error: String(e.message ?? e) });
        notes.push(`${engine.label}: ${e.message ?? e}`);
      }
    }
    if (opts.only.includes('W3')) {
      try {
        results.push({ ...tag, ...runPipeline(engine, opts, torchPy) });
      } catch (e) {
        results.push({ ...tag, workload: 'W3', mode: 'process', error: String(e.message ?? e) });
        notes.push(`${engine.label} W3: ${e.message ?? e}`);
      }
    }
  }
  const gemm = opts.only.includes('GEMM') ? runGemm(opts, torchPy, notes) : null;
  const seconds = (performance.now() - started) / 1000;

  const cappedRows = results.filter((r) => r.capped);
  if (cappedRows.length) notes.push(`slow, so time-capped (measured on a few steps, not skipped): ${cappedRows.map((r) => `${r.engine} ${r.workload} ${r.mode}`).join('; ')}`);
  const lines = [
    ...formatReport(results, engines.filter((e) => e.framework === 'kiln').map((e) => e.backend), opts.only),
    ...formatGoals(results, engines.filter((e) => e.framework === 'kiln').map((e) => e.backend), opts.only),
    ...(gemm ? formatGemm(gemm.shapes, gemm.kiln, gemm.torch) : []),
    '',
    `GFLOP/s: ${FLOPS_FORMULA}.`,
    'Values are the median of the repetitions after warm-up; min–max is their range. "kiln X vs this" = how many times faster kiln (fit, or the call itself) is than the row: < 1× means kiln is slower.',
    ...notes.map((n) => `note: ${n}`),
    `total ${seconds.toFixed(0)} s`,
  ];
  console.log(lines.join('\n'));

  const date = new Date().toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
  const file = opts.out ?? join(here, 'results', `${date}-${machine.host}${opts.quick ? '-quick' : ''}.json`);
  mkdirSync(dirname(file), { recursive: true });
  const json = {
    schema: 1, date: new Date().toISOString(), machine: { ...machine, loadAverageEnd: os.loadavg().map((v) => +v.toFixed(2)) },
    options: opts, plan, flopsFormula: FLOPS_FORMULA, workloads: { ...TRAIN, W3: PIPELINE, W4: PREDICT }, adam: ADAM,
    engines: engines.map((e) => ({ ...e, info: infos[e.label] })), results, gemm, notes, seconds,
  };
  writeFileSync(file, JSON.stringify(json, null, 1) + '\n');
  console.log(`results written to ${relative(process.cwd(), file)}`);
}

main().catch((e) => {
  console.error(`bench: ${e.message ?? e}`);
  process.exit(1);
});
