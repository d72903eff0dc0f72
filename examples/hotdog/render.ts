/**
 * Draws the hot-dog example's pictures: a sausage in a bun against other food-like shapes, with
 * varied colours, sizes, angles, backgrounds and noise. Everything is drawn from signed distance
 * functions (a shape is where its distance is below zero), so any size renders cleanly, and every
 * picture is a pure function of the random stream it is given.
 */

/** A seeded source of uniform numbers in [0, 1). */
export type Random = () => number;

/** An RGB picture, row-major, 0–255. */
export interface Picture {
  size: number;
  pixels: Uint8Array;
}

type RGB = [number, number, number];
/** Signed distance from (x, y) (in [0, 1] picture units) to a shape's edge: negative inside. */
type Shape = (x: number, y: number) => number;

const between = (r: Random, lo: number, hi: number) => lo + (hi - lo) * r();
const jitter = (r: Random, [a, b, c]: RGB, amount: number): RGB => [a + between(r, -amount, amount), b + between(r, -amount, amount), c + between(r, -amount, amount)];

/** A capsule (a rounded stick) from its centre, half length, radius and angle. */
function capsule(cx: number, cy: number, half: number, radius: number, angle: number): Shape {
  const ux = Math.cos(angle);
  const uy = Math.sin(angle);
  return (x, y) => {
    const dx = x - cx;
    const dy = y - cy;
    const along = Math.max(-half, Math.min(half, dx * ux + dy * uy));
    return Math.hypot(dx - along * ux, dy - along * uy) - radius;
  };
}

function disc(cx: number, cy: number, radius: number): Shape {
  return (x, y) => Math.hypot(x - cx, y - cy) - radius;
}

function ring(cx: number, cy: number, radius: number, width: number): Shape {
  return (x, y) => Math.abs(Math.hypot(x - cx, y - cy) - radius) - width;
}

/** A rotated box with rounded corners. */
function box(cx: number, cy: number, hw: number, hh: number, angle: number, round = 0.02): Shape {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return (x, y) => {
    const dx = Math.abs((x - cx) * c + (y - cy) * s) - hw + round;
    const dy = Math.abs(-(x - cx) * s + (y - cy) * c) - hh + round;
    return Math.hypot(Math.max(dx, 0), Math.max(dy, 0)) + Math.min(Math.max(dx, dy), 0) - round;
  };
}

/** A triangle from three corners (a pizza slice, a sandwich half). */
function triangle(p: [number, number][]): Shape {
  return (x, y) => {
    let inside = true;
    let d = Infinity;
    for (let i = 0; i < 3; i++) {
      const [ax, ay] = p[i]!;
      const [bx, by] = p[(i + 1) % 3]!;
      const ex = bx - ax;
      const ey = by - ay;
      const t = Math.max(0, Math.min(1, ((x - ax) * ex + (y - ay) * ey) / (ex * ex + ey * ey)));
      d = Math.min(d, Math.hypot(x - ax - t * ex, y - ay - t * ey));
      if (ex * (y - ay) - ey * (x - ax) < 0) inside = false;
    }
    // Corners are listed counter-clockwise or clockwise: inside means all on one side.
    if (!inside) {
      let other = true;
      for (let i = 0; i < 3; i++) {
        const [ax, ay] = p[i]!;
        const [bx, by] = p[(i + 1) % 3]!;
        if ((bx - ax) * (y - ay) - (by - ay) * (x - ax) > 0) other = false;
      }
      inside = other;
    }
    return inside ? -d : d;
  };
}

interface Layer {
  shape: Shape;
  color: RGB;
}

/** The layers of a hot dog: a bun, a sausage lying in it (a little longer), maybe mustard. */
function hotDog(r: Random): Layer[] {
  const cx = between(r, 0.38, 0.62);
  const cy = between(r, 0.38, 0.62);
  const angle = between(r, 0, Math.PI);
  const half = between(r, 0.2, 0.3);
  const bunRadius = between(r, 0.1, 0.14);
  const layers: Layer[] = [
    { shape: capsule(cx, cy, half, bunRadius, angle), color: jitter(r, [214, 160, 92], 25) },
    { shape: capsule(cx, cy, half + between(r, 0.02, 0.07), bunRadius * between(r, 0.45, 0.6), angle), color: jitter(r, [168, 58, 40], 22) },
  ];
  if (r() < 0.6) {
    // A mustard zigzag along the sausage.
    const n = 5;
    const ux = Math.cos(angle);
    const uy = Math.sin(angle);
    for (let i = 0; i < n; i++) {
      const t = (i / (n - 1) - 0.5) * 2 * half * 0.9;
      const side = (i % 2 === 0 ? 1 : -1) * bunRadius * 0.18;
      layers.push({ shape: disc(cx + t * ux - side * uy, cy + t * uy + side * ux, bunRadius * 0.12), color: jitter(r, [232, 196, 40], 15) });
    }
  }
  return layers;
}

