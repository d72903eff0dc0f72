// What the results file records about the machine, and how the peers are found on it.
import { spawnSync } from 'node:child_process';
import os from 'node:os';

/** CPU, cores, memory, Node and the load average: the machine is shared, so the load says how far to trust a run. */
export function machineInfo() {
  const cpus = os.cpus();
  return {
    host: os.hostname(),
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    availableParallelism: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverage: os.loadavg().map((v) => +v.toFixed(2)),
  };
}

/**
 * The first Python that can `import torch`: $KILN_BENCH_PYTHON, then `python3` on the PATH, then
 * /usr/bin/python3 (Debian's python3-torch installs there, which a pyenv or venv python3 on the
 * PATH does not see). Returns null, with the reason, when none can.
 */
export function findTorchPython() {
  const candidates = [process.env.KILN_BENCH_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean);
  const tried = [];
  for (const py of [...new Set(candidates)]) {
    const r = spawnSync(py, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 60000 });
    if (r.status === 0) return { python: py, version: r.stdout.trim() };
    tried.push(`${py}: ${r.error ? r.error.code : (r.stderr.trim().split('\n').at(-1) ?? 'failed')}`);
  }
  return { python: null, reason: `no Python here can import torch (${tried.join('; ')}); install Debian's python3-torch (and libopenblas0-pthread) to compare with PyTorch` };
}

/** Environment that makes "n threads" mean n for PyTorch's own pool, OpenMP and OpenBLAS alike. */
export function threadEnv(n) {
  return { ...process.env, OMP_NUM_THREADS: String(n), OPENBLAS_NUM_THREADS: String(n), MKL_NUM_THREADS: String(n) };
}
