import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import '../../src/index.js'; // registers the backends the decoder uploads tensors to
import { BackupStore } from '../../src/checkpoint/backup_store.js';
import { mulberry32 } from '../helpers/random.js';

/*
 * The evidence: training in a child process is killed with SIGKILL at random moments — at
 * random batches and, by watching the backup directory for the temporary file of a backup being
 * written, in the middle of writing a backup — and started again each time, like a user re-running
 * the script after a crash. The last run must finish with weights, optimizer state, History and
 * callback decisions byte-identical to a run that was never interrupted.
 *
 * The model is wide (2,000 units, backups of ~0.2 MB with Adam's slots) so that writing a backup
 * takes long enough to be hit; each kill during a write is confirmed by the temporary file it
 * leaves behind. After every kill the directory must still hold an intact backup (once one was written).
 */

const CHILD = fileURLToPath(new URL('./sigkill_child.js', import.meta.url));
const UNITS = 2000;
const SAVE_FREQ = 2;
const MIN_KILLS = 20;
const MIN_KILLS_DURING_WRITE = 3;
const TEMP = /^\.backup-\d+\.kbak\.[0-9a-f]+\.tmp$/;

interface Run { result: string | null; stderr: string; killed: boolean }

/**
 * Starts the child; kills it after `killAfterBatches` batches, or when the `killOnTemp`-th temporary
 * backup file appears (during a write), or lets it finish.
 */
function runChild(dir: string, plan: { killAfterBatches?: number; killOnTemp?: number }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD], {
      env: { ...process.env, KILN_CHILD_JOB: JSON.stringify({ dir, units: UNITS, saveFreq: SAVE_FREQ }) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const kill = () => {
      if (!killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    let temps = 0;
    const watcher = plan.killOnTemp !== undefined
      ? watch(dir, (_event, name) => {
          if (name && TEMP.test(name) && ++temps >= plan.killOnTemp!) kill();
        })
      : null;
    // The child waits after each batch until it is told to go on, so a kill after N batches lands
    // after exactly N batches however loaded the machine is (it used to run on while the kill was
    // under way, and a loaded machine used up the run before enough kills were made).
    let acked = 0;
    child.stdin.on('error', () => {}); // the child may be gone when the last 'go' is written
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const batches = stdout.match(/^batch /gm)?.length ?? 0;
      while (acked < batches && !killed) {
        if (plan.killAfterBatches !== undefined && acked + 1 >= plan.killAfterBatches) kill();
        else child.stdin.write('go\n');
        acked++;
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      kill();
      reject(new Error(`child did not finish in 120 s; stderr: ${stderr}`));
    }, 120_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      watcher?.close();
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (!killed && code !== 0) reject(new Error(`child exited with ${code ?? signal}: ${stderr}`));
      else resolve({ result: line ? line.slice(7) : null, stderr, killed: killed && signal === 'SIGKILL' && !line });
    });
  });
}

test(`SIGKILL at ${MIN_KILLS}+ random points (some during a backup write), resumed each time: final state byte-identical`, { timeout: 600_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'kiln-sigkill-'));
  try {
    const straightDir = join(root, 'straight');
    mkdirSync(straightDir);
    const straight = await runChild(straightDir, {});
    assert.ok(straight.result, 'the uninterrupted run finished');

    const dir = join(root, 'killed');
    mkdirSync(dir);
    const rand = mulberry32(99);
    let kills = 0;
    let killsDuringWrite = 0;
    let staleLockWarnings = 0;
    let sawBackup = false;
    let final: string | null = null;
    for (let attempt = 0; attempt < 80 && final === null; attempt++) {
      const enough = kills >= MIN_KILLS && killsDuringWrite >= MIN_KILLS_DURING_WRITE;
      // Alternate kill styles; once enough kills are done, let the run finish.
      const plan = enough ? {} : attempt % 3 === 2 ? { killOnTemp: 1 + Math.floor(rand() * 3) } : { killAfterBatches: 1 + Math.floor(rand() * 7) };
      const run = await runChild(dir, plan);
      if (/removed a stale lock of process/.test(run.stderr)) staleLockWarnings++;
      if (run.result !== null) {
        final = run.result;
        break;
      }
      assert.ok(run.killed, `attempt ${attempt}: the child neither finished nor was killed; stderr: ${run.stderr}`);
      kills++;
      const names = readdirSync(dir);
      if (names.some((n) => TEMP.test(n))) killsDuringWrite++;
      // A valid backup must exist at every moment after the first one was written.
      const store = new BackupStore(dir);
      const latest = store.latestValid(() => {});
      if (sawBackup) assert.ok(latest, `attempt ${attempt}: no intact backup left after a kill (files: ${names.join(', ')})`);
      if (latest) sawBackup = true;
    }
    assert.ok(final, 'the resumed run finished');
    assert.ok(kills >= MIN_KILLS, `only ${kills} kills`);
    assert.ok(killsDuringWrite >= MIN_KILLS_DURING_WRITE, `only ${killsDuringWrite} kills landed during a backup write`);
    assert.ok(staleLockWarnings >= 1, "the dead processes' locks were taken over with a warning");
    const a = JSON.parse(straight.result!) as Record<string, unknown>;
    const b = JSON.parse(final) as Record<string, unknown>;
    assert.notEqual(b['restoredFrom'], null);
    for (const key of ['weights', 'optimizer', 'history', 'earlyStoppedEpoch', 'lr']) assert.deepEqual(b[key], a[key], key);
    console.log(`# sigkill: ${kills} kills (${killsDuringWrite} during a backup write), ${staleLockWarnings} stale locks recovered`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
