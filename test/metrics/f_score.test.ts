import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ShapeError, ValueError } from '../../src/errors.js';
import { F1Score, FBetaScore } from '../../src/metrics/index.js';
import { assertStreams, close, run } from './util.js';

// Keras adds 1e-7 to each denominator, so hand values hold to ~1e-6.
const T = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0]];
const P = [[0.7, 0.2, 0.1], [0.3, 0.5, 0.2], [0.6, 0.3, 0.1], [0.1, 0.3, 0.6]];
// Without a threshold the prediction is each row's argmax: classes [0, 1, 0, 2].
// class 0: TP 1, FP 1, FN 0 → P 1/2, R 1 → F1 2/3
// class 1: TP 1, FP 0, FN 1 → P 1, R 1/2 → F1 2/3
// class 2: TP 0, FP 1, FN 1 → F1 0 (0/0 made 0 by the epsilons)

describe('F1Score', () => {
  it('per class without averaging', () => close(run(() => new F1Score(), [[T, P]]), [2 / 3, 2 / 3, 0]));
  it('macro: mean of [2/3, 2/3, 0]', () => close(run(() => new F1Score({ average: 'macro' }), [[T, P]]), 4 / 9));
  it('micro: pooled TP 2, FP 2, FN 2 → 1/2', () => close(run(() => new F1Score({ average: 'micro' }), [[T, P]]), 0.5));
  it('weighted by support [1, 2, 1]: (2/3 + 4/3 + 0) / 4', () => close(run(() => new F1Score({ average: 'weighted' }), [[T, P]]), 0.5));
  it('threshold 0.5: predictions [1,0,0],[0,0,0],[1,0,0],[0,0,1]', () => {
    // class 0: TP 1, FP 1 → 2/3; class 1: TP 0, FN 2 → 0; class 2: FP 1, FN 1 → 0
    close(run(() => new F1Score({ threshold: 0.5 }), [[T, P]]), [2 / 3, 0, 0]);
  });
  it('sample weights [1, 2, 1, 1] multiply rows', () => {
    // class 1: TP 2 (row 1, weight 2), FN 1 → P 1, R 2/3 → F1 0.8; class 0 still 2/3
    close(run(() => new F1Score(), [[T, P, [1, 2, 1, 1]]]), [2 / 3, 0.8, 0]);
  });
  it('without a threshold, a zero row predicts nothing and ties all predict', () => {
    // row [0, 0, 0] → no prediction: class 0 FN 1; row [0.5, 0.5, 0] → classes 0 and 1: class 0 TP 1, class 1 FP 1
    close(run(() => new F1Score(), [[[[1, 0, 0], [1, 0, 0]], [[0, 0, 0], [0.5, 0.5, 0]]]]), [2 / 3, 0, 0]);
  });
  it('streams', () => {
    assertStreams(() => new F1Score({ average: 'macro' }), [T.slice(0, 1), P.slice(0, 1)], [T.slice(1), P.slice(1)], [T, P]);
    assertStreams(() => new F1Score({ average: 'micro', threshold: 0.4 }), [T.slice(0, 3), P.slice(0, 3)], [T.slice(3), P.slice(3)], [T, P]);
  });
  it('is 0 / [] before any update', () => {
    close(new F1Score({ average: 'macro' }).result(), 0);
    assert.deepEqual(new F1Score().result(), []);
  });
});

describe('FBetaScore', () => {
  it('beta 2 weighs recall: (1 + 4)·P·R / (4P + R)', () => {
    // class 0: 5·(1/2)/(2 + 1) = 5/6; class 1: 5·(1/2)/(4 + 1/2) = 5/9; class 2: 0
    close(run(() => new FBetaScore({ beta: 2 }), [[T, P]]), [5 / 6, 5 / 9, 0]);
  });
  it('rejects bad inputs and options', () => {
    assert.throws(() => new FBetaScore().updateState([1, 0], [0.2, 0.9]), (e: Error) => e instanceof ShapeError && /fbeta_score/.test(e.message));
    const m = new F1Score();
    m.updateState([[1, 0]], [[0.9, 0.1]]);
    assert.throws(() => m.updateState([[1, 0, 0]], [[0.9, 0.1, 0]]), ShapeError);
    assert.throws(() => new FBetaScore({ average: 'median' as never }), ValueError);
    assert.throws(() => new FBetaScore({ beta: 0 }), ValueError);
    assert.throws(() => new F1Score({ threshold: 0 }), ValueError);
    assert.throws(() => new F1Score({ threshold: 1.5 }), ValueError);
  });
});
