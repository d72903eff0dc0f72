/*
 * The child of sigkill.test.ts: the training script, run as its own Node process so it can
 * be killed with SIGKILL. Prints `batch N` after every batch (the parent picks kill points from
 * these) and, if training finishes, `RESULT <json>`.
 */
import { createInterface } from 'node:readline';
import { runScript } from './run_script.js';

// After each batch the child waits for the parent's 'go' line (see sigkill.test.ts).
const lines = createInterface({ input: process.stdin });
const waiting: (() => void)[] = [];
let early = 0;
lines.on('line', () => {
  const next = waiting.shift();
  if (next) next();
  else early++;
});
const go = () => new Promise<void>((resolve) => {
  if (early > 0) {
    early--;
    resolve();
  } else waiting.push(resolve);
});

const job = JSON.parse(process.env.KILN_CHILD_JOB ?? '{}') as { dir: string; units: number; saveFreq: number };
const result = await runScript({
  backupDir: job.dir,
  saveFreq: job.saveFreq,
  units: job.units,
  onBatch: (n) => {
    process.stdout.write(`batch ${n}\n`);
    return go();
  },
});
lines.close();
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`, () => process.exit(0));
