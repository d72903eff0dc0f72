import type { DType } from '../core/dtype.js';
import { formatShape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { ShapeError } from '../errors.js';
import { fromValues } from '../ops/creation.js';
import type { Config } from '../serialization/registry.js';
import { registerClass } from '../serialization/registry.js';
import type { SeedArgs } from './initializer.js';
import { RandomInitializer, numberOption } from './initializer.js';

export interface OrthogonalArgs extends SeedArgs {
  /** Multiplies the orthogonal matrix (default 1). */
  gain?: number;
}

/**
 * An orthogonal matrix (Saxe et al., 2014), Keras 3's `Orthogonal` (the default recurrent kernel
 * initializer of Keras's LSTM and GRU). Shapes of rank > 2 are treated as a
 * (product of leading dims) × (last dim) matrix. The matrix is the Q factor of a standard normal
 * matrix with R's diagonal made positive, which is exactly what Gram–Schmidt produces, so that is
 * how it is computed here (in float64, orthogonalizing twice for accuracy).
 *
 * ```ts
 * const q = new kiln.initializers.Orthogonal().call([4, 4]); // qᵀq = I
 * ```
 */
export class Orthogonal extends RandomInitializer {
  static override readonly className = 'Orthogonal';
  readonly gain: number;

  constructor(args: OrthogonalArgs = {}) {
    super(args);
    this.gain = numberOption(args, 'gain', 1, 'Orthogonal');
  }

  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    if (shape.length < 2) {
      throw new ShapeError(`Orthogonal: the weight must be at least 2-D, found shape ${formatShape(shape)} of rank ${shape.length}`);
    }
    this.checkFloatRequest(shape, dtype);
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const cols = shape[shape.length - 1]!;
    const n = Math.max(rows, cols);
    const m = Math.min(rows, cols);
    // Draw the n×m normal matrix in row-major order (Keras's `flat_shape`), then orthonormalize its columns.
    const r = this.stream();
    const q = new Float64Array(n * m);
    for (let i = 0; i < q.length; i++) q[i] = r.normal();
    gramSchmidt(q, n, m);
    const out = new Float32Array(rows * cols);
    for (let row = 0; row < rows; row++) {
      for (let col = 0; col < cols; col++) {
        // rows < cols: the result is Qᵀ (orthogonal rows); otherwise Q (orthogonal columns).
        out[row * cols + col] = this.gain * (rows < cols ? q[col * m + row]! : q[row * m + col]!);
      }
    }
    return fromValues(out, shape, 'float32');
  }

  override getConfig(): Config {
    return { ...super.getConfig(), gain: this.gain };
  }
}

/** Orthonormalizes the m columns of the row-major n×m matrix `a` in place (modified Gram–Schmidt, twice). */
function gramSchmidt(a: Float64Array, n: number, m: number): void {
  for (let j = 0; j < m; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let r = 0; r < n; r++) dot += a[r * m + k]! * a[r * m + j]!;
        for (let r = 0; r < n; r++) a[r * m + j]! -= dot * a[r * m + k]!;
      }
    }
    let norm = 0;
    for (let r = 0; r < n; r++) norm += a[r * m + j]! ** 2;
    norm = Math.sqrt(norm);
    for (let r = 0; r < n; r++) a[r * m + j]! /= norm;
  }
}

registerClass(Orthogonal, { module: 'keras.initializers' });
// Keras 3.0 named the class OrthogonalInitializer; later versions write 'Orthogonal'.
registerClass(Orthogonal, { name: 'OrthogonalInitializer', module: 'keras.initializers' });
