# Dev-only (needs the Keras oracle, ../shared/keras-oracle/README.md; not run in CI): dumps the JSON type of every
# default config field of the Keras 3.16 classes kiln has, for test/io/keras_json_floats.test.ts.
# /tmp/keras-oracle/run.sh scripts/keras-config-types.py > test/io/data/keras3.16_config_types.json
import json, keras, warnings
warnings.filterwarnings('ignore')
from keras import layers as L, optimizers as O, losses as Ls, metrics as M, initializers as I, regularizers as R
def kind(v):
    if isinstance(v, bool): return 'bool'
    if isinstance(v, int): return 'int'
    if isinstance(v, float): return 'float'
    if v is None: return 'null'
    if isinstance(v, str): return 'str'
    if isinstance(v, (list, tuple)): return [kind(x) for x in v]
    if isinstance(v, dict): return {k: kind(x) for k, x in v.items()}
    return type(v).__name__
out = {}
objs = {
 'Dense': L.Dense(3), 'Dropout': L.Dropout(0.5), 'BatchNormalization': L.BatchNormalization(), 'LayerNormalization': L.LayerNormalization(),
 'LeakyReLU': L.LeakyReLU(), 'Activation': L.Activation('relu'), 'Flatten': L.Flatten(),
 'SGD': O.SGD(), 'Adam': O.Adam(), 'AdamW': O.AdamW(), 'Adamax': O.Adamax(), 'Nadam': O.Nadam(), 'RMSprop': O.RMSprop(), 'Adagrad': O.Adagrad(),
 'ExponentialDecay': O.schedules.ExponentialDecay(0.1, 10, 0.5), 'PiecewiseConstantDecay': O.schedules.PiecewiseConstantDecay([10], [0.1, 0.01]),
 'PolynomialDecay': O.schedules.PolynomialDecay(0.1, 10), 'InverseTimeDecay': O.schedules.InverseTimeDecay(0.1, 10, 0.5), 'CosineDecay': O.schedules.CosineDecay(0.1, 10),
 'CosineDecayRestarts': O.schedules.CosineDecayRestarts(0.1, 10),
 'GlorotUniform': I.GlorotUniform(), 'GlorotNormal': I.GlorotNormal(), 'HeNormal': I.HeNormal(), 'HeUniform': I.HeUniform(), 'LecunNormal': I.LecunNormal(), 'LecunUniform': I.LecunUniform(),
 'RandomNormal': I.RandomNormal(), 'RandomUniform': I.RandomUniform(), 'TruncatedNormal': I.TruncatedNormal(), 'Constant': I.Constant(), 'Zeros': I.Zeros(), 'Ones': I.Ones(),
 'Orthogonal': I.Orthogonal(), 'Identity': I.Identity(), 'VarianceScaling': I.VarianceScaling(),
 'L1': R.L1(), 'L2': R.L2(), 'L1L2': R.L1L2(),
}
for n in ['MeanSquaredError','MeanAbsoluteError','MeanAbsolutePercentageError','MeanSquaredLogarithmicError','BinaryCrossentropy','BinaryFocalCrossentropy','CategoricalCrossentropy','CategoricalFocalCrossentropy','SparseCategoricalCrossentropy','Hinge','SquaredHinge','CategoricalHinge','Huber','LogCosh','KLDivergence','Poisson','CosineSimilarity']:
    objs['loss.'+n] = getattr(Ls, n)()
for n in ['Accuracy','BinaryAccuracy','CategoricalAccuracy','SparseCategoricalAccuracy','TopKCategoricalAccuracy','SparseTopKCategoricalAccuracy','Precision','Recall','AUC','TruePositives','FalsePositives','TrueNegatives','FalseNegatives','MeanSquaredError','MeanAbsoluteError','RootMeanSquaredError','MeanAbsolutePercentageError','MeanSquaredLogarithmicError','R2Score','BinaryCrossentropy','CategoricalCrossentropy','SparseCategoricalCrossentropy','KLDivergence','Poisson','CosineSimilarity','LogCoshError','Hinge','SquaredHinge','CategoricalHinge','Mean','Sum','PrecisionAtRecall','RecallAtPrecision','SensitivityAtSpecificity','SpecificityAtSensitivity']:
    c = getattr(M, n)
    try:
        objs['metric.'+n] = c(0.5) if n in ('PrecisionAtRecall','RecallAtPrecision','SensitivityAtSpecificity','SpecificityAtSensitivity') else c()
    except Exception as e: out['metric.'+n] = str(e)
for n in ['F1Score','FBetaScore']: objs['metric.'+n] = getattr(M, n)()
for k, o in objs.items():
    try: out[k] = kind(o.get_config())
    except Exception as e: out[k] = 'ERR ' + str(e)
print(json.dumps(out, indent=1))
