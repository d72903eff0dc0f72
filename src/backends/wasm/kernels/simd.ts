// Small SIMD helpers shared by every kernel file.
//
// The same sources compile twice (scripts/build-wasm.mjs): once for plain SIMD128 and once with
// relaxed SIMD enabled. `ASC_FEATURE_RELAXED_SIMD` is a compile-time constant, so each build keeps
// only its own branch and the other costs nothing.

/** a * b + c. One fused instruction (vfmadd) on the relaxed build; a multiply and an add otherwise. */
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** Byte offset of float element `i` (pointers are byte offsets; kernels index in elements). */
@inline export function f4(i: i32): usize {
  return <usize>i << 2;
}

/**
 * Transposes the 4×4 block held in r0..r3 (rows) into columns, written to `dst` at byte
 * offsets 0, s, 2s, 3s. Eight shuffles: interleave pairs of rows, then pairs of pairs.
 */
@inline export function transposeStore4x4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, s: usize): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst + s, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * s, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * s, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

/**
 * The last `count` (1–3) floats at p as one vector, the other lanes set to `fill`: a ragged tail
 * then costs one vector operation (one exp, say) instead of one per element, and nothing past the
 * end of the array is read.
 */
@inline export function loadTail(p: usize, count: i32, fill: f32): v128 {
  let v = f32x4.replace_lane(f32x4.splat(fill), 0, load<f32>(p));
  if (count > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (count > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

/** Stores the first `count` (1–3) lanes of v at p. */
@inline export function storeTail(p: usize, v: v128, count: i32): void {
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (count > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (count > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}
