// Every expected line below was printed by Keras 2.15's own code: `print_summary`,
// `count_params`, `weight_memory_size` and `readable_memory_size` were taken verbatim from
// keras/utils/layer_utils.py at tag v2.15.0 (keras-team/keras), exec'd under Python 3.11 + numpy
// with tensorflow stubbed out, and called with `print_fn=lines.append` on stand-in objects: a model
// whose class is named 'Sequential' (so print_summary takes the sequential branch) and layers whose
// classes are named 'Dense', 'BatchNormalization', ... with `name`, `built = True`, `output_shape`
// (a Python tuple, or absent to get 'multiple') and float32 weights of the listed shapes. The
// lines were then pasted here as-is. The not-built message is adapted from `Model.summary` in
// keras/engine/training.py (v2.15.0), which raises before print_summary runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatShape,
  formatSummary,
  readableMemorySize,
  type SummaryLayer,
} from '../../src/models/summary.js';
import { ValueError } from '../../src/errors.js';

function layer(name: string, className: string, outputShape: (number | null)[] | null, params: number, trainableParams = params): SummaryLayer {
  return { name, className, outputShape, params, trainableParams };
}

test('seed model: two Dense layers, default layout', () => {
  // Keras: Dense(64) on 784 inputs has a (784, 64) kernel and a (64,) bias = 50240; Dense(10) 650.
  // 50890 params * 4 bytes = 203560 bytes = 198.79 KB. No thousands separators in 2.15.
  const lines = formatSummary({
    name: 'sequential',
    layers: [layer('dense', 'Dense', [null, 64], 50240), layer('dense_1', 'Dense', [null, 10], 650)],
  });
  assert.deepEqual(lines, [
    'Model: "sequential"',
    '_________________________________________________________________',
    ' Layer (type)                Output Shape              Param #   ',
    '=================================================================',
    ' dense (Dense)               (None, 64)                50240     ',
    '                                                                 ',
    ' dense_1 (Dense)             (None, 10)                650       ',
    '                                                                 ',
    '=================================================================',
    'Total params: 50890 (198.79 KB)',
    'Trainable params: 50890 (198.79 KB)',
    'Non-trainable params: 0 (0.00 Byte)',
    '_________________________________________________________________',
  ]);
});

test('BatchNormalization, Dropout and Flatten: non-trainable totals and a wrapped class name', () => {
  // BatchNormalization over 128 features: gamma, beta trainable; moving_mean, moving_variance
  // non-trainable, so 512 params of which 256 (= 2 * units) are non-trainable.
  const lines = formatSummary({
    name: 'sequential_1',
    layers: [
      layer('flatten', 'Flatten', [null, 784], 0),
      layer('dense_2', 'Dense', [null, 128], 100480),
      layer('batch_normalization', 'BatchNormalization', [null, 128], 512, 256),
      layer('dropout', 'Dropout', [null, 128], 0),
      layer('dense_3', 'Dense', [null, 10], 1290),
    ],
  });
  assert.deepEqual(lines, [
    'Model: "sequential_1"',
    '_________________________________________________________________',
    ' Layer (type)                Output Shape              Param #   ',
    '=================================================================',
    ' flatten (Flatten)           (None, 784)               0         ',
    '                                                                 ',
    ' dense_2 (Dense)             (None, 128)               100480    ',
    '                                                                 ',
    ' batch_normalization (Batch  (None, 128)               512       ',
    ' Normalization)                                                  ',
    '                                                                 ',
    ' dropout (Dropout)           (None, 128)               0         ',
    '                                                                 ',
    ' dense_3 (Dense)             (None, 10)                1290      ',
    '                                                                 ',
    '=================================================================',
    'Total params: 102282 (399.54 KB)',
    'Trainable params: 102026 (398.54 KB)',
    'Non-trainable params: 256 (1.00 KB)',
    '_________________________________________________________________',
  ]);
});

