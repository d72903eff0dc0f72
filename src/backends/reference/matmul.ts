import type { Shape } from '../../core/shape.js';
import { sizeOf, stridesOf } from '../../core/shape.js';
import type { TypedArray } from '../../core/dtype.js';

/**
 * Batched matrix product over the last two dims. Batch dims broadcast. Each output row is
 * accumulated in float64 and rounded once (the most accurate float32 answer, used as the spec).
 */
export function matmul(
  a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape,
  transposeA: boolean, transposeB: boolean, outShape: Shape,
): Float32Array {
  const ra = aShape.length;
  const rb = bShape.length;
  const m = outShape[outShape.length - 2]!;
  const n = outShape[outShape.length - 1]!;
  const k = transposeA ? aShape[ra - 2]! : aShape[ra - 1]!;
  const out = new Float32Array(sizeOf(outShape));
  // Element (i, p) of op(A) lives at i*aRow + p*aCol.
  const aRow = transposeA ? 1 : aShape[ra - 1]!;
  const aCol = transposeA ? aShape[ra - 1]! : 1;
  const bRow = transposeB ? 1 : bShape[rb - 1]!;
  const bCol = transposeB ? bShape[rb - 1]! : 1;
  const batchShape = outShape.slice(0, -2);
  const batches = sizeOf(batchShape);
  const aBatchOffsets = batchOffsets(aShape.slice(0, -2), batchShape, aShape[ra - 2]! * aShape[ra - 1]!);
  const bBatchOffsets = batchOffsets(bShape.slice(0, -2), batchShape, bShape[rb - 2]! * bShape[rb - 1]!);
  const row = new Float64Array(n);
  for (let batch = 0; batch < batches; batch++) {
    const aBase = aBatchOffsets[batch]!;
    const bBase = bBatchOffsets[batch]!;
    const outBase = batch * m * n;
    for (let i = 0; i < m; i++) {
      row.fill(0);
      for (let p = 0; p < k; p++) {
        const av = a[aBase + i * aRow + p * aCol]!;
        if (av === 0) continue;
        const bOff = bBase + p * bRow;
        for (let j = 0; j < n; j++) row[j]! += av * b[bOff + j * bCol]!;
      }
      out.set(row, outBase + i * n);
    }
  }
  return out;
}

/** For each output batch index, the flat offset of the matching (possibly broadcast) input matrix. */
function batchOffsets(inBatch: Shape, outBatch: Shape, matrixSize: number): number[] {
  const total = sizeOf(outBatch);
  const inStrides = stridesOf(inBatch);
  const offsets = new Array<number>(total);
  const rank = outBatch.length;
  for (let flat = 0; flat < total; flat++) {
    let rem = flat;
    let off = 0;
    for (let d = rank - 1; d >= 0; d--) {
      const idx = rem % outBatch[d]!;
      rem = Math.floor(rem / outBatch[d]!);
      const inDim = d - (rank - inBatch.length);
      if (inDim >= 0 && inBatch[inDim] !== 1) off += idx * inStrides[inDim]!;
    }
    offsets[flat] = off * matrixSize;
  }
  return offsets;
}
