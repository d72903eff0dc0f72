// Batched 2-D transpose: out[b][c][r] = x[b][r][c].
//
// Blocked twice: 32×32 tiles (8 KiB in, 8 KiB out) keep both sides' cache lines in L1 while a tile
// is done, and inside a tile 4×4 blocks move as four vector loads, eight shuffles and four vector
// stores. Ragged edges (rows or cols not a multiple of 4) are copied element by element.
import { f4, transposeStore4x4 } from './simd';

const TILE: i32 = 32;

/** out = transpose of each rows×cols matrix, for `batch` matrices stored back to back. */
export function transpose2d(x: usize, out: usize, batch: i32, rows: i32, cols: i32): void {
  const size = f4(rows * cols);
  const inRow = f4(cols);
  const outRow = f4(rows);
  const rows4 = rows & ~3;
  const cols4 = cols & ~3;
  for (let b = 0; b < batch; b++) {
    const xb = x + <usize>b * size;
    const ob = out + <usize>b * size;
    for (let r0 = 0; r0 < rows4; r0 += TILE) {
      const r1 = min(r0 + TILE, rows4);
      for (let c0 = 0; c0 < cols4; c0 += TILE) {
        const c1 = min(c0 + TILE, cols4);
        for (let r = r0; r < r1; r += 4) {
          for (let c = c0; c < c1; c += 4) {
            const p = xb + f4(r * cols + c);
            transposeStore4x4(v128.load(p), v128.load(p + inRow), v128.load(p + 2 * inRow), v128.load(p + 3 * inRow), ob + f4(c * rows + r), outRow);
          }
        }
      }
    }
    // Right strip (columns past cols4, all rows) and bottom strip (rows past rows4).
    for (let r = 0; r < rows; r++) {
      for (let c = cols4; c < cols; c++) store<f32>(ob + f4(c * rows + r), load<f32>(xb + f4(r * cols + c)));
    }
    for (let r = rows4; r < rows; r++) {
      for (let c = 0; c < cols4; c++) store<f32>(ob + f4(c * rows + r), load<f32>(xb + f4(r * cols + c)));
    }
  }
}