/** One of several other foods, some close to a hot dog (an empty bun, a long red sausage alone). */
function otherFood(r: Random): Layer[] {
  const cx = between(r, 0.38, 0.62);
  const cy = between(r, 0.38, 0.62);
  const angle = between(r, 0, Math.PI);
  const kind = Math.floor(r() * 8);
  switch (kind) {
    case 0: { // pizza slice with pepperoni
      const s = between(r, 0.25, 0.35);
      const corners: [number, number][] = [0, 1, 2].map((k) => [cx + s * Math.cos(angle + (k * 2 * Math.PI) / 3), cy + s * Math.sin(angle + (k * 2 * Math.PI) / 3)]);
      const layers: Layer[] = [{ shape: triangle(corners), color: jitter(r, [238, 190, 80], 20) }];
      for (let i = 0; i < 3; i++) layers.push({ shape: disc(cx + between(r, -0.06, 0.06), cy + between(r, -0.06, 0.06), 0.035), color: jitter(r, [176, 44, 36], 15) });
      return layers;
    }
    case 1: // doughnut
      return [{ shape: ring(cx, cy, between(r, 0.16, 0.22), between(r, 0.05, 0.08)), color: jitter(r, [r() < 0.5 ? 200 : 120, 110, 70], 30) }];
    case 2: { // burger seen from the side
      const w = between(r, 0.2, 0.28);
      return [
        { shape: box(cx, cy - 0.07, w, 0.06, 0, 0.05), color: jitter(r, [214, 160, 92], 20) },
        { shape: box(cx, cy, w * 1.05, 0.03, 0), color: jitter(r, [90, 50, 30], 15) },
        { shape: box(cx, cy + 0.045, w * 1.1, 0.015, 0), color: jitter(r, [70, 160, 60], 20) },
        { shape: box(cx, cy + 0.09, w, 0.035, 0, 0.03), color: jitter(r, [214, 160, 92], 20) },
      ];
    }
    case 3: // apple or tomato
      return [{ shape: disc(cx, cy, between(r, 0.15, 0.24)), color: jitter(r, r() < 0.5 ? [190, 30, 40] : [90, 170, 60], 25) }];
    case 4: // an empty bun
      return [{ shape: capsule(cx, cy, between(r, 0.2, 0.3), between(r, 0.1, 0.14), angle), color: jitter(r, [214, 160, 92], 25) }];
    case 5: // a sausage alone, or a cucumber
      return [{ shape: capsule(cx, cy, between(r, 0.22, 0.32), between(r, 0.05, 0.08), angle), color: jitter(r, r() < 0.5 ? [168, 58, 40] : [60, 130, 50], 22) }];
    case 6: // a slice of bread
      return [{ shape: box(cx, cy, between(r, 0.16, 0.22), between(r, 0.16, 0.22), angle, 0.05), color: jitter(r, [226, 190, 130], 20) }];
    default: // banana
      return [{ shape: (x, y) => ring(cx, cy + 0.15, 0.22, 0.05)(x, y) + Math.max(0, y - cy) * 3, color: jitter(r, [236, 210, 70], 20) }];
  }
}

/**
 * Draws one picture: a random two-colour gradient background with speckle noise, then the food
 * shapes (anti-aliased over one pixel), then sensor noise.
 */
export function drawPicture(r: Random, hot: boolean, size: number): Picture {
  const pixels = new Uint8Array(size * size * 3);
  const c0 = [between(r, 40, 250), between(r, 40, 250), between(r, 40, 250)];
  const c1 = [between(r, 40, 250), between(r, 40, 250), between(r, 40, 250)];
  const gx = between(r, -1, 1);
  const gy = between(r, -1, 1);
  const layers = hot ? hotDog(r) : otherFood(r);
  const noise = between(r, 4, 18);
  const px = 1 / size;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const x = (i + 0.5) * px;
      const y = (j + 0.5) * px;
      const t = Math.min(1, Math.max(0, 0.5 + (x - 0.5) * gx + (y - 0.5) * gy));
      let rgb = [c0[0]! + (c1[0]! - c0[0]!) * t, c0[1]! + (c1[1]! - c0[1]!) * t, c0[2]! + (c1[2]! - c0[2]!) * t];
      for (const { shape, color } of layers) {
        const cover = Math.min(1, Math.max(0, 0.5 - shape(x, y) / px));
        if (cover > 0) rgb = rgb.map((v, k) => v + (color[k]! - v) * cover);
      }
      const o = (j * size + i) * 3;
      for (let k = 0; k < 3; k++) pixels[o + k] = Math.max(0, Math.min(255, Math.round(rgb[k]! + (r() - 0.5) * 2 * noise)));
    }
  }
  return { size, pixels };
}

/** A small seeded generator (mulberry32), so every run draws the same pictures. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
