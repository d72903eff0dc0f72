/*
 * The child of sigkill.test.ts: the training script, run as its own Node process so it can
 * be killed with SIGKILL. Prints `batch N` after every batch (the parent picks kill points from
 * these) and, if training finishes, `RESULT <json>`.
 */
import { runScript } from './run_script.js';

const job = JSON.parse(process.env.KILN_CHILD_JOB ?? '{}') as { dir: string; units: number; saveFreq: number };
const result = await runScript({
  backupDir: job.dir,
  saveFreq: job.saveFreq,
  units: job.units,
  onBatch: (n) => process.stdout.write(`batch ${n}\n`),
});
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
