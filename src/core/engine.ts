/**
 * Process-wide switches of the engine, in one place. Only gradient recording lives here; the
 * training/inference distinction is passed explicitly to layers (`call(x, { training })`), never global.
 */
let recording = 0;
let paused = 0;

/** True while a `valueAndGrad` (or fit's train step) is recording the primitives it runs. */
export function isRecording(): boolean {
  return recording > 0 && paused === 0;
}

export function withRecording<T>(fn: () => T): T {
  recording++;
  try {
    return fn();
  } finally {
    recording--;
  }
}

/**
 * Runs `fn` without recording gradients (inference, metric updates, optimizer steps).
 *
 * ```ts
 * const y = kiln.noGrad(() => model.apply(x));
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  paused++;
  try {
    return fn();
  } finally {
    paused--;
  }
}
