"""The DP-SGD head: Opacus's step checked against per-example clipping by hand, and its epsilon accounting."""

import math

import numpy as np
import pytest
import torch

from startup_report.privacy import head


def _data(n=12, dim=5, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, dim)).astype(np.float32) * 2.0  # norms above 1, so clipping bites
    return x, rng.integers(0, classes, n)


def test_predict_proba_is_the_softmax_of_the_linear_layer():
    x, _ = _data()
    w = head.new_head(5, 3, seed=1)
    w[1] = np.array([0.5, -1.0, 0.0], dtype=np.float32)
    expected = torch.softmax(torch.tensor(x) @ torch.tensor(w[0]).T + torch.tensor(w[1]), dim=1).numpy()
    np.testing.assert_allclose(head.predict_proba(w, x), expected, rtol=1e-5)
    np.testing.assert_allclose(head.predict_proba(w, x).sum(axis=1), 1.0)


def test_opacus_step_equals_clipped_per_example_gradients_by_hand():
    # Batch >= n: Poisson sampling with rate 1 takes every message; sigma = 0 leaves only the clipping.
    x, y = _data()
    n, lr, clip = len(y), 0.3, 1.0
    start = head.new_head(5, 3, seed=2)
    trainer = head.LocalTrainer(x, y, 3, head.Schedule(1, 64, lr), seed=0, dp=head.DPSpec(0.0, clip, 1e-3))
    after = trainer.train(start)

    p = head.predict_proba(start, x)
    err = p - np.eye(3)[y]  # d loss_i / d logits_i
    per_weight = err[:, :, None] * x[:, None, :]  # (n, classes, dim)
    norms = np.sqrt((per_weight**2).sum(axis=(1, 2)) + (err**2).sum(axis=1))  # flat clipping: all parameters
    factor = np.minimum(1.0, clip / (norms + 1e-6))
    assert (factor < 1).any()  # the example exercises clipping
    grad_w = (factor[:, None, None] * per_weight).sum(axis=0) / n  # Opacus divides by the expected batch size
    grad_b = (factor[:, None] * err).sum(axis=0) / n
    np.testing.assert_allclose(after[0], start[0] - lr * grad_w, atol=1e-5)
    np.testing.assert_allclose(after[1], start[1] - lr * grad_b, atol=1e-5)


def test_noise_has_the_dp_sgd_scale():
    # With lr = 1 and nothing to learn (x = 0, so only the bias moves), the bias update is
    # -(clipped gradient sum + N(0, sigma^2 C^2)) / n: its spread over many steps is sigma * C / n.
    n, sigma, clip = 8, 2.0, 0.5
    x = np.zeros((n, 4), dtype=np.float32)
    y = np.zeros(n, dtype=int)
    trainer = head.LocalTrainer(x, y, 2, head.Schedule(1, 64, 1.0), seed=3, dp=head.DPSpec(sigma, clip, 1e-3))
    weights, moves = [np.zeros((2, 4), np.float32), np.zeros(2, np.float32)], []
    for _ in range(400):
        new = trainer.train(weights)
        moves.append(new[1] - weights[1])
        weights = [np.zeros((2, 4), np.float32), np.zeros(2, np.float32)]  # restart: same clipped gradient each time
    moves = np.array(moves)
    assert moves.std(axis=0) == pytest.approx([sigma * clip / n] * 2, rel=0.12)


def test_noise_for_epsilon_spends_the_budget():
    x, y = _data(n=200)
    delta = 1 / 200
    sigma = head.noise_for_epsilon(3.0, delta, 200, 20, epochs=4)
    trainer = head.LocalTrainer(x, y, 3, head.Schedule(4, 20, 0.1), seed=0, dp=head.DPSpec(sigma, 1.0, delta))
    trainer.train(head.new_head(5, 3, 0))
    assert trainer.epsilon() == pytest.approx(3.0, abs=0.03)
    assert head.noise_for_epsilon(1.0, delta, 200, 20, 4) > sigma > head.noise_for_epsilon(8.0, delta, 200, 20, 4)
    assert head.noise_for_epsilon(math.inf, delta, 200, 20, 4) is None


def test_without_dp_epsilon_is_infinite_and_training_is_reproducible():
    x, y = _data(n=60)
    runs = [head.train_central(x, y, 3, head.Schedule(3, 8, 0.5), seed=5) for _ in range(2)]
    assert runs[0][1] == math.inf
    np.testing.assert_array_equal(runs[0][0][0], runs[1][0][0])
    assert head.steps_per_epoch(60, 8) == 8


def test_banks_with_the_same_steps_per_epoch_share_one_calibration(tmp_path, monkeypatch):
    """sigma depends on a bank's size only through ceil(n / batch): 181 and 200 messages in batches of 20 both
    take 10 steps an epoch, so the second bank reuses the first one's search; 201 messages take 11 steps.
    A later process finds the searches stored and runs none (the same sigma, exactly)."""
    monkeypatch.setattr(head, "noise_store", lambda: tmp_path / "dp-noise")
    delta = 1e-3
    head._calibrated_noise.cache_clear()
    first = head.noise_for_epsilon(3.0, delta, 181, 20, epochs=4)
    assert head.noise_for_epsilon(3.0, delta, 200, 20, epochs=4) == first
    assert head._calibrated_noise.cache_info().misses == 1
    second = head.noise_for_epsilon(3.0, delta, 201, 20, epochs=4)
    assert second != first and head._calibrated_noise.cache_info().misses == 2
    assert len(list((tmp_path / "dp-noise").glob("*.json"))) == 2

    import opacus.accountants.utils

    head._calibrated_noise.cache_clear()  # as in a new process
    monkeypatch.setattr(opacus.accountants.utils, "get_noise_multiplier", lambda **_: pytest.fail("searched again"))
    assert head.noise_for_epsilon(3.0, delta, 200, 20, epochs=4) == first
    assert head.noise_for_epsilon(3.0, delta, 201, 20, epochs=4) == second
