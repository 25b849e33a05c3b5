import keras
import numpy as np

from startup_report.modeling.scratch import build_pooling_model
from startup_report.modeling.text import Vocabulary
from startup_report.modeling.train import fit


def _data():
    texts = [f"card {w} arrived late" for w in "abcdefgh"] + [f"refund {w} please now" for w in "abcdefgh"]
    labels = np.array([0] * 8 + [1] * 8)
    return texts, labels


def test_vocabulary_is_deterministic_and_pads():
    vocab = Vocabulary.fit(["b a", "a c"], max_tokens=10)
    assert vocab.tokens[:3] == ("[PAD]", "[UNK]", "a")
    ids = vocab.encode(["a zzz", "c b a a a"], length=3)
    assert ids.tolist() == [[2, 1, 0], [4, 3, 2]]


def test_same_seed_gives_the_same_model_and_metrics():
    texts, labels = _data()
    vocab = Vocabulary.fit(texts, 50)
    x = vocab.encode(texts, 6)

    def train_once():
        keras.utils.set_random_seed(5)  # as the model-build notebook does before building
        model = build_pooling_model(len(vocab), 6, 2, embedding_dim=8, hidden_units=8)
        history, _ = fit(
            model, x, labels, x, labels, epochs=3, batch_size=4, patience=2, seed=5, learning_rate=0.01, verbose=0
        )
        return history, model.predict(x, verbose=0)

    (h1, p1), (h2, p2) = train_once(), train_once()
    assert h1 == h2
    np.testing.assert_array_equal(p1, p2)
    assert p1.shape == (16, 2)


def test_pooling_averages_real_tokens_only_and_carries_no_keras_mask():
    """Padding (id 0) must not move the prediction, and no layer may hand Keras a mask to track.

    Keras under JAX tracks masks of traced tensors by id() in a per-thread dict; on a Dask worker an entry
    went stale and a later tensor inherited a (batch, L) mask (CI: "Incompatible shapes for broadcasting").
    """
    from keras.src import backend

    from startup_report.modeling.scratch import build_transformer_model

    ids = np.array([[2, 3, 0, 0, 0, 0], [4, 0, 0, 0, 0, 0]], dtype="int32")
    for build in (build_pooling_model, build_transformer_model):
        keras.utils.set_random_seed(1)
        model = build(10, 6, 3, embedding_dim=8)
        before = np.asarray(model(ids))
        table = model.get_layer("embedding")
        weights = table.get_weights()[0]
        weights[0] = 100.0  # the padding row: must be ignored by the pooling
        table.set_weights([weights])
        np.testing.assert_allclose(np.asarray(model(ids)), before, atol=1e-6)
        outputs = keras.Model(model.inputs, [layer.output for layer in model.layers[1:]])(ids)
        assert all(backend.get_keras_mask(out) is None for out in outputs), build.__name__


def test_a_keras_family_trains_with_its_own_settings_and_keeps_its_history():
    from startup_report.modeling.scratch import KerasScratch

    texts, labels = _data()

    def train_once():
        model = KerasScratch("embedding-pooling", 2, max_tokens=50, sequence_length=6, embedding_dim=8, epochs=2,
                             batch_size=4, learning_rate=0.01, patience=2, hidden_units=8)
        model.fit(texts, labels, texts, labels, seed=3)
        return model, model.predict_proba(texts)

    (model, p1), (_, p2) = train_once(), train_once()
    assert len(model.history["val_loss"]) == 2  # epochs=2 reached fit, validation was used
    assert p1.dtype == np.float64 and np.allclose(p1.sum(axis=1), 1.0)
    np.testing.assert_array_equal(p1, p2)


def test_each_model_class_lives_in_the_module_that_keys_its_runs():
    """A run's cache key follows the code of the catalog's module; a class defined elsewhere would be edited
    without invalidating its runs."""
    from startup_report.modeling import grid, zoo
    from startup_report.modeling.catalog import MODELS
    from startup_report.params import ModelParams, TrainingParams

    specs = {spec.model: spec for spec in grid.plan_runs(ModelParams(), TrainingParams(), 42)}
    assert set(specs) == set(MODELS)
    for name, spec in specs.items():
        model = zoo.build(name, 3, spec.config, encoder=None)
        assert type(model).__module__ == MODELS[name].module, name
