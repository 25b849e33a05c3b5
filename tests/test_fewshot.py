"""Few-shot levers on embeddings: votes that pick the right intent, names as messages, reproducible augmentation."""

import numpy as np
import pytest

from startup_report.modeling import fewshot


def _unit(rows: list[list[float]]) -> np.ndarray:
    x = np.asarray(rows, dtype=float)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


X_TRAIN = _unit([[1, 0.1, 0], [1, -0.1, 0], [0, 1, 0.1], [0.1, 1, 0]])
Y_TRAIN = np.array([0, 0, 1, 1])
QUERIES = _unit([[0.9, 0.2, 0], [0.2, 0.9, 0], [0, 0, 1]])


@pytest.mark.parametrize("vote", [fewshot.prototype_probs, fewshot.knn_probs])
def test_votes_are_distributions_that_pick_the_nearest_intent_and_never_an_unseen_one(vote):
    probs = vote(X_TRAIN, Y_TRAIN, QUERIES, 3)
    assert probs.shape == (3, 3) and np.allclose(probs.sum(axis=1), 1.0) and (probs >= 0).all()
    assert probs[:2].argmax(axis=1).tolist() == [0, 1]
    assert (probs[:, 2] == 0).all()  # intent 2 has no example: no probability


def test_knn_weighs_neighbours_by_similarity_and_k_caps_at_the_training_set():
    probs = fewshot.knn_probs(X_TRAIN, Y_TRAIN, QUERIES[:1], 2, k=10)
    sims = QUERIES[:1] @ X_TRAIN.T
    expected = np.maximum(sims, 0).ravel()
    assert probs[0, 0] == pytest.approx(expected[:2].sum() / expected.sum())
    with pytest.raises(ValueError, match="k must"):
        fewshot.knn_probs(X_TRAIN, Y_TRAIN, QUERIES, 2, k=0)


def test_a_query_with_no_positive_neighbour_falls_back_to_the_nearest():
    probs = fewshot.knn_probs(X_TRAIN, Y_TRAIN, -QUERIES[:1], 2, k=2)
    assert np.allclose(probs.sum(axis=1), 1.0) and probs[0].max() == 1.0


def test_intent_names_read_as_messages():
    assert fewshot.intent_name_texts(["card_arrival", "Refund_not_showing_up"]) == [
        "card arrival",
        "Refund not showing up",
    ]


def test_augmentation_is_reproducible_keeps_words_and_traces_each_variant_to_its_message():
    texts = ["my card has not arrived yet", "refund"]
    first, source = fewshot.augment(texts, seed=7, copies=3)
    again, _ = fewshot.augment(texts, seed=7, copies=3)
    other, _ = fewshot.augment(texts, seed=8, copies=3)
    assert first == again and first != other
    assert source.tolist() == [0, 0, 0, 1, 1, 1]
    for variant, i in zip(first, source, strict=True):
        words = variant.split()
        assert words and set(words) <= set(texts[i].split())
    assert first[3:] == ["refund"] * 3  # one word: nothing to delete or swap
    none, none_source = fewshot.augment(texts, seed=7, copies=0)
    assert none == [] and len(none_source) == 0
    with pytest.raises(ValueError, match="copies"):
        fewshot.augment(texts, seed=7, delete=1.0)
