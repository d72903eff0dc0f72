// The workloads, defined once so that every framework runs exactly the same shapes and settings.
// Python reads the same numbers from the command line (bench/torch_bench.py), never from its own copy.

/** Adam as Keras 3 defaults it; tfjs and PyTorch are set to the same values (PyTorch's default eps is 1e-8). */
export const ADAM = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

/** W1 and W2: softmax classifiers trained with Adam and sparse categorical cross-entropy. */
export const TRAIN = {
  W1: { id: 'W1', title: 'MLP 784→64→10, batch 32, Adam, sparse CE — training samples/s', inputs: 784, hidden: [64], classes: 10, batch: 32 },
  W2: { id: 'W2', title: 'MLP 784→512→512→10, batch 256, Adam, sparse CE — training samples/s', inputs: 784, hidden: [512, 512], classes: 10, batch: 256 },
};

/** W3: the seed pipeline, run as a whole fresh process. */
export const PIPELINE = { id: 'W3', title: 'seed pipeline as a fresh process (1000×10, min-max, 800/200, MLP 10→64→64→1, 10 epochs, batch 32, validation each epoch) — wall s', rows: 1000, features: 10, trainRows: 800, hidden: [64, 64], epochs: 10, batch: 32 };

/** W4: latency of predicting one row through the W1 model. */
export const PREDICT = { id: 'W4', title: 'predict one row through the W1 model — µs per call', model: 'W1' };

/** The goal column of issue 3, for the table. `higher` says which direction is better. */
export const GOALS = {
  W1: { value: 120000, higher: true, text: '≥ 120,000 samples/s' },
  W2: { value: 20000, higher: true, text: '≥ 20,000 samples/s' },
  W3: { value: 0.25, higher: false, text: '≤ 0.25 s' },
  W4: { value: 20, higher: false, text: '≤ 20 µs' },
};

export const ALL_WORKLOADS = ['W1', 'W2', 'W3', 'W4'];

/** Layer widths from input to output, e.g. [784, 64, 10]. */
export function widths(spec) {
  return [spec.inputs, ...spec.hidden, spec.classes];
}

/**
 * Floating-point operations of one training step per sample: every Dense layer k→n is one GEMM
 * forward (Y = X·W, 2·m·k·n for a batch of m) and two backward (dX = dY·Wᵀ and dW = Xᵀ·dY, 2·m·k·n
 * each), so a step costs 6·m·Σ k·n. Bias adds, activations, the loss and Adam are left out (they are
 * O(m·n) or O(k·n), under 1% here), and so is the fact that a framework may skip dX of the first
 * layer: the count is the same for every framework, which is what a GFLOP/s comparison needs.
 */
export function trainFlopsPerSample(spec) {
  const w = widths(spec);
  let kn = 0;
  for (let i = 0; i + 1 < w.length; i++) kn += w[i] * w[i + 1];
  return 6 * kn;
}

export const FLOPS_FORMULA = 'training FLOP per step = 6·m·Σ(k·n) over Dense layers k→n, batch m (forward Y=XW plus backward dX=dY·Wᵀ and dW=Xᵀ·dY, 2·m·k·n each; bias, activations, loss and Adam not counted)';

/**
 * The GEMMs one training step of W1 and W2 runs, as m×k×n (C[m×n] = op(A)[m×k]·op(B)[k×n]) with
 * the transpose variant: per Dense layer k→n and batch m, forward X·W (NN, m×k×n), dW = Xᵀ·dY
 * (TN, k×m×n) and dX = dY·Wᵀ (NT, m×n×k). bench/gemm.mjs times kiln's kernels on the same list.
 */
export function gemmShapes() {
  const shapes = [];
  for (const spec of Object.values(TRAIN)) {
    const w = widths(spec);
    const m = spec.batch;
    for (let i = 0; i + 1 < w.length; i++) {
      const [k, n] = [w[i], w[i + 1]];
      shapes.push({ workload: spec.id, m, k, n, variant: 'NN' }, { workload: spec.id, m: k, k: m, n, variant: 'TN' }, { workload: spec.id, m, k: n, n: k, variant: 'NT' });
    }
  }
  return shapes;
}
