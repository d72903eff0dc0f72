// Timing loops shared by every JavaScript framework. bench/torch_bench.py follows the same plan
// with the same parameters (run.mjs passes them on its command line), so numbers compare.

/** How long to warm up, how long one repetition should last, and how much time one measurement may take. */
export function timingPlan(quick) {
  return quick
    ? { warmupSec: 0.4, repSec: 0.25, reps: 3, minReps: 2, budgetSec: 6, latencyCalls: 300, pipelineReps: 2 }
    : { warmupSec: 1.5, repSec: 1.0, reps: 5, minReps: 3, budgetSec: 20, latencyCalls: 5000, pipelineReps: 5 };
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Median, min and max of a list of repetition results, with the raw list kept for the JSON. */
export function summarize(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), reps: values };
}

const now = () => performance.now() / 1000;

/**
 * Training throughput. `prepare(steps)` returns a function that runs about `steps` training steps
 * of `batch` samples (data is made in prepare, outside the clock); the function's `steps` property
 * says how many it really runs (fit rounds up to whole epochs).
 *
 * Warm-up runs until `warmupSec` has passed and at least 2 steps ran, doubling the run length while
 * one run is short so that per-call overhead (fit's setup) does not skew the estimate of one step.
 * A repetition then runs as many steps as fill `repSec` (at least 1). Repetitions stop after
 * `reps`, or once `budgetSec` is spent and `minReps` ran: a slow engine (the reference backend on
 * W2) is measured on a few steps instead of skipped, and the result says `capped: true` (also
 * when under 10 steps were timed in all).
 *
 * Returns samples/s as {median, min, max, reps}, with stepsPerRep and seconds per step.
 */
export async function measureThroughput({ prepare, batch, plan, maxStepsPerRep = 100000 }) {
  const start = now();
  let warm = await prepare(2);
  let warmSteps = 0;
  let stepSec = Infinity;
  while (warmSteps < 2 || now() - start < plan.warmupSec) {
    const t = now();
    await warm();
    const dt = now() - t;
    stepSec = dt / warm.steps;
    warmSteps += warm.steps;
    if (now() - start > plan.budgetSec / 3) break; // a very slow engine: a few steps calibrate well enough
    if (dt < plan.repSec / 4 && warm.steps * 2 <= maxStepsPerRep) warm = await prepare(warm.steps * 2);
  }
  const run = await prepare(Math.max(1, Math.min(maxStepsPerRep, Math.round(plan.repSec / stepSec))));
  const stepsPerRep = run.steps;
  // A run over new data may allocate or capture a step plan the first time: untimed, unless it is long.
  if (stepsPerRep * stepSec < 2) await run();
  const rates = [];
  for (let r = 0; r < plan.reps; r++) {
    if (r >= plan.minReps && now() - start > plan.budgetSec) break;
    const t = now();
    await run();
    rates.push((stepsPerRep * batch) / (now() - t));
  }
  // A slow engine is flagged: cut short by the budget, or timed on under 10 steps in all.
  const timedSteps = stepsPerRep * rates.length;
  const capped = rates.length < plan.reps || timedSteps < 10;
  return { ...summarize(rates), stepsPerRep, timedSteps, warmupSteps: warmSteps, secPerStep: batch / median(rates), capped };
}

/**
 * Latency of a call that takes a few µs to a few ms: each call is timed alone with the
 * high-resolution clock (`call` is synchronous: an await would add its own cost); a repetition's value is the median of its calls (so a GC pause does not
 * move it), and the result is the median, min and max of the repetitions' medians, in µs.
 */
export function measureLatency({ call, plan }) {
  const warmEnd = now() + plan.warmupSec / 2;
  let warmCalls = 0;
  while (warmCalls < 50 || now() < warmEnd) {
    call();
    warmCalls++;
  }
  const perRep = Math.max(20, Math.round(plan.latencyCalls / plan.reps));
  const repMedians = [];
  const all = [];
  const start = now();
  for (let r = 0; r < plan.reps; r++) {
    if (r >= plan.minReps && now() - start > plan.budgetSec) break;
    const times = new Float64Array(perRep);
    for (let i = 0; i < perRep; i++) {
      const t = process.hrtime.bigint();
      call();
      times[i] = Number(process.hrtime.bigint() - t) / 1000;
    }
    repMedians.push(median(times));
    for (const v of times) all.push(v);
  }
  all.sort((a, b) => a - b);
  const mean = all.reduce((a, b) => a + b, 0) / all.length;
  return { ...summarize(repMedians), callsPerRep: perRep, p10: all[Math.floor(all.length * 0.1)], p90: all[Math.floor(all.length * 0.9)], mean };
}
