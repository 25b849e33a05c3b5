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