test('long layer names wrap over several lines, keeping the space before the class name', () => {
  const lines = formatSummary({
    name: 'sequential_2',
    layers: [
      layer('a_really_long_dense_layer_name_for_wrapping', 'Dense', [null, 16], 144),
      layer('output_layer_with_an_even_longer_name_than_the_first', 'Dense', [null, 1], 17),
    ],
  });
  assert.deepEqual(lines, [
    'Model: "sequential_2"',
    '_________________________________________________________________',
    ' Layer (type)                Output Shape              Param #   ',
    '=================================================================',
    ' a_really_long_dense_layer_  (None, 16)                144       ',
    ' name_for_wrapping (Dense)                                       ',
    '                                                                 ',
    ' output_layer_with_an_even_  (None, 1)                 17        ',
    ' longer_name_than_the_first                                      ',
    '  (Dense)                                                        ',
    '                                                                 ',
    '=================================================================',
    'Total params: 161 (644.00 Byte)',
    'Trainable params: 161 (644.00 Byte)',
    'Non-trainable params: 0 (0.00 Byte)',
    '_________________________________________________________________',
  ]);
});

test('a model that is not built throws a ValueError that mentions inputShape', () => {
  assert.throws(
    () => formatSummary({ name: 'sequential_9', layers: [layer('dense', 'Dense', null, 0)], built: false }),
    (e: unknown) =>
      e instanceof ValueError &&
      e.message.startsWith("This model ('sequential_9') has not yet been built. Build the model first by calling `build()`") &&
      e.message.includes('`inputShape`'),
  );
});

test('output shapes print as Python tuples, a missing one as "multiple"', () => {
  assert.equal(formatShape([null, 28, 28, 1]), '(None, 28, 28, 1)');
  assert.equal(formatShape([null]), '(None,)');
  assert.equal(formatShape([]), '()');
  assert.equal(formatShape(null), 'multiple');
  const lines = formatSummary({
    name: 'sequential_3',
    layers: [
      layer('reshape', 'Reshape', [null, 28, 28, 1], 0),
      layer('flatten_1', 'Flatten', [null, 784], 0),
      layer('dense_4', 'Dense', [null, 1], 785),
      layer('reshape_1', 'Reshape', [null], 0),
    ],
  });
  assert.deepEqual(lines.slice(4, 12), [
    ' reshape (Reshape)           (None, 28, 28, 1)         0         ',
    '                                                                 ',
    ' flatten_1 (Flatten)         (None, 784)               0         ',
    '                                                                 ',
    ' dense_4 (Dense)             (None, 1)                 785       ',
    '                                                                 ',
    ' reshape_1 (Reshape)         (None,)                   0         ',
    '                                                                 ',
  ]);
  assert.equal(lines[13], 'Total params: 785 (3.07 KB)');
});

test('a long output shape wraps inside its column; a null shape prints "multiple"', () => {
  const lines = formatSummary({
    name: 'wide',
    layers: [layer('conv', 'Conv2D', [null, 1024, 1024, 1024, 1024, 1024], 10240), layer('x', 'Dense', null, 1)],
  });
  assert.deepEqual(lines.slice(4, 9), [
    ' conv (Conv2D)               (None, 1024, 1024, 1024   10240     ',
    '                             , 1024, 1024)                       ',
    '                                                                 ',
    ' x (Dense)                   multiple                  1         ',
    '                                                                 ',
  ]);
  assert.equal(lines[10], 'Total params: 10241 (40.00 KB)');
});

test("print_row breaks early after '),', '],', '},' and \"',\"", () => {
  const lines = formatSummary(
    { name: 'sequential_4', layers: [layer('merge_(left),(right),[a],{b},end', 'Concatenate', [null, 8], 0)] },
    { lineLength: 50, positions: [30, 42, 50] },
  );
  assert.deepEqual(lines, [
    'Model: "sequential_4"',
    '__________________________________________________',
    ' Layer (type)                 Output Sh   Param # ',
    '                              ape                 ',
    '==================================================',
    ' merge_(left),                (None, 8)   0       ',
    ' (right),                                         ',
    ' [a],                                             ',
    ' {b},                                             ',
    ' end (Concatenate)                                ',
    '                                                  ',
    '==================================================',
    'Total params: 0 (0.00 Byte)',
    'Trainable params: 0 (0.00 Byte)',
    'Non-trainable params: 0 (0.00 Byte)',
    '__________________________________________________',
  ]);
});

