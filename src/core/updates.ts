import type { AdamParams, SgdParams } from './backend.js';
import { backend } from './backend_registry.js';
import { onCurrent } from './placement.js';
import * as P from './primitives.js';
import type { Tensor, Variable } from './tensor.js';

/**
 * In-place optimizer updates: optional fused kernels with one composed default each. The default,
 * written here once with ordinary primitives, is the definition (Keras 3's formulas, one float32
 * rounding per operation); a backend implements `adamUpdate` / `sgdUpdate` only where fusing wins
 * (WebAssembly: one pass over the variable, no temporaries) and its kernel must round the same way,
 * so switching between the two never changes a result. Optimizers call these, never a backend.
 */

const scalar = (v: number): Tensor => P.fill([], v, 'float32');
const add = (a: Tensor, b: Tensor) => P.binary('add', a, b);
const sub = (a: Tensor, b: Tensor) => P.binary('sub', a, b);
const mul = (a: Tensor, b: Tensor) => P.binary('mul', a, b);
const div = (a: Tensor, b: Tensor) => P.binary('div', a, b);

/**
 * One Adam step (Keras 3 `adam.py`) with `beta1Power = β1ᵗ`, `beta2Power = β2ᵗ`, t = step + 1:
 * `m += (g − m)(1 − β1)`, `v += (g² − v)(1 − β2)`, `w −= m·α / (√v + ε)`, α = lr·√(1 − β2ᵗ)/(1 − β1ᵗ).
 * With `vHat` (AMSGrad) the running maximum of v takes v's place in the last step; that variant
 * has no fused kernel and always composes.
 */
export function adamUpdate(variable: Variable, m: Variable, v: Variable, grad: Tensor, p: AdamParams, vHat: Variable | null = null): void {
  const b = backend();
  if (b.adamUpdate && !vHat) {
    const g = onCurrent(grad);
    b.adamUpdate(onCurrent(variable).handle, onCurrent(m).handle, onCurrent(v).handle, g, p);
    return;
  }
  composedAdamUpdate(variable, m, v, grad, p, vHat);
}

/** Adam composed from primitives: the definition every fused `adamUpdate` kernel must equal. */
export function composedAdamUpdate(variable: Variable, m: Variable, v: Variable, grad: Tensor, p: AdamParams, vHat: Variable | null = null): void {
  const alpha = (p.lr * Math.sqrt(1 - p.beta2Power)) / (1 - p.beta1Power);
  m.assign(add(m, mul(sub(grad, m), scalar(1 - p.beta1))));
  v.assign(add(v, mul(sub(P.unary('square', grad), v), scalar(1 - p.beta2))));
  let denomV: Tensor = v;
  if (vHat) {
    vHat.assign(P.binary('maximum', vHat, v));
    denomV = vHat;
  }
  variable.assign(sub(variable, div(mul(m, scalar(alpha)), add(P.unary('sqrt', denomV), scalar(p.epsilon)))));
}

/**
 * One SGD step (Keras 3 `sgd.py`): without `velocity` `w −= lr·g`; with it `v = μ·v − lr·g`, then
 * `w += v`, or with Nesterov `w += μ·v − lr·g`.
 */
export function sgdUpdate(variable: Variable, velocity: Variable | null, grad: Tensor, p: SgdParams): void {
  const b = backend();
  if (b.sgdUpdate) {
    const g = onCurrent(grad);
    b.sgdUpdate(onCurrent(variable).handle, velocity ? onCurrent(velocity).handle : null, g, p);
    return;
  }
  composedSgdUpdate(variable, velocity, grad, p);
}

/** SGD composed from primitives: the definition every fused `sgdUpdate` kernel must equal. */
export function composedSgdUpdate(variable: Variable, velocity: Variable | null, grad: Tensor, p: SgdParams): void {
  if (!velocity || p.momentum === 0) {
    variable.assign(sub(variable, mul(grad, scalar(p.lr))));
    return;
  }
  const step = mul(grad, scalar(p.lr));
  velocity.assign(sub(mul(velocity, scalar(p.momentum)), step));
  const delta = p.nesterov ? sub(mul(velocity, scalar(p.momentum)), step) : velocity;
  variable.assign(add(variable, delta));
}
