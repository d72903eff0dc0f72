// The printed report: one block per workload, one row per engine and mode, and for each kiln
// backend a column "kiln <backend> vs this" = how many times faster kiln is than the row.
import { GOALS, PIPELINE, PREDICT, TRAIN } from '../workloads/spec.mjs';

const HIGHER_IS_BETTER = { 'samples/s': true, s: false, 'µs/call': false };

function fmt(value, unit) {
  if (value === undefined || value === null || !Number.isFinite(value)) return '—';
  if (unit === 'samples/s') return Math.round(value).toLocaleString('en-US');
  if (unit === 's') return value.toFixed(3);
  return value < 100 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US');
}

/** Columns padded to their widest cell; numbers right-aligned, text left-aligned. */
function align(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows.map((r) => r.map((cell, c) => (c < 2 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join('  ').trimEnd());
}

/** The row a kiln backend is judged by: fit for training (what users call), the call itself otherwise. */
export function primaryRow(results, workload, backend) {
  return results.find((r) => r.workload === workload && r.framework === 'kiln' && r.backend === backend && !r.error && (r.mode === 'fit' || r.mode === 'predict' || r.mode === 'process'));
}

/** kiln's speed over the row's: > 1 means kiln is faster, whichever way the unit points. */
export function speedup(kilnRow, row) {
  if (!kilnRow || !row || row.error) return null;
  return HIGHER_IS_BETTER[row.unit] ? kilnRow.median / row.median : row.median / kilnRow.median;
}

function titleOf(id) {
  return (TRAIN[id] ?? (id === PIPELINE.id ? PIPELINE : PREDICT)).title;
}

/** The whole report as lines of text. */
export function formatReport(results, kilnBackends, workloads) {
  const lines = [];
  for (const id of workloads) {
    const rows = results.filter((r) => r.workload === id);
    if (!rows.length) continue;
    const unit = rows.find((r) => !r.error)?.unit ?? '';
    lines.push('', `${id}  ${titleOf(id)}   (goal: ${GOALS[id].text})`);
    const extraHead = id === 'W3' ? 'val acc · import s · fit s' : id === 'W4' ? 'p10–p90 of calls' : 'GFLOP/s';
    const table = [['engine', 'mode', `median ${unit}`, 'min–max', extraHead, ...kilnBackends.map((b) => `kiln ${b} vs this`)]];
    for (const r of rows) {
      if (r.error) {
        table.push([r.engine, r.mode, 'error', '', r.error.slice(0, 60), ...kilnBackends.map(() => '')]);
        continue;
      }
      let extra = r.gflops !== undefined ? r.gflops.toFixed(2) : '';
      if (id === 'W3') extra = `${r.valAccuracy?.toFixed(3) ?? '?'} · ${r.breakdown?.import_s?.toFixed(2) ?? '?'} · ${r.breakdown?.fit_s?.toFixed(2) ?? '?'}`;
      if (id === 'W4') extra = `${fmt(r.p10, unit)}–${fmt(r.p90, unit)}`;
      const ratios = kilnBackends.map((b) => {
        const s = speedup(primaryRow(results, id, b), r);
        return s === null ? '' : `${s < 0.01 ? s.toPrecision(2) : s.toFixed(2)}×`;
      });
      table.push([r.engine, r.mode + (r.capped ? ' *' : ''), fmt(r.median, unit), `${fmt(r.min, unit)}–${fmt(r.max, unit)}`, extra, ...ratios]);
    }
    lines.push(...align(table).map((l) => '  ' + l));
    for (const r of rows.filter((x) => x.capped)) {
      lines.push(`  * ${r.engine} ${r.mode}: slow (${r.secPerStep?.toFixed(2) ?? '?'} s per step), so time-capped: measured on ${r.reps.length} repetitions × ${r.stepsPerRep ?? 1} step, ${r.timedSteps ?? '?'} timed steps in all.`);
    }
  }
  return lines;
}

/** One line per kiln backend and workload: the measured value against issue 3's goal. */
export function formatGoals(results, kilnBackends, workloads) {
  const lines = ['', 'kiln against the goals of issue 3:'];
  for (const b of kilnBackends) {
    for (const id of workloads) {
      const r = primaryRow(results, id, b);
      if (!r) continue;
      const g = GOALS[id];
      const met = g.higher ? r.median >= g.value : r.median <= g.value;
      const factor = g.higher ? g.value / r.median : r.median / g.value;
      lines.push(`  kiln ${b.padEnd(10)} ${id}: ${fmt(r.median, r.unit)} ${r.unit}  goal ${g.text}  ${met ? 'met' : `not met (${factor.toFixed(1)}× to go)`}`);
    }
  }
  return lines.length > 2 ? lines : [];
}

/**
 * GEMM GFLOP/s, one thread, on the products W1 and W2 run: kiln's WebAssembly kernels (from
 * bench/gemm.mjs, per build) beside torch.mm, in the transpose variant training uses.
 */
export function formatGemm(shapes, kilnRows, torchRows) {
  const builds = [...new Set(kilnRows.map((r) => r.build))];
  const head = ['shape m×k×n', 'variant', ...builds.map((b) => `kiln ${b === 'plain' ? 'simd128' : b}`), 'torch 1 thread'];
  const table = [head];
  for (const s of shapes) {
    const same = (r) => r.workload === s.workload && r.m === s.m && r.k === s.k && r.n === s.n && r.variant === s.variant;
    const kiln = builds.map((b) => kilnRows.find((r) => same(r) && r.build === b)?.gflops);
    const torch = torchRows.find(same)?.gflops;
    table.push([`${s.workload} ${s.m}×${s.k}×${s.n}`, s.variant, ...kiln.map((g) => g?.toFixed(1) ?? '—'), torch?.toFixed(1) ?? '—']);
  }
  return ['', 'GEMM GFLOP/s, 1 thread, the products of one W1/W2 training step (NN forward, TN dW = Xᵀ·dY, NT dX = dY·Wᵀ)', ...align(table).map((l) => '  ' + l)];
}
