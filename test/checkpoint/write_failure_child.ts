/*
 * The child of write_failure.test.ts: the training script with a growing callback journal (so
 * backups grow), run under an OS limit set by the parent (a file-size limit, or another user's
 * permissions). Exits 0 with `RESULT <json>` when training finishes; on an error prints
 * `ERROR <class> <message>` and exits 3.
 */
import { runScript } from './run_script.js';

const job = JSON.parse(process.env.KILN_CHILD_JOB ?? '{}') as { dir: string; saveFreq: number; journal: number };
try {
  const result = await runScript({
    backupDir: job.dir, saveFreq: job.saveFreq, journalBytesPerBatch: job.journal,
    onBatch: (n) => void process.stdout.write(`batch ${n}\n`),
  });
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
} catch (e) {
  process.stdout.write(`ERROR ${(e as Error).constructor.name} ${(e as Error).message}\n`);
  process.exitCode = 3;
}
