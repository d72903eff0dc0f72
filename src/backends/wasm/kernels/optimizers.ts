// Fused optimizer updates, in place, following Keras 3 (keras/src/optimizers/adam.py, sgd.py)
// operation by operation in float32, so results match the reference backend's chain of tensor ops
// exactly (no FMA here, on either build, for that reason).
//
// Scalars arrive as float64 so derived constants (Adam's alpha) are computed at full precision and
// rounded once to float32, as the reference does when it turns a JS number into a tensor.
import { f4 } from './simd';

/**
 * Adam step for n elements (AdamW's decoupled decay is a separate `w -= w·wd·lr` before this):
 *   alpha = lr·√(1 - β2^t) / (1 - β1^t)      (beta1Power = β1^t, beta2Power = β2^t, t = step + 1)
 *   m += (g - m)·(1 - β1);  v += (g² - v)·(1 - β2);  w -= (m·alpha) / (√v + ε)
 */
export function adamUpdate(
  variable: usize, m: usize, v: usize, grad: usize, n: i32,
  lr: f64, beta1: f64, beta2: f64, epsilon: f64, beta1Power: f64, beta2Power: f64,
): void {
  const alpha = f32x4.splat(<f32>(lr * Math.sqrt(1 - beta2Power) / (1 - beta1Power)));
  const c1 = f32x4.splat(<f32>(1 - beta1));
  const c2 = f32x4.splat(<f32>(1 - beta2));
  const eps = f32x4.splat(<f32>epsilon);
  const vend = f4(n & ~3);
  for (let i: usize = 0; i < vend; i += 16) {
    const g = v128.load(grad + i);
    const m0 = v128.load(m + i);
    const v0 = v128.load(v + i);
    const m1 = f32x4.add(m0, f32x4.mul(f32x4.sub(g, m0), c1));
    const v1 = f32x4.add(v0, f32x4.mul(f32x4.sub(f32x4.mul(g, g), v0), c2));
    v128.store(m + i, m1);
    v128.store(v + i, v1);
    v128.store(variable + i, f32x4.sub(v128.load(variable + i), f32x4.div(f32x4.mul(m1, alpha), f32x4.add(f32x4.sqrt(v1), eps))));
  }
  const a = f32x4.extract_lane(alpha, 0), b1 = f32x4.extract_lane(c1, 0), b2 = f32x4.extract_lane(c2, 0), e = f32x4.extract_lane(eps, 0);
  for (let i = vend, end = f4(n); i < end; i += 4) {
    const g = load<f32>(grad + i);
    const m1 = load<f32>(m + i) + (g - load<f32>(m + i)) * b1;
    const v1 = load<f32>(v + i) + (g * g - load<f32>(v + i)) * b2;
    store<f32>(m + i, m1);
    store<f32>(v + i, v1);
    store<f32>(variable + i, load<f32>(variable + i) - (m1 * a) / (Mathf.sqrt(v1) + e));
  }
}

/**
 * SGD step for n elements: without momentum w -= g·lr (velocity is not touched and may be 0);
 * with it v = v·momentum - g·lr, then w += v, or with Nesterov w += v·momentum - g·lr.
 */
export function sgdUpdate(variable: usize, velocity: usize, grad: usize, n: i32, lr: f64, momentum: f64, nesterov: i32): void {
  const l = f32x4.splat(<f32>lr);
  const mu = f32x4.splat(<f32>momentum);
  const vend = f4(n & ~3);
  const end = f4(n);
  if (momentum == 0) {
    for (let i: usize = 0; i < vend; i += 16) {
      v128.store(variable + i, f32x4.sub(v128.load(variable + i), f32x4.mul(v128.load(grad + i), l)));
    }
    const ls = f32x4.extract_lane(l, 0);
    for (let i = vend; i < end; i += 4) store<f32>(variable + i, load<f32>(variable + i) - load<f32>(grad + i) * ls);
    return;
  }
  for (let i: usize = 0; i < vend; i += 16) {
    const step = f32x4.mul(v128.load(grad + i), l);
    const v1 = f32x4.sub(f32x4.mul(v128.load(velocity + i), mu), step);
    v128.store(velocity + i, v1);
    const delta = nesterov ? f32x4.sub(f32x4.mul(v1, mu), step) : v1;
    v128.store(variable + i, f32x4.add(v128.load(variable + i), delta));
  }
  const ls = f32x4.extract_lane(l, 0), ms = f32x4.extract_lane(mu, 0);
  for (let i = vend; i < end; i += 4) {
    const step = load<f32>(grad + i) * ls;
    const v1 = load<f32>(velocity + i) * ms - step;
    store<f32>(velocity + i, v1);
    store<f32>(variable + i, load<f32>(variable + i) + (nesterov ? v1 * ms - step : v1));
  }
}
