/**
 * Runs `fn` with process.stdout captured (and reported as not a TTY, so progress bars print their
 * final, non-overwriting lines), returning what was written and `fn`'s result.
 */
export function captureStdout<T>(fn: () => Promise<T>): Promise<{ out: string; result: T }> {
  const write = process.stdout.write.bind(process.stdout);
  const isTTY = process.stdout.isTTY;
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  }) as typeof process.stdout.write;
  (process.stdout as { isTTY?: boolean }).isTTY = false;
  return fn()
    .then((result) => ({ out, result }))
    .finally(() => {
      process.stdout.write = write;
      (process.stdout as { isTTY?: boolean }).isTTY = isTTY;
    });
}
