# Writes the recurrent fixtures in this folder with real Keras 3.16 (torch backend; see
# ../../../../../shared/keras-oracle/README.md): `/tmp/keras-oracle/run.sh make_fixtures.py`.
# Seeded non-trivial weights; `*.expected.json` holds `input`, Keras's `predict` output and a tolerance.
import json, os, numpy as np
import keras
from keras import layers

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(316)

def randomize(model):
    for w in model.weights:
        w.assign(rng.normal(0, 0.5, size=w.shape).astype('float32'))

def write(name, model, x):
    randomize(model)
    model.save(os.path.join(here, name + '.keras'))
    model.save(os.path.join(here, name + '.h5'))
    y = model.predict(x, verbose=0)
    json.dump({'input': x.tolist(), 'expected': np.asarray(y).tolist(), 'tolerance': 1e-5, 'keras': keras.__version__},
              open(os.path.join(here, name + '.expected.json'), 'w'))

# Float sequences, zero-padded and masked: Masking → Bidirectional(LSTM, concat) → TimeDistributed(Dense)
# → GRU (reset_after) → GRU (reset_after False, go_backwards) → SimpleRNN.
x = rng.normal(size=(4, 6, 3)).astype('float32')
x[1, 4:] = 0
x[2, 5:] = 0
a = keras.Sequential([
    keras.Input((6, 3)),
    layers.Masking(0.0),
    layers.Bidirectional(layers.LSTM(4, return_sequences=True)),
    layers.TimeDistributed(layers.Dense(3, activation='tanh')),
    layers.GRU(4, return_sequences=True),
    layers.GRU(3, reset_after=False, return_sequences=True, go_backwards=True),
    layers.SimpleRNN(2),
])
write('masked_recurrent', a, x)

# Integer ids with padding 0: Embedding(mask_zero) → Bidirectional(GRU, sum) → LSTM → Dense(softmax).
ids = np.array([[1, 2, 3, 0, 0], [4, 5, 6, 7, 8], [8, 0, 0, 0, 0], [3, 3, 1, 2, 0]], dtype='int32')
b = keras.Sequential([
    keras.Input((5,), dtype='int32'),
    layers.Embedding(9, 4, mask_zero=True),
    layers.Bidirectional(layers.GRU(3, return_sequences=True), merge_mode='sum'),
    layers.LSTM(3),
    layers.Dense(2, activation='softmax'),
])
write('embedding_bigru_lstm', b, ids)
