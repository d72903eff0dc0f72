import { ValueError } from '../errors.js';
import { noGrad, withRecording } from './engine.js';
import { GRADIENTS } from './gradients.js';
import * as P from './primitives.js';
import { formatShape } from './shape.js';
import type { Tensor } from './tensor.js';

/**
 * Reverse-mode differentiation. While `fn` runs, every primitive whose inputs need gradients
 * records its inputs on its output (micrograd's contract); `backward` then walks that graph from
 * the result in reverse topological order, applying the rules in `gradients.ts`.
 */

/** Topological order (inputs before outputs) of the recorded graph below `root`. */
function topoSort(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<number>();
  // Iterative DFS: deep graphs (long unrolled loops) must not overflow the JS stack.
  const stack: [Tensor, boolean][] = [[root, false]];
  while (stack.length) {
    const [t, expanded] = stack.pop()!;
    if (expanded) {
      order.push(t);
      continue;
    }
    if (seen.has(t.id)) continue;
    seen.add(t.id);
    stack.push([t, true]);
    for (const input of t.node?.inputs ?? []) if (input.requiresGrad && !seen.has(input.id)) stack.push([input, false]);
  }
  return order;
}

/** Gradients of scalar `y` with respect to each of `xs` (zeros where `y` does not depend on one). */
export function backward(y: Tensor, xs: readonly Tensor[], dy?: Tensor): Tensor[] {
  return noGrad(() => {
    const grads = new Map<number, Tensor>();
    grads.set(y.id, dy ?? P.fill(y.shape, 1, 'float32'));
    const order = topoSort(y);
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i]!;
      const g = grads.get(t.id);
      if (!g || !t.node) continue;
      const rule = GRADIENTS[t.node.primitive as P.PrimitiveName];
      const inputGrads = rule(g, t.node.inputs, t, t.node.attrs, t.node.inputs.map((input) => input.requiresGrad));
      t.node.inputs.forEach((input, k) => {
        const gi = inputGrads[k];
        if (!gi || !input.requiresGrad) return;
        const prev = grads.get(input.id);
        grads.set(input.id, prev ? P.binary('add', prev, gi) : gi);
      });
    }
    return xs.map((x) => grads.get(x.id) ?? P.fill(x.shape, 0, 'float32'));
  });
}

/**
 * Runs `fn` and returns its scalar result together with its gradients with respect to `xs`
 * (tensors or variables).
 *
 * ```ts
 * const x = kiln.tensor([1, 2, 3]);
 * const { value, grads } = kiln.valueAndGrads(() => kiln.sum(kiln.square(x)), [x]);
 * await grads[0].array(); // [2, 4, 6]
 * ```
 */
export function valueAndGrads(fn: () => Tensor, xs: readonly Tensor[]): { value: Tensor; grads: Tensor[] } {
  const previous = xs.map((x) => x.requiresGrad);
  for (const x of xs) x.requiresGrad = true;
  try {
    const value = withRecording(fn);
    if (value.size !== 1) {
      throw new ValueError(`valueAndGrads: the function must return a scalar, found shape ${formatShape(value.shape)}`);
    }
    const grads = backward(value, xs);
    // Drop the graph so intermediate tensors can be collected now, not when `value` is.
    value.node = null;
    return { value, grads };
  } finally {
    xs.forEach((x, i) => (x.requiresGrad = previous[i]!));
  }
}

/**
 * The gradient function of a scalar function of one tensor.
 *
 * ```ts
 * const dSquare = kiln.grad((x) => kiln.sum(kiln.square(x)));
 * await dSquare(kiln.tensor([3])).array(); // [6]
 * ```
 */
export function grad(fn: (x: Tensor) => Tensor): (x: Tensor) => Tensor {
  return (x) => valueAndGrads(() => fn(x), [x]).grads[0]!;
}