test('lineLength with relative and absolute positions', () => {
  // Relative: [0.5, 0.8, 1.0] * 40 -> [20, 32, 40]; the header and the shape wrap too.
  const relative = formatSummary(
    {
      name: 'sequential_2',
      layers: [layer('dense_with_a_long_name', 'Dense', [null, 32], 288), layer('d', 'Dense', [null, 1], 33)],
    },
    { lineLength: 40, positions: [0.5, 0.8, 1.0] },
  );
  assert.deepEqual(relative, [
    'Model: "sequential_2"',
    '________________________________________',
    ' Layer (type)       Output Sh   Param # ',
    '                    ape                 ',
    '========================================',
    ' dense_with_a_long  (None, 32   288     ',
    ' _name (Dense)      )                   ',
    '                                        ',
    ' d (Dense)          (None, 1)   33      ',
    '                                        ',
    '========================================',
    'Total params: 321 (1.25 KB)',
    'Trainable params: 321 (1.25 KB)',
    'Non-trainable params: 0 (0.00 Byte)',
    '________________________________________',
  ]);
  const absolute = formatSummary(
    { name: 'seq', layers: [layer('dense', 'Dense', [null, 3], 9)] },
    { lineLength: 50, positions: [20, 40, 50] },
  );
  assert.deepEqual(absolute, [
    'Model: "seq"',
    '__________________________________________________',
    ' Layer (type)       Output Shape        Param #   ',
    '==================================================',
    ' dense (Dense)      (None, 3)           9         ',
    '                                                  ',
    '==================================================',
    'Total params: 9 (36.00 Byte)',
    'Trainable params: 9 (36.00 Byte)',
    'Non-trainable params: 0 (0.00 Byte)',
    '__________________________________________________',
  ]);
});

test('a built model without layers prints the frame only', () => {
  assert.deepEqual(formatSummary({ name: 'empty', layers: [] }), [
    'Model: "empty"',
    '_________________________________________________________________',
    ' Layer (type)                Output Shape              Param #   ',
    '=================================================================',
    '=================================================================',
    'Total params: 0 (0.00 Byte)',
    'Trainable params: 0 (0.00 Byte)',
    'Non-trainable params: 0 (0.00 Byte)',
    '_________________________________________________________________',
  ]);
});

test('readableMemorySize matches Keras, including ties to even and the PB fall-through', () => {
  // Keys are byte counts fed to Keras's readable_memory_size; values are what it returned.
  const keras: [number, string][] = [
    [0, '0.00 Byte'], [4, '4.00 Byte'], [1023, '1023.00 Byte'], [1024, '1.00 KB'],
    [1152, '1.12 KB'], // 1.125 exactly: Python rounds half to even (JS toFixed would say 1.13)
    [1153, '1.13 KB'], [203560, '198.79 KB'], [1048576, '1.00 MB'], [1179648, '1.12 MB'],
    [5368721465, '5.00 GB'], [1266637395197952, '1.12 PB'], [3377699720527872, '3.00 PB'],
    [2 ** 60, '1.00 PB'], [3 * 2 ** 60, '3.00 PB'], // Keras divides by 1024 once too often here
  ];
  for (const [bytes, text] of keras) assert.equal(readableMemorySize(bytes), text, `${bytes} bytes`);
  assert.throws(() => readableMemorySize(-4), ValueError);
  assert.throws(() => readableMemorySize(1.5), ValueError);
});

test('bad layouts and bad counts throw ValueErrors that name the problem', () => {
  const model = { name: 'm', layers: [layer('dense', 'Dense', [null, 2], 6)] };
  // Keras's print_row would loop forever on a column with no room; kiln refuses it.
  assert.throws(() => formatSummary(model, { positions: [3, 40, 65] }), /column 1 \('Layer \(type\)'\)/);
  assert.throws(() => formatSummary(model, { positions: [0.5, 1] }), /positions needs 3 entries/);
  assert.throws(() => formatSummary(model, { lineLength: 0 }), /lineLength must be a positive integer/);
  assert.throws(
    () => formatSummary({ name: 'm', layers: [layer('bn', 'BatchNormalization', [null, 2], 8, 9)] }),
    (e: unknown) => e instanceof ValueError && /layer 'bn' trainableParams must be an integer in \[0, 8\], found 9/.test(e.message),
  );
  assert.throws(() => formatSummary({ name: 'm', layers: [layer('d', 'Dense', [null, 2], -1)] }), /layer 'd' params/);
});
