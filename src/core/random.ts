import { randomBytes } from 'node:crypto';
import { ValueError } from '../errors.js';

/**
 * Seeded randomness. kiln keeps one independent stream per purpose (weight initialization,
 * dropout masks, data shuffling, and random tensors made by users), each an xoshiro128** generator.
 * Separate streams mean adding a dropout layer does not change how weights are initialized, and
 * every stream's state is plain numbers, so a checkpoint can save and restore it exactly.
 */
export type StreamName = 'init' | 'dropout' | 'shuffle' | 'ops';
const STREAM_NAMES: readonly StreamName[] = ['init', 'dropout', 'shuffle', 'ops'];

/** splitmix32: spreads one 32-bit seed into well-mixed words for the generator state. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** One xoshiro128** stream. */
export class RandomStream {
  private s = new Uint32Array(4);
  /** The second Box–Muller value, kept so normals come in exact, reproducible pairs. */
  private spare: number | null = null;

  constructor(seed: number, name: string) {
    this.reseed(seed, name);
  }

  reseed(seed: number, name: string): void {
    const st = { s: (seed ^ hashName(name)) | 0 };
    for (let i = 0; i < 4; i++) this.s[i] = splitmix32(st);
    if (this.s.every((w) => w === 0)) this.s[0] = 1;
    this.spare = null;
  }

  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform in [0, 1) with 24 random bits: every value is exactly a float32. */
  uniform(): number {
    return (this.nextUint32() >>> 8) / 16777216;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Uniform integer in [lo, hi). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.uniform() * (hi - lo));
  }

  /** A random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.uniform() * (i + 1));
      const tmp = p[i]!;
      p[i] = p[j]!;
      p[j] = tmp;
    }
    return p;
  }

  getState(): number[] {
    return [...this.s, this.spare ?? NaN];
  }

  setState(state: readonly (number | null)[]): void {
    if (state.length !== 5) throw new ValueError(`RandomStream.setState: expected 5 numbers, found ${state.length}`);
    for (let i = 0; i < 4; i++) this.s[i] = Number(state[i]);
    this.spare = typeof state[4] === "number" && Number.isFinite(state[4]) ? state[4] : null;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

let globalSeed = randomBytes(4).readUInt32LE(0);
const streams = new Map<StreamName, RandomStream>(STREAM_NAMES.map((n) => [n, new RandomStream(globalSeed, n)]));

/**
 * Makes every random choice in kiln reproducible: weight initialization, dropout masks, shuffling
 * and random tensors. The same seed gives bit-identical runs, in any process.
 *
 * ```ts
 * kiln.setSeed(42);
 * ```
 */
export function setSeed(seed: number): void {
  if (!Number.isInteger(seed)) throw new ValueError(`setSeed: expected an integer seed, found ${seed}`);
  globalSeed = seed | 0;
  for (const [name, s] of streams) s.reseed(globalSeed, name);
}

export function getSeed(): number {
  return globalSeed;
}

export function randomStream(name: StreamName): RandomStream {
  return streams.get(name)!;
}

/** Every stream's state, for checkpoints. */
export function getRandomState(): Record<StreamName, number[]> {
  return Object.fromEntries(STREAM_NAMES.map((n) => [n, streams.get(n)!.getState()])) as Record<StreamName, number[]>;
}

export function setRandomState(state: Partial<Record<StreamName, readonly number[]>>): void {
  for (const n of STREAM_NAMES) if (state[n]) streams.get(n)!.setState(state[n]!);
}
